/**
 * A company fact sheet's build-time data over a real libSQL database: which figure is "latest" and
 * which points a chart joins into a line.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { articles, companies, facts, factSources } from '../../db/schema.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';
import { companyFactSheet } from '../../src/lib/site/queries.ts';
import { chartSeries } from '../../src/lib/site/chart-series.ts';

let t: TempDb;
beforeEach(async () => {
  t = await tempDb();
});
afterEach(() => t.cleanup());

/** One company, one article, and these facts each sourced from it. */
async function seed(rows: { id: string; kind: string; value: number; unit: string; asOf: string; label?: string | null }[]) {
  const db = t.db;
  const [co] = await db.insert(companies).values({ slug: 'lendora', name: 'Lendora' }).returning();
  await db.insert(articles).values({ id: 1, key: 'k1', url: 'https://news.example/1', title: 'Lendora results', outlet: 'Wire', publishedAt: '2025-05-06T00:00:00Z', text: 'x', contentHash: 'h1', simhash: '0000000000000000' });
  for (const r of rows) {
    await db.insert(facts).values({ ...r, companyId: co!.id, statement: 's', extractor: 'rules/2', confidence: 0.8 });
    await db.insert(factSources).values({ factId: r.id, articleId: 1, revision: 1, evidence: 'x', start: 0, end: 1, extractor: 'rules/2' });
  }
}

it('shows actuals as latest and on the chart: never a forecast on an actual line, one period length per line, and all users over a sub-count', async () => {
  const rows = [
    { id: 'r1', kind: 'revenue', value: 412e6, unit: 'USD', label: null, asOf: '2025-Q1' },
    { id: 'r0', kind: 'revenue', value: 325e6, unit: 'USD', label: null, asOf: '2024-Q1' },
    { id: 'r2', kind: 'revenue', value: 1.72e9, unit: 'USD', label: 'forecast', asOf: '2025-Q4' },
    { id: 'r3', kind: 'revenue', value: 1.3e9, unit: 'USD', label: null, asOf: '2024' },
    { id: 'u1', kind: 'users', value: 340_000, unit: 'users', label: 'merchants', asOf: '2025-03' },
    { id: 'u2', kind: 'users', value: 21.4e6, unit: 'users', label: null, asOf: '2025-03' },
  ];
  await seed(rows);
  const sheet = (await companyFactSheet(t.db, 'lendora'))!;
  expect(sheet.latest.map((f) => [f.kind, f.asOf, f.value])).toEqual(expect.arrayContaining([['revenue', '2025-Q1', 412e6], ['revenue', '2024', 1.3e9], ['users', '2025-03', 21.4e6]]));
  expect(sheet.latest.some((f) => f.label === 'forecast' || f.label === 'merchants')).toBe(false);
  // One line per period length, the forecast on a line of its own.
  const lines = chartSeries(sheet.chartFacts, 'revenue')!.series.map((s) => [s.name, s.points.map((p) => p.fact.value)]);
  expect(lines).toEqual([['annual', [1.3e9]], ['quarterly', [325e6, 412e6]], ['quarterly forecast', [1.72e9]]]);
});

it('plots one claim once: the same valuation at "2021" and "2021-06" is one point, at June', async () => {
  const rows = [
    { id: 'v1', kind: 'valuation', value: 45.6e9, unit: 'USD', asOf: '2021' },
    { id: 'v2', kind: 'valuation', value: 45.6e9, unit: 'USD', asOf: '2021-06' },
    { id: 'v3', kind: 'valuation', value: 6.7e9, unit: 'USD', asOf: '2022-07' },
    { id: 'v4', kind: 'valuation', value: 6.7e9, unit: 'USD', asOf: '2023' },
  ];
  await seed(rows);
  const sheet = (await companyFactSheet(t.db, 'lendora'))!;
  // 2022-07 and 2023 do not nest: the same value a year apart is two points.
  const chart = chartSeries(sheet.chartFacts, 'valuation')!;
  expect(chart.series.map((s) => [s.name, s.points.map((p) => p.fact.asOf)])).toEqual([['reported', ['2021-06', '2022-07', '2023']]]);
  // The folded report keeps its place as a source of the point.
  expect(chart.series[0]!.points[0]!.also.map((f) => f.id)).toEqual(['v1']);
});
