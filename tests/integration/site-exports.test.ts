/**
 * The site's build-time data against a real libSQL file: the static exports streamed to disk
 * (validated against the facts contract, line-counted, split per company) and the article pages'
 * data (current revision's evidence only, retracted facts left out, copies both ways).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articles, companies, facts, factSources, summaries } from '../../db/schema.ts';
import { articlePages } from '../../src/lib/site/articles.ts';
import { companyExportPath, lockstep, PassAborted, writeStaticExports } from '../../src/lib/site/static-exports.ts';
import { exportFacts } from '../../src/export/facts.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';
import { CompanyExportSchema, ExportSchema, FactSchema } from '../helpers/facts-contract.ts';
import { csvObjects, csvRecords } from '../helpers/csv.ts';

let db: TempDb;
let out: string;

const ORIGINAL = [
  'Klarna, the Swedish lender, was valued at $45.6 billion in June 2021.',
  'It cut around 10% of its staff in May 2022, "a hard day", said the CEO.\nA second line.',
  'Revenue rose 17% to $701 million in the first quarter.',
].join('\n\n');
const REVISED = ORIGINAL.replace('$701 million', '$702 million');
const COPY = ORIGINAL;
const N26_TEXT = 'N26 has 1,500 employees 🚀, the bank said.';

function span(text: string, piece: string) {
  const start = text.indexOf(piece);
  if (start < 0) throw new Error(`"${piece}" not in text`);
  return { evidence: piece, start, end: start + piece.length };
}

beforeAll(async () => {
  db = await tempDb();
  out = mkdtempSync(path.join(tmpdir(), 'factdesk-exports-'));
  const d = db.db;
  const [klarna, n26, evil] = await d
    .insert(companies)
    .values([
      { slug: 'klarna', name: 'Klarna', ticker: 'KLAR' },
      { slug: 'n26', name: 'N26' },
      { slug: '../evil', name: 'Evil, "Inc"' },
    ])
    .returning();
  const common = { contentHash: 'h', simhash: '0000000000000000' };
  const [a1, a2, a3] = await d
    .insert(articles)
    .values([
      { key: 'k1', url: 'https://news.example/klarna', title: 'Klarna <b>valuation</b>', outlet: 'Paybrief', publishedAt: '2025-05-14T12:00:00.000Z', text: REVISED, revision: 2, ...common },
      { key: 'k2', url: 'javascript:alert(1)', title: 'Klarna copy', outlet: 'Reprints', publishedAt: '2025-05-15T12:00:00.000Z', text: COPY, ...common },
      { key: 'k3', url: 'https://news.example/n26', title: 'N26', outlet: 'Bankwire', text: N26_TEXT, paywalled: true, ...common },
    ])
    .returning();
  await d.update(articles).set({ copyOfId: a1!.id }).where(eq(articles.id, a2!.id));
  const fact = (id: string, companyId: number, kind: string, value: number | null, statement: string, extra: Partial<typeof facts.$inferInsert> = {}) => ({
    id, companyId, kind, value, unit: kind === 'headcount' ? 'people' : 'USD', statement, extractor: 'rules/1', confidence: 0.9, ...extra,
  });
  const s1 = 'Klarna, the Swedish lender, was valued at $45.6 billion in June 2021.';
  await d.insert(facts).values([
    fact('val', klarna!.id, 'valuation', 45.6e9, s1, { asOf: '2021-06', corroboration: 'corroborated' }),
    fact('cut', klarna!.id, 'workforce_change', 10, 'It cut around 10% of its staff in May 2022', { unit: 'percent', direction: 'decrease', approximate: true, asOf: '2022-05' }),
    fact('quote', klarna!.id, 'quote', null, '"a hard day", said the CEO', { unit: null, speaker: 'the CEO', quote: 'a hard day' }),
    fact('rev-old', klarna!.id, 'revenue', 701e6, 'Revenue rose 17% to $701 million in the first quarter.', { asOf: '2025-Q1', retracted: true }),
    fact('rev-new', klarna!.id, 'revenue', 702e6, 'Revenue rose 17% to $702 million in the first quarter.', { asOf: '2025-Q1' }),
    fact('rev-stale', klarna!.id, 'net_income', -5e6, 'Only in revision 1.', { asOf: '2025-Q1' }),
    fact('n26-head', n26!.id, 'headcount', 1500, N26_TEXT),
    fact('hostile', n26!.id, 'metric', 3, 'Evil, "Inc" has 3 offices,\nreally.', { label: 'offices, "quoted"', unit: null }),
    // A slug no extractor would make (slugify keeps [a-z0-9-]); its fact has no current source.
    fact('evil', evil!.id, 'metric', 1, 'Nothing.', { label: 'x', unit: null }),
  ]);
  const src = (factId: string, articleId: number, revision: number, text: string, piece: string) => ({
    factId, articleId, revision, extractor: 'rules/1', ...span(text, piece),
  });
  await d.insert(factSources).values([
    src('val', a1!.id, 2, REVISED, s1),
    src('val', a2!.id, 1, COPY, s1),
    src('val', a1!.id, 1, ORIGINAL, s1), // an older revision's source: kept in the database, not shown
    src('cut', a1!.id, 2, REVISED, 'It cut around 10% of its staff in May 2022'),
    src('quote', a1!.id, 2, REVISED, '"a hard day", said the CEO.\nA second line.'),
    src('rev-old', a1!.id, 1, ORIGINAL, 'Revenue rose 17% to $701 million in the first quarter.'),
    src('rev-new', a1!.id, 2, REVISED, 'Revenue rose 17% to $702 million in the first quarter.'),
    src('rev-stale', a1!.id, 1, ORIGINAL, 'Revenue rose 17%'),
    src('n26-head', a3!.id, 1, N26_TEXT, 'N26 has 1,500 employees 🚀'),
    { factId: 'hostile', articleId: a3!.id, revision: 1, extractor: 'rules/1', evidence: 'N26', start: 0, end: 3 },
  ]);
  await d.insert(summaries).values({ subject: 'article', articleId: a1!.id, text: 'Klarna was valued at $45.6 billion.', extractor: 'rules/1' });
});

afterAll(() => {
  db.cleanup();
  rmSync(out, { recursive: true, force: true });
});


describe('writeStaticExports', () => {
  let report: Awaited<ReturnType<typeof writeStaticExports>>;
  const dir = () => path.join(out, 'exports');
  beforeAll(async () => {
    report = await writeStaticExports(db.db, out, new Date('2026-01-02T03:04:05.000Z'));
  });

  it('writes facts.json in the contract shape: current facts with current sources only', () => {
    const doc = ExportSchema.parse(JSON.parse(readFileSync(path.join(dir(), 'facts.json'), 'utf8')));
    expect(doc.generatedAt).toBe('2026-01-02T03:04:05.000Z');
    // Retracted (rev-old) and evidenced only in an old revision (rev-stale) are left out.
    expect(doc.facts.map((f) => f.id).sort()).toEqual(['cut', 'hostile', 'n26-head', 'quote', 'rev-new', 'val']);
    expect(report.facts).toBe(6);
    const val = doc.facts.find((f) => f.id === 'val')!;
    expect(val.sources.map((s) => [s.outlet, s.independent])).toEqual([['Paybrief', true], ['Reprints', false]]);
  });

  it('writes one NDJSON line per fact and one CSV record per fact and source, with hostile text quoted', () => {
    const lines = readFileSync(path.join(dir(), 'facts.ndjson'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(6);
    for (const l of lines) FactSchema.parse(JSON.parse(l));
    const rows = csvRecords(readFileSync(path.join(dir(), 'facts.csv'), 'utf8'));
    expect(rows[0]![0]).toBe('id');
    expect(rows).toHaveLength(1 + 7); // val has two sources
    expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
    const hostile = rows.find((r) => r[0] === 'hostile')!;
    expect(hostile[rows[0]!.indexOf('statement')]).toBe('Evil, "Inc" has 3 offices,\nreally.');
  });

  it('writes a JSON and a CSV per company with only its facts, and none for a slug that is not a plain name', () => {
    const files = readdirSync(path.join(dir(), 'companies')).sort();
    expect(files).toEqual(['klarna.csv', 'klarna.json', 'n26.csv', 'n26.json']);
    expect(companyExportPath('klarna', 'csv')).toBe('exports/companies/klarna.csv');
    // The company's CSV is exactly facts.csv's header and this company's rows.
    const all = csvObjects(readFileSync(path.join(dir(), 'facts.csv'), 'utf8'));
    const mine = csvObjects(readFileSync(path.join(dir(), 'companies', 'klarna.csv'), 'utf8'));
    expect(mine).toEqual(all.filter((r) => r.company === 'klarna'));
    expect(new Set(mine.map((r) => r.id))).toEqual(new Set(['cut', 'quote', 'rev-new', 'val']));
    expect(readdirSync(dir()).sort()).toEqual(['companies', 'contract.md', 'facts.csv', 'facts.json', 'facts.ndjson', 'facts.schema.json']);
    expect(existsSync(path.join(out, 'evil.json'))).toBe(false);
    expect(companyExportPath('../evil')).toBeNull();
    expect(companyExportPath('klarna')).toBe('exports/companies/klarna.json');
    const klarna = CompanyExportSchema.parse(JSON.parse(readFileSync(path.join(dir(), 'companies', 'klarna.json'), 'utf8')));
    expect(klarna.company).toEqual({ slug: 'klarna', name: 'Klarna', ticker: 'KLAR' });
    expect(klarna.facts.map((f) => f.id).sort()).toEqual(['cut', 'quote', 'rev-new', 'val']);
    expect(klarna.facts.every((f) => f.company === 'klarna')).toBe(true);
    const n26 = CompanyExportSchema.parse(JSON.parse(readFileSync(path.join(dir(), 'companies', 'n26.json'), 'utf8')));
    expect(n26.facts.map((f) => f.id).sort()).toEqual(['hostile', 'n26-head']);
  });

  it('ships the contract beside the data, as prose and JSON Schema, the API description at the root, and no partial files', () => {
    const contract = readFileSync(path.join(dir(), 'contract.md'), 'utf8');
    expect(contract).toBe(readFileSync(new URL('../../content/facts-contract.md', import.meta.url), 'utf8'));
    expect(contract).toMatch(/^# Fact export contract, v1/);
    // contract.md links the schema by its bare name: beside it here, as in content/.
    expect(contract).toContain('(facts.schema.json)');
    expect(readFileSync(path.join(dir(), 'facts.schema.json'), 'utf8')).toBe(readFileSync(new URL('../../content/facts.schema.json', import.meta.url), 'utf8'));
    expect(JSON.parse(readFileSync(path.join(out, 'openapi.json'), 'utf8'))).toMatchObject({ openapi: '3.1.1', info: { title: 'Factdesk API' } });
    expect(readFileSync(path.join(out, 'openapi.json'), 'utf8')).toBe(readFileSync(new URL('../../content/openapi.json', import.meta.url), 'utf8'));
    const all = readdirSync(out, { recursive: true }).map(String);
    expect(all.filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('holds exactly what the CLI export gives, company by company (the site builds it from rows already read)', async () => {
    const drain = async (company?: string) => {
      const out: unknown[] = [];
      for await (const f of exportFacts(db.db, company ? { company } : {})) out.push(f);
      return out;
    };
    for (const slug of ['klarna', 'n26']) {
      const file = CompanyExportSchema.parse(JSON.parse(readFileSync(path.join(dir(), 'companies', `${slug}.json`), 'utf8')));
      expect(file.facts, slug).toEqual(await drain(slug));
    }
    // The whole-site files are the companies one after another (by slug), each in the export's order.
    const lines = readFileSync(path.join(dir(), 'facts.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; company: string });
    const cli = (await drain()) as { id: string; company: string }[];
    expect(lines).toEqual([...cli].sort((a, b) => (a.company < b.company ? -1 : a.company > b.company ? 1 : a.id < b.id ? -1 : 1)));
  });

  it('overwrites a previous build in place', async () => {
    const again = await writeStaticExports(db.db, out, new Date('2026-02-02T00:00:00.000Z'));
    expect(again.facts).toBe(6);
    expect(JSON.parse(readFileSync(path.join(dir(), 'facts.json'), 'utf8')).generatedAt).toBe('2026-02-02T00:00:00.000Z');
  });
});

describe('lockstep', () => {
  async function* counted(n: number, log: number[]) {
    for (let i = 0; i < n; i++) {
      log.push(i);
      yield i;
    }
  }
  const drain = async <T,>(xs: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const x of xs) out.push(x);
    return out;
  };

  it('reads the source once for every consumer and keeps them in step', async () => {
    const log: number[] = [];
    const { feeds } = lockstep(counted(5, log), 3);
    const seen: string[] = [];
    const results = await Promise.all(
      feeds.map(async (f, c) => {
        const out: number[] = [];
        for await (const x of f) {
          seen.push(`${c}:${x}`);
          out.push(x);
        }
        return out;
      }),
    );
    expect(results).toEqual([[0, 1, 2, 3, 4], [0, 1, 2, 3, 4], [0, 1, 2, 3, 4]]);
    expect(log).toEqual([0, 1, 2, 3, 4]);
    // No consumer gets item k+1 before every consumer has item k.
    expect(seen.map((x) => Number(x.split(':')[1]))).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
  });

  it('fails the other consumers when one stops early, instead of letting them finish short', async () => {
    const { feeds } = lockstep(counted(100, []), 2);
    const other = drain(feeds[1]!);
    const failing = (async () => {
      for await (const x of feeds[0]!) if (x === 3) throw new Error('disk full');
    })();
    await expect(failing).rejects.toThrow('disk full');
    await expect(other).rejects.toBeInstanceOf(PassAborted);
  });

  it('abort releases consumers waiting on one that never started', async () => {
    const pass = lockstep(counted(10, []), 2);
    const waiting = drain(pass.feeds[1]!);
    await pass.abort();
    await expect(waiting).rejects.toBeInstanceOf(PassAborted);
  });
});

describe('writeStaticExports failing', () => {
  it('reports the real error and leaves no partial file of its own when a file cannot be written', async () => {
    const bad = mkdtempSync(path.join(tmpdir(), 'factdesk-exports-bad-'));
    try {
      // A folder where facts.csv.partial should go: that writer fails, the other two are stopped.
      mkdirSync(path.join(bad, 'exports', 'facts.csv.partial'), { recursive: true });
      await expect(writeStaticExports(db.db, bad)).rejects.toThrow(/EISDIR|illegal operation on a directory/);
      const left = readdirSync(path.join(bad, 'exports')).sort();
      expect(left.filter((f) => f.endsWith('.partial'))).toEqual(['facts.csv.partial']);
      expect(left).not.toContain('facts.csv');
      // What did get written (the pass may end before the failing file's error) is complete.
      if (left.includes('facts.json')) ExportSchema.parse(JSON.parse(readFileSync(path.join(bad, 'exports', 'facts.json'), 'utf8')));
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});

describe('articlePages', () => {
  it('gives each article its current-revision evidence, no retracted facts, its summary and its copies', async () => {
    const pages = await articlePages(db.db);
    expect(pages.map((p) => p.article.title)).toEqual(['Klarna <b>valuation</b>', 'Klarna copy', 'N26']);
    const [p1, p2, p3] = pages;
    expect(p1!.facts.map((f) => f.factId)).toEqual(['val', 'cut', 'quote', 'rev-new']);
    for (const f of p1!.facts) expect(p1!.article.text.slice(f.start, f.end).length).toBe(f.end - f.start);
    expect(p1!.summary).toBe('Klarna was valued at $45.6 billion.');
    expect(p1!.copiedBy.map((c) => c.title)).toEqual(['Klarna copy']);
    expect(p1!.copyOf).toBeNull();
    expect(p2!.copyOf?.title).toBe('Klarna <b>valuation</b>');
    expect(p2!.facts.map((f) => f.factId)).toEqual(['val']);
    expect(p3!.article.paywalled).toBe(true);
    expect(p3!.facts.map((f) => [f.factId, f.companyName])).toEqual([['hostile', 'N26'], ['n26-head', 'N26']]);
    // Memoised per handle: one load per build.
    expect(await articlePages(db.db)).toBe(pages);
  });
});
