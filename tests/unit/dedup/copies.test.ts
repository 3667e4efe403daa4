import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chooseOriginal, figureSet, isCopy } from '../../../scrapers/dedup/copies.ts';
import { contentHash } from '../../../scrapers/dedup/hash.ts';
import { jaccard, paragraphFingerprints, shingleSet } from '../../../scrapers/dedup/similarity.ts';

const fx = (n: string) => readFileSync(new URL(`../../fixtures/dedup/${n}`, import.meta.url), 'utf8');
const view = (text: string) => ({ contentHash: contentHash(text), wordCount: text.split(/\s+/).length, shingles: shingleSet(text), figures: figureSet(text) });

describe('isCopy', () => {
  const original = fx('klarna-a.txt');
  it('accepts a reprint with a new headline, byline and small edits', () => {
    expect(isCopy(view(original), view(fx('klarna-a-reprint.txt')))).toBe(true);
  });
  it('rejects a different write-up of the same story', () => {
    expect(isCopy(view(original), view(fx('klarna-b.txt')))).toBe(false);
    expect(jaccard(shingleSet(original), shingleSet(fx('klarna-b.txt')))).toBeLessThan(0.2);
  });
  it('a templated piece about another company (same wording, other figures) is not a copy; a reprint that adds a date still is', () => {
    const body = (name: string, rev: string, loss: string, staff: string) =>
      `${name} reported revenue of ${rev} million for the second quarter, the company said on Tuesday, as demand for its instalment loans held up across its main markets in Europe. ` +
      `The lender posted a net loss of ${loss} million for the period and said it now employs ${staff} people, after a year in which it cut costs and closed two offices. ` +
      `Analysts had expected the company to report weaker numbers, given the slowdown in consumer spending and the rise in funding costs that has hit the whole sector this year.`;
    const a = body('Lendora', '212.4', '18.9', '1,450');
    const b = body('Paywise', '98.1', '7.3', '610');
    expect(jaccard(shingleSet(a), shingleSet(b))).toBeGreaterThan(0.6); // the wording alone would call it a copy
    expect(isCopy(view(a), view(b))).toBe(false);
    expect(isCopy(view(a), view(`${a}\n\nThis story first appeared on 12 August 2025.`))).toBe(true);
  });
  it('never calls short texts copies, even identical ones', () => {
    const teaser = 'Subscribe to read the full story about Klarna.';
    expect(isCopy(view(teaser), view(teaser))).toBe(false);
  });
});

describe('paragraphFingerprints', () => {
  it('fingerprints long paragraphs only, case- and space-insensitively', () => {
    const long = 'Klarna said its assistant handled two thirds of all customer service chats in its first month of operation.';
    const a = paragraphFingerprints(`Short line.\n\n${long}`);
    const b = paragraphFingerprints(`Other intro.\n\n${long.toUpperCase().replace(/ /g, '  ')}`);
    expect(a).toHaveLength(1);
    expect(b).toEqual(a);
    expect(a[0]).toMatch(/^p:[0-9a-f]{16}$/);
  });
});

describe('chooseOriginal', () => {
  it('picks the earliest published, undated last, ties by key (not by storage order)', () => {
    const group = [
      { id: 1, key: 'https://b.example/x', publishedAt: '2025-02-01T00:00:00.000Z' },
      { id: 2, key: 'https://a.example/x', publishedAt: null },
      { id: 3, key: 'https://c.example/x', publishedAt: '2025-01-31T00:00:00.000Z' },
    ];
    expect(chooseOriginal(group).id).toBe(3);
    expect(chooseOriginal([...group].reverse()).id).toBe(3);
    const tie = [
      { id: 7, key: 'https://z.example/x', publishedAt: '2025-01-01T00:00:00.000Z' },
      { id: 9, key: 'https://m.example/x', publishedAt: '2025-01-01T00:00:00.000Z' },
    ];
    expect(chooseOriginal(tie).id).toBe(9);
    expect(chooseOriginal([...tie].reverse()).id).toBe(9);
  });
});
