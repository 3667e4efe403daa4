/**
 * parseFeed: detect the format, run its adapter, normalise. Throws FeedParseError only when the
 * document is not a feed or cannot be parsed at all; everything else becomes a warning.
 */
import { parseAtom } from './atom.ts';
import { detectFeedFormat } from './detect.ts';
import { parseJsonFeed } from './jsonfeed.ts';
import { DEFAULT_MAX_ITEMS, normaliseFeed } from './normalise.ts';
import { parseRss } from './rss.ts';
import { FeedParseError, type ParsedFeed, type RawFeed } from './types.ts';

export { FeedParseError } from './types.ts';
export type { FeedFormat, FeedItem, ParsedFeed } from './types.ts';
export { DEFAULT_MAX_ITEMS } from './normalise.ts';
export { detectFeedFormat } from './detect.ts';

export interface ParseFeedOptions {
  /** Items kept (document order); the rest are dropped with a warning. Default 1000. */
  maxItems?: number;
}

/** Parses an RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 1.0 or JSON Feed 1.x document fetched from `feedUrl`. */
export async function parseFeed(text: string, feedUrl: string, opts: ParseFeedOptions = {}): Promise<ParsedFeed> {
  const format = detectFeedFormat(text);
  let raw: RawFeed;
  switch (format) {
    case 'json':
      raw = parseJsonFeed(text, feedUrl);
      break;
    case 'atom':
      raw = await parseAtom(text, feedUrl);
      break;
    case 'rss':
    case 'rdf':
      raw = await parseRss(text, feedUrl, format);
      break;
    default:
      throw new FeedParseError('feed: not a feed (no RSS, RDF, Atom or JSON Feed root found)');
  }
  return normaliseFeed(raw, opts.maxItems ?? DEFAULT_MAX_ITEMS);
}
