/**
 * The CPU-bound part of extraction on worker threads (src/shared/cpu-pool.ts, over piscina), with a
 * hard per-article budget of CPU time. A task that overruns is stopped by terminating its thread —
 * the only way to stop a regex or loop that never yields — and rejects with ExtractTimeoutError;
 * aborting the run's signal (SIGTERM, Ctrl-C) stops running tasks the same way. The budget is the
 * article's own: it starts when a thread begins the article and counts the CPU that thread spends, so
 * neither the queue, nor a main thread held up by a long synchronous statement, nor a machine busier
 * than its cores fails an article that would have finished. The pool is shared by every run in the
 * process and its threads exit when idle, so it holds nothing open once the work is done.
 */
import { availableParallelism } from 'node:os';
import { CpuPool } from '../shared/cpu-pool.ts';
import type { ExtractTask, TaskResult } from './worker-task.ts';

export type { ExtractTask, TaskResult } from './worker-task.ts';

export const DEFAULT_EXTRACT_TIMEOUT_MS = 10_000;

/** Warm-up waits for its siblings up to a second (worker-task.ts) and loads the registry: never failed as slow. */
const WARM_BUDGET_MS = 60_000;

/** One article's extraction went over its budget; the article is failed with this reason. */
export class ExtractTimeoutError extends Error {
  override name = 'ExtractTimeoutError';
  readonly code = 'extract-timeout';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`extraction took longer than ${timeoutMs} ms of CPU time and was stopped (FACTDESK_EXTRACT_TIMEOUT_MS)`);
    this.timeoutMs = timeoutMs;
  }
}

/** Threads for extraction: no more than the caller's concurrency or the machine's cores. */
export function extractThreads(concurrency: number): number {
  return Math.max(1, Math.min(concurrency, availableParallelism()));
}

let pool: CpuPool<ExtractTask, TaskResult> | null = null;

function getPool(threads: number): CpuPool<ExtractTask, TaskResult> {
  if (pool && pool.threads >= threads) return pool;
  void pool?.close();
  pool = new CpuPool<ExtractTask, TaskResult>({
    filename: new URL('./worker-task.ts', import.meta.url).href,
    threads,
    timeoutError: (ms) => new ExtractTimeoutError(ms),
  });
  return pool;
}

/**
 * Runs one task in the pool. Rejects with ExtractTimeoutError past `timeoutMs` of CPU time, with the
 * signal's reason when `signal` aborts; either way the thread running it is stopped.
 */
export function runInWorker(task: ExtractTask, opts: { timeoutMs: number; threads: number; signal?: AbortSignal }): Promise<TaskResult> {
  return getPool(opts.threads).run(task, opts.signal ? { timeoutMs: opts.timeoutMs, signal: opts.signal } : { timeoutMs: opts.timeoutMs });
}

/**
 * Starts `threads` threads and waits until each has loaded the extractor, so the first articles do
 * not wait for module loading one thread at a time.
 */
export async function warmExtractPool(threads: number, signal?: AbortSignal): Promise<void> {
  // Each waits for the others (a shared counter), so no thread takes two and each is warm when they return.
  const ready = new Int32Array(new SharedArrayBuffer(4));
  await Promise.all(Array.from({ length: threads }, () => runInWorker({ op: 'warm', ready, of: threads }, { timeoutMs: WARM_BUDGET_MS, threads, ...(signal ? { signal } : {}) })));
}

/** Stops the pool's threads now (tests; a command that wants to exit at once). */
export async function closeExtractPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.close();
}
