/**
 * Worker threads for CPU-bound work, with a hard budget per task. A task that overruns is stopped by
 * terminating its thread — the only way to stop a regex or a parser loop that never yields — and
 * rejects with the caller's timeout error; the caller's signal (SIGTERM, Ctrl-C) stops running tasks
 * the same way. Threads start on first use and exit when idle, so a process that never needs them
 * pays nothing and an idle one holds nothing open.
 *
 * Why piscina and not a pool of our own over node:worker_threads: it is already a dependency (fact
 * extraction has run on it since issue 10), and it gets right what a hand-rolled pool must: a task
 * aborted by its signal terminates that worker and a fresh one takes its place, a worker that dies
 * (an uncaught error, out of memory) rejects only its task, idle threads time out, and results come
 * back by structured clone. What a pool of our own could save is piscina's own cost, ~20 µs of
 * main-thread CPU per task (5,000 tasks carrying a 4 kB page on this 2-core machine) — noise beside
 * the 2–30 ms it takes to read a page.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { Piscina } from 'piscina';

export interface CpuPoolOptions<T> {
  /** The worker module (its default export runs one task), as a file URL. */
  filename: string;
  /** Threads at most; tasks beyond them wait here, not in piscina. */
  threads: number;
  /**
   * A task that loads the worker's modules and returns once the thread is ready. Run on every
   * thread before the first real task, so module loading and JIT warm-up are not charged to the
   * first tasks' budgets. It should stay busy ~100 ms, so that each lands on a thread of its own.
   */
  warmTask?: T;
  /** Made when a task overruns its budget; the caller's error names its own setting. */
  timeoutError: (timeoutMs: number) => Error;
  /** How long an idle thread lives (default 2 s: long enough to carry a run's threads from task to task). */
  idleTimeoutMs?: number;
}

export class CpuPool<T, R> {
  readonly threads: number;
  readonly #opts: CpuPoolOptions<T>;
  readonly #pool: Piscina<T, R>;
  /** Hands a task to piscina only when a thread is free, so its budget isn't spent in a queue. */
  readonly #gate: LimitFunction;
  #warm: Promise<void> | null = null;

  constructor(opts: CpuPoolOptions<T>) {
    this.threads = Math.max(1, opts.threads);
    this.#opts = opts;
    this.#gate = pLimit(this.threads);
    this.#pool = new Piscina<T, R>({
      filename: opts.filename,
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: opts.idleTimeoutMs ?? 2_000,
    });
  }

  /**
   * Runs one task. Rejects with `timeoutError` past `timeoutMs` (counted from the moment a warm
   * thread takes it), with the signal's reason when `signal` aborts; either way its thread is stopped.
   */
  async run(task: T, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<R> {
    opts.signal?.throwIfAborted();
    await this.warm(opts.signal);
    return this.#gate(async () => {
      opts.signal?.throwIfAborted();
      const budget = AbortSignal.timeout(opts.timeoutMs);
      const signal = opts.signal ? AbortSignal.any([budget, opts.signal]) : budget;
      try {
        return await this.#pool.run(task, { signal });
      } catch (err) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? err;
        if (budget.aborted) throw this.#opts.timeoutError(opts.timeoutMs);
        throw err;
      }
    });
  }

  /** Starts every thread and waits until each has run the warm-up task (once per pool). */
  warm(signal?: AbortSignal): Promise<void> {
    const task = this.#opts.warmTask;
    if (task === undefined) return Promise.resolve();
    this.#warm ??= Promise.all(
      Array.from({ length: this.threads }, () => this.#gate(() => this.#pool.run(task, signal ? { signal } : {}))),
    ).then(
      () => undefined,
      (err: unknown) => {
        // A failed warm-up (aborted, a thread that could not start) is tried again by the next task.
        this.#warm = null;
        throw err;
      },
    );
    return this.#warm;
  }

  /** Stops the threads now (tests; a command that wants to exit at once). */
  close(): Promise<void> {
    return this.#pool.destroy();
  }
}
