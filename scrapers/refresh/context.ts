/** What every step of one refresh shares: where to read and write, the run's counters and record. */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Db } from '../../db/client.ts';
import type { Logger } from '../../src/shared/log.ts';
import type { Fetcher } from '../http/fetcher.ts';
import { articleWriter, type CollectedArticle, type SaveResult } from '../store.ts';
import { OncePerKey } from '../http/once-per-key.ts';
import type { PageFetch } from './page-fetch.ts';
import { readPageInWorker } from './page-pool.ts';
import { readPage, type PageInput, type PageRead } from './page-read.ts';
import { Progress, type RefreshProgress } from './progress.ts';
import type { Failure, RunLog } from './run-log.ts';
import { emptyStats, type RefreshStats } from './stats.ts';

export interface RunContext {
  db: Db;
  fetcher: Fetcher;
  log: Logger;
  now: () => Date;
  aborted: () => boolean;
  stats: RefreshStats;
  /** Records a failed feed or page on the run; the run goes on. */
  fail: (f: Failure) => Promise<void>;
  progress: Progress;
  /** Each canonical URL is fetched once per run; every item linking to it shares the result. */
  pages: OncePerKey<PageFetch>;
  /** Feeds fetched at once, and page pipelines at once (the fetcher still caps requests per host). */
  feedLimit: LimitFunction;
  pageLimit: LimitFunction;
  /** Parse → main text → chosen text → digest for one fetched page: on a worker thread, or here. */
  readPage: (input: PageInput) => Promise<PageRead>;
  /**
   * Stores one article and marks its item done, all or nothing. Articles that finish while others
   * are being written share the next transaction (articleWriter in scrapers/store.ts).
   */
  saveArticle: (itemId: number | null, a: CollectedArticle, now: Date) => Promise<SaveResult>;
}

export interface ContextOptions {
  db: Db;
  fetcher: Fetcher;
  log: Logger;
  now: () => Date;
  signal?: AbortSignal;
  concurrency: number;
  /** Worker threads for page reads; 0 reads pages on the main thread (no budget: nothing can stop it there). */
  pageThreads: number;
  /** One page read's budget on a worker thread. */
  pageTimeoutMs: number;
  onProgress?: (p: RefreshProgress) => void;
}

export function runContext(o: ContextOptions, run: RunLog): RunContext {
  const stats = emptyStats();
  return {
    db: o.db,
    fetcher: o.fetcher,
    log: o.log,
    now: o.now,
    aborted: () => o.signal?.aborted === true,
    stats,
    fail: (f) => run.fail(f),
    progress: new Progress(stats, o.onProgress),
    pages: new OncePerKey<PageFetch>(),
    feedLimit: pLimit(o.concurrency),
    pageLimit: pLimit(o.concurrency),
    readPage:
      o.pageThreads > 0
        ? (input) => readPageInWorker(input, { threads: o.pageThreads, timeoutMs: o.pageTimeoutMs })
        : readPage,
    saveArticle: articleWriter(o.db),
  };
}
