/**
 * What becomes the article: the page's text and metadata, or the feed's own text when the page has
 * none worth keeping (gone, not HTML, shorter than the feed, a teaser of what the feed carries).
 */
import { canonicalUrl, cleanUrl } from '../dedup/canonical-url.ts';
import type { FetchOk } from '../http/fetcher.ts';
import { feedTextKind } from '../pages/content-kind.ts';
import type { ArticleDigest } from '../digest.ts';
import { wordCount } from '../digest.ts';
import type { ExtractedArticle } from '../pages/index.ts';
import type { QueuedItem } from '../state.ts';
import type { CollectedArticle } from '../store.ts';

/** Page text shorter than this is treated as "no usable text" and the feed's content is preferred. */
export const MIN_PAGE_WORDS = 30;

/** Where an item came from: its feed's title (the outlet when the page names none) and URL. */
export interface ItemSource {
  feedTitle: string | null;
  feedUrl: string;
}

export function feedWords(item: Pick<QueuedItem, 'contentText'>): number {
  return item.contentText ? wordCount(item.contentText) : 0;
}

/** The feed carries an article of its own: at least MIN_PAGE_WORDS words, and text rather than a file. */
export async function feedHasArticle(item: QueuedItem): Promise<boolean> {
  return feedWords(item) >= MIN_PAGE_WORDS && (await feedTextKind(item.contentText!)).html;
}

export function fromFeedText(item: QueuedItem, source: ItemSource, flags: string[]): CollectedArticle {
  const key = item.url ? canonicalUrl(item.url) : null;
  return {
    keys: [key ?? `guid:${source.feedUrl}#${item.guid}`],
    url: item.url ? (cleanUrl(item.url) ?? item.url) : null,
    feedId: item.feedId,
    guid: item.guid,
    title: item.title,
    outlet: source.feedTitle,
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

export interface ChosenText {
  text: string;
  textSource: 'page' | 'feed';
  flags: string[];
}

/** The page's text, unless it has (almost) none or is cut off where the feed has the whole article. */
export async function chooseText(page: ExtractedArticle, item: Pick<QueuedItem, 'contentText'>): Promise<ChosenText> {
  const flags = [...page.flags];
  const inFeed = feedWords(item);
  const onPage = wordCount(page.text);
  if (onPage < MIN_PAGE_WORDS && inFeed > onPage && (await feedTextKind(item.contentText!)).html) {
    return { text: item.contentText ?? '', textSource: 'feed', flags: [...flags, 'feed-text-only'] };
  }
  if (page.truncated && inFeed >= onPage * 1.5 && (await feedTextKind(item.contentText!)).html) {
    // A paywalled or cut-off page whose feed carries the full text: the publisher gave us the
    // whole article in the feed, so keep that rather than the teaser (flags still say why).
    return { text: item.contentText ?? '', textSource: 'feed', flags: [...flags, 'text-from-feed'] };
  }
  return { text: page.text, textSource: 'page', flags };
}

/**
 * Identity is the URL we fetched (after redirects), not the page's rel=canonical: syndicated
 * reprints point their canonical at the original outlet, and trusting it would merge two
 * publications into one row. Reprints are linked by their text instead (copy-of).
 */
export function fromPage(item: QueuedItem, source: ItemSource, itemKey: string, res: FetchOk, page: ExtractedArticle, chosen: ChosenText, digest?: ArticleDigest): CollectedArticle {
  const keys = [...new Set([canonicalUrl(res.url), itemKey].filter((k): k is string => !!k))];
  return {
    keys,
    url: cleanUrl(res.url) ?? res.url,
    feedId: item.feedId,
    guid: item.guid,
    title: page.title ?? item.title,
    outlet: page.outlet ?? source.feedTitle,
    author: page.author ?? item.author,
    language: page.language,
    description: page.description,
    publishedAt: page.publishedAt ?? item.publishedAt,
    modifiedAt: page.modifiedAt ?? item.updatedAt,
    text: chosen.text,
    textSource: chosen.textSource,
    paywalled: page.paywalled,
    truncated: page.truncated,
    flags: [...new Set(chosen.flags)],
    etag: res.etag,
    lastModified: res.lastModified,
    rawHtml: res.text,
    digest,
  };
}
