import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentHash, normaliseForHash } from '../../../scrapers/dedup/hash.ts';

describe('contentHash', () => {
  it('is the sha256 hex of the normalised text', () => {
    expect(contentHash('Hello  World')).toBe(createHash('sha256').update('hello world').digest('hex'));
    expect(contentHash('x')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores case, whitespace runs, line endings and Unicode compatibility forms', () => {
    const base = contentHash('Klarna reports revenue of $823 million.');
    expect(contentHash('  KLARNA reports\r\n\trevenue   of $823 million.  ')).toBe(base);
    expect(contentHash('Ｋｌａｒｎａ reports revenue of $823 million.')).toBe(base); // full-width letters (NFKC)
    expect(contentHash('Klarna\u00a0reports revenue of $823 million.')).toBe(base); // no-break space
  });

  it('changes when a word changes', () => {
    expect(contentHash('Klarna reports revenue of $824 million.')).not.toBe(contentHash('Klarna reports revenue of $823 million.'));
  });

  it('normaliseForHash spells out the normalisation', () => {
    expect(normaliseForHash(' ﬁntech\n\nNEWS ')).toBe('fintech news');
  });
});
