/**
 * One due feed: fetch (conditional GET) → parse → queue its items. Whatever goes wrong with the feed
 * (network, HTTP status, rate limit, a document that is not a feed) is recorded on the feed and the
 * run, and the run goes on; only the database's own errors escape.
 */
import { parseFeed, type FeedItem, type ParsedFeed } from '../feeds/parse.ts';
import type { FetchOk, FetchResult } from '../http/fetcher.ts';
import { markFeedFailed, markFeedFetched, markFeedNotModified, type Feed } from '../state.ts';
import type { RunContext } from './context.ts';
import { describeFailure } from './failure.ts';

/** Returns how many items the feed queued (0 when it was unchanged or failed). */
export async function refreshFeed(ctx: RunContext, feed: Feed): Promise<number> {
  try {
    const res = await fetchFeed(ctx, feed);
    const at = ctx.now();
    if (res.status === 'not-modified') {
      ctx.stats.feedsNotModified++;
      await markFeedNotModified(ctx.db, feed, at);
      return 0;
    }
    const { parsed, items } = await parseItems(ctx, feed, res);
    const queued = await markFeedFetched(ctx.db, feed, items, {
      title: parsed.title,
      siteUrl: parsed.siteUrl,
      format: parsed.format,
      etag: res.etag,
      lastModified: res.lastModified,
      ttlMinutes: parsed.ttlMinutes,
      maxAgeSeconds: res.cacheControlMaxAgeS,
      itemDates: parsed.items.map((i) => i.publishedAt),
    }, at);
    ctx.stats.feedsFetched++;
    ctx.stats.itemsQueued += queued;
    return queued;
  } catch (err) {
    await feedFailed(ctx, feed, err);
    return 0;
  }
}

/** Sends the validators of the last fetch, so an unchanged feed costs a 304 and no parsing. */
function fetchFeed(ctx: RunContext, feed: Feed): Promise<FetchResult> {
  return ctx.fetcher.fetch(feed.url, { kind: 'feed', etag: feed.etag, lastModified: feed.lastModified });
}

/** The feed's items worth queueing: each has a link or content (an item with neither has nothing to collect, and is no failure either). */
async function parseItems(ctx: RunContext, feed: Feed, res: FetchOk): Promise<{ parsed: ParsedFeed; items: FeedItem[] }> {
  const parsed = await parseFeed(res.text, res.url);
  for (const w of parsed.warnings.slice(0, 5)) ctx.log.debug(`feed ${feed.url}: ${w}`);
  // Items re-keyed or left out are worth a line in the run, not only a debug log.
  for (const n of parsed.notices) {
    ctx.log.warn(`feed ${feed.url}: ${n.message}`);
    await ctx.fail({ scope: 'feed', feedId: feed.id, url: feed.url, code: n.code, message: `${feed.url}: ${n.message}` });
  }
  const items = parsed.items.filter((it) => it.url || it.contentText?.trim());
  if (items.length < parsed.items.length) ctx.log.debug(`feed ${feed.url}: ${parsed.items.length - items.length} items without link or content skipped`);
  return { parsed, items };
}

async function feedFailed(ctx: RunContext, feed: Feed, err: unknown): Promise<void> {
  const d = describeFailure(err);
  ctx.stats.feedsFailed++;
  await markFeedFailed(ctx.db, feed, d.message, d.retryAfterMs, ctx.now());
  await ctx.fail({ scope: 'feed', feedId: feed.id, url: feed.url, code: d.code, message: d.message });
  ctx.log.debug(`feed failed: ${d.message}`);
}
