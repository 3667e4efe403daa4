/**
 * Near-duplicate detection (reprints, syndicated copies) with a 64-bit simhash over word shingles.
 *
 * Why simhash and not minhash: one 64-bit fingerprint per article fits in one indexed column and a
 * comparison is a XOR + popcount. Because the features are word shingles, small edits (a new
 * headline, a byline, a footer, a changed word) flip only a few bits. Minhash would need ~100 hashes
 * per document plus LSH bands to get comparable recall, i.e. a side table instead of a column.
 *
 * Finding candidates without comparing against every article: split the fingerprint into
 * `maxDistance + 1` bands. Two fingerprints within Hamming distance d differ in at most d bits, so by
 * pigeonhole at least one of d+1 bands is identical; the database indexes the bands and only rows
 * sharing a band are compared exactly. See `simhashBands`.
 *
 * Tuning (numbers from tests/unit/dedup/near-dup.test.ts, which re-measures them): a 64-bit simhash
 * moves by about 64/π·acos(cosine of the two shingle sets), so on ~500-word articles even 3 changed
 * words flip ~2-4 bits, and a new headline + byline + footer ~6-12 bits with plain 3-word shingles.
 * 2-word shingles plus the edge trim below roughly halve that (simulated reprints with a new
 * headline, byline, footer and 3 word edits: ~60% within 3 bits, ~97% within 7), while different
 * write-ups of the same story stay 20+ bits apart and unrelated texts ~32. The default threshold
 * stays 3 because db/schema.ts indexes four 16-bit bands; raising it to 7 needs 8 bands of 8 bits
 * (`simhashBands(hex, 7)`), ideally queried within a recent time window.
 */

/** Words per shingle. 2 beat 3 and 4 on recall for edited reprints at equal separation of distinct stories. */
export const SHINGLE_SIZE = 2;

/**
 * Fraction of tokens ignored at each end (at most EDGE_TRIM_MAX_TOKENS): syndicated copies differ
 * mostly there (headline, dateline, byline, "originally appeared on…", newsletter plugs).
 */
export const EDGE_TRIM = 0.06;
export const EDGE_TRIM_MAX_TOKENS = 40;

/**
 * Default Hamming distance at or below which two fingerprints count as the same article. Matches
 * the four 16-bit bands stored per article; see the tuning note above before raising it.
 */
export const NEAR_DUP_MAX_DISTANCE = 3;

