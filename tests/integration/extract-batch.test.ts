/**
 * Several extracted articles written in one transaction (saveExtractions) store exactly what saving
 * them one by one stores, and one article that cannot be written fails alone: the batch is rolled
 * back whole and the others are written one at a time, none of them half-written.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { articles, companies as companiesTable, facts, factSources, summaries } from '../../db/schema.ts';
import { addFeeds } from '../../db/queries/feeds.ts';
import { saveArticle } from '../../scrapers/store.ts';
import type { GroundedFact } from '../../src/extract/ground.ts';
import { extractArticles } from '../../src/extract/pipeline.ts';
import { saveExtraction, saveExtractions, type ExtractionToSave } from '../../src/extract/store.ts';
import { reconcileGroups, type FactGroup } from '../../src/extract/reconcile.ts';
import { writeTransaction } from '../../db/bulk.ts';
import type { ArticleInput, Extractor, ExtractionResult } from '../../src/extract/types.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let a: TempDb;
let b: TempDb;
beforeEach(async () => {
  a = await tempDb();
  b = await tempDb();
});
afterEach(() => {
  a.cleanup();
  b.cleanup();
});

const SENTENCES = [
  'Klarna was valued at $6.7 billion in 2022.',
  'Klarna was valued at $45.6 billion in 2021.',
  'Revolut said revenue rose to $2.2 billion in 2023.',
  'Klarna was valued at $6.5 billion in 2022, a rival report said.',
];

async function addArticles(db: TempDb, n: number): Promise<void> {
  await addFeeds(db.db, [{ url: 'https://feeds.example/rss' }]);
  for (let i = 0; i < n; i++) {
    const key = `https://outlet${i % 2}.example/${i}`;
    await saveArticle(db.db, null, {
      keys: [key], url: key, feedId: 1, guid: key, title: `Story ${i}`, outlet: `Outlet ${i % 2}`, author: null, language: 'en',
      description: null, publishedAt: '2025-01-01T00:00:00Z', modifiedAt: null, text: `${SENTENCES.join('\n\n')}\n\nStory number ${i}.`,
      textSource: 'page', paywalled: false, truncated: false, flags: [], etag: null, lastModified: null, rawHtml: null,
    });
  }
}

function grounded(sentence: number, p: Partial<GroundedFact>): GroundedFact {
  const evidence = SENTENCES[sentence]!;
  const start = SENTENCES.slice(0, sentence).reduce((n, s) => n + s.length + 2, 0);
  return {
    kind: 'valuation', company: 'Klarna', value: null, unit: 'USD', direction: null, changePct: null, approximate: false, label: null,
    status: null, asOf: null, speaker: null, quote: null, confidence: 0.7, evidence, start, end: start + evidence.length, ...p,
  };
}

/** Four articles: a claim two outlets share, one the others dispute, another company's. */
function items(): ExtractionToSave[] {
  const ref = (id: number) => ({ id, revision: 1, paywalled: false, truncated: false, flags: [] });
  const v2022 = grounded(0, { value: 6.7e9, asOf: '2022' });
  return [
    { article: ref(1), extractor: 'test/1', grounded: [v2022, grounded(1, { value: 45.6e9, asOf: '2021' })], summary: 'One.' },
    { article: ref(2), extractor: 'test/1', grounded: [v2022, grounded(2, { company: 'Revolut', kind: 'revenue', value: 2.2e9, asOf: '2023' })], summary: 'Two.' },
    { article: ref(3), extractor: 'test/1', grounded: [grounded(3, { value: 6.5e9, asOf: '2022' })], summary: null },
    { article: ref(4), extractor: 'test/1', grounded: [], summary: 'Nothing to say.' },
  ];
}

async function stored(db: TempDb) {
  const f = await db.db.select().from(facts).orderBy(asc(facts.id));
  const s = await db.db.select().from(factSources).orderBy(asc(factSources.factId), asc(factSources.articleId));
  const sum = await db.db.select({ articleId: summaries.articleId, text: summaries.text }).from(summaries).orderBy(asc(summaries.articleId));
  const art = await db.db.select({ id: articles.id, status: articles.extractionStatus }).from(articles).orderBy(asc(articles.id));
  return {
    facts: f.map(({ createdAt: _c, updatedAt: _u, ...rest }) => rest),
    sources: s,
    summaries: sum,
    articles: art,
  };
}

