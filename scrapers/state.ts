/**
 * Feed and item state, written here and nowhere else in the collector: what the last fetch of a feed
 * did (not modified / fetched / failed, and so when it is due again) and where each announced item
 * stands (queued, attempts, done, failed, skipped). The refresh steps say what happened; this module
 * says how that is stored. Lease columns belong to leases.ts, article rows to store.ts (which marks
 * an item done through markItemDone, inside the article's own transaction).
 *
 * Crash safety rests on one rule: a parsed feed's items and the feed's new validators are written in
 * ONE transaction. If the process dies later, the next run gets 304 for the feed but still finds the
 * items it owes in feed_items (status 'pending'), so nothing announced is ever lost.
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { feedItems, feeds, type Feed, type FeedItemRow } from '../db/schema.ts';
import type { FeedFormat, FeedItem } from './feeds/parse.ts';
import { nextFetchAfterError, nextFetchAfterSuccess } from './schedule.ts';

export type { Feed };
/** An item the feed announced and the run still owes a page for. */
export type QueuedItem = FeedItemRow;

/** Items that failed for a retryable reason are tried again on later runs, up to this many attempts. */
export const MAX_ITEM_ATTEMPTS = 3;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

// ---- feeds -------------------------------------------------------------------------------------

/** The feed answered 304: nothing new, the feed is healthy, and it is due again on its usual interval. */
export async function markFeedNotModified(db: Db, feed: Feed, at: Date): Promise<void> {
  await db
    .update(feeds)
    .set({
      lastFetchedAt: at.toISOString(),
      lastSuccessAt: at.toISOString(),
      errorCount: 0,
      lastError: null,
      nextFetchAt: nextFetchAfterSuccess(at, { ttlMinutes: feed.ttlMinutes }),
    })
    .where(eq(feeds.id, feed.id));
}

/** What a successful fetch and parse learned about the feed. */
export interface FeedFetched {
  title: string | null;
  siteUrl: string | null;
  format: FeedFormat;
  etag: string | null;
  lastModified: string | null;
  ttlMinutes: number | null;
  /** Cache-Control max-age of the response, a lower bound for the next poll. */
  maxAgeSeconds: number | null;
  /** Every parsed item's date (also those not queued): how often the feed publishes. */
  itemDates: (string | null)[];
}

/**
 * The feed was fetched and parsed: queues its new and changed items and stores its new validators
 * and schedule, atomically (see the module comment). Returns how many items were queued.
 */
export async function markFeedFetched(db: Db, feed: Feed, items: FeedItem[], f: FeedFetched, at: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const queued = await queueItems(tx, feed.id, items);
    await tx
      .update(feeds)
      .set({
        // A title or site the user gave the feed wins over what the feed calls itself.
        title: feed.title ?? f.title,
        siteUrl: feed.siteUrl ?? f.siteUrl,
        format: f.format,
        etag: f.etag,
        lastModified: f.lastModified,
        ttlMinutes: f.ttlMinutes,
        lastFetchedAt: at.toISOString(),
        lastSuccessAt: at.toISOString(),
        errorCount: 0,
        lastError: null,
        lastErrorAt: null,
        nextFetchAt: nextFetchAfterSuccess(at, { ttlMinutes: f.ttlMinutes, maxAgeSeconds: f.maxAgeSeconds, itemDates: f.itemDates }),
      })
      .where(eq(feeds.id, feed.id));
    return queued;
  });
}

/** The feed could not be fetched or parsed: one more error, and a back-off (or the server's Retry-After). */
export async function markFeedFailed(db: Db, feed: Feed, message: string, retryAfterMs: number | undefined, at: Date): Promise<void> {
  const errorCount = feed.errorCount + 1;
  await db
    .update(feeds)
    .set({
      lastFetchedAt: at.toISOString(),
      errorCount,
      lastError: message,
      lastErrorAt: at.toISOString(),
      nextFetchAt: nextFetchAfterError(at, errorCount, retryAfterMs),
    })
    .where(eq(feeds.id, feed.id));
}

// ---- items -------------------------------------------------------------------------------------

export function itemHash(item: Pick<FeedItem, 'url' | 'title' | 'updatedAt'>): string {
  return createHash('sha256')
    .update(JSON.stringify([item.url, item.title, item.updatedAt]))
    .digest('hex')
    .slice(0, 32);
}

