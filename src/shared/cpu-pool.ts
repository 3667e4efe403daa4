/**
 * Worker threads for CPU-bound work, with a hard budget per task. A task that overruns is stopped by
 * terminating its thread — the only way to stop a regex or a parser loop that never yields — and
 * rejects with the caller's timeout error; the caller's signal (SIGTERM, Ctrl-C) stops running tasks
 * the same way. The budget counts from the moment a thread begins the task (cpu-task.ts), not from
 * when it was handed in: tasks wait in the pool's queue for free, and a thread that replaces a
 * stopped one loads its modules before it takes any. Threads start on first use and exit when idle,
 * so a process that never needs them pays nothing and an idle one holds nothing open.
 *
 * The budget is CPU time the task's thread spends, not wall-clock time. On a machine busier than its
 * cores (a refresh beside a site build, CI running test files side by side) a thread gets a fraction
 * of a core, and a wall-clock budget failed ordinary 5 ms pages as "over 300 ms" — each failure
 * stopping a thread whose replacement then loaded its modules on the same starved cores. The pool
 * looks at the thread's CPU clock (Worker#cpuUsage, answered even while the thread spins) when the
 * budget would have run out on the wall clock, and waits on for the CPU time still unspent. A task
 * that has the CPU and overruns is stopped as promptly as before; one that waits without using any
 * is stopped at WALL_CEILING × the budget, so nothing can hold a run for ever. Where the runtime has no
 * per-thread CPU clock (Node < 23.9) the budget is the wall clock, as it was.
 *
 * Why piscina and not a pool of our own over node:worker_threads: it is already a dependency (fact
 * extraction has run on it since issue 10), and it gets right what a hand-rolled pool must: a task
 * aborted by its signal terminates that worker and a fresh one takes its place (loading the module
 * before it reports ready, which is what keeps start-up out of the next task's budget), a worker that dies
 * (an uncaught error, out of memory) rejects only its task, idle threads time out, and results come
 * back by structured clone. What a pool of our own could save is piscina's own cost, ~20 µs of
 * main-thread CPU per task (5,000 tasks carrying a 4 kB page on this 2-core machine) — noise beside
 * the 2–30 ms it takes to read a page.
 */
import type { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { threadStart } from './worker-options.ts';
import { BLOCK_BYTES, CPU_AT_START, STATE, THREAD, type CpuEnvelope } from './cpu-task.ts';

/** A task is stopped once this many budgets have passed on the wall clock, whatever CPU it used. */
export const WALL_CEILING = 10;

export interface CpuPoolOptions {
  /** The worker module, as a file URL; its default export is `cpuTask(handler)` (cpu-task.ts). */
  filename: string;
  /** Threads at most; further tasks wait in the queue (their budgets not yet running). */
  threads: number;
  /** Made when a task overruns its budget; the caller's error names its own setting. */
  timeoutError: (timeoutMs: number) => Error;
  /** How long an idle thread lives (default 2 s: long enough to carry a run's threads from task to task). */
  idleTimeoutMs?: number;
}

const WAITING = 0;
/** Set by the pool when a task ended without ever starting, to release the wait for it. */
const SETTLED = 2;
/** Below this much budget left, the pool stops the task rather than look again. */
const SLACK_MS = 5;

export class CpuPool<T, R> {
  readonly threads: number;
  readonly #opts: CpuPoolOptions;
  readonly #pool: Piscina<CpuEnvelope<T>, R>;
  /** Tasks handed in and not settled, and the handle that keeps the process alive meanwhile. */
  #pending = 0;
  #alive: NodeJS.Timeout | null = null;

  constructor(opts: CpuPoolOptions) {
    this.threads = Math.max(1, opts.threads);
    this.#opts = opts;
    // The CLI's threads start through its module hooks (worker-options.ts); piscina then runs each
    // task through bin/thread-entry.js's default export, which calls opts.filename's.
    const start = threadStart(opts.filename, {}, { pool: true });
    this.#pool = new Piscina<CpuEnvelope<T>, R>({
      filename: start.filename,
      workerData: start.workerData,
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: opts.idleTimeoutMs ?? 2_000,
    });
  }

  /**
   * Runs one task. Rejects with `timeoutError` once it has used `timeoutMs` of CPU time on its thread
   * (or WALL_CEILING times that on the clock), with the signal's reason when `signal` aborts; either
   * way the thread running it is stopped.
   */
  async run(task: T, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<R> {
    opts.signal?.throwIfAborted();
    const started = new SharedArrayBuffer(BLOCK_BYTES);
    const state = new Int32Array(started);
    const stop = new AbortController();
    const onAbort = () => stop.abort(opts.signal!.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    // piscina holds no reference on a queued task or on a thread that is still starting (one that
    // replaces a stopped thread, say), so with nothing else to do the process would exit under them.
    if (this.#pending++ === 0) this.#alive = setInterval(() => {}, 60_000);
    let timer: NodeJS.Timeout | undefined;
    let overran = false;
    let settled = false;
    const overrun = () => {
      overran = true;
      stop.abort();
    };
    const begun = Atomics.waitAsync(state, STATE, WAITING);
    void (begun.async ? begun.value : Promise.resolve()).then(() => {
      if (settled) return;
      const t0 = performance.now();
      const thread = this.#pool.threads.find((w) => w.threadId === state[THREAD]);
      const cpuAtStart = new Float64Array(started)[CPU_AT_START]!;
      const check = async () => {
        const used = await cpuMsSince(thread, cpuAtStart);
        if (settled) return;
        const left = opts.timeoutMs - (used ?? Infinity);
        const wallLeft = WALL_CEILING * opts.timeoutMs - (performance.now() - t0);
        if (left < SLACK_MS || wallLeft <= 0) return overrun();
        // The CPU still unspent can't be used in less wall time than that; look again then.
        timer = setTimeout(() => void check(), Math.min(left, wallLeft));
      };
      timer = setTimeout(() => void check(), opts.timeoutMs);
    });
    try {
      return await this.#pool.run({ task, started }, { signal: stop.signal });
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? err;
      if (overran) throw this.#opts.timeoutError(opts.timeoutMs);
      throw err;
    } finally {
      settled = true;
      clearTimeout(timer);
      if (--this.#pending === 0) clearInterval(this.#alive!);
      opts.signal?.removeEventListener('abort', onAbort);
      // A task that never began (aborted while queued, its thread gone) still has a waiter: release it.
      if (Atomics.compareExchange(state, STATE, WAITING, SETTLED) === WAITING) Atomics.notify(state, STATE);
    }
  }

  /** Stops the threads now (tests; a command that wants to exit at once). */
  close(): Promise<void> {
    return this.#pool.destroy();
  }
}

/**
 * CPU time `thread` has used since it stood at `cpuAtStart` µs, in ms; null when it can't be told
 * (no per-thread clock in this runtime, the thread not found or already gone), which the caller
 * takes as the budget spent.
 */
async function cpuMsSince(thread: Worker | undefined, cpuAtStart: number): Promise<number | null> {
  if (!thread || typeof thread.cpuUsage !== 'function' || typeof process.threadCpuUsage !== 'function') return null;
  try {
    const u = await thread.cpuUsage();
    return (u.user + u.system - cpuAtStart) / 1000;
  } catch {
    return null;
  }
}
