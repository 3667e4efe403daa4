/**
 * The CPU work on one fetched page, the same wherever it runs — in a page worker thread
 * (page-pool.ts) or on the main thread when the pool is off: parse → metadata and main text → which
 * text becomes the article (the page's or the feed's) → that text's digest for storing. Plain data
 * in (the decoded HTML string, not the bytes: decoding is cheap and the fetcher already did it) and
 * plain data out, so crossing to a thread costs one structured clone each way.
 */
import { digestArticle, type ArticleDigest } from '../digest.ts';
import { extractArticle, type ExtractedArticle } from '../pages/index.ts';
import { chooseText, type ChosenText } from './article.ts';

export interface PageInput {
  html: string;
  /** The URL the page was fetched from, after redirects (resolves relative links and metadata). */
  url: string;
  feedTitle: string | null;
  /** The feed item's own text, for truncation flags and when the page has less to offer. */
  feedText: string | null;
}

export interface PageRead {
  page: ExtractedArticle;
  chosen: ChosenText;
  /** Null when there is no text to store. */
  digest: ArticleDigest | null;
}

export async function readPage(input: PageInput): Promise<PageRead> {
  const page = extractArticle(input.html, input.url, { feedTitle: input.feedTitle, feedContentText: input.feedText });
  const chosen = await chooseText(page, { contentText: input.feedText });
  const digest = chosen.text.trim() ? digestArticle(chosen.text, input.html) : null;
  return { page, chosen, digest };
}
