/**
 * The collector's durable work queue. A parsed feed's items and the feed's new validators are
 * written in ONE transaction: if the process dies later, the next run gets 304 for the feed but still
 * finds the items it owes in feed_items (status 'pending'), so nothing announced is ever lost.
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { feedItems, feeds } from '../db/schema.ts';
import type { FeedItem } from './feeds/parse.ts';

/** Items that failed for a retryable reason are tried again on later runs, up to this many attempts. */
export const MAX_ITEM_ATTEMPTS = 3;

export function itemHash(item: Pick<FeedItem, 'url' | 'title' | 'updatedAt'>): string {
  return createHash('sha256')
    .update(JSON.stringify([item.url, item.title, item.updatedAt]))
    .digest('hex')
    .slice(0, 32);
}

export type FeedUpdate = Partial<typeof feeds.$inferInsert>;

/**
 * Stores new and changed items as pending and applies the feed update, atomically.
 * Returns how many items were queued (new + changed).
 */
export async function queueItems(
  db: Db,
  feedId: number,
  items: FeedItem[],
  feedUpdate: FeedUpdate,
): Promise<{ queued: number; changed: number }> {
  return db.transaction(async (tx) => {
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
    let changed = 0;
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
        queued++;
      } else {
        await tx
          .update(feedItems)
          .set(values)
          .where(and(eq(feedItems.feedId, feedId), eq(feedItems.guid, it.guid)));
        changed++;
      }
      known.set(it.guid, hash);
    }
    await tx.update(feeds).set(feedUpdate).where(eq(feeds.id, feedId));
    return { queued: queued + changed, changed };
  });
}

/** Pending items (optionally of some feeds), oldest first. Retryable failures come back as pending. */
export async function pendingItems(db: Db, feedIds?: number[]) {
  const pending = and(eq(feedItems.status, 'pending'), lt(feedItems.attempts, MAX_ITEM_ATTEMPTS));
  const where = feedIds ? and(pending, inArray(feedItems.feedId, feedIds)) : pending;
  return db
    .select({ item: feedItems, feedTitle: feeds.title, feedUrl: feeds.url })
    .from(feedItems)
    .innerJoin(feeds, eq(feeds.id, feedItems.feedId))
    .where(where)
    .orderBy(feedItems.id);
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
