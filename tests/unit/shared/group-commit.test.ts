import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../../src/shared/group-commit.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('groupCommit', () => {
  it('writes a lone item at once, and what arrives during a write together in the next batch, at most max', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const write = async (items: number[]) => {
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      return items.map((x) => x * 10);
    };
    const save = groupCommit(write, 3);
    const first = save(1);
    await tick();
    expect(batches).toEqual([[1]]);
    const rest = [2, 3, 4, 5].map((x) => save(x));
    await tick();
    expect(batches).toEqual([[1]]); // waiting for the first write
    release();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('rejects only the items of a batch whose write failed', async () => {
    const save = groupCommit(async (items: number[]) => {
      if (items.includes(2)) throw new Error('disk full');
      return items;
    }, 1);
    const out = await Promise.allSettled([save(1), save(2), save(3)]);
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('groupCommit with lingerMs', () => {
  it('holds a lone item up to lingerMs for others to join it, and lets a full batch go at once', async () => {
    const batches: { items: number[]; at: number }[] = [];
    const start = performance.now();
    const save = groupCommit(async (items: number[]) => (batches.push({ items, at: performance.now() - start }), items), 3, { lingerMs: 60 });
    const a = save(1);
    await tick();
    expect(batches).toEqual([]); // without lingerMs it would have been written alone by now
    const b = save(2);
    await Promise.all([a, b]);
    expect(batches.map((x) => x.items)).toEqual([[1, 2]]);
    expect(batches[0]!.at).toBeGreaterThanOrEqual(55);

    const t = performance.now();
    await Promise.all([save(3), save(4), save(5)]);
    expect(batches.at(-1)!.items).toEqual([3, 4, 5]);
    expect(performance.now() - t).toBeLessThan(50); // full: no lingering
  });
});
