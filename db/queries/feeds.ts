/** Feed list queries shared by the CLI (feeds add/import/list/remove) and the collector. */
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { feeds, type Feed } from '../schema.ts';

export class FeedUrlError extends Error {
  override name = 'FeedUrlError';
}

/** Feed URLs are kept as given (query strings often select the feed), only syntax-normalised. */
export function normaliseFeedUrl(input: string): string {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    // "example.com/feed.xml": a URL without its scheme is the common slip; say what to type.
    const hostLike = /^[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:\/\S*)?$/.test(input.trim());
    throw new FeedUrlError(
      `not a URL: ${JSON.stringify(input)}${hostLike ? ` (did you mean https://${input.trim()}?)` : ' (a feed URL starts with http:// or https://)'}`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new FeedUrlError(`only http(s) feeds are supported, got ${u.protocol} in ${input}`);
  }
  u.hash = '';
  return u.href;
}

export interface NewFeed {
  url: string;
  title?: string | null;
  siteUrl?: string | null;
  category?: string | null;
}

/** Adds feeds, ignoring ones already present (by URL). Returns how many were new. */
export async function addFeeds(db: Db, list: NewFeed[]): Promise<{ added: Feed[]; existing: number }> {
  const added: Feed[] = [];
  let existing = 0;
  await db.transaction(async (tx) => {
    for (const f of list) {
      const url = normaliseFeedUrl(f.url);
      const rows = await tx
        .insert(feeds)
        .values({ url, title: f.title ?? null, siteUrl: f.siteUrl ?? null, category: f.category ?? null })
        .onConflictDoNothing({ target: feeds.url })
        .returning();
      if (rows[0]) added.push(rows[0]);
      else existing++;
    }
  });
  return { added, existing };
}

export interface FeedListRow extends Feed {
  articleCount: number;
  pendingItems: number;
}

export async function listFeeds(db: Db): Promise<FeedListRow[]> {
  const rows = await db
    .select({
      feed: feeds,
      // Written out: drizzle renders columns unqualified inside sql``, and in a correlated subquery
      // an unqualified "id" would bind to the inner table.
      articleCount: sql<number>`(select count(*) from articles a where a.feed_id = "feeds"."id")`,
      pendingItems: sql<number>`(select count(*) from feed_items i where i.feed_id = "feeds"."id" and i.status = 'pending')`,
    })
    .from(feeds)
    .orderBy(asc(feeds.id));
  return rows.map((r) => ({ ...r.feed, articleCount: Number(r.articleCount), pendingItems: Number(r.pendingItems) }));
}

/** Finds a feed by numeric id or by URL. */
export async function findFeed(db: Db, idOrUrl: string): Promise<Feed | undefined> {
  if (/^\d+$/.test(idOrUrl)) {
    return (await db.select().from(feeds).where(eq(feeds.id, Number(idOrUrl))))[0];
  }
  let url: string;
  try {
    url = normaliseFeedUrl(idOrUrl);
  } catch {
    return undefined;
  }
  return (await db.select().from(feeds).where(eq(feeds.url, url)))[0];
}

/** Removes a feed and its item queue. Articles stay (they are evidence), detached from the feed. */
export async function removeFeed(db: Db, id: number): Promise<boolean> {
  const rows = await db.delete(feeds).where(eq(feeds.id, id)).returning({ id: feeds.id });
  return rows.length > 0;
}
