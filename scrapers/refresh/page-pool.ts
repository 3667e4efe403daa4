/**
 * Page reads (page-read.ts) on worker threads, one per core, so parsing pages no longer competes
 * with the main thread's fetching and database writes. Each page has a hard budget of CPU time (not
 * the wall clock: a busy machine does not fail ordinary pages, cpu-pool.ts): a page that keeps the
 * parser busy past it has its thread stopped and fails with PageTimeoutError — that item's
 * failure, recorded on the run — while the other pages go on. The pool is shared by every run in
 * the process; its threads start with the first page and exit when idle.
 */
import { availableParallelism } from 'node:os';
import { CpuPool } from '../../src/shared/cpu-pool.ts';
import type { PageInput, PageRead } from './page-read.ts';

export const DEFAULT_PAGE_TIMEOUT_MS = 10_000;

/** A page kept its parser busy past the budget; its item is failed with this reason, not retried. */
export class PageTimeoutError extends Error {
  override name = 'PageTimeoutError';
  readonly code = 'page-timeout';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`reading the page took longer than ${timeoutMs} ms of CPU time and was stopped (FACTDESK_PAGE_TIMEOUT_MS)`);
    this.timeoutMs = timeoutMs;
  }
}

/** Default page threads: one per core the process may use. */
export function defaultPageThreads(): number {
  return availableParallelism();
}

let pool: CpuPool<PageInput, PageRead> | null = null;

function getPool(threads: number): CpuPool<PageInput, PageRead> {
  if (pool && pool.threads >= threads) return pool;
  void pool?.close();
  pool = new CpuPool<PageInput, PageRead>({
    filename: new URL('./page-task.ts', import.meta.url).href,
    threads,
    timeoutError: (ms) => new PageTimeoutError(ms),
  });
  return pool;
}

export function readPageInWorker(input: PageInput, opts: { threads: number; timeoutMs: number }): Promise<PageRead> {
  return getPool(opts.threads).run(input, { timeoutMs: opts.timeoutMs });
}

/** Stops the pool's threads now (tests; a command that wants to exit at once). */
export async function closePagePool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.close();
}
