/**
 * Which stored articles are copies of which. A reprint is stored (it is a real publication, with
 * its own outlet and URL) but points at the earliest version, so later stages count it once.
 */
import { hamming } from './near-dup.ts';

/** Below this, texts are too short for simhash to tell a reprint from a stock phrase or teaser. */
export const MIN_WORDS_FOR_COPY = 50;
/**
 * Hamming distance on 64-bit simhashes. Measured (near-dup.ts, tests/unit/dedup): reprints with a new
 * headline, byline and footer land at 3–7 bits (median 3, max 7 over 200 simulated reprints), while a
 * different write-up of the same story is 22+ bits away and unrelated texts ~32. 7 keeps every
 * simulated reprint and leaves a wide margin.
 */
export const MAX_COPY_DISTANCE = 7;

interface Comparable {
  simhash: string;
  contentHash: string;
  wordCount: number;
}

export function isCopyCandidate(a: Comparable, b: Comparable): boolean {
  if (a.wordCount < MIN_WORDS_FOR_COPY || b.wordCount < MIN_WORDS_FOR_COPY) return false;
  if (a.contentHash === b.contentHash) return true;
  return hamming(a.simhash, b.simhash) <= MAX_COPY_DISTANCE;
}

interface GroupMember {
  id: number;
  key: string;
  publishedAt: string | null;
}

/**
 * The original is the earliest published member; undated ones count as latest. Ties break on the
 * key (not the row id) so the choice does not depend on the order a crashed run stored them in.
 */
export function chooseOriginal<T extends GroupMember>(group: T[]): T {
  return [...group].sort((x, y) => {
    const px = x.publishedAt ?? '\uffff';
    const py = y.publishedAt ?? '\uffff';
    if (px !== py) return px < py ? -1 : 1;
    return x.key < y.key ? -1 : x.key > y.key ? 1 : 0;
  })[0]!;
}
