/**
 * /companies/'s "Last reported" over a real libSQL database: the newest day an article that is a
 * current source of a current fact was published, or first seen when it carries no date; sources of an
 * article's older revision and of retracted facts do not count.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { articles, companies, facts, factSources } from '../../db/schema.ts';
import { companiesList } from '../../src/lib/site/companies-list.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let t: TempDb;
beforeEach(async () => {
  t = await tempDb();
});
afterEach(() => t.cleanup());

describe('companies list: last reported', () => {
  it('is the newest current source of a current fact, an undated one by when it was first seen', async () => {
    const db = t.db;
    const [orvane, lumen, brisk] = await db.insert(companies).values([
      { slug: 'orvane', name: 'Orvane' },
      { slug: 'lumen', name: 'Lumen' },
      { slug: 'brisk', name: 'Brisk' },
    ]).returning();
    const article = (id: number, publishedAt: string | null, firstSeenAt: string, revision = 1) => ({
      id, key: `k${id}`, url: `https://news.example/${id}`, title: `Story ${id}`, outlet: 'Wire', publishedAt, firstSeenAt, revision,
      text: 'x', contentHash: `h${id}`, simhash: '0000000000000000',
    });
    await db.insert(articles).values([
      article(1, '2024-03-01T09:00:00Z', '2024-03-01 10:00:00'),
      article(2, null, '2025-02-10 08:00:00'), // no date: counts from when it was first seen
      article(3, '2025-09-30T09:00:00Z', '2025-09-30 10:00:00', 2), // its sources below are of revision 1
      article(4, '2026-01-05T09:00:00Z', '2026-01-05 10:00:00'),
      article(5, '2023-05-05T09:00:00Z', '2023-05-05 10:00:00'),
    ]);
    const fact = (id: string, companyId: number, retracted = false) => ({
      id, companyId, kind: 'revenue', value: 1e6, unit: 'USD', asOf: '2024', statement: id, extractor: 'rules/2', confidence: 0.8, retracted,
    });
    await db.insert(facts).values([fact('o1', orvane!.id), fact('o2', orvane!.id), fact('o-gone', orvane!.id, true), fact('l1', lumen!.id), fact('b1', brisk!.id)]);
    const source = (factId: string, articleId: number, revision = 1) => ({ factId, articleId, revision, evidence: factId, start: 0, end: 1, extractor: 'rules/2' });
    await db.insert(factSources).values([
      source('o1', 1),
      source('o2', 2),
      source('o2', 3), // an older revision of article 3: not a current source
      source('o-gone', 4), // a retracted fact
      source('l1', 3, 2), // article 3's current revision
      source('b1', 5),
    ]);
    const rows = (await companiesList(db)).rows.map((r) => [r.slug, r.reported]);
    expect(Object.fromEntries(rows)).toEqual({ orvane: '2025-02-10', lumen: '2025-09-30', brisk: '2023-05-05' });
  });
});
