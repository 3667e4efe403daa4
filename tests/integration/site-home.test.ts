/**
 * The home page's "Newest facts" over a real libSQL database: the facts most recently reported come
 * first, whatever order a refresh found them in, each linked to the sentence in the newest article
 * that states it; retracted facts stay out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { articles, companies, facts, factSources } from '../../db/schema.ts';
import { homePage } from '../../src/lib/site/home.ts';
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