describe('saveExtractions', () => {
  it('stores what saving the articles one by one stores, corroboration and disputes included', async () => {
    await addArticles(a, 4);
    await addArticles(b, 4);
    const out = await saveExtractions(a.db, items());
    expect(out.map((o) => o.ok)).toEqual([true, true, true, true]);
    for (const it of items()) await saveExtraction(b.db, it.article, it.extractor, it.grounded, it.summary);
    const batch = await stored(a);
    expect(batch).toEqual(await stored(b));
    expect(batch.facts.map((f) => [f.kind, f.value, f.corroboration])).toEqual(
      expect.arrayContaining([
        ['valuation', 6.7e9, 'disputed'],
        ['valuation', 6.5e9, 'disputed'],
        ['valuation', 45.6e9, 'single-source'],
        ['revenue', 2.2e9, 'single-source'],
      ]),
    );
    expect(batch.articles.every((x) => x.status === 'done')).toBe(true);
  });

  it('fails only the article that cannot be written, and writes nothing of it', async () => {
    await addArticles(a, 4);
    const batch = items();
    // A source without a position breaks a NOT NULL constraint half-way through article 2's rows.
    batch[1]!.grounded[1] = { ...batch[1]!.grounded[1]!, start: null as unknown as number };
    const out = await saveExtractions(a.db, batch);
    expect(out.map((o) => o.ok)).toEqual([true, false, true, true]);
    const err = (out[1] as { error: Error & { cause?: Error } }).error;
    expect(`${err.message} ${err.cause?.message}`).toMatch(/NOT NULL.*fact_sources\.start/is);
    const s = await stored(a);
    expect(s.sources.filter((x) => x.articleId === 2)).toEqual([]);
    expect(s.facts.find((f) => f.kind === 'revenue')).toBeUndefined();
    expect(s.summaries.map((x) => x.articleId)).toEqual([1, 4]);
    expect(s.articles.map((x) => x.status)).toEqual(['done', 'pending', 'done', 'done']);
    // The others are reconciled as usual: 6.7 bn (article 1) against 6.5 bn (article 3) is one outlet
    // (Outlet 0) saying two things, not two outlets contradicting each other.
    expect(s.facts.filter((f) => f.asOf === '2022').map((f) => f.corroboration)).toEqual(['single-source', 'single-source']);
    const [two] = await a.db.select().from(articles).where(eq(articles.id, 2));
    expect(two!.extractedAt).toBeNull();
  });
});

describe('the company cache a run keeps across writes', () => {
  it('never keeps a company from a batch that rolled back', async () => {
    await addArticles(a, 4);
    const companies = new Map<string, { id: number; slug: string }>();
    const batch = items();
    // Article 2 names a company not stored yet (Revolut), then breaks: the batch rolls back whole.
    batch[1]!.grounded[1] = { ...batch[1]!.grounded[1]!, start: null as unknown as number };
    const out = await saveExtractions(a.db, batch, { companies });
    expect(out.map((o) => o.ok)).toEqual([true, false, true, true]);
    // Written again on its own, article 2 stores Revolut for real.
    const again = await saveExtractions(a.db, [items()[1]!], { companies });
    expect(again.map((o) => o.ok)).toEqual([true]);
    const rows = await a.db.select({ company: facts.companyId }).from(facts);
    const stored = new Set((await a.db.select({ id: companiesTable.id }).from(companiesTable)).map((c) => c.id));
    expect(rows.every((r) => stored.has(r.company))).toBe(true);
    expect([...companies.values()].every((c) => stored.has(c.id))).toBe(true);
  });
});

describe('reconcile after a save', () => {
  it('puts a claim outside any dispute back to single-source when it loses its second outlet', async () => {
    await addArticles(a, 2); // outlets 0 and 1
    const ref = (id: number, revision = 1) => ({ id, revision, paywalled: false, truncated: false, flags: [] });
    const undated = grounded(0, { value: 6.7e9 }); // no period: never disputed, only corroborated
    await saveExtractions(a.db, [
      { article: ref(1), extractor: 'test/1', grounded: [undated], summary: null },
      { article: ref(2), extractor: 'test/1', grounded: [undated], summary: null },
    ]);
    expect((await a.db.select().from(facts)).map((f) => f.corroboration)).toEqual(['corroborated']);
    await saveExtraction(a.db, ref(2), 'test/1', [], null); // article 2 read again: it no longer says so
    expect((await a.db.select().from(facts)).map((f) => f.corroboration)).toEqual(['single-source']);
  });
});

