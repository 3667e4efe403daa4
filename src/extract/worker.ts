/**
 * A pool of worker threads (piscina) for the CPU-bound part of extraction, with a hard per-article
 * budget. A task that overruns is stopped by terminating its thread — the only way to stop a regex or
 * loop that never yields — and rejects with ExtractTimeoutError; aborting the run's signal (SIGTERM,
 * Ctrl-C) stops running tasks the same way. The pool is shared by every run in the process and its
 * threads exit when idle, so it holds nothing open once the work is done.
 */
import { availableParallelism } from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import { Piscina } from 'piscina';
import type { ExtractTask, TaskResult } from './worker-task.ts';

export type { ExtractTask, TaskResult } from './worker-task.ts';

export const DEFAULT_EXTRACT_TIMEOUT_MS = 10_000;

/** One article's extraction went over its budget; the article is failed with this reason. */
export class ExtractTimeoutError extends Error {
  override name = 'ExtractTimeoutError';
  readonly code = 'extract-timeout';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`extraction took longer than ${timeoutMs} ms and was stopped (FACTDESK_EXTRACT_TIMEOUT_MS)`);
    this.timeoutMs = timeoutMs;
  }
}

/** Threads for extraction: no more than the caller's concurrency or the machine's cores. */
export function extractThreads(concurrency: number): number {
  return Math.max(1, Math.min(concurrency, availableParallelism()));
}

let pool: Piscina<ExtractTask, TaskResult> | null = null;
/** Hands a task to the pool only when a thread is free, so its budget isn't spent in the pool's queue. */
let gate: LimitFunction = pLimit(1);

function getPool(threads: number): Piscina<ExtractTask, TaskResult> {
  if (pool && pool.options.maxThreads >= threads) return pool;
  void pool?.destroy();
  gate = pLimit(threads);
  pool = new Piscina<ExtractTask, TaskResult>({
    filename: new URL('./worker-task.ts', import.meta.url).href,
    minThreads: 0,
    maxThreads: threads,
    // Long enough to carry one run's threads from article to article (and a benchmark's runs from
    // one to the next), short enough that an idle CLI process is not kept alive for long.
    idleTimeout: 2_000,
  });
  return pool;
}

/**
 * Aborts `ms` after now — but only once the results already waiting have been taken in. When the main
 * thread was held up past the deadline (a long synchronous database statement), the timer and the
 * thread's finished answer are both waiting; timers run first in Node's event loop, messages next, and
 * setImmediate after them: so the abort waits for that turn, and an article that finished in time is
 * not failed for the main thread's delay.
 */
function budgetSignal(ms: number): { signal: AbortSignal; clear(): void } {
  const c = new AbortController();
  let immediate: NodeJS.Immediate | undefined;
  const timer = setTimeout(() => (immediate = setImmediate(() => c.abort())), ms);
  return {
    signal: c.signal,
    clear() {
      clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
    },
  };
}

/**
 * Runs one task in the pool. Rejects with ExtractTimeoutError past `timeoutMs`, with the signal's
 * reason when `signal` aborts; either way the thread running it is stopped.
 */
export async function runInWorker(task: ExtractTask, opts: { timeoutMs: number; threads: number; signal?: AbortSignal }): Promise<TaskResult> {
  opts.signal?.throwIfAborted();
  const p = getPool(opts.threads);
  return gate(async () => {
    opts.signal?.throwIfAborted();
    const budget = budgetSignal(opts.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([budget.signal, opts.signal]) : budget.signal;
    try {
      return await p.run(task, { signal });
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? err;
      if (budget.signal.aborted) throw new ExtractTimeoutError(opts.timeoutMs);
      throw err;
    } finally {
      budget.clear();
    }
  });
}

/**
 * Starts `threads` threads and waits until each has loaded the extractor, so that thread start-up
 * (module loading, the company registry) is not charged to the first articles' budgets.
 */
export async function warmExtractPool(threads: number, signal?: AbortSignal): Promise<void> {
  const p = getPool(threads);
  // Each waits for the others (a shared counter), so no thread takes two and each is warm when they return.
  const ready = new Int32Array(new SharedArrayBuffer(4));
  await Promise.all(Array.from({ length: threads }, () => gate(() => p.run({ op: 'warm', ready, of: threads }, signal ? { signal } : {}))));
}

/** Stops the pool's threads now (tests; a command that wants to exit at once). */
export async function closeExtractPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.destroy();
}
