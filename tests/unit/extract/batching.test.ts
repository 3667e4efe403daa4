import { describe, expect, it } from 'vitest';
import { attemptCounter } from '../../../src/extract/batching.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

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
