/**
 * The extract stage's guarantees, independent of which extractor proposes facts: grounding,
 * atomic re-extraction with stable ids, one fact per claim across outlets, corroborated vs
 * disputed, copies not independent, failures recorded without stopping the run. A scripted
 * extractor (the Extractor interface is the plug-in point) proposes exactly what each case needs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { articles, facts, factSources, runFailures, summaries } from '../../db/schema.ts';
import { saveArticle, type CollectedArticle } from '../../scrapers/store.ts';
import { addFeeds } from '../../db/queries/feeds.ts';
import { extractArticles } from '../../src/extract/pipeline.ts';
import { exportFacts } from '../../src/export/facts.ts';
import type { ArticleInput, CandidateFact, Extractor, ExtractionResult } from '../../src/extract/types.ts';
import { FactSchema } from '../helpers/facts-contract.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let db: TempDb;
beforeEach(async () => {
  db = await tempDb();
  await addFeeds(db.db, [{ url: 'https://feeds.example/rss' }]);
});
afterEach(() => db.cleanup());

const FILLER = Array.from({ length: 60 }, (_, i) => `filler${i}`).join(' ');
const KLARNA_TEXT = `Klarna said its AI assistant does the work of 700 full-time agents.

The company’s valuation fell to $6.7 billion in 2022 from $45.6 billion in 2021.

“We are hiring humans again,” said Sebastian Siemiatkowski.

${FILLER}`;

async function addArticle(key: string, outlet: string, text: string, publishedAt: string): Promise<number> {
  const a: CollectedArticle = {
    keys: [key], url: key, feedId: 1, guid: key, title: `Story at ${outlet}`, outlet, author: null, language: 'en',
    description: null, publishedAt, modifiedAt: null, text, textSource: 'page', paywalled: false, truncated: false,
    flags: [], etag: null, lastModified: null, rawHtml: null,
  };
  return (await saveArticle(db.db, null, a)).articleId;
}

function fact(p: Partial<CandidateFact> & Pick<CandidateFact, 'kind' | 'evidence'>): CandidateFact {
  return {
    company: 'Klarna', value: null, unit: null, direction: null, changePct: null, approximate: false, label: null,
    status: null, asOf: null, speaker: null, quote: null, confidence: 0.8, ...p,
  };
}

/** Proposes, per article id, whatever the test scripted; throws for ids listed in `fail`. */
class ScriptedExtractor implements Extractor {
  readonly name = 'test/1';
  script: Map<number, CandidateFact[]>;
  fail: Set<number>;
  constructor(script: Map<number, CandidateFact[]>, fail = new Set<number>()) {
    this.script = script;
    this.fail = fail;
  }
  async extract(a: ArticleInput): Promise<ExtractionResult> {
    if (this.fail.has(a.id)) throw Object.assign(new Error('model answered nonsense'), { code: 'llm-answer' });
    return { facts: this.script.get(a.id) ?? [], summary: `Summary of ${a.title}`, subject: 'Klarna' };
  }
}

const agents = (evidence = 'Klarna said its AI assistant does the work of 700 full-time agents.') =>
  fact({ kind: 'workforce_change', value: 700, unit: 'people', direction: 'decrease', label: 'replaced by AI', asOf: '2024', evidence });
const valuation = fact({
  kind: 'valuation', value: 6_700_000_000, unit: 'USD', asOf: '2022',
  evidence: 'The company’s valuation fell to $6.7 billion in 2022 from $45.6 billion in 2021.',
});