describe('reconcile of overlapping groups', () => {
  // The "every period" group of a kind (an undated figure) holds every fact of the kind, those of
  // each year's group too; reconciled in one call, each fact must still be judged once, with all of
  // its sources and rivals — whether the two groups fall in one statement or in two.
  it.each([['one statement', 0], ['two statements', 150]])('judges a fact in both the undated and its year group once (%s)', async (_name, others) => {
    await addArticles(a, 3); // outlets 0, 1, 0
    const ref = (id: number) => ({ id, revision: 1, paywalled: false, truncated: false, flags: [] });
    const dated = grounded(1, { value: 45.6e9, asOf: '2021' });
    await saveExtractions(a.db, [
      { article: ref(1), extractor: 'test/1', grounded: [dated], summary: null },
      { article: ref(2), extractor: 'test/1', grounded: [dated], summary: null },
      { article: ref(3), extractor: 'test/1', grounded: [grounded(0, { value: 6.7e9, asOf: null })], summary: null },
    ]);
    expect((await a.db.select().from(facts)).find((f) => f.asOf === '2021')!.corroboration).toBe('corroborated');
    const [{ companyId }] = await a.db.select({ companyId: facts.companyId }).from(facts).limit(1) as [{ companyId: number }];
    const filler: FactGroup[] = Array.from({ length: others }, (_, i) => ({ companyId: 1000 + i, kind: 'revenue', asOf: '2020' }));
    await writeTransaction(a.db, (tx) => reconcileGroups(tx, [{ companyId, kind: 'valuation', asOf: '2021' }, ...filler, { companyId, kind: 'valuation', asOf: null }]));
    expect((await a.db.select().from(facts)).find((f) => f.asOf === '2021')!.corroboration).toBe('corroborated');
  });
});

describe('extractArticles, writing in batches', () => {
  it('leaves no attempt counted against articles it counted ahead but never tried', async () => {
    await addArticles(a, 30);
    const tried: number[] = [];
    // The token budget runs out at the fifth article: the run stops, the rest stay pending.
    const extractor: Extractor = {
      name: 'test/1',
      async extract(x: ArticleInput): Promise<ExtractionResult> {
        tried.push(x.id);
        if (tried.length === 5) throw Object.assign(new Error('token budget spent'), { name: 'LlmBudgetError' });
        return { facts: [{ ...grounded(0, { value: 6.7e9, asOf: '2022' }) }], summary: null, subject: null };
      },
    };
    const r = await extractArticles({ db: a.db, extractor, concurrency: 2 });
    const rows = await a.db.select({ id: articles.id, status: articles.extractionStatus, attempts: articles.extractionAttempts }).from(articles);
    const done = rows.filter((x) => x.status === 'done');
    expect(done.length).toBe(r.stats.extracted);
    expect(done.length).toBeGreaterThanOrEqual(4);
    expect(rows.filter((x) => x.status === 'pending').length).toBe(30 - done.length);
    expect(rows.every((x) => x.attempts === 0)).toBe(true);
  });
});

describe('one claim read from several articles', () => {
  it('keeps the earliest report’s sentence as its statement, whichever article is saved first', async () => {
    const texts = {
      early: 'Klarna was valued at $6.7 billion in 2022, after a down round.',
      late: 'Back in 2022 the lender was valued at $6.7 billion by investors.',
    };
    const statementWhen = async (db: TempDb, order: ('early' | 'late')[]) => {
      await addFeeds(db.db, [{ url: 'https://feeds.example/rss' }]);
      const ids: Record<string, number> = {};
      // The later report is stored first (lower id), so neither id order nor save order picks the sentence.
      for (const which of ['late', 'early'] as const) {
        const key = `https://news.example/${which}`;
        const saved = await saveArticle(db.db, null, {
          keys: [key], url: key, feedId: 1, guid: key, title: which, outlet: which, author: null, language: 'en', description: null,
          publishedAt: which === 'early' ? '2023-01-10T00:00:00Z' : '2025-06-01T00:00:00Z', modifiedAt: null, text: texts[which],
          textSource: 'page', paywalled: false, truncated: false, flags: [], etag: null, lastModified: null, rawHtml: null,
        });
        ids[which] = saved.articleId;
      }
      for (const which of order) {
        const evidence = texts[which];
        const claim: GroundedFact = { ...grounded(0, { value: 6.7e9, asOf: '2022' }), evidence, start: 0, end: evidence.length };
        await saveExtraction(db.db, { id: ids[which]!, revision: 1, paywalled: false, truncated: false, flags: [] }, 'test/1', [claim], null);
      }
      const rows = await db.db.select({ statement: facts.statement }).from(facts);
      expect(rows).toHaveLength(1);
      return rows[0]!.statement;
    };
    expect(await statementWhen(a, ['late', 'early'])).toBe(texts.early);
    expect(await statementWhen(b, ['early', 'late'])).toBe(texts.early);
  });
});
