/**
 * The worker-thread side of a CpuPool (cpu-pool.ts). A pool task travels with a one-word shared
 * flag; the thread raises it the moment it begins the task, and only then does the pool start that
 * task's budget. So neither the wait for a free thread nor the start-up of a thread that replaces a
 * stopped one (loading its modules takes ~0.5 s, more on a busy machine) is charged to a task.
 */

/** What the pool posts: the caller's task and the flag (0 waiting, 1 started). */
export interface CpuEnvelope<T> {
  task: T;
  started: Int32Array;
}

/** Wraps a worker module's handler: `export default cpuTask(async (task) => …)`. */
export function cpuTask<T, R>(handler: (task: T) => R | Promise<R>): (envelope: CpuEnvelope<T>) => Promise<R> {
  return async ({ task, started }) => {
    Atomics.store(started, 0, 1);
    Atomics.notify(started, 0);
    return handler(task);
  };
}
