/**
 * Exact-duplicate detection: a content hash that ignores differences nobody would call a change
 * (Unicode compatibility forms, case, runs of whitespace, line endings).
 */
import { createHash } from 'node:crypto';

/** NFKC, lower-case, whitespace collapsed to single spaces, trimmed. */
export function normaliseForHash(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** sha256 (hex, 64 chars) of `normaliseForHash(text)`. */
export function contentHash(text: string): string {
  return createHash('sha256').update(normaliseForHash(text), 'utf8').digest('hex');
}
