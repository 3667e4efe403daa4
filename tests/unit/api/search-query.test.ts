/**
 * The search sanitiser: what a person types becomes a MATCH expression of quoted terms only, and no
 * input — operators, stray quotes, brackets, column filters, control characters, emoji — makes FTS5
 * raise a syntax error. Checked against a real FTS5 table, not just by looking at the strings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSearchTerms, toFtsQuery } from '../../../src/lib/api/search-query.ts';
import { tempDb, type TempDb } from '../../helpers/db.ts';

describe('toFtsQuery', () => {
  it('keeps words, phrases and prefixes, quoting every term', () => {
    expect(toFtsQuery('klarna ipo')).toBe('"klarna" "ipo"');
    expect(toFtsQuery('"net loss" klarna')).toBe('"net loss" "klarna"');
    expect(toFtsQuery('tariff*')).toBe('"tariff"*');
    expect(toFtsQuery('"buy now"*')).toBe('"buy now"*');
    expect(toFtsQuery('Numéra')).toBe('"Numéra"');
  });
  it('reads punctuated words the way the tokenizer indexed them: as a phrase', () => {
    expect(toFtsQuery('buy-now-pay-later')).toBe('"buy now pay later"');
    expect(toFtsQuery('$6.7bn')).toBe('"6 7bn"');
  });
  it('drops operators, column filters, brackets and other FTS5 syntax', () => {
    expect(toFtsQuery('klarna AND revolut')).toBe('"klarna" "revolut"');
    expect(toFtsQuery('NOT klarna OR NEAR(a b)')).toBe('"klarna" "a" "b"');
    expect(toFtsQuery('"AND so on"')).toBe('"AND so on"');
    expect(toFtsQuery('title:klarna')).toBe('"title klarna"');
    expect(toFtsQuery('^klarna +ipo -layoffs')).toBe('"klarna" "ipo" "layoffs"');
    // Lower-case "and" is a word people search for, not an operator.
    expect(toFtsQuery('rock and roll')).toBe('"rock" "and" "roll"');
  });
  it('does not expand one-letter prefixes (they would match most of the index)', () => {
    expect(toFtsQuery('a*')).toBe('"a"');
  });
  it('returns null when nothing searchable is left', () => {
    for (const q of ['', '   ', '"', '""', '***', 'AND', 'OR NOT', '()', '-+^:', '"" *']) expect(toFtsQuery(q), q).toBeNull();
  });
  it('caps the number of terms', () => {
    expect(parseSearchTerms(Array.from({ length: 50 }, (_, i) => `w${i}`).join(' '))).toHaveLength(12);
  });
});

describe('sanitised queries against FTS5', () => {
  let db: TempDb;
  beforeAll(async () => {
    db = await tempDb();
  });
  afterAll(() => db.cleanup());

  const hostile = [
    'klarna"', '"klarna', 'a" OR "b', 'NEAR(klarna ipo, 2)', 'title:', 'body:klarna', '{title body}: x', '(((', ')))',
    '*', 'klarna*)', '"*"', "'; drop table facts; --", 'klarna\u0000ipo', '\u0002\u0003', '🙂 klarna 🙂', 'x'.repeat(500),
    'AND OR NOT', '-klarna', 'klarna + ipo', '^', 'kla"rna', '"unterminated phrase', 'NEAR', 'ab* cd* ef*', '\\"escaped\\"',
  ];
  for (const q of hostile) {
    it(`never produces an FTS5 syntax error: ${JSON.stringify(q.slice(0, 30))}`, async () => {
      const match = toFtsQuery(q);
      if (match === null) return;
      await expect(db.client.execute({ sql: 'select count(*) from search_fts where search_fts match ?', args: [match] })).resolves.toBeDefined();
    });
  }
  it('the raw strings would have been errors (the test can fail)', async () => {
    await expect(db.client.execute({ sql: 'select count(*) from search_fts where search_fts match ?', args: ['klarna"'] })).rejects.toThrow(/syntax|unterminated/i);
  });
});
