/**
 * Collect one queued item: its page (fetched once per run however many items link to it) → clean
 * text and metadata → one stored article; or the feed's own text when there is no page to read.
 * Every outcome ends in the item's state (done, skipped, failed, or pending for another try) and,
 * when it is not an article, in a failure line on the run with the reason.
 */
import { canonicalUrl } from '../dedup/canonical-url.ts';
import { feedTextKind } from '../pages/content-kind.ts';
import { isLastAttempt, markItemDone, markItemFailed, markItemSkipped, type QueuedItem } from '../state.ts';
import type { CollectedArticle } from '../store.ts';
import { feedHasArticle, feedWords, fromFeedText, fromPage, type ItemSource } from './article.ts';
import type { RunContext } from './context.ts';
import { describeFailure } from './failure.ts';
import { fetchPage } from './page-fetch.ts';
import { countSaved } from './stats.ts';

export async function collectItem(ctx: RunContext, item: QueuedItem, source: ItemSource): Promise<void> {
  const key = item.url ? canonicalUrl(item.url) : null;
  if (!item.url || !key) return collectFeedText(ctx, item, source);
  try {
    await collectPage(ctx, item, source, item.url, key);
  } catch (err) {
    await pageFailed(ctx, item, source, err);
  }
}

/** No page to fetch: the feed's own content is the article, if it has any and it is text. */
async function collectFeedText(ctx: RunContext, item: QueuedItem, source: ItemSource): Promise<void> {
  if (feedWords(item) === 0) {
    await markItemFailed(ctx.db, item.id, 'feed item has neither a link nor content', false);
    await ctx.fail({ scope: 'page', feedId: item.feedId, url: item.url, code: 'no-content', message: `item ${item.guid}: no link and no content` });
    return;
  }
  const kind = await feedTextKind(item.contentText!);
  if (!kind.html) {
    ctx.stats.pagesSkipped++;
    await markItemSkipped(ctx.db, item.id, `not an article: the feed's text is ${kind.reason}`);
    await ctx.fail({ scope: 'page', feedId: item.feedId, url: null, code: 'not-html', message: `skipped item ${item.guid}: the feed's text is ${kind.reason}` });
    return;
  }
  await save(ctx, item, fromFeedText(item, source, []));
}

async function collectPage(ctx: RunContext, item: QueuedItem, source: ItemSource, url: string, key: string): Promise<void> {
  const shared = ctx.pages.take(key, () => fetchPage(ctx, url, key));
  const { existing, res, kind } = await shared.result;
  // Request counters count requests: only the item whose fetch ran adds to them.
  if (res.status === 'not-modified' && existing) {
    if (shared.first) ctx.stats.pagesNotModified++;
    ctx.stats.articlesUnchanged++;
    await markItemDone(ctx.db, item.id, existing.id, ctx.now());
    return;
  }
  if (res.status === 'not-modified') throw new Error('server answered 304 to an unconditional request');
  if (shared.first) ctx.stats.pagesFetched++;
  if (!kind.html) return skipPage(ctx, item, source, res.url, kind.reason);
  const { page, chosen, digest } = await ctx.readPage({ html: res.text, url: res.url, feedTitle: source.feedTitle, feedText: item.contentText });
  if (!digest) {
    await markItemFailed(ctx.db, item.id, 'no article text found on the page or in the feed', false);
    await ctx.fail({ scope: 'page', feedId: item.feedId, url: res.url, code: 'no-content', message: `no article text found at ${res.url}` });
    ctx.stats.pagesFailed++;
    return;
  }
  await save(ctx, item, fromPage(item, source, key, res, page, chosen, digest));
}

/**
 * The link is not an HTML page. When the feed itself carries the text (see feedHasArticle), that
 * text is the publisher's article and is kept, flagged page-not-html and truncated (the full version
 * is in the file we do not read). Otherwise the item is skipped. Either way the run records the skip.
 */
async function skipPage(ctx: RunContext, item: QueuedItem, source: ItemSource, url: string, reason: string): Promise<void> {
  ctx.stats.pagesSkipped++;
  if (await feedHasArticle(item)) {
    await save(ctx, item, fromFeedText(item, source, ['page-not-html']));
    await ctx.fail({ scope: 'page', feedId: item.feedId, url, code: 'not-html', message: `${url} is ${reason}; kept the feed's text instead` });
    return;
  }
  await markItemSkipped(ctx.db, item.id, `not an article page: ${reason}`);
  await ctx.fail({ scope: 'page', feedId: item.feedId, url, code: 'not-html', message: `skipped ${url}: ${reason}` });
}

/** A page that could not be fetched: tried again on a later run, unless this was the last try. */
async function pageFailed(ctx: RunContext, item: QueuedItem, source: ItemSource, err: unknown): Promise<void> {
  const d = describeFailure(err);
  ctx.stats.pagesFailed++;
  await ctx.fail({ scope: 'page', feedId: item.feedId, url: item.url, code: d.code, message: d.message });
  // The page is gone or refused, but the feed told us something: keep that rather than nothing.
  if (isLastAttempt(item, d.retryable) && (await feedHasArticle(item))) {
    await save(ctx, item, fromFeedText(item, source, ['page-unavailable']));
  } else {
    await markItemFailed(ctx.db, item.id, d.message, d.retryable);
  }
}

/** All or nothing: the article (new, revision or unchanged), its copy-of links and the item marked done. */
async function save(ctx: RunContext, item: QueuedItem, article: CollectedArticle): Promise<void> {
  const { outcome } = await ctx.saveArticle(item.id, article, ctx.now());
  countSaved(ctx.stats, outcome, article.textSource);
}
