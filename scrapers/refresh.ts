/**
 * One collection run, read top to bottom: load due feeds (claimed with leases, so several workers
 * can share a database) → fetch each (conditional GET) → parse → queue its items → collect each item
 * (page → clean text + metadata → one transaction per article) → record the run.
 * A failing feed or page is recorded with its reason and the run goes on with the rest. The steps
 * live in scrapers/refresh/; every feed and item state change goes through scrapers/state.ts.
 */
import type { Db } from '../db/client.ts';
import { WORKER_ID } from '../db/queries/runs.ts';
import { silentLogger, type Logger } from '../src/shared/log.ts';
import type { Fetcher } from './http/fetcher.ts';
import { claimBatchSize, isDue } from './leases.ts';
import { forEachClaimedFeed } from './refresh/claims.ts';
import { runContext } from './refresh/context.ts';
import { refreshFeed } from './refresh/feed.ts';
import { collectQueued } from './refresh/items.ts';
import { DEFAULT_PAGE_TIMEOUT_MS, defaultPageThreads } from './refresh/page-pool.ts';
import type { RefreshProgress } from './refresh/progress.ts';
import { resumeAfterCrash, RunLog, type Failure } from './refresh/run-log.ts';
import type { RefreshStats } from './refresh/stats.ts';

export type { RefreshProgress, RefreshStats };

export interface RefreshOptions {
  db: Db;
  fetcher: Fetcher;
  /** Only these feeds (default: every due feed). */
  feedIds?: number[];
  /** Fetch feeds even when they are not due yet. */
  all?: boolean;
  /** Lease owner id (default host:pid); several workers may share one database. */
  worker?: string;
  /** Concurrent page pipelines; the fetcher still caps requests overall and per host. */
  concurrency?: number;
  /** Feeds claimed at a time (default from concurrency, see claimBatchSize). */
  batchSize?: number;
  /**
   * Worker threads that read pages (parse, main text, digest); default one per core, never more
   * than `concurrency`. 0 reads them on the main thread (bench:collect's single-threaded figure).
   */
  pageThreads?: number;
  /** One page read's budget on a worker thread (FACTDESK_PAGE_TIMEOUT_MS, default 10 s). */
  pageTimeoutMs?: number;
  log?: Logger;
  onProgress?: (p: RefreshProgress) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface RefreshReport {
  runId: number;
  status: 'finished' | 'interrupted';
  stats: RefreshStats;
  failures: Failure[];
}

export async function refresh(opts: RefreshOptions): Promise<RefreshReport> {
  const started = Date.now();
  const { db } = opts;
  const log = opts.log ?? silentLogger;
  const now = opts.now ?? (() => new Date());
  const worker = opts.worker ?? WORKER_ID;
  const concurrency = Math.max(1, opts.concurrency ?? 16);

  // Record: runs that died half-way leave their queued work to this one.
  await resumeAfterCrash(db, log);
  const run = await RunLog.start(db, worker);
  const pageThreads = Math.min(concurrency, Math.max(0, opts.pageThreads ?? defaultPageThreads()));
  const pageTimeoutMs = opts.pageTimeoutMs ?? DEFAULT_PAGE_TIMEOUT_MS;
  const ctx = runContext({ ...opts, log, now, concurrency, pageThreads, pageTimeoutMs }, run);

  // Load due feeds, a few at a time, and take each from its feed to its pages on its own.
  const batchSize = Math.max(1, opts.batchSize ?? claimBatchSize(concurrency));
  const claim = { feedIds: opts.feedIds, all: opts.all, worker, concurrency, batchSize, now, aborted: ctx.aborted };
  await forEachClaimedFeed(db, claim, async (feed, owes) => {
    // Fetch → parse → queue, for a due feed; a feed that is not due is here for pages an earlier run left.
    let queued = 0;
    if (opts.all || opts.feedIds || isDue(feed, now())) {
      ctx.stats.feedsDue++;
      await ctx.feedLimit(async () => {
        if (ctx.aborted()) return;
        queued = await refreshFeed(ctx, feed);
        ctx.progress.feedDone();
      });
    }
    // Collect each item the feed owes: from earlier runs, or queued just now.
    if (owes || queued > 0) await collectQueued(ctx, feed);
  });

  // Record what the run did.
  ctx.stats.durationMs = Date.now() - started;
  const status = ctx.aborted() ? 'interrupted' : 'finished';
  await run.finish(status, ctx.stats);
  return { runId: run.id, status, stats: ctx.stats, failures: run.failures };
}