const WORD = /[\p{L}\p{N}]+(?:['’.,][\p{L}\p{N}]+)*/gu;

/** Lower-cased NFKC word tokens; numbers keep inner separators ("3.2", "1,000"). */
export function tokenize(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().replace(/’/g, "'").match(WORD) ?? [];
}

const utf8 = new TextEncoder();

/**
 * FNV-1a 64 over the UTF-8 bytes of `s`, as four 16-bit limbs (least significant first), so the hot
 * loop stays in small integers instead of BigInt. Prime 0x100000001b3 = 2^40 + 0x1b3.
 */
export function fnv1a64(s: string): [number, number, number, number] {
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (const b of utf8.encode(s)) {
    h0 ^= b;
    const t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3 + (h0 << 8);
    const t3 = h3 * 0x1b3 + (h1 << 8);
    t1 += t0 >>> 16;
    h0 = t0 & 0xffff;
    t2 += t1 >>> 16;
    h1 = t1 & 0xffff;
    h3 = (t3 + (t2 >>> 16)) & 0xffff;
    h2 = t2 & 0xffff;
  }
  return [h0, h1, h2, h3];
}

function limbsToHex(limbs: readonly number[]): string {
  let hex = '';
  for (let i = limbs.length - 1; i >= 0; i--) hex += (limbs[i] ?? 0).toString(16).padStart(4, '0');
  return hex;
}

/** FNV-1a 64 of `s` as 16 hex chars (exported for tests against the reference vectors). */
export function fnv1a64Hex(s: string): string {
  return limbsToHex(fnv1a64(s));
}

/** Word shingles of `size` words; a text shorter than one shingle is a single shingle. */
export function shingles(tokens: readonly string[], size: number = SHINGLE_SIZE): string[] {
  if (tokens.length === 0) return [];
  if (tokens.length <= size) return [tokens.join(' ')];
  const out: string[] = [];
  for (let i = 0; i + size <= tokens.length; i++) out.push(tokens.slice(i, i + size).join(' '));
  return out;
}

/** Drops `EDGE_TRIM` of the tokens (capped) from each end; see EDGE_TRIM. */
export function trimEdges(tokens: readonly string[], fraction: number = EDGE_TRIM): readonly string[] {
  const n = Math.min(EDGE_TRIM_MAX_TOKENS, Math.floor(tokens.length * fraction));
  return n > 0 ? tokens.slice(n, tokens.length - n) : tokens;
}

export interface SimhashOptions {
  /** Words per shingle (default SHINGLE_SIZE). */
  shingleSize?: number;
  /** Fraction of tokens ignored at each end (default EDGE_TRIM; 0 disables). */
  edgeTrim?: number;
}

/**
 * 64-bit simhash of `text` as 16 lower-case hex chars. Every shingle votes +1/-1 on each bit of its
 * FNV-1a 64 hash; a bit is set when the votes are positive. Empty text gives "0000000000000000".
 */
export function simhash(text: string, opts: SimhashOptions = {}): string {
  const tokens = trimEdges(tokenize(text), opts.edgeTrim ?? EDGE_TRIM);
  const votes = new Int32Array(64);
  for (const sh of shingles(tokens, opts.shingleSize ?? SHINGLE_SIZE)) {
    const limbs = fnv1a64(sh);
    for (let limb = 0; limb < 4; limb++) {
      const v = limbs[limb] ?? 0;
      for (let bit = 0; bit < 16; bit++) votes[limb * 16 + bit]! += (v >>> bit) & 1 ? 1 : -1;
    }
  }
  const out = [0, 0, 0, 0];
  for (let i = 0; i < 64; i++) if (votes[i]! > 0) out[i >> 4]! |= 1 << (i & 15);
  return limbsToHex(out);
}

const HEX64 = /^[0-9a-f]{16}$/i;

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of differing bits between two 16-hex-char fingerprints. Throws on malformed input. */
export function hamming(a: string, b: string): number {
  if (!HEX64.test(a) || !HEX64.test(b)) throw new TypeError(`near-dup: not a 64-bit hex fingerprint: ${a} / ${b}`);
  const hi = parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16);
  const lo = parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16);
  return popcount32(hi) + popcount32(lo);
}

/** True when the fingerprints differ in at most `maxDistance` bits. */
export function isNearDuplicate(a: string, b: string, maxDistance: number = NEAR_DUP_MAX_DISTANCE): boolean {
  return hamming(a, b) <= maxDistance;
}

/**
 * The fingerprint split into `maxDistance + 1` bands of (nearly) equal width, each tagged with its
 * position: with the default 3 that is 4 bands of 16 bits ("0:ab12", "1:…", "2:…", "3:…"); with 7
 * it is 8 bands of 8 bits. Fingerprints within `maxDistance` bits
 * share at least one band (pigeonhole: d differing bits touch at most d bands), so: look up rows
 * sharing any band (ideally within a recent time window), then confirm with `hamming`.
 */
export function simhashBands(hex: string, maxDistance: number = NEAR_DUP_MAX_DISTANCE): string[] {
  if (!HEX64.test(hex)) throw new TypeError(`near-dup: not a 64-bit hex fingerprint: ${hex}`);
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 63) {
    throw new RangeError(`near-dup: maxDistance must be an integer in 0..63, got ${maxDistance}`);
  }
  const value = BigInt(`0x${hex}`);
  const count = maxDistance + 1;
  const bands: string[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const width = Math.floor(64 / count) + (i < 64 % count ? 1 : 0);
    const band = (value >> BigInt(64 - start - width)) & ((1n << BigInt(width)) - 1n);
    bands.push(`${i}:${band.toString(16).padStart(Math.ceil(width / 4), '0')}`);
    start += width;
  }
  return bands;
}