/** Stores new and changed items as pending (attempts back to 0). Returns how many (new + changed). */
async function queueItems(tx: Tx, feedId: number, items: FeedItem[]): Promise<number> {
  const known = new Map<string, string>();
  // Look up in chunks to stay below SQLite's bound-parameter limit on huge feeds.
  for (let i = 0; i < items.length; i += 400) {
    const guids = items.slice(i, i + 400).map((it) => it.guid);
    const rows = await tx
      .select({ guid: feedItems.guid, itemHash: feedItems.itemHash })
      .from(feedItems)
      .where(and(eq(feedItems.feedId, feedId), inArray(feedItems.guid, guids)));
    for (const r of rows) known.set(r.guid, r.itemHash);
  }
  let queued = 0;
  for (const it of items) {
    const hash = itemHash(it);
    const prev = known.get(it.guid);
    if (prev === hash) continue;
    const values = {
      url: it.url,
      title: it.title,
      author: it.author,
      publishedAt: it.publishedAt,
      updatedAt: it.updatedAt,
      contentText: it.contentText,
      itemHash: hash,
      status: 'pending',
      attempts: 0,
      lastError: null,
    };
    if (prev === undefined) {
      await tx.insert(feedItems).values({ feedId, guid: it.guid, ...values }).onConflictDoNothing();
    } else {
      await tx
        .update(feedItems)
        .set(values)
        .where(and(eq(feedItems.feedId, feedId), eq(feedItems.guid, it.guid)));
    }
    queued++;
    known.set(it.guid, hash);
  }
  return queued;
}

/** Pending items of a feed, oldest first, with the feed's title and URL. Retryable failures come back as pending. */
export async function pendingItems(db: Db, feedId: number): Promise<{ item: QueuedItem; feedTitle: string | null; feedUrl: string }[]> {
  return db
    .select({ item: feedItems, feedTitle: feeds.title, feedUrl: feeds.url })
    .from(feedItems)
    .innerJoin(feeds, eq(feeds.id, feedItems.feedId))
    .where(and(eq(feedItems.status, 'pending'), lt(feedItems.attempts, MAX_ITEM_ATTEMPTS), eq(feedItems.feedId, feedId)))
    .orderBy(feedItems.id);
}

/**
 * Of these feeds, the ones with items still owed (pending and not out of attempts), in one query for
 * a claimed batch: a feed that owes nothing and queued nothing this run (its feed unchanged, 304)
 * needs no pendingItems query of its own — on a round of 1,000 unchanged feeds that was a select
 * per feed. The feeds are leased to the caller, so no one else queues items for them meanwhile.
 */
export async function feedsOwingItems(db: Db, feedIds: number[]): Promise<Set<number>> {
  if (feedIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ feedId: feedItems.feedId })
    .from(feedItems)
    .where(and(eq(feedItems.status, 'pending'), lt(feedItems.attempts, MAX_ITEM_ATTEMPTS), inArray(feedItems.feedId, feedIds)));
  return new Set(rows.map((r) => r.feedId));
}

/** Whether a failure now is the item's last try: a permanent error, or the attempts are used up. */
export function isLastAttempt(item: QueuedItem, retryable: boolean): boolean {
  return !retryable || item.attempts + 1 >= MAX_ITEM_ATTEMPTS;
}

/**
 * The item has its article. Takes a transaction too: store.ts marks the item in the same transaction
 * that writes the article, so a crash never leaves an article whose item is still owed (or the reverse).
 */
export async function markItemDone(db: Db | Tx, itemId: number, articleId: number, at: Date): Promise<void> {
  await db
    .update(feedItems)
    .set({ status: 'done', articleId, lastError: null, processedAt: at.toISOString() })
    .where(eq(feedItems.id, itemId));
}

/**
 * A failed page fetch. Retryable errors keep the item pending (attempts + 1) for the next run;
 * permanent ones (404, robots, blocked address) or exhausted attempts mark it failed.
 */
export async function markItemFailed(db: Db, itemId: number, message: string, retryable: boolean): Promise<void> {
  await db
    .update(feedItems)
    .set({
      attempts: sql`${feedItems.attempts} + 1`,
      lastError: message.slice(0, 1000),
      status: retryable
        ? sql`case when ${feedItems.attempts} + 1 >= ${MAX_ITEM_ATTEMPTS} then 'failed' else 'pending' end`
        : 'failed',
      processedAt: new Date().toISOString(),
    })
    .where(eq(feedItems.id, itemId));
}

/**
 * An item whose link is not an article page (a PDF, an image, a zip…): done with, never retried,
 * and the reason kept on the item so `status` and the run's failures can say why there is no article.
 */
export async function markItemSkipped(db: Db, itemId: number, reason: string): Promise<void> {
  await db
    .update(feedItems)
    .set({
      attempts: sql`${feedItems.attempts} + 1`,
      lastError: reason.slice(0, 1000),
      status: 'skipped',
      processedAt: new Date().toISOString(),
    })
    .where(eq(feedItems.id, itemId));
}
