/**
 * The cross-outlet layer end to end on a generated multi-outlet corpus (tests/helpers/story-corpus.ts):
 * five outlets, four companies, each story told in each outlet's own words with the traps real coverage
 * sets, plus a syndicate that reprints one outlet word for word. The real CLI reads it (feeds import →
 * refresh → extract → build) and the test checks what a researcher would sign:
 *   - every exported source's evidence sits at its [start, end) in its own article;
 *   - a reprint adds a non-independent source to the original's facts and never a fact of its own;
 *   - agreeing reports (a month and its year, approximate and rounded figures) are corroborated;
 *   - every contradiction is flagged on both sides, naming the other fact in conflictsWith;
 *   - a quarter beside its year, a planned raise beside the final proceeds, are not disputes;
 *   - the built site passes the provenance walk.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleServer, type SampleServer } from '../../src/sample/server.ts';
import { runCli } from '../helpers/cli.ts';
import { ExportSchema, type ExportedFact } from '../helpers/facts-contract.ts';
import { walkProvenance } from '../helpers/provenance-walk.ts';
import { writeStoryCorpus, type Claim, type StoryCorpus } from '../helpers/story-corpus.ts';

let dir: string;
let server: SampleServer;
let corpus: StoryCorpus;
let facts: ExportedFact[];
let distDir: string;
let databaseUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-corpus-'));
  corpus = writeStoryCorpus(path.join(dir, 'outlets'));
  server = await startSampleServer({ root: corpus.root, port: 0 });
  databaseUrl = `file:${path.join(dir, 'corpus.db')}`;
  distDir = path.join(dir, 'dist');
  const env = { ...process.env, DATABASE_URL: databaseUrl, FACTDESK_ALLOW_PRIVATE_NETWORKS: '1' };
  const opml = path.join(dir, 'feeds.opml');
  writeFileSync(opml, readFileSync(path.join(corpus.root, 'stories.opml'), 'utf8').replaceAll('{{ORIGIN}}', server.origin));
  for (const args of [['feeds', 'import', opml], ['refresh'], ['extract'], ['build', '--out', distDir]]) {
    const r = await runCli([...args, '--quiet'], env, { timeoutMs: 150_000 });
    if (r.code !== 0) throw new Error(`factdesk ${args.join(' ')} failed (${r.code}):\n${r.stderr.slice(-3000)}`);
  }
  const out = await runCli(['export', 'facts', '--format', 'json'], env);
  facts = ExportSchema.parse(JSON.parse(out.stdout)).facts;
}, 170_000);

afterAll(async () => {
  await server?.close();
  if (dir && !process.env.FACTDESK_KEEP_SITE) rmSync(dir, { recursive: true, force: true });
});

const outletSlug = (name: string | null) => corpus.outlets.find((o) => o.name === name)?.slug ?? `?${name}`;
/** The one fact that states a claim: its company, kind and value, from the claim's first outlet. */
function factOf(c: Claim): ExportedFact {
  const found = facts.filter((f) => f.company === c.company && f.kind === c.kind && f.value !== null && Math.abs(f.value - c.value) <= Math.abs(c.value) * 0.001 && f.sources.some((s) => s.independent && outletSlug(s.outlet) === c.outlets[0]));
  expect(found.map((f) => `${f.id} ${f.asOf}`), `${c.company} ${c.key}`).toHaveLength(1);
  return found[0]!;
}

