/**
 * A CpuPool worker module for tests/unit/shared/cpu-pool.test.ts: each task either spins on the CPU
 * or sleeps without using any (Atomics.wait), for a given time, then answers with what it did.
 * tests/unit/cli/module-hooks.test.ts asks it whether its thread has the CLI's module hooks.
 */
import { cpuTask } from '../../src/shared/cpu-task.ts';

export interface PoolTestTask {
  /** 'hooks' answers whether the thread runs with the CLI's module hooks (bin/module-hooks.js). */
  op: 'spin' | 'sleep' | 'hooks';
  ms: number;
}

export default cpuTask(({ op, ms }: PoolTestTask) => {
  if (op === 'hooks') return `hooks ${Boolean((globalThis as Record<symbol, unknown>)[Symbol.for('factdesk.module-hooks')])}`;
  if (op === 'sleep') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  else for (const end = performance.now() + ms; performance.now() < end; );
  return `${op} ${ms}`;
});
