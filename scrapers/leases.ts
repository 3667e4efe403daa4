/**
 * Feed leases: overlapping runs (a slow cron run and the next one, or several `refresh` workers on
 * one libSQL server) never process the same feed twice, and share the due ones. A run claims a
 * bounded batch of feeds with ONE conditional UPDATE … WHERE id IN (SELECT … LIMIT n) — a single
 * statement is atomic in SQLite and libSQL, so two workers cannot both win a feed — works through
 * it, and claims the next batch, until no claimable feed is left; it releases them all at the end.
 * Small batches are what lets N workers split the work: one UPDATE that took every due feed left
 * the others idle. A lease left by a worker that died expires; a dead worker on this host is
 * noticed at once and its leases are freed (see markInterruptedRuns).
 */
import { and, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { feedItems, feeds, type Feed } from '../db/schema.ts';

/** Long enough for a big run; a crashed worker's feeds are back in the pool after this at the latest. */
export const LEASE_MS = 30 * 60_000;

export interface ClaimOptions {
  feedIds?: number[];
  /** Every feed, due or not. */
  all?: boolean;
  /** At most this many feeds (default: no limit). */
  limit?: number;
  /** Feeds this run already worked on: not claimed again even though it still holds their lease. */
  exclude?: Iterable<number>;
}

/**
 * How many feeds a worker takes per claim: enough to keep its page pipelines busy (a feed brings
 * several pages), few enough that the due feeds spread over every worker that is running.
 */
export function claimBatchSize(concurrency: number): number {
  return Math.max(1, Math.ceil(concurrency / 4));
}

/**
 * Claims feeds this run will work on: due ones (or all / the given ones) and any feed with pages
 * still owed from an earlier run, skipping feeds another live worker holds. Oldest id first.
 */
export async function claimFeeds(db: Db, worker: string, now: Date, opts: ClaimOptions = {}): Promise<Feed[]> {
  const nowIso = now.toISOString();
  const work: SQL[] = [];
  if (opts.feedIds || opts.all) work.push(sql`1 = 1`);
  else {
    work.push(or(isNull(feeds.nextFetchAt), lte(feeds.nextFetchAt, nowIso))!);
    work.push(sql`exists (select 1 from ${feedItems} i where i.feed_id = "feeds"."id" and i.status = 'pending')`);
  }
  const conds = [
    eq(feeds.disabled, false),
    or(...work)!,
    or(isNull(feeds.leaseExpiresAt), lte(feeds.leaseExpiresAt, nowIso), eq(feeds.leaseOwner, worker))!,
  ];
  if (opts.feedIds) conds.push(inArray(feeds.id, opts.feedIds));
  const exclude = [...(opts.exclude ?? [])];
  // One JSON parameter rather than one per id: a run over thousands of feeds stays far below
  // SQLite's bound-parameter limit.
  if (exclude.length) conds.push(sql`${feeds.id} not in (select value from json_each(${JSON.stringify(exclude)}))`);
  const where = and(...conds)!;
  const lease = { leaseOwner: worker, leaseExpiresAt: new Date(now.getTime() + LEASE_MS).toISOString() };
  if (opts.limit === undefined) return db.update(feeds).set(lease).where(where).returning();
  const rows = await db
    .update(feeds)
    .set(lease)
    // The same conditions inside and out: the subquery picks n candidates, the outer WHERE keeps
    // the UPDATE conditional on each row as it is written.
    .where(and(where, sql`${feeds.id} in (select ${feeds.id} from ${feeds} where ${where} order by ${feeds.id} limit ${Math.max(1, opts.limit)})`))
    .returning();
  return rows.sort((a, b) => a.id - b.id);
}

export async function releaseFeeds(db: Db, worker: string): Promise<void> {
  await db.update(feeds).set({ leaseOwner: null, leaseExpiresAt: null }).where(eq(feeds.leaseOwner, worker));
}

/** Frees the leases of workers known to be dead (their process is gone). */
export async function releaseLeasesOf(db: Db, workers: string[]): Promise<void> {
  if (workers.length === 0) return;
  await db.update(feeds).set({ leaseOwner: null, leaseExpiresAt: null }).where(inArray(feeds.leaseOwner, workers));
}

export function isDue(feed: Feed, now: Date): boolean {
  return feed.nextFetchAt === null || feed.nextFetchAt <= now.toISOString();
}