describe('extract pipeline', () => {
  it('keeps only grounded facts, storing the exact span even when the evidence was copied loosely', async () => {
    const id = await addArticle('https://a.example/1', 'Outlet A', KLARNA_TEXT, '2025-01-01T00:00:00Z');
    const loose = fact({ ...valuation, evidence: "The company's valuation  fell to $6.7 billion in 2022 from $45.6 billion in 2021." });
    const invented = fact({ kind: 'revenue', value: 2_000_000_000, unit: 'USD', evidence: 'Klarna made $2 billion in revenue.' });
    const wrongValue = agents();
    wrongValue.value = 7000;
    const quote = fact({ kind: 'quote', speaker: 'Sebastian Siemiatkowski', quote: 'We are hiring humans again', evidence: '“We are hiring humans again,” said Sebastian Siemiatkowski.' });
    const r = await extractArticles({ db: db.db, extractor: new ScriptedExtractor(new Map([[id, [loose, invented, wrongValue, quote]]])) });
    expect(r.stats).toMatchObject({ extracted: 1, factsProposed: 4, factsAccepted: 2, factsRejected: 2 });
    expect(r.stats.rejectedBy).toEqual({ 'evidence-not-found': 1, 'value-not-in-evidence': 1 });
    const [article] = await db.db.select().from(articles).where(eq(articles.id, id));
    const sources = await db.db.select().from(factSources);
    expect(sources).toHaveLength(2);
    for (const s of sources) expect(article!.text.slice(s.start, s.end)).toBe(s.evidence);
    expect(sources.map((s) => s.evidence)).toContain('The company’s valuation fell to $6.7 billion in 2022 from $45.6 billion in 2021.');
    expect(article!.extractionStatus).toBe('done');
    expect((await db.db.select().from(summaries).where(eq(summaries.articleId, id)))[0]?.text).toBe('Summary of Story at Outlet A');
  });

  it('re-extraction replaces an article’s facts atomically and keeps ids stable', async () => {
    const id = await addArticle('https://a.example/1', 'Outlet A', KLARNA_TEXT, '2025-01-01T00:00:00Z');
    const ex = new ScriptedExtractor(new Map([[id, [agents(), valuation]]]));
    await extractArticles({ db: db.db, extractor: ex });
    const before = (await db.db.select().from(facts)).map((f) => f.id).sort();
    expect(before).toHaveLength(2);
    await extractArticles({ db: db.db, extractor: ex, all: true });
    expect((await db.db.select().from(facts)).map((f) => f.id).sort()).toEqual(before);
    expect(await db.db.select().from(factSources)).toHaveLength(2);
    ex.script.set(id, [valuation]);
    await extractArticles({ db: db.db, extractor: ex, articleIds: [id] });
    const after = await db.db.select().from(facts);
    expect(after).toHaveLength(1);
    expect(after[0]!.kind).toBe('valuation');
    expect(before).toContain(after[0]!.id);
  });

  it('a correction retracts the fact it removed, keeping what the earlier revision said', async () => {
    const id = await addArticle('https://a.example/1', 'Outlet A', KLARNA_TEXT, '2025-01-01T00:00:00Z');
    const ex = new ScriptedExtractor(new Map([[id, [agents(), valuation]]]));
    await extractArticles({ db: db.db, extractor: ex });
    // The outlet corrects the article: the valuation sentence is gone.
    const corrected = KLARNA_TEXT.replace('The company’s valuation fell to $6.7 billion in 2022 from $45.6 billion in 2021.\n\n', '');
    expect(await addArticle('https://a.example/1', 'Outlet A', corrected, '2025-01-01T00:00:00Z')).toBe(id);
    ex.script.set(id, [agents()]);
    const r = await extractArticles({ db: db.db, extractor: ex });
    expect(r.stats.extracted).toBe(1); // the new revision was queued for extraction
    const all = await db.db.select().from(facts);
    expect(all).toHaveLength(2);
    expect(all.find((f) => f.kind === 'valuation')!.retracted).toBe(true);
    expect(all.find((f) => f.kind === 'workforce_change')!.retracted).toBe(false);
    const sources = await db.db.select().from(factSources);
    expect(sources.map((x) => x.revision).sort()).toEqual([1, 1, 2]);
    const exported = [];
    for await (const f of exportFacts(db.db)) exported.push(FactSchema.parse(f));
    expect(exported.map((f) => f.kind)).toEqual(['workforce_change']);
    expect(exported[0]!.sources).toHaveLength(1);
    const [art] = await db.db.select().from(articles).where(eq(articles.id, id));
    const s0 = exported[0]!.sources[0]!;
    expect(art!.text.slice(s0.start, s0.end)).toBe(s0.evidence);
  });

  it('merges one claim from two outlets into a corroborated fact, and marks conflicting values disputed', async () => {
    const a = await addArticle('https://a.example/1', 'Outlet A', KLARNA_TEXT, '2025-01-01T00:00:00Z');
    const bText = `Klarna's chatbot is doing the work of 700 full-time agents, the company said.\n\nSome say roughly 800 agents were replaced.\n\n${FILLER} other words here`;
    const b = await addArticle('https://b.example/2', 'Outlet B', bText, '2025-01-02T00:00:00Z');
    const script = new Map([
      [a, [agents()]],
      [b, [agents("Klarna's chatbot is doing the work of 700 full-time agents, the company said.")]],
    ]);
    await extractArticles({ db: db.db, extractor: new ScriptedExtractor(script) });
    let all = await db.db.select().from(facts);
    expect(all).toHaveLength(1);
    expect(all[0]!.corroboration).toBe('corroborated');
    expect(await db.db.select().from(factSources)).toHaveLength(2);

    script.set(b, [agents("Klarna's chatbot is doing the work of 700 full-time agents, the company said."), { ...agents('Some say roughly 800 agents were replaced.'), value: 800, approximate: true }]);
    await extractArticles({ db: db.db, extractor: new ScriptedExtractor(script), articleIds: [b] });
    all = await db.db.select().from(facts);
    expect(all).toHaveLength(2);
    expect(all.map((f) => f.corroboration)).toEqual(['disputed', 'disputed']);
    // The export names, for each side, the fact it conflicts with.
    const exported = [];
    for await (const f of exportFacts(db.db)) exported.push(FactSchema.parse(f));
    const [x, y] = exported;
    expect(x!.conflictsWith).toEqual([y!.id]);
    expect(y!.conflictsWith).toEqual([x!.id]);
  });

  it('does not count a reprint as an independent source', async () => {
    const a = await addArticle('https://a.example/1', 'Outlet A', KLARNA_TEXT, '2025-01-01T00:00:00Z');
    const b = await addArticle('https://b.example/copy', 'Outlet B', `${KLARNA_TEXT}\n\nThis article first appeared in Outlet A.`, '2025-01-02T00:00:00Z');
    const [copy] = await db.db.select().from(articles).where(eq(articles.id, b));
    expect(copy!.copyOfId).toBe(a);
    await extractArticles({ db: db.db, extractor: new ScriptedExtractor(new Map([[a, [valuation]], [b, [valuation]]])) });
    const exported = [];
    for await (const f of exportFacts(db.db)) exported.push(FactSchema.parse(f));
    expect(exported).toHaveLength(1);
    const f = exported[0]!;
    expect(f.corroboration).toBe('single-source');
    expect(f.sources.map((s) => [s.outlet, s.independent, s.copyOf])).toEqual([
      ['Outlet A', true, null],
      ['Outlet B', false, 'https://a.example/1'],
    ]);
  });

  it('a copy that dates a claim by its own day, or reads one the original does not make, creates no fact', async () => {
    const a = await addArticle('https://a.example/1', 'Outlet A', KLARNA_TEXT, '2025-01-01T00:00:00Z');
    const b = await addArticle('https://b.example/copy', 'Outlet B', `${KLARNA_TEXT}\n\nThis article first appeared in Outlet A.`, '2025-01-02T00:00:00Z');
    const dayDated = { ...valuation, asOf: '2025-01-02' };
    const extra = agents(); // grounded in the copy's text, but a claim the original never makes
    await extractArticles({ db: db.db, extractor: new ScriptedExtractor(new Map([[a, [valuation]], [b, [dayDated, extra]]])) });
    const all = await db.db.select().from(facts);
    expect(all.map((f) => [f.kind, f.asOf])).toEqual([['valuation', '2022']]);
    expect((await db.db.select().from(factSources)).map((s) => s.articleId).sort()).toEqual([a, b]);
  });

  it('a copy read before its original stands alone until the original is written, then becomes its source', async () => {
    const a = await addArticle('https://a.example/1', 'Outlet A', KLARNA_TEXT, '2025-01-01T00:00:00Z');
    const b = await addArticle('https://b.example/copy', 'Outlet B', `${KLARNA_TEXT}\n\nThis article first appeared in Outlet A.`, '2025-01-02T00:00:00Z');
    const script = new Map([[a, [valuation]], [b, [{ ...valuation, asOf: '2025-01-02' }, agents()]]]);
    await extractArticles({ db: db.db, extractor: new ScriptedExtractor(script), articleIds: [b] });
    expect((await db.db.select().from(facts)).map((f) => f.asOf).sort()).toEqual(['2024', '2025-01-02']);
    await extractArticles({ db: db.db, extractor: new ScriptedExtractor(script), articleIds: [a] });
    const all = await db.db.select().from(facts);
    expect(all.map((f) => [f.kind, f.asOf])).toEqual([['valuation', '2022']]);
    expect((await db.db.select().from(factSources)).map((s) => [s.factId, s.articleId]).sort()).toEqual([[all[0]!.id, a], [all[0]!.id, b]].sort());
  });

  it('a copy read after its original cites the same fact whichever outlet worded it first, and keeps it on re-extraction', async () => {
    // A fact's label is its first reading's: here a third outlet's, read before the original.
    const other = await addArticle('https://c.example/3', 'Outlet C', `Analysts expect a $40 million lift to profit in 2024 from the bot.\n\n${FILLER}`, '2024-12-01T00:00:00Z');
    const a = await addArticle('https://a.example/1', 'Outlet A', `Klarna expects the bot to add $40 million to profit in 2024.\n\n${KLARNA_TEXT}`, '2025-01-01T00:00:00Z');
    const b = await addArticle('https://b.example/copy', 'Outlet B', `Klarna expects the bot to add $40 million to profit in 2024.\n\n${KLARNA_TEXT}\n\nThis article first appeared in Outlet A.`, '2025-01-02T00:00:00Z');
    const profit = (label: string, evidence: string) => fact({ kind: 'metric', value: 40_000_000, unit: 'USD', label, asOf: '2024', evidence });
    const own = profit('profit improvement forecast', 'Klarna expects the bot to add $40 million to profit in 2024.');
    const script = new Map([
      [other, [profit('profit improvement', 'Analysts expect a $40 million lift to profit in 2024 from the bot.')]],
      [a, [own]],
      [b, [own]],
    ]);
    for (const id of [other, a, b]) await extractArticles({ db: db.db, extractor: new ScriptedExtractor(script), articleIds: [id] });
    const all = await db.db.select().from(facts);
    expect(all.map((f) => f.label)).toEqual(['profit improvement']);
    const cited = async () => (await db.db.select().from(factSources)).map((s) => [s.factId, s.articleId]).sort();
    expect(await cited()).toEqual([[all[0]!.id, other], [all[0]!.id, a], [all[0]!.id, b]].sort());
    await extractArticles({ db: db.db, extractor: new ScriptedExtractor(script), all: true });
    expect(await cited()).toEqual([[all[0]!.id, other], [all[0]!.id, a], [all[0]!.id, b]].sort());
  });

  it('a revision that arrives while the article is being read stays queued for the next run', async () => {
    const id = await addArticle('https://a.example/1', 'Outlet A', KLARNA_TEXT, '2025-01-01T00:00:00Z');
    const corrected = KLARNA_TEXT.replace('The company’s valuation fell to $6.7 billion in 2022 from $45.6 billion in 2021.\n\n', '');
    let revised = false;
    const ex: Extractor = {
      name: 'test/1',
      async extract(a: ArticleInput): Promise<ExtractionResult> {
        if (!revised) {
          revised = true; // the collector stores a correction meanwhile
          expect(await addArticle('https://a.example/1', 'Outlet A', corrected, '2025-01-01T00:00:00Z')).toBe(id);
        }
        return { facts: a.text.includes('valuation fell') ? [agents(), valuation] : [agents()], summary: null, subject: 'Klarna' };
      },
    };
    await extractArticles({ db: db.db, extractor: ex });
    const [row] = await db.db.select().from(articles).where(eq(articles.id, id));
    expect({ status: row!.extractionStatus, revision: row!.revision, lease: row!.extractionLeaseOwner }).toEqual({ status: 'pending', revision: 2, lease: null });
    const again = await extractArticles({ db: db.db, extractor: ex });
    expect(again.stats.extracted).toBe(1);
    expect((await db.db.select().from(facts)).map((f) => [f.kind, f.retracted]).sort()).toEqual([['valuation', true], ['workforce_change', false]]);
  });

  it('records an extractor failure for one article and goes on with the rest', async () => {
    const a = await addArticle('https://a.example/1', 'Outlet A', KLARNA_TEXT, '2025-01-01T00:00:00Z');
    const b = await addArticle('https://b.example/2', 'Outlet B', `${KLARNA_TEXT.replace('700', '750')} different`, '2025-01-02T00:00:00Z');
    const r = await extractArticles({ db: db.db, extractor: new ScriptedExtractor(new Map([[b, [valuation]]]), new Set([a])) });
    expect(r.stats).toMatchObject({ extracted: 1, failed: 1 });
    expect(r.failures[0]).toMatchObject({ scope: 'article', code: 'llm-answer' });
    expect(await db.db.select().from(runFailures).where(eq(runFailures.runId, r.runId))).toHaveLength(1);
    const [failed] = await db.db.select().from(articles).where(eq(articles.id, a));
    expect(failed!.extractionStatus).toBe('failed');
    expect(await db.db.select().from(facts)).toHaveLength(1);
  });
});
