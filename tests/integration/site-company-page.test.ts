/**
 * The fact sheet's props (src/lib/site/company-page.ts) over a real libSQL database, as an analyst reads
 * them: a latest figure lists every source that backs it (an original before its reprint, a second
 * article giving the same moment at its year), a disputed figure's group holds the facts it conflicts
 * with, and quotes gather under one speaker, newest first.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { articles, companies, facts, factSources } from '../../db/schema.ts';
import { companyPage } from '../../src/lib/site/company-page.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let t: TempDb;
beforeEach(async () => {
  t = await tempDb();
});
afterEach(() => t.cleanup());

type Row = { id: string; kind: string; value?: number | null; unit?: string | null; asOf?: string | null; corroboration?: string; conflictsWith?: string[]; speaker?: string; quote?: string; from: number[] };

async function seed(rows: Row[]) {
  const db = t.db;
  const [co] = await db.insert(companies).values({ slug: 'lendora', name: 'Lendora' }).returning();
  const outlets = ['Wire', 'Ledger', 'Wire Syndicate', 'Signal'];
  for (const id of [1, 2, 3, 4]) {
    await db.insert(articles).values({ id, key: `k${id}`, url: `https://news.example/${id}`, title: `Story ${id}`, outlet: outlets[id - 1]!, publishedAt: `2025-0${id}-10T00:00:00Z`, text: 'x', contentHash: `h${id}`, simhash: '0000000000000000', copyOfId: id === 3 ? 1 : null });
  }
  for (const r of rows) {
    const { from, conflictsWith, ...f } = r;
    await db.insert(facts).values({ value: null, unit: null, asOf: null, ...f, conflictsWith: conflictsWith ? JSON.stringify(conflictsWith) : null, companyId: co!.id, statement: `statement ${r.id}`, extractor: 'rules/2', confidence: 0.8 });
    for (const a of from) await db.insert(factSources).values({ factId: r.id, articleId: a, revision: 1, evidence: `evidence ${r.id}`, start: 0, end: 1, extractor: 'rules/2' });
  }
}

describe('company page props', () => {
  it('a latest figure shows every source that backs it: the original before its reprint, and the article that gave the same moment at its year', async () => {
    await seed([
      // Article 4 (newest) reported the valuation at its year, articles 1 and its reprint 3 at the month.
      { id: 'v-month', kind: 'valuation', value: 6.7e9, unit: 'USD', asOf: '2022-07', corroboration: 'corroborated', from: [3, 1] },
      { id: 'v-year', kind: 'valuation', value: 6.7e9, unit: 'USD', asOf: '2022', corroboration: 'corroborated', from: [4] },
      { id: 'v-old', kind: 'valuation', value: 45.6e9, unit: 'USD', asOf: '2021', from: [2] },
    ]);
    const page = (await companyPage(t.db, 'lendora'))!;
    const v = page.latest.find((f) => f.what === 'valuation')!;
    expect([v.value, v.period, v.badge]).toEqual(['$6.7 billion', 'Jul 2022', 'corroborated']);
    expect(v.sources.map((s) => [s.outlet, s.independent, s.href])).toEqual([
      ['Wire', true, '/articles/1/#fact-v-month'],
      ['Signal', true, '/articles/4/#fact-v-year'],
      ['Wire Syndicate', false, '/articles/3/#fact-v-month'],
    ]);
    expect(page.factCount).toBe(3);
  });

  it('disputes come as groups of the facts that conflict, in time order; quotes gather by speaker, newest first', async () => {
    await seed([
      { id: 'c1', kind: 'workforce_change', value: 210, unit: 'people', asOf: '2025-05', corroboration: 'disputed', conflictsWith: ['c2'], from: [1] },
      { id: 'c2', kind: 'workforce_change', value: 260, unit: 'people', asOf: '2025-05', corroboration: 'disputed', conflictsWith: ['c1'], from: [2] },
      { id: 'r1', kind: 'funding', value: 150e6, unit: 'USD', asOf: '2024', corroboration: 'disputed', conflictsWith: ['r2'], from: [2] },
      { id: 'r2', kind: 'funding', value: 150e6, unit: 'USD', asOf: '2023', corroboration: 'disputed', conflictsWith: ['r1'], from: [1] },
      { id: 'q1', kind: 'quote', speaker: 'Kowalski', quote: 'later words', from: [4] },
      { id: 'q2', kind: 'quote', speaker: 'Marta Kowalski', quote: 'earlier words', from: [1] },
      { id: 'q3', kind: 'quote', speaker: 'Ines Carvalho', quote: 'other words', from: [2] },
    ]);
    const page = (await companyPage(t.db, 'lendora'))!;
    expect(page.disputes.map((d) => [d.what, d.facts.map((f) => `${f.value} ${f.period}`)])).toEqual([
      ['funding', ['$150 million 2023', '$150 million 2024']],
      ['workforce change', ['210 people May 2025', '260 people May 2025']],
    ]);
    expect(page.quotes.map((g) => [g.speaker, g.quotes.map((q) => q.text)])).toEqual([
      ['Marta Kowalski', ['later words', 'earlier words']],
      ['Ines Carvalho', ['other words']],
    ]);
  });
});
