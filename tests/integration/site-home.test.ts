/**
 * The home page's "Newest facts" over a real libSQL database: the facts most recently reported come
 * first, whatever order a refresh found them in, each linked to the sentence in the newest article
 * that states it; retracted facts stay out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { articles, companies, facts, factSources } from '../../db/schema.ts';
import { homePage } from '../../src/lib/site/home.ts';
import { newestReportedFacts, newestReportedFactsOfAll } from '../../src/lib/site/queries.ts';
import { factHref } from '../../src/lib/site/links.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let t: TempDb;
beforeEach(async () => {
  t = await tempDb();
});
afterEach(() => t.cleanup());

describe('home page: newest facts', () => {
  it('orders by the latest report, not by when a refresh found the fact, and links to that report', async () => {
    const db = t.db;
    const [co] = await db.insert(companies).values({ slug: 'orvane', name: 'Orvane' }).returning();
    const published = { 1: '2024-03-01T09:00:00Z', 2: '2025-06-20T09:00:00Z', 3: '2025-01-15T09:00:00Z' } as const;
    for (const [id, at] of Object.entries(published)) {
      await db.insert(articles).values({ id: Number(id), key: `k${id}`, url: `https://news.example/${id}`, title: `Story ${id}`, outlet: 'Wire', publishedAt: at, text: 'x', contentHash: `h${id}`, simhash: '0000000000000000' });
    }
    // Found in this order by one refresh (created_at rising), reported in another.
    const rows = [
      { id: 'f-june', from: [2], createdAt: '2026-01-01 10:00:00' },
      { id: 'f-old-then-jan', from: [1, 3], createdAt: '2026-01-01 10:00:01' },
      { id: 'f-2024', from: [1], createdAt: '2026-01-01 10:00:02' },
      { id: 'f-retracted', from: [2], createdAt: '2026-01-01 10:00:03', retracted: true },
    ];
    for (const r of rows) {
      await db.insert(facts).values({ id: r.id, companyId: co!.id, kind: 'revenue', value: 1e6, unit: 'USD', asOf: '2024', statement: r.id, extractor: 'rules/2', confidence: 0.8, createdAt: r.createdAt, retracted: r.retracted ?? false });
      for (const a of r.from) await db.insert(factSources).values({ factId: r.id, articleId: a, revision: 1, evidence: r.id, start: 0, end: 1, extractor: 'rules/2' });
    }
    const home = await homePage(db);
    expect(home.facts.map((f) => [f.id, f.reportedAt?.slice(0, 10), f.articleId])).toEqual([
      ['f-june', '2025-06-20', 2],
      ['f-old-then-jan', '2025-01-15', 3],
      ['f-2024', '2024-03-01', 1],
    ]);
    expect(factHref(home.facts[1]!.articleId, home.facts[1]!.id, 'orvane')).toBe('/articles/3/#fact-f-old-then-jan');
  });
});

describe('home page: newest facts in a corpus larger than the walk', () => {
  // The list walks back from the newest articles rather than grouping every source of every fact;
  // on a corpus where the walk applies it must give exactly what the grouping gives: ties on a day
  // at the cut, facts re-reported much later, retracted facts and old-revision sources among the newest.
  it('gives the same facts, in the same order and linked to the same article, as grouping every source', async () => {
    const db = t.db;
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const [co] = await db.insert(companies).values({ slug: 'orvane', name: 'Orvane' }).returning();
    const n = 300;
    const arts = Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      key: `k${i + 1}`,
      url: `https://news.example/${i + 1}`,
      title: `Story ${i + 1}`,
      outlet: 'Wire',
      // Few distinct days, so many articles share the date at any cut; every 50th is undated.
      publishedAt: i % 50 === 49 ? null : `2025-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-0${1 + Math.floor(rnd() * 3)}T09:00:00Z`,
      revision: i % 17 === 0 ? 2 : 1,
      text: 'x',
      contentHash: `h${i + 1}`,
      simhash: '0000000000000000',
    }));
    await db.insert(articles).values(arts);
    const factRows = Array.from({ length: 400 }, (_, i) => ({
      id: `f${i}`, companyId: co!.id, kind: 'revenue', value: i, unit: 'USD', asOf: '2024', statement: `s${i}`, extractor: 'rules/2', confidence: 0.8,
      createdAt: `2026-01-01 10:${String(Math.floor(rnd() * 60)).padStart(2, '0')}:00`, retracted: i % 23 === 0,
    }));
    await db.insert(facts).values(factRows);
    const sources: (typeof factSources.$inferInsert)[] = [];
    for (const f of factRows) {
      const from = new Set([1 + Math.floor(rnd() * n), ...(rnd() < 0.3 ? [1 + Math.floor(rnd() * n)] : [])]);
      for (const a of from) sources.push({ factId: f.id, articleId: a, revision: rnd() < 0.1 ? 2 : 1, evidence: f.id, start: 0, end: 1, extractor: 'rules/2' });
    }
    await db.insert(factSources).values(sources);
    for (const limit of [1, 3, 10, 25, 60]) {
      const walk = await newestReportedFacts(db, limit);
      const all = await newestReportedFactsOfAll(db, limit);
      expect(walk.length).toBe(limit);
      expect(walk.map((f) => [f.id, f.reportedAt, f.articleId])).toEqual(all.map((f) => [f.id, f.reportedAt, f.articleId]));
    }
    // And the first is the fact of the newest dated article that states one with its current text.
    const [first] = await newestReportedFacts(db, 1);
    const newest = arts.filter((a) => a.publishedAt && sources.some((s) => s.articleId === a.id && s.revision === a.revision && !factRows.find((f) => f.id === s.factId)!.retracted));
    expect(first!.reportedAt).toBe(newest.map((a) => a.publishedAt!).sort().pop());
  });
});
