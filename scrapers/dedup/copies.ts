/**
 * Which stored articles are copies of which. A reprint is stored (it is a real publication, with
 * its own outlet and URL) but points at the earliest version, so later stages count it once.
 */
import { COPY_JACCARD, jaccard } from './similarity.ts';

/** Below this, texts are too short for simhash to tell a reprint from a stock phrase or teaser. */
export const MIN_WORDS_FOR_COPY = 50;
/**
 * Simhash bands retrieve candidates within this Hamming distance for certain (pigeonhole over 8
 * bands); most reprints land at 3-9 bits, and paragraph fingerprints catch the rest.
 */
export const CANDIDATE_DISTANCE = 7;
/**
 * A band match is checked on the text only within this many bits: reprints measured 3-9, other
 * write-ups of the same story 22+, unrelated texts ~32 ± 4.
 */
export const LOOSE_DISTANCE = 16;

interface Comparable {
  contentHash: string;
  wordCount: number;
  shingles: Set<string>;
}

/** Same text, or near-identical after small edits (see similarity.ts for the measurements). */
export function isCopy(a: Comparable, b: Comparable): boolean {
  if (a.wordCount < MIN_WORDS_FOR_COPY || b.wordCount < MIN_WORDS_FOR_COPY) return false;
  if (a.contentHash === b.contentHash) return true;
  return jaccard(a.shingles, b.shingles) >= COPY_JACCARD;
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
