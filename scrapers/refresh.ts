/**
 * One collection run, read top to bottom: due feeds → fetch (conditional) → parse → queue items →
 * fetch each queued page → clean text + metadata → store (one transaction per article).
 * A failing feed or page is recorded with its reason and the run goes on with the rest.
 */
import { eq } from 'drizzle-orm';
import pLimit from 'p-limit';
import type { Db } from '../db/client.ts';
import { feedItems, feeds, type Feed, type FeedItemRow } from '../db/schema.ts';
import { finishRun, markInterruptedRuns, recordFailure, startRun, WORKER_ID, type Failure } from '../db/queries/runs.ts';
import { claimBatchSize, claimFeeds, isDue, releaseFeeds, releaseLeasesOf } from './leases.ts';
import { silentLogger, type Logger } from '../src/shared/log.ts';
import { FetchError } from './http/errors.ts';
import type { Fetcher, FetchResult } from './http/fetcher.ts';
import { FeedParseError, parseFeed } from './feeds/parse.ts';
import { canonicalUrl, cleanUrl } from './dedup/canonical-url.ts';
import { extractArticle } from './pages/index.ts';
import { classifyPage, feedTextKind, mayBeHtml, type PageKind } from './pages/content-kind.ts';
import { OncePerKey } from './http/once-per-key.ts';
import { markItemFailed, markItemSkipped, pendingItems, queueItems } from './queue.ts';
import { findArticleByKeys, saveArticle, wordCount, type CollectedArticle, type SaveOutcome } from './store.ts';
import { nextFetchAfterError, nextFetchAfterSuccess } from './schedule.ts';

/** Page text shorter than this is treated as "no usable text" and the feed's content is preferred. */
const MIN_PAGE_WORDS = 30;

/** One page request of a run, shared by every item that links to the same canonical URL. */
interface PageFetch {
  existing: Awaited<ReturnType<typeof findArticleByKeys>>;
  res: FetchResult;
  kind: PageKind;
}

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
  log?: Logger;
  onProgress?: (p: RefreshProgress) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface RefreshProgress {
  phase: 'feeds' | 'pages';
  done: number;
  total: number;
}

export interface RefreshStats {
  feedsDue: number;
  feedsFetched: number;
  feedsNotModified: number;
  feedsFailed: number;
  itemsQueued: number;
  pagesFetched: number;
  pagesNotModified: number;
  pagesFailed: number;
  /** Links that are not HTML pages (PDF, image, zip…): recorded with the reason, never an article. */
  pagesSkipped: number;
  articlesNew: number;
  articlesCopies: number;
  articlesRevised: number;
  articlesUnchanged: number;
  articlesFromFeedText: number;
  durationMs: number;
}

export interface RefreshReport {
  runId: number;
  status: 'finished' | 'interrupted';
  stats: RefreshStats;
  failures: Failure[];
}

function emptyStats(): RefreshStats {
  return {
    feedsDue: 0,
    feedsFetched: 0,
    feedsNotModified: 0,
    feedsFailed: 0,
    itemsQueued: 0,
    pagesFetched: 0,
    pagesNotModified: 0,
    pagesFailed: 0,
    pagesSkipped: 0,
    articlesNew: 0,
    articlesCopies: 0,
    articlesRevised: 0,
    articlesUnchanged: 0,
    articlesFromFeedText: 0,
    durationMs: 0,
  };
}

