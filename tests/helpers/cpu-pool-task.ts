/**
 * A CpuPool worker module for tests/unit/shared/cpu-pool.test.ts: each task either spins on the CPU
 * or sleeps without using any (Atomics.wait), for a given time, then answers with what it did.
 */
import { cpuTask } from '../../src/shared/cpu-task.ts';

export interface PoolTestTask {
  op: 'spin' | 'sleep';
  ms: number;
}

export default cpuTask(({ op, ms }: PoolTestTask) => {
  if (op === 'sleep') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  else for (const end = performance.now() + ms; performance.now() < end; );
  return `${op} ${ms}`;
});
