/**
 * Which stored articles are copies of which. A reprint is stored (it is a real publication, with
 * its own outlet and URL) but points at the earliest version, so later stages count it once.
 */
import { tokenize } from './near-dup.ts';
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
  /** The figures the text states (figureSet): a reprint keeps them, a templated piece about another company does not. */
  figures?: Set<string>;
}

/**
 * Below this overlap of their figures, two texts with enough figures are different reports however
 * alike their wording: templated coverage ("X reported revenue of $Y for the quarter…") repeats an
 * outlet's sentences with another company's numbers, and calling it a copy would drop its facts.
 */
export const MIN_FIGURE_JACCARD = 0.5;
/** Texts with fewer figures than this are judged on their wording alone. */
export const MIN_FIGURES = 3;

/** The numeric tokens of a text ("40", "8", "2021", "58.7"), as the shingles see them. */
export function figureSet(text: string): Set<string> {
  return new Set(tokenize(text).filter((t) => /\d/.test(t)));
}

/** Same text, or near-identical after small edits (see similarity.ts for the measurements), stating the same figures. */
export function isCopy(a: Comparable, b: Comparable): boolean {
  if (a.wordCount < MIN_WORDS_FOR_COPY || b.wordCount < MIN_WORDS_FOR_COPY) return false;
  if (a.contentHash === b.contentHash) return true;
  if (a.figures && b.figures && a.figures.size >= MIN_FIGURES && b.figures.size >= MIN_FIGURES && jaccard(a.figures, b.figures) < MIN_FIGURE_JACCARD) return false;
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
