/**
 * The remote-database path against a real sqld: migrations applied over HTTP, a full refresh with
 * extraction from the bundled sample, re-run idempotence, the facts export, and the FTS5 search index
 * (created, backfilled and kept in sync by triggers) — the same guarantees as on an embedded file.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDb, type OpenDb } from '../../db/client.ts';
import { addFeeds } from '../../db/queries/feeds.ts';
import { eq } from 'drizzle-orm';
import { articles, companies, facts } from '../../db/schema.ts';
import { parseOpml } from '../../scrapers/feeds/opml.ts';
import { Fetcher } from '../../scrapers/http/fetcher.ts';
import { refresh } from '../../scrapers/refresh.ts';
import { exportFacts } from '../../src/export/facts.ts';
import { searchIndex } from '../../src/lib/api/search.ts';
import { toFtsQuery } from '../../src/lib/api/search-query.ts';
import { extractArticles } from '../../src/extract/pipeline.ts';
import { createRulesExtractor } from '../../src/extract/rules/index.ts';
import { sampleOpmlUrl, startSampleServer } from '../../src/sample/server.ts';
import { FactSchema } from '../helpers/facts-contract.ts';
import { startSqld, type Sqld } from '../helpers/sqld.ts';
import { runCli } from '../helpers/cli.ts';
import { startFakeOutlet } from '../helpers/fake-outlet.ts';

let sqld: Sqld;
let sample: Awaited<ReturnType<typeof startSampleServer>>;
let db: OpenDb;

beforeAll(async () => {
  sqld = await startSqld();
  sample = await startSampleServer({ port: 0 });
  db = await openDb(sqld.url);
}, 30_000);
afterAll(async () => {
  db?.close();
  await sample?.close();
  await sqld?.stop();
});

it('collects, extracts and exports through a libSQL server, idempotently', async () => {
  // Opening twice applies migrations once.
  (await openDb(sqld.url)).close();
  await addFeeds(db.db, parseOpml(await (await fetch(sampleOpmlUrl(sample.origin))).text()).feeds);
  const fetcher = new Fetcher({ allowedOrigins: [sample.origin] });
  try {
    const first = await refresh({ db: db.db, fetcher });
    expect(first.failures).toEqual([]);
    expect(first.stats.articlesNew + first.stats.articlesCopies).toBe(13);
    const again = await refresh({ db: db.db, fetcher, all: true });
    expect(again.stats.articlesNew + again.stats.articlesRevised).toBe(0);
  } finally {
    await fetcher.close();
  }
  const rows = await db.db.select().from(articles);
  expect(rows).toHaveLength(13);
  expect(rows.filter((a) => a.copyOfId !== null)).toHaveLength(1);
  const r = await extractArticles({ db: db.db, extractor: createRulesExtractor() });
  expect(r.failures).toEqual([]);
  expect(r.stats.extracted).toBe(13);
  const exported = [];
  for await (const f of exportFacts(db.db)) exported.push(FactSchema.parse(f));
  expect(exported.length).toBe((await db.db.select().from(facts)).length);
  for (const f of exported) {
    for (const s of f.sources) expect(rows.find((a) => a.id === s.articleId)!.text.slice(s.start, s.end)).toBe(s.evidence);
  }
}, 60_000);

it('shares the work of three CLI workers on one libSQL server without double-processing', async () => {
  const outlet = await startFakeOutlet({ feeds: 4, perFeed: 6, pageDelayMs: 20 });
  try {
    await addFeeds(db.db, Array.from({ length: 4 }, (_, i) => ({ url: outlet.feedUrl(i) })));
    const env = { ...process.env, DATABASE_URL: sqld.url, FACTDESK_ALLOW_PRIVATE_NETWORKS: '1' };
    const results = await Promise.all([0, 1, 2].map(() => runCli(['refresh', '--no-extract', '--json'], env)));
    for (const res of results) expect(res.code, res.stderr).toBe(0);
    for (let i = 0; i < 4; i++) expect(outlet.hits.get(`/f${i}/feed.xml`)).toBe(1);
    for (const a of outlet.articles) expect(outlet.hits.get(a.path)).toBe(1);
    expect(await db.db.select().from(articles)).toHaveLength(13 + 24);
  } finally {
    await outlet.close();
  }
}, 90_000);

it('keeps the full-text index in step over HTTP: triggers, MATCH, bm25 and snippets', async () => {
  const count = async () => {
    const r = await db.client.execute(
      'select (select count(*) from search_fts) as fts, (select count(*) from articles) + (select count(*) from facts where not retracted) as docs',
    );
    return { fts: Number(r.rows[0]!.fts), docs: Number(r.rows[0]!.docs) };
  };
  // Whatever the earlier cases wrote through the remote server was indexed by the triggers.
  const before = await count();
  expect(before.fts).toBe(before.docs);

  const [co] = await db.db.insert(companies).values({ slug: 'quokkapay', name: 'QuokkaPay' }).returning();
  const [a] = await db.db
    .insert(articles)
    .values({ key: 'https://remote.example/q', title: 'QuokkaPay raises money', text: 'QuokkaPay, a Perth lender, raised $40 million from marsupial-minded investors.', contentHash: 'q', simhash: '0' })
    .returning();
  await db.db.insert(facts).values({ id: 'abcabcabcabcabcabc01', companyId: co!.id, kind: 'funding', value: 40e6, unit: 'USD', statement: 'QuokkaPay raised $40 million.', extractor: 'test/1', confidence: 1 });
  const hits = await searchIndex(db.db, toFtsQuery('quokkapay')!, { limit: 10 });
  expect(hits.map((h) => h.kind).sort()).toEqual(['article', 'fact']);
  for (const h of hits) expect(h.highlights.map(([s, e]) => h.snippet.slice(s, e))).toContain('QuokkaPay');

  await db.db.update(articles).set({ text: 'A corrected story about wombats.' }).where(eq(articles.id, a!.id));
  expect(await searchIndex(db.db, toFtsQuery('marsupial')!, { limit: 10 })).toEqual([]);
  expect((await searchIndex(db.db, toFtsQuery('wombat')!, { limit: 10 })).map((h) => h.ref)).toEqual([String(a!.id)]);
  await db.db.update(facts).set({ retracted: true }).where(eq(facts.id, 'abcabcabcabcabcabc01'));
  expect((await searchIndex(db.db, toFtsQuery('quokkapay')!, { kind: 'fact', limit: 10 }))).toEqual([]);
  const after = await count();
  expect(after.fts).toBe(after.docs);
});
