/**
 * The remote-database path against a real sqld: migrations applied over HTTP, a full refresh with
 * extraction from the bundled sample, re-run idempotence, and the facts export — the same guarantees
 * as on an embedded file.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDb, type OpenDb } from '../../db/client.ts';
import { addFeeds } from '../../db/queries/feeds.ts';
import { articles, facts } from '../../db/schema.ts';
import { parseOpml } from '../../scrapers/feeds/opml.ts';
import { Fetcher } from '../../scrapers/http/fetcher.ts';
import { refresh } from '../../scrapers/refresh.ts';
import { exportFacts } from '../../src/export/facts.ts';
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
