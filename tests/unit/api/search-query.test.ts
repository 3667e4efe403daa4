/**
 * The search sanitiser: what a person types becomes a MATCH expression of quoted terms only, and no
 * input — operators, stray quotes, brackets, column filters, control characters, emoji — makes FTS5
 * raise a syntax error. Checked against a real FTS5 table, not just by looking at the strings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSearch, handleApi } from '../../../src/lib/api/handlers.ts';
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

  /**
   * Each hostile input and what it becomes: the MATCH expression it is turned into, or, when nothing
   * searchable is left, the API's answer to it (a 400 with its error code, never a 500 or an FTS5
   * error). Every expression is also run against the real FTS5 table.
   */
  const hostile: [input: string, becomes: string | { error: string; status: number }][] = [
    ['klarna"', '"klarna"'],
    ['"klarna', '"klarna"'],
    // Inside the quotes OR is a word, so this is three literal terms.
    ['a" OR "b', '"a" "OR" "b"'],
    ['NEAR(klarna ipo, 2)', '"klarna" "ipo" "2"'],
    ['title:', '"title"'],
    ['body:klarna', '"body klarna"'],
    ['{title body}: x', '"title" "body" "x"'],
    ['(((', { error: 'empty_query', status: 400 }],
    [')))', { error: 'empty_query', status: 400 }],
    ['*', { error: 'empty_query', status: 400 }],
    // The ")" after the star ends the chunk, so the star is not trailing: no prefix search.
    ['klarna*)', '"klarna"'],
    ['"*"', { error: 'empty_query', status: 400 }],
    ["'; drop table facts; --", '"drop" "table" "facts"'],
    ['klarna\u0000ipo', '"klarna ipo"'],
    ['\u0002\u0003', { error: 'empty_query', status: 400 }],
    ['🙂 klarna 🙂', '"klarna"'],
    // One 500-letter "word" is longer than any indexed word (MAX_WORD) and too long a query for the API.
    ['x'.repeat(500), { error: 'bad_request', status: 400 }],
    ['AND OR NOT', { error: 'empty_query', status: 400 }],
    ['-klarna', '"klarna"'],
    ['klarna + ipo', '"klarna" "ipo"'],
    ['^', { error: 'empty_query', status: 400 }],
    ['kla"rna', '"kla" "rna"'],
    ['"unterminated phrase', '"unterminated phrase"'],
    ['NEAR', { error: 'empty_query', status: 400 }],
    ['ab* cd* ef*', '"ab"* "cd"* "ef"*'],
    ['\\"escaped\\"', '"escaped"'],
  ];
  it('covers every hostile input once', () => {
    expect(hostile).toHaveLength(26);
    expect(new Set(hostile.map(([q]) => q)).size).toBe(26);
  });
  for (const [q, becomes] of hostile) {
    it(`${JSON.stringify(q.slice(0, 30))} becomes ${JSON.stringify(becomes)}`, async () => {
      const match = toFtsQuery(q);
      if (typeof becomes === 'string') {
        expect(match).toBe(becomes);
        await expect(db.client.execute({ sql: 'select count(*) as n from search_fts where search_fts match ?', args: [match] })).resolves.toMatchObject({ rows: [{ n: 0 }] });
      } else {
        // Nothing searchable (or a query the API refuses before parsing): the API says which, as JSON.
        expect(match).toBeNull();
        const r = await handleApi(new Request(`http://factdesk.test/api/search?q=${encodeURIComponent(q)}`), getSearch, { db: async () => db.db, client: '203.0.113.9' });
        expect(r.status).toBe(becomes.status);
        expect(((await r.json()) as { error: { code: string } }).error.code).toBe(becomes.error);
      }
    });
  }
  it('the raw strings would have been errors (the test can fail)', async () => {
    await expect(db.client.execute({ sql: 'select count(*) from search_fts where search_fts match ?', args: ['klarna"'] })).rejects.toThrow(/syntax|unterminated/i);
  });
});
