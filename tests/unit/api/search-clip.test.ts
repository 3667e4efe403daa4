/**
 * /api/search answers stay small whatever a feed put in a title (issue 10, item 10: a 100 kB title
 * made 110 kB answers): titles and snippets are cut to MAX_HIT_TEXT on a word boundary with "…",
 * through the real handler on a real migrated libSQL file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { articles, companies, facts, factSources } from '../../../db/schema.ts';
import { getSearch } from '../../../src/lib/api/handlers.ts';
import { clipText, MAX_HIT_TEXT } from '../../../src/lib/api/search.ts';
import { checkApiAnswer } from '../../helpers/contracts.ts';
import { tempDb, type TempDb } from '../../helpers/db.ts';

let db: TempDb;
beforeEach(async () => {
  db = await tempDb();
});
afterEach(() => db.cleanup());

const huge = 'Klarna ' + 'raises money again and again '.repeat(3500); // ~101 kB

async function search(q: string) {
  const url = new URL(`http://factdesk.test/api/search?q=${encodeURIComponent(q)}&limit=20`);
  const r = await getSearch(db.db, url);
  expect(r.status).toBe(200);
  await checkApiAnswer('GET', url, r); // the cut lines still fit the published maxLength
  const text = await r.text();
  return { bytes: Buffer.byteLength(text), body: JSON.parse(text) as { results: { kind: string; title: string; snippet: string; highlights: [number, number][] }[] } };
}

function expectClippedFrom(shown: string, original: string) {
  expect(shown.length).toBeLessThanOrEqual(MAX_HIT_TEXT);
  expect(shown.endsWith('…')).toBe(true);
  const kept = shown.slice(0, -1);
  expect(original.startsWith(kept)).toBe(true);
  // Cut between words: what follows the kept part in the original is not a letter.
  expect(original.charAt(kept.length)).toMatch(/[^\p{L}\p{N}]/u);
}

describe('search hits with hostile lengths', () => {
  it('cut a 100 kB article title and a 100 kB company name to a line, so the answer stays small', async () => {
    expect(huge.length).toBeGreaterThan(100_000);
    const [a] = await db.db
      .insert(articles)
      .values({ key: 'https://news.example/big', url: 'https://news.example/big', title: huge, outlet: 'Wire', text: `Klarna said ${'payments '.repeat(5000)}grew.`, contentHash: 'h', simhash: '0' })
      .returning();
    // Snippets are 24 tokens of context; tokens of 4,000 letters would make a 100 kB snippet.
    const longWords = `Klarna ${Array.from({ length: 30 }, (_, i) => String.fromCharCode(97 + (i % 26)).repeat(4000)).join(' ')}`;
    await db.db.insert(articles).values({ key: 'https://news.example/long-words', title: 'Long words', outlet: 'Wire', text: longWords, contentHash: 'h2', simhash: '1' });
    const [c] = await db.db.insert(companies).values({ slug: 'klarna', name: huge }).returning();
    await db.db.insert(facts).values({ id: 'f'.repeat(20), companyId: c!.id, kind: 'revenue', value: 1, unit: 'USD', statement: `Klarna revenue ${'grew '.repeat(3000)}`, extractor: 't', confidence: 1 });
    await db.db.insert(factSources).values({ factId: 'f'.repeat(20), articleId: a!.id, revision: 1, evidence: 'Klarna', start: 0, end: 6, extractor: 't' });
    const { bytes, body } = await search('klarna');
    expect(body.results.map((r) => r.kind).sort()).toEqual(['article', 'article', 'fact']);
    for (const hit of body.results) {
      if (hit.title !== 'Long words') expectClippedFrom(hit.title, hit.kind === 'article' ? huge : `${huge}: revenue`);
      expect(hit.snippet.length).toBeLessThanOrEqual(MAX_HIT_TEXT);
      for (const [s, e] of hit.highlights) {
        expect(e).toBeLessThanOrEqual(hit.snippet.length);
        expect(hit.snippet.slice(s, e)).toMatch(/klarna/i);
      }
    }
    expect(bytes).toBeLessThan(5_000);
  });
  it('cut a title that is one 100 kB word between graphemes, never inside an emoji', () => {
    const word = '🦄'.repeat(60_000);
    const shown = clipText(word);
    expect(shown.length).toBeLessThanOrEqual(MAX_HIT_TEXT);
    expect(shown).toBe(`${'🦄'.repeat((shown.length - 1) / 2)}…`);
    expect(clipText('Short title')).toBe('Short title');
    expect(clipText('word '.repeat(100), 20)).toBe('word word word word…');
  });
});