describe('the cross-outlet layer on a generated multi-outlet corpus', () => {
  it('read every article, each company’s whole story', () => {
    expect(new Set(facts.map((f) => f.company))).toEqual(new Set(corpus.companies.map((c) => c.slug)));
    const claims = [...corpus.expect.agree, ...corpus.expect.conflicts.flat(), ...corpus.expect.undisputed];
    for (const c of claims) factOf(c);
  });

  it('every exported source’s evidence sits at its [start, end) in its own article', async () => {
    const db = createClient({ url: databaseUrl });
    try {
      const texts = new Map((await db.execute('select id, text from articles')).rows.map((r) => [Number(r.id), String(r.text)]));
      const wrong = facts.flatMap((f) => f.sources.filter((s) => texts.get(s.articleId)?.slice(s.start, s.end) !== s.evidence).map((s) => `${f.id} in article ${s.articleId}`));
      expect(wrong).toEqual([]);
      expect(facts.flatMap((f) => f.sources).length).toBeGreaterThan(60);
    } finally {
      db.close();
    }
  });

  it('a reprint adds a dependent source to the original’s facts and never a fact of its own', () => {
    const copied = facts.filter((f) => f.sources.some((s) => outletSlug(s.outlet) === corpus.copier.slug));
    expect(copied.length).toBeGreaterThanOrEqual(corpus.companies.length * 5);
    for (const f of copied) {
      const copy = f.sources.find((s) => outletSlug(s.outlet) === corpus.copier.slug)!;
      const original = f.sources.find((s) => outletSlug(s.outlet) === corpus.copier.copies);
      expect(original, `${f.id} (${f.kind} ${f.value}) stands on the reprint alone`).toBeDefined();
      expect(copy).toMatchObject({ independent: false, copyOf: original!.url });
      expect(original!.independent).toBe(true);
    }
    // A reprint alone never makes a figure corroborated: the original's one-outlet facts stay single-source.
    const agreed = (f: ExportedFact) => corpus.expect.agree.some((c) => c.company === f.company && c.kind === f.kind && f.value !== null && Math.abs(f.value - c.value) <= Math.abs(c.value) * 0.05);
    const alone = copied.filter((f) => new Set(f.sources.map((s) => s.outlet)).size === 2 && f.corroboration !== 'disputed' && !agreed(f));
    expect(alone.length).toBeGreaterThan(0);
    for (const f of alone) expect([f.id, f.corroboration]).toEqual([f.id, 'single-source']);
  });

  it('reports that agree (a month and its year, approximate and rounded figures) are corroborated, never disputed', () => {
    for (const c of corpus.expect.agree) {
      const mine = facts.filter((f) => f.company === c.company && f.kind === c.kind && f.value !== null && Math.abs(f.value - c.value) <= Math.abs(c.value) * 0.05);
      expect(new Set(mine.flatMap((f) => f.sources.filter((s) => s.independent).map((s) => outletSlug(s.outlet)))), `${c.company} ${c.key}`).toEqual(new Set(c.outlets));
      for (const f of mine) expect([c.company, c.key, f.asOf, f.corroboration, f.conflictsWith ?? []]).toEqual([c.company, c.key, f.asOf, 'corroborated', []]);
    }
  });

  it('every contradiction is flagged on both sides, each naming the other', () => {
    for (const [a, b] of corpus.expect.conflicts) {
      const [fa, fb] = [factOf(a), factOf(b)];
      expect([a.company, a.key, fa.corroboration, fa.conflictsWith]).toEqual([a.company, a.key, 'disputed', expect.arrayContaining([fb.id])]);
      expect([b.company, b.key, fb.corroboration, fb.conflictsWith]).toEqual([b.company, b.key, 'disputed', expect.arrayContaining([fa.id])]);
    }
  });

  it('a quarter beside its year and a planned raise beside the final proceeds are not disputes', () => {
    for (const c of corpus.expect.undisputed) {
      const f = factOf(c);
      expect([c.company, c.key, f.corroboration, f.conflictsWith ?? []]).toEqual([c.company, c.key, 'single-source', []]);
    }
  });

  it('the built site passes the provenance walk: every link lands on its anchor, every sentence shown is the article’s own', () => {
    const { links, sentences, problems } = walkProvenance(distDir);
    expect(problems).toEqual([]);
    expect(links).toBeGreaterThan(facts.length);
    expect(sentences).toBeGreaterThan(20);
  });
});
