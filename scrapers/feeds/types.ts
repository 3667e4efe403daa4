/** Shapes shared by the feed parsers (scrapers/feeds/*). Public ones are re-exported by parse.ts. */

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json';

export interface FeedItem {
  /** guid (RSS), id (Atom, JSON Feed), else the item URL, else "hash:" + sha256 of title and date. Unique within a feed. */
  guid: string;
  /** Absolute http(s) link to the article (xml:base and the feed URL applied), or null. */
  url: string | null;
  /** Plain text (HTML entities decoded, tags stripped, whitespace collapsed). */
  title: string | null;
  author: string | null;
  /** ISO 8601 UTC. Atom entries without <published> fall back to <updated>. */
  publishedAt: string | null;
  updatedAt: string | null;
  /** The fullest body the feed carries: content:encoded > description (RSS), content > summary (Atom), content_html (JSON). */
  contentHtml: string | null;
  /** Plain text of the content (script/style removed, whitespace collapsed); falls back to the summary. */
  contentText: string | null;
  /** Plain text of the feed's short description (RSS description, Atom summary, JSON summary). */
  summary: string | null;
  categories: string[];
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  /** Absolute http(s) URL of the site the feed belongs to. */
  siteUrl: string | null;
  description: string | null;
  language: string | null;
  /** RSS <ttl>: minutes the feed may be cached. */
  ttlMinutes: number | null;
  items: FeedItem[];
  /** Problems that did not stop parsing (dropped items, bad dates, duplicate guids, cap reached…). */
  warnings: string[];
  /**
   * The warnings an operator should see, because items were re-keyed or left out: a guid reused for
   * different links, more items than maxItems. The refresh records each one on its run.
   */
  notices: FeedNotice[];
}

export interface FeedNotice {
  code: 'duplicate-guid' | 'too-many-items';
  message: string;
}

/**
 * The document is not a feed, or not parseable at all (broken XML, invalid JSON, entity
 * declarations). The refresh records it on the feed and moves on; retrying later is pointless
 * until the publisher fixes the feed. Everything less severe is a warning instead.
 */
export class FeedParseError extends Error {
  override name = 'FeedParseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message.startsWith('feed: ') ? message : `feed: ${message}`, options);
  }
}

/** What a format adapter hands to normalise.ts: links already resolved, text fields already plain. */
export interface RawItem {
  /** 1-based position in the document, for warnings. */
  position: number;
  guid: string | null;
  url: string | null;
  title: string | null;
  author: string | null;
  /** Raw date values as found; normalise.ts parses them and warns about bad ones. */
  published: unknown;
  updated: unknown;
  contentHtml: string | null;
  /** Only when the feed gives plain-text content (Atom type="text", JSON content_text). */
  contentText: string | null;
  summary: string | null;
  categories: string[];
}

export interface RawFeed {
  format: FeedFormat;
  title: string | null;
  siteUrl: string | null;
  description: string | null;
  language: string | null;
  ttlMinutes: number | null;
  /** Items in document order (an adapter that drops an item warns and leaves it out). */
  items: RawItem[];
  warnings: string[];
}
