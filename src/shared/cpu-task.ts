/**
 * The worker-thread side of a CpuPool (cpu-pool.ts). A pool task travels with a small shared block;
 * the thread fills it the moment it begins the task — which thread it is and how much CPU time that
 * thread had used so far — and only then does the pool start that task's budget. So neither the
 * wait for a free thread nor the start-up of a thread that replaces a stopped one (loading its
 * modules takes ~0.5 s, more on a busy machine) is charged to a task, and the budget is the CPU
 * time the task itself spends (see cpu-pool.ts for why not the wall clock).
 */
import { threadId } from 'node:worker_threads';

/** Int32 slot 0 of the block: 0 waiting, 1 started, 2 settled without starting (set by the pool). */
export const STATE = 0;
/** Int32 slot 1: the threadId of the thread that took the task. */
export const THREAD = 1;
/** Float64 slot 1 (bytes 8–15): that thread's CPU time in µs (user + system) when it began the task. */
export const CPU_AT_START = 1;
export const BLOCK_BYTES = 16;

/** What the pool posts: the caller's task and the block (a SharedArrayBuffer of BLOCK_BYTES). */
export interface CpuEnvelope<T> {
  task: T;
  started: SharedArrayBuffer;
}

/** CPU time this thread has used, in µs. */
function threadCpuMicros(): number {
  // process.threadCpuUsage (Node ≥ 23.9) is this thread's own; on an older Node there is no per-thread
  // figure and the pool falls back to the wall clock, so what is stored here does not matter.
  const u = typeof process.threadCpuUsage === 'function' ? process.threadCpuUsage() : { user: 0, system: 0 };
  return u.user + u.system;
}

/** Wraps a worker module's handler: `export default cpuTask(async (task) => …)`. */
export function cpuTask<T, R>(handler: (task: T) => R | Promise<R>): (envelope: CpuEnvelope<T>) => Promise<R> {
  return async ({ task, started }) => {
    const words = new Int32Array(started);
    new Float64Array(started)[CPU_AT_START] = threadCpuMicros();
    words[THREAD] = threadId;
    Atomics.store(words, STATE, 1);
    Atomics.notify(words, STATE);
    return handler(task);
  };
}
