/**
 * The default run's promise on the bundled sample: collect, extract with the built-in rules, and
 * every stored fact's evidence is exactly the stored text at [start, end); the export validates
 * against the facts contract; a second extraction changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { addFeeds } from '../../db/queries/feeds.ts';
import { articles, companies, facts, factSources, summaries } from '../../db/schema.ts';
import { parseOpml } from '../../scrapers/feeds/opml.ts';
import { Fetcher } from '../../scrapers/http/fetcher.ts';
import { refresh } from '../../scrapers/refresh.ts';
import { exportFacts, writeFacts } from '../../src/export/facts.ts';
import { createExtractor } from '../../src/extract/index.ts';
import { extractArticles, type ExtractReport } from '../../src/extract/pipeline.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { sampleOpmlUrl, startSampleServer } from '../../src/sample/server.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';
import { ExportSchema } from '../helpers/facts-contract.ts';
import { Writable } from 'node:stream';

let db: TempDb;
let report: ExtractReport;

beforeAll(async () => {
  const server = await startSampleServer({ port: 0 });
  db = await tempDb();
  try {
    await addFeeds(db.db, parseOpml(await (await fetch(sampleOpmlUrl(server.origin))).text()).feeds);
    const fetcher = new Fetcher({ allowedOrigins: [server.origin] });
    await refresh({ db: db.db, fetcher });
    await fetcher.close();
  } finally {
    await server.close();
  }
  report = await extractArticles({ db: db.db, extractor: await createExtractor(db.db, loadConfig({})) });
});
afterAll(() => db.cleanup());

async function exportJson(): Promise<unknown> {
  let out = '';
  const sink = new Writable({ write(chunk, _enc, cb) { out += chunk; cb(); } });
  await writeFacts(sink, exportFacts(db.db), 'json');
  return JSON.parse(out);
}

describe('rules extraction on the sample', () => {
  it('extracts every article without failures and keeps facts', async () => {
    expect(report.failures).toEqual([]);
    expect(report.stats.extracted).toBe(13);
    expect(report.stats.factsAccepted).toBeGreaterThan(40);
    const done = await db.db.select().from(articles).where(eq(articles.extractionStatus, 'done'));
    expect(done).toHaveLength(13);
  });

  it('stores evidence that is exactly the article text at [start, end)', async () => {
    const rows = await db.db
      .select({ evidence: factSources.evidence, start: factSources.start, end: factSources.end, text: articles.text })
      .from(factSources)
      .innerJoin(articles, and(eq(articles.id, factSources.articleId), eq(articles.revision, factSources.revision)));
    expect(rows.length).toBeGreaterThan(40);
    for (const r of rows) expect(r.text.slice(r.start, r.end)).toBe(r.evidence);
  });

  it('exports facts that validate against the contract', async () => {
    const doc = ExportSchema.parse(await exportJson());
    expect(doc.facts.length).toBeGreaterThan(20);
    const klarna = doc.facts.filter((f) => f.company === 'klarna');
    expect(klarna.length).toBeGreaterThan(10);
    expect(new Set(klarna.map((f) => f.kind)).size).toBeGreaterThanOrEqual(5);
    // The syndicated reprint repeats the original: where both are sources of a fact, the copy is not independent.
    let both = 0;
    for (const f of doc.facts) {
      for (const s of f.sources.filter((x) => x.copyOf !== null)) {
        expect(s.copyOf).toContain('/ledgerwire/2024/klarna-ai-assistant-700-agents.html');
        const originalToo = f.sources.some((o) => o.url === s.copyOf);
        expect(s.independent).toBe(!originalToo);
        if (originalToo) both++;
      }
    }
    expect(both).toBeGreaterThan(0);
  });

  it('writes a summary per article and a brief per company with facts', async () => {
    expect(await db.db.select().from(summaries).where(eq(summaries.subject, 'article'))).toHaveLength(13);
    const [klarna] = await db.db
      .select({ text: summaries.text })
      .from(summaries)
      .innerJoin(companies, eq(companies.id, summaries.companyId))
      .where(eq(companies.slug, 'klarna'));
    expect(klarna?.text).toMatch(/^Klarna: \d+ facts from \d+ articles \(\d+ outlets\)\./);
  });

  it('re-extracting everything yields the same fact ids and sources', async () => {
    const ids = (await db.db.select({ id: facts.id }).from(facts)).map((f) => f.id).sort();
    const sources = (await db.db.select().from(factSources)).length;
    await extractArticles({ db: db.db, extractor: await createExtractor(db.db, loadConfig({})), all: true });
    expect((await db.db.select({ id: facts.id }).from(facts)).map((f) => f.id).sort()).toEqual(ids);
    expect(await db.db.select().from(factSources)).toHaveLength(sources);
  });
});
