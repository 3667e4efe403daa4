/** Which feed format a document is, from its root element (XML) or JSON Feed version URL. */
import type { FeedFormat } from './types.ts';
import { localName, readProlog } from './xml-base.ts';

const JSON_FEED_VERSION = /^https?:\/\/jsonfeed\.org\/version\/1(?:\.\d+)?\/?$/;

/** JSON Feed 1.0/1.1 by version URL, RSS 0.9x/2.0 by <rss>, RSS 0.90/1.0 by <rdf:RDF>, Atom by <feed>; else null. */
export function detectFeedFormat(text: string): FeedFormat | null {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{')) {
    // Cheap look without parsing; jsonfeed.ts checks that the match is the top-level "version".
    for (const m of head.matchAll(/"version"\s*:\s*"([^"]*)"/g)) {
      if (JSON_FEED_VERSION.test(m[1]!.replace(/\\\//g, '/'))) return 'json';
    }
    return null;
  }
  if (!head.startsWith('<')) return null;
  const { root } = readProlog(head);
  if (!root) return null;
  switch (localName(root)) {
    case 'rss':
      return 'rss';
    case 'RDF':
      return 'rdf';
    case 'feed':
      return 'atom';
    default:
      return null;
  }
}
