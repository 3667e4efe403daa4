/**
 * The timeline's build-time data and index files over a real libSQL database: which facts appear,
 * with which date and evidence link, and that the files written to disk answer searches.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { articles, companies, facts, factSources } from '../../db/schema.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';
import { timelineRecords, writeTimelineIndex } from '../../src/lib/site/timeline.ts';
import { factsByCompany } from '../../src/lib/site/queries.ts';
import { candidateShards, planQuery, routeQuery, routerPrefixes, searchShard, shardFile, type Manifest, type RouterFile, type Shard } from '../../src/lib/site/search-shards.ts';

let t: TempDb;
beforeEach(async () => {
  t = await tempDb();
});
afterEach(() => t.cleanup());

async function seed() {
  const db = t.db;
  const [klarna] = await db.insert(companies).values({ slug: 'klarna', name: 'Klarna' }).returning();
  const [affirm] = await db.insert(companies).values({ slug: 'affirm', name: 'Affirm <b>Holdings</b>' }).returning();
  const article = (id: number, title: string, publishedAt: string | null, revision = 1) => ({
    id,
    key: `https://news.example/${id}`,
    url: `https://news.example/${id}`,
    title,
    outlet: 'The Ledger',
    publishedAt,
    text: 'text',
    contentHash: `h${id}`,
    simhash: '0000000000000000',
    revision,
  });
  await db.insert(articles).values([
    article(1, 'Klarna pauses IPO plans', '2025-04-07T13:10:00.000Z'),
    article(2, 'Reprint: Klarna pauses IPO plans', '2025-04-08T09:00:00.000Z'),
    article(3, 'Klarna results, corrected', '2025-05-19T10:30:00.000Z', 2),
    article(4, 'Affirm beats forecasts', null),
  ]);
  const fact = (id: string, companyId: number, kind: string, statement: string, more: Partial<typeof facts.$inferInsert> = {}) => ({
    id,
    companyId,
    kind,
    statement,
    extractor: 'rules',
    confidence: 0.9,
    ...more,
  });
  await db.insert(facts).values([
    fact('ipo1', klarna!.id, 'ipo', 'Klarna paused its New York IPO.', { status: 'paused', asOf: '2025-04' }),
    fact('quote1', klarna!.id, 'quote', 'Rachel Ambrose said Klarna is not in a hurry.', { quote: 'We are not in a hurry', speaker: 'Rachel Ambrose' }),
    fact('rev1', klarna!.id, 'revenue', 'Revenue was $701 million in the first quarter.', { value: 701e6, unit: 'USD', asOf: '2025-Q1', corroboration: 'corroborated' }),
    fact('old1', klarna!.id, 'revenue', 'Revenue was $700 million.', { value: 700e6, unit: 'USD', asOf: '2025-Q1', retracted: true }),
    fact('aff1', affirm!.id, 'headcount', 'Affirm employs about 2,000 people.', { value: 2000, unit: 'people', asOf: '2024', corroboration: 'disputed' }),
    fact('dec1', affirm!.id, 'headcount', 'Affirm had 1,990 staff in December.', { value: 1990, unit: 'people', asOf: '2024-12' }),
    fact('plan1', klarna!.id, 'headcount', 'Klarna plans to have 4,000 staff by 2026.', { value: 4000, unit: 'people', asOf: '2026' }),
    fact('orphan', affirm!.id, 'funding', 'Only an old revision said this.', { value: 1e6, unit: 'USD', asOf: '2023' }),
  ]);
  // Each source's evidence is its own sentence: the one the timeline must show beside that source.
  const said: Record<string, string> = { ipo1: 'Klarna paused its New York IPO.', quote1: 'Rachel Ambrose said Klarna is not in a hurry.', rev1: 'Revenue was $701 million in the first quarter.', old1: 'Revenue was $700 million.', aff1: 'Affirm employs about 2,000 people.', dec1: 'Affirm had 1,990 staff in December.', plan1: 'Klarna plans to have 4,000 staff by 2026.', orphan: 'Only an old revision said this.' };
  const src = (factId: string, articleId: number, revision = 1, evidence = said[factId]!) => ({ factId, articleId, revision, evidence, start: 0, end: evidence.length, extractor: 'rules' });
  await db.insert(factSources).values([
    src('ipo1', 2, 1, 'Reprinted: Klarna paused its New York IPO.'), // the reprint is listed first but published later
    src('ipo1', 1),
    src('quote1', 1),
    src('rev1', 3, 1), // old revision of article 3: its page no longer holds this evidence…
    src('rev1', 3, 2), // …the current one does
    src('old1', 3, 1),
    src('aff1', 4),
    src('dec1', 4),
    src('plan1', 1),
    src('orphan', 3, 1),
  ]);
}

describe('timeline records', () => {
  it('lists every current fact newest first, dated by its period end capped at its report, linked to the earliest current source', async () => {
    await seed();
    const rows = await timelineRecords(t.db);
    expect(rows.map((r) => [r.i, r.d, r.a])).toEqual([
      // reported 7 Apr 2025: the quote and the April IPO pause (a period still running) are dated by
      // the report; of that day's facts the 2026 plan comes last
      ['quote1', '2025-04-07', 1],
      ['ipo1', '2025-04-07', 1],
      ['plan1', '2025-04-07', 1],
      ['rev1', '2025-03-31', 3],
      // the full year 2024 and its December end the same day: the year first (it is the later claim)
      ['aff1', '2024-12-31', 4],
      ['dec1', '2024-12-31', 4],
      // no current article text holds it any more, but the fact sheet counts it: listed, no evidence link
      ['orphan', '2023-12-31', null],
    ]);
    const byId = new Map(rows.map((r) => [r.i, r]));
    expect(byId.get('quote1')).toMatchObject({ o: null, w: '2025-04-07', v: null, q: 'We are not in a hurry', p: 'Rachel Ambrose', h: 'Klarna pauses IPO plans' });
    expect(byId.get('ipo1')!.v).toBe('paused');
    // The sentence shown is the linked source's own, and the other source is counted.
    expect(byId.get('ipo1')).toMatchObject({ t: 'Klarna paused its New York IPO.', a: 1, n: 1 });
    expect(byId.get('rev1')!.v).toBe('$701 million');
    expect(byId.get('aff1')!.w).toBeNull();
    expect(byId.get('orphan')).toMatchObject({ t: 'Only an old revision said this.', h: null, w: null });
    // corroboration travels as a one-letter code; single-source is the default and left out
    expect(rows.map((r) => [r.i, r.b ?? null])).toEqual(expect.arrayContaining([['rev1', 'c'], ['aff1', 'd'], ['ipo1', null]]));
    // the IPO's first source is the original (the reprint is a copy): not flagged as a copy
    expect(byId.get('ipo1')!.y).toBeUndefined();
  });

  it('counts per company exactly the facts the fact sheet counts', async () => {
    await seed();
    const rows = await timelineRecords(t.db);
    const grouped = await factsByCompany(t.db);
    for (const slug of ['klarna', 'affirm']) {
      expect(rows.filter((r) => r.c === slug).map((r) => r.i).sort(), slug).toEqual(grouped.get(slug)!.map((f) => f.id).sort());
    }
    expect(rows.filter((r) => r.c === 'klarna')).toHaveLength(4); // ipo1, quote1, rev1, plan1: not the retracted old1
  });
});

describe('timeline index files', () => {
  it('writes a manifest, shards and router that find facts by speaker, title and filters', async () => {
    await seed();
    const out = path.join(t.dir, 'client');
    const report = await writeTimelineIndex(t.db, out);
    const dir = path.join(out, 'timeline', 'index');
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(report.shards).toBe(manifest.shards.length);
    expect(manifest.companies).toEqual([
      ['affirm', 'Affirm <b>Holdings</b>'], // data, escaped wherever it is shown
      ['klarna', 'Klarna'],
    ]);
    expect(manifest.kinds).toEqual(['funding', 'headcount', 'ipo', 'quote', 'revenue']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json')).sort()).toEqual(['affirm.2023.json', 'affirm.2024.json', 'klarna.2025.json', 'manifest.json']);
    for (const [c, year, , bytes] of manifest.shards) expect(statSync(path.join(dir, shardFile(manifest.companies[c]![0], year))).size).toBe(bytes);

    const search = (q: string, filters = {}) => {
      const plan = planQuery(q);
      const files = new Map<string, RouterFile>();
      for (const p of routerPrefixes(plan)) {
        if (manifest.prefixes.includes(p)) files.set(p, JSON.parse(readFileSync(path.join(dir, 'terms', `${p}.json`), 'utf8')) as RouterFile);
      }
      return candidateShards(manifest, filters, plan.clauses.length ? routeQuery(plan, files) : null).flatMap((n) => {
        const [c, year] = manifest.shards[n]!;
        const shard = JSON.parse(readFileSync(path.join(dir, shardFile(manifest.companies[c]![0], year)), 'utf8')) as Shard;
        return searchShard(shard, plan, filters).records.map((r) => r.i);
      });
    };
    expect(search('ambrose')).toEqual(['quote1']);
    expect(search('pauses')).toEqual(expect.arrayContaining(['ipo1', 'quote1'])); // in the article title
    expect(search('revenue -700')).toEqual(['rev1']);
    expect(search('', { company: 'affirm' })).toEqual(['aff1', 'dec1', 'orphan']);
    expect(search('employees')).toEqual(['plan1', 'aff1', 'dec1']); // "staff", "employs": one vocabulary
    expect(search('affirm headcount')).toEqual(['aff1', 'dec1']); // company name and kind are indexed
    expect(search('', { kind: 'quote', from: '2025-04-01', to: '2025-04-30' })).toEqual(['quote1']);
    expect(search('', { from: '2025-05-01' })).toEqual([]);
    expect(search('700')).toEqual([]); // only the retracted fact said $700 million
  });
});