/** Maps any thrown value to a recorded failure: a stable code plus a readable reason. */
function describe(err: unknown): { code: string; message: string; retryable: boolean; retryAfterMs?: number } {
  if (err instanceof FetchError) {
    return { code: err.code, message: err.message, retryable: err.retryable, retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof FeedParseError) return { code: 'parse', message: err.message, retryable: false };
  const e = err as Error;
  return { code: 'internal', message: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`, retryable: true };
}

export async function refresh(opts: RefreshOptions): Promise<RefreshReport> {
  const { db, fetcher } = opts;
  const log = opts.log ?? silentLogger;
  const now = opts.now ?? (() => new Date());
  const started = Date.now();
  const stats = emptyStats();
  const failures: Failure[] = [];

  const worker = opts.worker ?? WORKER_ID;
  const dead = await markInterruptedRuns(db);
  if (dead.length) {
    log.warn(`${dead.length} earlier run(s) ended without finishing; resuming their queued work`);
    await releaseLeasesOf(db, dead);
  }
  const run = await startRun(db, 'refresh', worker);

  const fail = async (f: Failure) => {
    failures.push(f);
    await recordFailure(db, run.id, f);
  };
  const aborted = () => opts.signal?.aborted === true;

  // Claim a few feeds at a time and come back for more as they are done, so N workers on one
  // database split the due feeds instead of the first one taking them all. A worker holds at most
  // about `concurrency` feeds; each goes feed → its pages on its own, so no batch waits for its
  // slowest feed. Feeds stay leased to this run until it ends and are never claimed twice by it.
  const concurrency = Math.max(1, opts.concurrency ?? 16);
  const batchSize = Math.max(1, opts.batchSize ?? claimBatchSize(concurrency));
  const window = Math.max(batchSize, concurrency);
  const feedLimit = pLimit(concurrency);
  const pageLimit = pLimit(concurrency);
  const worked = new Set<number>();
  const inFlight = new Set<Promise<void>>();
  let broken: { err: unknown } | undefined;
  let feedsDone = 0;
  let pagesDone = 0;
  let pagesTotal = 0;
  const pageFetches = new OncePerKey<PageFetch>();
  try {
    while (!aborted() && !broken) {
      const claimed = await claimFeeds(db, worker, now(), { ...opts, limit: batchSize, exclude: worked });
      if (claimed.length === 0) break;
      for (const feed of claimed) {
        worked.add(feed.id);
        // A failure here is the database itself (feed and page failures are recorded, not thrown):
        // stop claiming, let the feeds in flight settle, then end the run with it.
        const p: Promise<void> = collectFeed(feed)
          .catch((err: unknown) => void (broken ??= { err }))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      while (inFlight.size > window - batchSize) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (broken) throw broken.err;

    async function collectFeed(feed: Feed): Promise<void> {
      // 1. Feed → queued items (a feed that is not due is here for pages an earlier run left).
      if (opts.all || opts.feedIds || isDue(feed, now())) {
        stats.feedsDue++;
        await feedLimit(async () => {
          if (aborted()) return;
          await refreshFeed(feed);
          opts.onProgress?.({ phase: 'feeds', done: ++feedsDone, total: stats.feedsDue });
        });
      }
      // 2. Queued items → articles. Includes items left pending by earlier (crashed) runs.
      const items = aborted() ? [] : await pendingItems(db, [feed.id]);
      pagesTotal += items.length;
      // Many items may link to one page (a feed listing its home page 50 times, or two feeds sharing a
      // story): each canonical URL is fetched once per run and its items share the result.
      pageFetches.expect(items.flatMap(({ item }) => (item.url && canonicalUrl(item.url) ? [canonicalUrl(item.url)!] : [])));
      await Promise.all(
        items.map(({ item, feedTitle, feedUrl }) =>
          pageLimit(async () => {
            if (aborted()) return;
            await collectItem(item, feedTitle, feedUrl);
            opts.onProgress?.({ phase: 'pages', done: ++pagesDone, total: pagesTotal });
          }),
        ),
      );
    }

    async function refreshFeed(feed: Feed): Promise<void> {
      try {
        const res = await fetcher.fetch(feed.url, { kind: 'feed', etag: feed.etag, lastModified: feed.lastModified });
        const at = now();
        if (res.status === 'not-modified') {
          stats.feedsNotModified++;
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
          return;
        }
        const parsed = await parseFeed(res.text, res.url);
        for (const w of parsed.warnings.slice(0, 5)) log.debug(`feed ${feed.url}: ${w}`);
        // Items re-keyed or left out are worth a line in the run, not only a debug log.
        for (const n of parsed.notices) {
          log.warn(`feed ${feed.url}: ${n.message}`);
          await fail({ scope: 'feed', feedId: feed.id, url: feed.url, code: n.code, message: `${feed.url}: ${n.message}` });
        }
        // An item with neither a link nor content has nothing to collect; it is not a failure either.
        const usable = parsed.items.filter((it) => it.url || it.contentText?.trim());
        if (usable.length < parsed.items.length) log.debug(`feed ${feed.url}: ${parsed.items.length - usable.length} items without link or content skipped`);
        const { queued } = await queueItems(db, feed.id, usable, {
          title: feed.title ?? parsed.title,
          siteUrl: feed.siteUrl ?? parsed.siteUrl,
          format: parsed.format,
          etag: res.etag,
          lastModified: res.lastModified,
          ttlMinutes: parsed.ttlMinutes,
          lastFetchedAt: at.toISOString(),
          lastSuccessAt: at.toISOString(),
          errorCount: 0,
          lastError: null,
          lastErrorAt: null,
          nextFetchAt: nextFetchAfterSuccess(at, {
            ttlMinutes: parsed.ttlMinutes,
            maxAgeSeconds: res.cacheControlMaxAgeS,
            itemDates: parsed.items.map((i) => i.publishedAt),
          }),
        });
        stats.feedsFetched++;
        stats.itemsQueued += queued;
      } catch (err) {
        const d = describe(err);
        stats.feedsFailed++;
        const at = now();
        const errorCount = feed.errorCount + 1;
        await db
          .update(feeds)
          .set({
            lastFetchedAt: at.toISOString(),
            errorCount,
            lastError: d.message,
            lastErrorAt: at.toISOString(),
            nextFetchAt: nextFetchAfterError(at, errorCount, d.retryAfterMs),
          })
          .where(eq(feeds.id, feed.id));
        await fail({ scope: 'feed', feedId: feed.id, url: feed.url, code: d.code, message: d.message });
        log.debug(`feed failed: ${d.message}`);
      }
    }

    function count(outcome: SaveOutcome) {
      if (outcome === 'new') stats.articlesNew++;
      else if (outcome === 'copy') stats.articlesCopies++;
      else if (outcome === 'revised') stats.articlesRevised++;
      else stats.articlesUnchanged++;
    }

    function fromFeedText(item: FeedItemRow, feedTitle: string | null, feedUrl: string, flags: string[]): CollectedArticle {
      const key = item.url ? canonicalUrl(item.url) : null;
      return {
        keys: [key ?? `guid:${feedUrl}#${item.guid}`],
        url: item.url ? (cleanUrl(item.url) ?? item.url) : null,
        feedId: item.feedId,
        guid: item.guid,
        title: item.title,
        outlet: feedTitle,
        author: item.author,
        language: null,
        description: null,
        publishedAt: item.publishedAt,
        modifiedAt: item.updatedAt,
        text: item.contentText ?? '',
        textSource: 'feed',
        paywalled: false,
        // The full text lives on a page we could not read (gone, or a PDF); the feed's may be a summary.
        truncated: flags.includes('page-unavailable') || flags.includes('page-not-html'),
        flags: ['feed-text-only', ...flags],
        etag: null,
        lastModified: null,
        rawHtml: null,
      };
    }

    /**
     * The link is not an HTML page. When the feed itself carries the text (content:encoded of at
     * least MIN_PAGE_WORDS words, and text rather than a file), that text is the publisher's article
     * and is kept, flagged page-not-html and truncated (the full version is in the file we do not
     * read). Otherwise the item is skipped. Either way the run records the skip with its reason.
     */
    async function skipPage(item: FeedItemRow, feedTitle: string | null, feedUrl: string, url: string, reason: string): Promise<void> {
      stats.pagesSkipped++;
      const feedWords = item.contentText ? wordCount(item.contentText) : 0;
      if (feedWords >= MIN_PAGE_WORDS && (await feedTextKind(item.contentText!)).html) {
        const { outcome } = await saveArticle(db, item.id, fromFeedText(item, feedTitle, feedUrl, ['page-not-html']), now());
        stats.articlesFromFeedText++;
        count(outcome);
        await fail({ scope: 'page', feedId: item.feedId, url, code: 'not-html', message: `${url} is ${reason}; kept the feed's text instead` });
        return;
      }
      await markItemSkipped(db, item.id, `not an article page: ${reason}`);
      await fail({ scope: 'page', feedId: item.feedId, url, code: 'not-html', message: `skipped ${url}: ${reason}` });
    }

    async function collectItem(item: FeedItemRow, feedTitle: string | null, feedUrl: string): Promise<void> {
      const feedWords = item.contentText ? wordCount(item.contentText) : 0;
      const itemKey = item.url ? canonicalUrl(item.url) : null;
      // No page to fetch: the feed's own content is the article.
      if (!item.url || !itemKey) {
        if (feedWords === 0) {
          await markItemFailed(db, item.id, 'feed item has neither a link nor content', false);
          await fail({ scope: 'page', feedId: item.feedId, url: item.url, code: 'no-content', message: `item ${item.guid}: no link and no content` });
          return;
        }
        const kind = await feedTextKind(item.contentText!);
        if (!kind.html) {
          stats.pagesSkipped++;
          await markItemSkipped(db, item.id, `not an article: the feed's text is ${kind.reason}`);
          await fail({ scope: 'page', feedId: item.feedId, url: null, code: 'not-html', message: `skipped item ${item.guid}: the feed's text is ${kind.reason}` });
          return;
        }
        const { outcome } = await saveArticle(db, item.id, fromFeedText(item, feedTitle, feedUrl, []), now());
        stats.articlesFromFeedText++;
        count(outcome);
        return;
      }
      try {
        const url = item.url;
        const shared = pageFetches.take(itemKey, async () => {
          const existing = await findArticleByKeys(db, [itemKey]);
          const res = await fetcher.fetch(url, {
            kind: 'page',
            wantsBody: mayBeHtml,
            etag: existing?.etag ?? null,
            lastModified: existing?.lastModified ?? null,
          });
          const kind: PageKind = res.status === 'ok' ? await classifyPage(res.contentType, res.body) : { html: true };
          return { existing, res, kind };
        });
        const { existing, res, kind } = await shared.result;
        // Request counters count requests: only the item whose fetch ran adds to them.
        if (res.status === 'not-modified' && existing) {
          if (shared.first) stats.pagesNotModified++;
          stats.articlesUnchanged++;
          await db
            .update(feedItems)
            .set({ status: 'done', articleId: existing.id, lastError: null, processedAt: now().toISOString() })
            .where(eq(feedItems.id, item.id));
          return;
        }
        if (res.status === 'not-modified') throw new Error('server answered 304 to an unconditional request');
        if (shared.first) stats.pagesFetched++;
        if (!kind.html) {
          await skipPage(item, feedTitle, feedUrl, res.url, kind.reason);
          return;
        }
        const page = extractArticle(res.text, res.url, { feedTitle, feedContentText: item.contentText });
        let text = page.text;
        let textSource: 'page' | 'feed' = 'page';
        const flags = [...page.flags];
        const pageWords = wordCount(text);
        if (pageWords < MIN_PAGE_WORDS && feedWords > pageWords && (await feedTextKind(item.contentText!)).html) {
          text = item.contentText ?? '';
          textSource = 'feed';
          flags.push('feed-text-only');
        } else if (page.truncated && feedWords >= pageWords * 1.5 && (await feedTextKind(item.contentText!)).html) {
          // A paywalled or cut-off page whose feed carries the full text: the publisher gave us the
          // whole article in the feed, so keep that rather than the teaser (flags still say why).
          text = item.contentText ?? '';
          textSource = 'feed';
          flags.push('text-from-feed');
        }
        if (!text.trim()) {
          await markItemFailed(db, item.id, 'no article text found on the page or in the feed', false);
          await fail({ scope: 'page', feedId: item.feedId, url: res.url, code: 'no-content', message: `no article text found at ${res.url}` });
          stats.pagesFailed++;
          return;
        }
        // Identity is the URL we fetched (after redirects), not the page's rel=canonical: syndicated
        // reprints point their canonical at the original outlet, and trusting it would merge two
        // publications into one row. Reprints are linked by their text instead (copy-of).
        const keys = [...new Set([canonicalUrl(res.url), itemKey].filter((k): k is string => !!k))];
        const { outcome } = await saveArticle(
          db,
          item.id,
          {
            keys,
            url: cleanUrl(res.url) ?? res.url,
            feedId: item.feedId,
            guid: item.guid,
            title: page.title ?? item.title,
            outlet: page.outlet ?? feedTitle,
            author: page.author ?? item.author,
            language: page.language,
            description: page.description,
            publishedAt: page.publishedAt ?? item.publishedAt,
            modifiedAt: page.modifiedAt ?? item.updatedAt,
            text,
            textSource,
            paywalled: page.paywalled,
            truncated: page.truncated,
            flags: [...new Set(flags)],
            etag: res.etag,
            lastModified: res.lastModified,
            rawHtml: res.text,
          },
          now(),
        );
        if (textSource === 'feed') stats.articlesFromFeedText++;
        count(outcome);
      } catch (err) {
        const d = describe(err);
        stats.pagesFailed++;
        await fail({ scope: 'page', feedId: item.feedId, url: item.url, code: d.code, message: d.message });
        const lastTry = !d.retryable || item.attempts + 1 >= 3;
        // The page is gone or refused, but the feed told us something: keep that rather than nothing.
        if (lastTry && feedWords >= MIN_PAGE_WORDS && (await feedTextKind(item.contentText!)).html) {
          const { outcome } = await saveArticle(db, item.id, fromFeedText(item, feedTitle, feedUrl, ['page-unavailable']), now());
          stats.articlesFromFeedText++;
          count(outcome);
        } else {
          await markItemFailed(db, item.id, d.message, d.retryable);
        }
      }
    }
  } finally {
    await releaseFeeds(db, worker);
  }
  stats.durationMs = Date.now() - started;
  const status = aborted() ? 'interrupted' : 'finished';
  await finishRun(db, run.id, status, { ...stats, failures: failures.length });
  return { runId: run.id, status, stats, failures };
}
