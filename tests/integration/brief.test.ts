/**
 * Company briefs on a real database: the latest actual per kind, and the IPO history as events
 * (src/shared/facts/ipo-events.ts), each change of status once.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildBrief } from '../../src/extract/brief.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let db: TempDb;
beforeEach(async () => {
  db = await tempDb();
});
afterEach(() => db.cleanup());

async function seed(events: [id: string, asOf: string, status: string, articleId: number][]) {
  const c = db.client;
  await c.execute(`insert into companies (id, slug, name) values (1, 'klarna', 'Klarna')`);
  for (const a of [1, 2, 3, 4]) {
    await c.execute({
      sql: `insert into articles (id, key, url, title, outlet, published_at, text, content_hash, simhash) values (?, ?, ?, 't', ?, ?, 'x', 'h', '0')`,
      args: [a, `k${a}`, `https://o${a}.example/a`, `Outlet ${a}`, `2025-0${a}-01T00:00:00Z`],
    });
  }
  for (const [id, asOf, status, articleId] of events) {
    await c.execute({
      sql: `insert into facts (id, company_id, kind, as_of, status, statement, extractor, confidence) values (?, 1, 'ipo', ?, ?, 's', 'rules/1', 0.8)`,
      args: [id, asOf, status],
    });
    await c.execute({
      sql: `insert into fact_sources (fact_id, article_id, revision, evidence, start, "end", extractor) values (?, ?, 1, 'x', 0, 1, 'rules/1')`,
      args: [id, articleId],
    });
  }
}

it('tells the IPO history as events: one filing told twice is one step, dated by the most precise report', async () => {
  await seed([
    ['a', '2021', 'planned', 1],
    ['b', '2025-03', 'filed', 1],
    ['b2', '2025-03-14', 'filed', 2],
    ['c', '2025-04', 'paused', 2],
    ['d', '2025-04', 'paused', 3],
    ['f', '2025-09', 'planned', 4],
  ]);
  const brief = await buildBrief(db.db, 1);
  expect(brief).toContain('IPO: planned (2021) → filed (2025-03-14) → paused (2025-04) → planned (2025-09).');
});

it('tells each change of status once', async () => {
  await seed([
    ['a', '2021', 'planned', 1],
    ['b', '2022', 'planned', 2],
    ['c', '2025-04', 'paused', 3],
  ]);
  expect(await buildBrief(db.db, 1)).toContain('IPO: planned (2021) → paused (2025-04).');
});

it('gives the latest actual: never a forecast, and the company-wide count over a sub-count', async () => {
  const c = db.client;
  await c.execute(`insert into companies (id, slug, name) values (1, 'lendora', 'Lendora')`);
  await c.execute(`insert into articles (id, key, url, title, outlet, published_at, text, content_hash, simhash) values (1, 'k1', 'https://o.example/a', 't', 'Wire', '2025-05-06T00:00:00Z', 'x', 'h', '0')`);
  const rows: [string, string, number, string, string | null, string][] = [
    ['r1', 'revenue', 412e6, 'USD', null, '2025-Q1'],
    ['r2', 'revenue', 1.72e9, 'USD', 'forecast', '2025'],
    ['u1', 'users', 340_000, 'users', 'merchants', '2025-03'],
    ['u2', 'users', 21.4e6, 'users', null, '2025-03'],
  ];
  for (const [id, kind, value, unit, label, asOf] of rows) {
    await c.execute({ sql: `insert into facts (id, company_id, kind, value, unit, label, as_of, statement, extractor, confidence) values (?, 1, ?, ?, ?, ?, ?, 's', 'rules/2', 0.8)`, args: [id, kind, value, unit, label, asOf] });
    await c.execute({ sql: `insert into fact_sources (fact_id, article_id, revision, evidence, start, "end", extractor) values (?, 1, 1, 'x', 0, 1, 'rules/2')`, args: [id] });
  }
  const brief = await buildBrief(db.db, 1);
  expect(brief).toContain('Revenue: $412 million (2025-Q1).');
  expect(brief).toContain('Users: 21.4 million users (2025-03).');
});
