/**
 * CpuPool's budget is the CPU time a task spends on its thread, not the wall clock (cpu-pool.ts): a
 * thread starved of CPU by a busy machine is not failed for waiting, a thread that spends its budget
 * is stopped, and one that waits for ever is stopped at WALL_CEILING budgets. A sleeping task stands
 * in for a starved one — wall time passing while its thread uses no CPU — so this holds on any load.
 */
import { afterAll, expect, it } from 'vitest';
import { CpuPool, WALL_CEILING } from '../../../src/shared/cpu-pool.ts';
import type { PoolTestTask } from '../../helpers/cpu-pool-task.ts';

class BudgetError extends Error {}

const pool = new CpuPool<PoolTestTask, string>({
  filename: new URL('../../helpers/cpu-pool-task.ts', import.meta.url).href,
  threads: 2,
  timeoutError: (ms) => new BudgetError(`over ${ms} ms`),
});
afterAll(() => pool.close());

it('a task that waits past its budget on the clock but uses no CPU finishes', async () => {
  await expect(pool.run({ op: 'sleep', ms: 600 }, { timeoutMs: 200 })).resolves.toBe('sleep 600');
});

it('a task that spends its budget on the CPU is stopped with the caller’s error', async () => {
  const t0 = performance.now();
  await expect(pool.run({ op: 'spin', ms: 30_000 }, { timeoutMs: 200 })).rejects.toThrow(new BudgetError('over 200 ms'));
  expect(performance.now() - t0).toBeLessThan(WALL_CEILING * 200 + 1_000);
});

it('a task that waits longer than the wall-clock ceiling is stopped', async () => {
  const t0 = performance.now();
  await expect(pool.run({ op: 'sleep', ms: 30_000 }, { timeoutMs: 100 })).rejects.toThrow(BudgetError);
  expect(performance.now() - t0).toBeGreaterThanOrEqual(WALL_CEILING * 100 - 5);
  expect(performance.now() - t0).toBeLessThan(WALL_CEILING * 100 + 2_000);
});

it('a task within its budget answers, and the pool goes on after a stopped one', async () => {
  await expect(pool.run({ op: 'spin', ms: 20 }, { timeoutMs: 1_000 })).resolves.toBe('spin 20');
});
