/**
 * Feed leases: overlapping runs (a slow cron run and the next one, or several `refresh` workers on
 * one libSQL server) never process the same feed twice. A run claims the feeds it will work on with
 * ONE conditional UPDATE — atomic in SQLite and libSQL, so two workers cannot both win a feed — and
 * releases them at the end. A lease left by a worker that died expires; a dead worker on this host
 * is noticed at once and its leases are freed (see markInterruptedRuns).
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
}

/**
 * Claims the feeds this run will work on: due ones (or all / the given ones) and any feed with
 * pages still owed from an earlier run, skipping feeds another live worker holds.
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
  return db
    .update(feeds)
    .set({ leaseOwner: worker, leaseExpiresAt: new Date(now.getTime() + LEASE_MS).toISOString() })
    .where(and(...conds))
    .returning();
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
