/**
 * Worker threads for CPU-bound work, with a hard budget per task. A task that overruns is stopped by
 * terminating its thread — the only way to stop a regex or a parser loop that never yields — and
 * rejects with the caller's timeout error; the caller's signal (SIGTERM, Ctrl-C) stops running tasks
 * the same way. The budget counts from the moment a thread begins the task (cpu-task.ts), not from
 * when it was handed in: tasks wait in the pool's queue for free, and a thread that replaces a
 * stopped one loads its modules before it takes any. Threads start on first use and exit when idle,
 * so a process that never needs them pays nothing and an idle one holds nothing open.
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
import { Piscina } from 'piscina';
import type { CpuEnvelope } from './cpu-task.ts';

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
    this.#pool = new Piscina<CpuEnvelope<T>, R>({
      filename: opts.filename,
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: opts.idleTimeoutMs ?? 2_000,
    });
  }

  /**
   * Runs one task. Rejects with `timeoutError` once it has run `timeoutMs` on its thread, with the
   * signal's reason when `signal` aborts; either way the thread running it is stopped.
   */
  async run(task: T, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<R> {
    opts.signal?.throwIfAborted();
    const started = new Int32Array(new SharedArrayBuffer(4));
    const stop = new AbortController();
    const onAbort = () => stop.abort(opts.signal!.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    // piscina holds no reference on a queued task or on a thread that is still starting (one that
    // replaces a stopped thread, say), so with nothing else to do the process would exit under them.
    if (this.#pending++ === 0) this.#alive = setInterval(() => {}, 60_000);
    let timer: NodeJS.Timeout | undefined;
    let overran = false;
    let settled = false;
    const begun = Atomics.waitAsync(started, 0, WAITING);
    void (begun.async ? begun.value : Promise.resolve()).then(() => {
      if (settled) return;
      timer = setTimeout(() => {
        overran = true;
        stop.abort();
      }, opts.timeoutMs);
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
      if (Atomics.compareExchange(started, 0, WAITING, SETTLED) === WAITING) Atomics.notify(started, 0);
    }
  }

  /** Stops the threads now (tests; a command that wants to exit at once). */
  close(): Promise<void> {
    return this.#pool.destroy();
  }
}
