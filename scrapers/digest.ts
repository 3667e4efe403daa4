/**
 * What storing an article computes from its text and raw HTML before it touches the database: the
 * content hash, the simhash, the fingerprints copies are looked up by, the word count and the
 * gzipped HTML kept as the revision's raw copy. Pure CPU work with plain data out, so a page worker
 * thread (scrapers/refresh/page-pool.ts) computes it beside the parse and the main thread only writes.
 */
import { gzipSync } from 'node:zlib';
import { CANDIDATE_DISTANCE } from './dedup/copies.ts';
import { contentHash } from './dedup/hash.ts';
import { simhash, simhashBands } from './dedup/near-dup.ts';
import { paragraphFingerprints } from './dedup/similarity.ts';

export interface ArticleDigest {
  contentHash: string;
  simhash: string;
  /** simhash bands and paragraph fingerprints, as stored in article_fingerprints. */
  fingerprints: string[];
  wordCount: number;
  /** The raw HTML, gzipped; null when there is none (the article is the feed's own text). */
  rawGzip: Uint8Array | null;
}

export function wordCount(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

export function digestArticle(text: string, rawHtml: string | null): ArticleDigest {
  const sig = simhash(text);
  return {
    contentHash: contentHash(text),
    simhash: sig,
    fingerprints: [...simhashBands(sig, CANDIDATE_DISTANCE), ...paragraphFingerprints(text)],
    wordCount: wordCount(text),
    rawGzip: rawHtml ? gzipSync(Buffer.from(rawHtml, 'utf8')) : null,
  };
}
