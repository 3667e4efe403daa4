import { describe, expect, it } from 'vitest';
import { attemptCounter, groupCommit } from '../../../src/extract/batching.ts';

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

describe('attemptCounter', () => {
  const queue = (attempts: number[]) => attempts.map((n, i) => ({ id: 100 + i, attempts: n }));

  it('counts articles never tried ahead, a few per write, and the next few while those are tried', async () => {
    const writes: number[][] = [];
    const c = attemptCounter(queue([0, 0, 0, 0, 0, 0, 0]), 2, async (ids) => void writes.push(ids));
    await c.before(0);
    expect(writes).toEqual([[100, 101], [102, 103]]);
    await c.before(1);
    expect(writes).toHaveLength(2);
    await c.before(2);
    expect(writes).toEqual([[100, 101], [102, 103], [104, 105]]);
    expect(await c.untried()).toEqual([103, 104, 105]);
  });

  it('counts an article tried before on its own, as it starts, and never ahead', async () => {
    const writes: number[][] = [];
    const c = attemptCounter(queue([0, 1, 0, 2, 0]), 2, async (ids) => void writes.push(ids));
    await c.before(0);
    expect(writes).toEqual([[100], [102]]); // 101 and 103 are left to themselves
    await c.before(1);
    expect(writes.at(-1)).toEqual([101]);
    await c.before(2);
    expect(writes.at(-1)).toEqual([104]);
    await c.before(3);
    expect(writes.at(-1)).toEqual([103]);
    await c.before(4);
    expect(writes).toEqual([[100], [102], [101], [104], [103]]);
    expect(await c.untried()).toEqual([]);
  });

  it('makes an article wait until its count is written, and passes a failed write on', async () => {
    let done = false;
    const c = attemptCounter(queue([0, 0]), 4, async () => {
      await tick();
      done = true;
    });
    await c.before(1);
    expect(done).toBe(true);
    const failing = attemptCounter(queue([0]), 4, async () => {
      throw new Error('database is locked');
    });
    await expect(failing.before(0)).rejects.toThrow('database is locked');
  });
});
