/**
 * Confirming a near-duplicate. The simhash finds candidates cheaply but is noisy on its own: a
 * syndicated copy with a new standfirst and attribution line measured 9 bits from its original
 * (the sample's reprint), beyond any band threshold that still indexes well. So candidates — found
 * by simhash bands or by sharing a whole paragraph — are confirmed by the Jaccard similarity of
 * their word 3-shingle sets, which separates reprints (≈ 0.8–1) from other write-ups of the same
 * story (≈ 0–0.1) by a wide margin.
 */
import { createHash } from 'node:crypto';
import { shingles, tokenize } from './near-dup.ts';

/** Paragraphs shorter than this are too generic ("Read more.", a dateline) to identify an article. */
const MIN_PARAGRAPH_WORDS = 12;
/** At most this many paragraph fingerprints per article (the longest), to bound the index. */
const MAX_PARAGRAPH_FPS = 24;
/** Jaccard of 3-shingle sets at or above which two texts are the same article. */
export const COPY_JACCARD = 0.6;

export function paragraphFingerprints(text: string): string[] {
  const paras = text
    .split(/\n{2,}/)
    .map((p) => tokenize(p))
    .filter((t) => t.length >= MIN_PARAGRAPH_WORDS)
    .sort((a, b) => b.length - a.length)
    .slice(0, MAX_PARAGRAPH_FPS);
  const fps = paras.map((t) => `p:${createHash('sha1').update(t.join(' ')).digest('hex').slice(0, 16)}`);
  return [...new Set(fps)];
}

export function shingleSet(text: string, size = 3): Set<string> {
  return new Set(shingles(tokenize(text), size));
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let inter = 0;
  for (const x of small) if (large.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}
