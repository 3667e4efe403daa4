/** What one refresh did, counted as it goes; saved on the run row and printed by the CLI. */
import type { SaveOutcome } from '../store.ts';

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

export function emptyStats(): RefreshStats {
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

/** Counts one stored article by what the store did with it and where its text came from. */
export function countSaved(stats: RefreshStats, outcome: SaveOutcome, textSource: 'page' | 'feed'): void {
  if (textSource === 'feed') stats.articlesFromFeedText++;
  if (outcome === 'new') stats.articlesNew++;
  else if (outcome === 'copy') stats.articlesCopies++;
  else if (outcome === 'revised') stats.articlesRevised++;
  else stats.articlesUnchanged++;
}
