/**
 * npm run bench:extract — built-in extractor throughput, and re-extraction at scale.
 *   generated: articles assembled from fact-dense news sentence templates with varied companies,
 *              numbers and periods (~600 words each), extractor + grounding, no database
 *   sample:    the bundled sample outlet's 13 articles (clean text as collected), same measure
 *   pipeline:  the generated set through extractArticles on a temp libSQL file (grounding, facts,
 *              sources, reconcile, briefs — everything a refresh does after collecting), a fresh
 *              database each run, median of --pipeline-runs (goal ≥ 150 articles/s); the main
 *              thread's CPU per article is printed beside it, as it is the part that does not scale
 *              with cores (database writes stay on it)
 *   re-extraction: --reextract N stored articles (tests/helpers/news-corpus.ts: 500 companies, 20
 *              outlets, reprints) read by the pipeline, then made to look as an older rules version
 *              left them (no users figures, other headcount scores, an extra metric per tenth
 *              article), then `extract --all` as a pass: time, peak RSS, and what it changed
 * The machine's load average is printed with each timed part: the reference machine is shared.
 * Flags: --articles 400 --runs 5 --pipeline-runs 3 --reextract 50000 (0: skip)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../db/client.ts';
import { addFeeds } from '../db/queries/feeds.ts';
import { saveArticle } from '../scrapers/store.ts';
import { extractArticle } from '../scrapers/pages/index.ts';
import { decodeBody } from '../scrapers/http/charset.ts';
import { groundFacts } from '../src/extract/ground.ts';
import { numbersIn } from '../src/extract/normalise/numbers.ts';
import { extractArticles } from '../src/extract/pipeline.ts';
import { createRulesExtractor } from '../src/extract/rules/index.ts';
import { loadCompanyRegistry } from '../src/extract/rules/companies.ts';
import type { ArticleInput, Extractor } from '../src/extract/types.ts';
import { newsCorpus, simulateOlderReading, storeCorpus } from '../tests/helpers/news-corpus.ts';
import { record, rssSampler } from './lib/report.ts';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '400' },
    runs: { type: 'string', default: '5' },
    'pipeline-runs': { type: 'string', default: '3' },
    reextract: { type: 'string', default: '50000' },
  },
});
const N = Number(values.articles);
const RUNS = Number(values.runs);
const PIPELINE_RUNS = Number(values['pipeline-runs']);
const REEXTRACT = Number(values.reextract);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMPANIES = ['Klarna', 'Revolut', 'Monzo', 'Affirm', 'Chime', 'Nubank', 'Wise', 'Coinbase', 'Zilch', 'Solvik', 'Tillpoint'];
const SPEAKERS = ['Anna Berg', 'Tom Ferreira', 'Maria Lopez', 'David Chen', 'Priya Nair'];
const TEMPLATES: ((c: string, r: () => number) => string)[] = [
  (c, r) => `${c} said on Tuesday that revenue rose ${Math.round(r() * 40)}% to $${Math.round(r() * 900 + 100)} million in the first quarter.`,
  (c, r) => `The company reported a net loss of $${Math.round(r() * 200 + 5)} million for the period, compared with a loss of $${Math.round(r() * 200 + 5)} million a year earlier.`,
  (c, r) => `${c} was valued at $${(r() * 40 + 1).toFixed(1)} billion in its latest funding round, led by existing investors.`,
  (c, r) => `The firm plans to cut about ${Math.round(r() * 900 + 50)} jobs, or ${Math.round(r() * 20 + 2)}% of its workforce, as it seeks to reach profitability.`,
  (c, r) => `${c} now has more than ${Math.round(r() * 90 + 5)} million active users across ${Math.round(r() * 30 + 5)} markets.`,
  (c, r) => `Consumer credit losses climbed ${Math.round(r() * 30)}% to $${Math.round(r() * 300 + 20)} million, the lender said.`,
  (c, r) => `“We are building a bank for the next decade,” said ${SPEAKERS[Math.floor(r() * SPEAKERS.length)]}, chief executive of ${c}.`,
  (c) => `${c} filed confidentially for an initial public offering in New York, according to people familiar with the matter.`,
  (c, r) => `The company employs roughly ${Math.round(r() * 5000 + 300)} people, down from ${Math.round(r() * 5000 + 300)} two years ago.`,
  (c, r) => `Analysts at a Stockholm brokerage said the results were better than expected, and the shares rose ${Math.round(r() * 10)}% in early trading.`,
  () => `The figures come as regulators in Europe and the United States take a closer look at buy now, pay later products and how they are sold.`,
  () => `Investors have grown more cautious about fintech valuations since interest rates started to rise, and several listings were postponed.`,
];

function generated(n: number): ArticleInput[] {
  return Array.from({ length: n }, (_, i) => {
    const r = rng(i + 1);
    const c = COMPANIES[i % COMPANIES.length]!;
    const paras: string[] = [];
    for (let p = 0; p < 12; p++) {
      const sentences = Array.from({ length: 3 }, () => TEMPLATES[Math.floor(r() * TEMPLATES.length)]!(c, r));
      paras.push(sentences.join(' '));
    }
    return { id: i + 1, title: `${c} results`, text: paras.join('\n\n'), publishedAt: '2025-05-14T09:00:00.000Z', outlet: 'Bench Wire', url: `https://bench.example/${i}` };
  });
}

function sample(): ArticleInput[] {
  const expected = JSON.parse(readFileSync(new URL('../content/sample/expected.json', import.meta.url), 'utf8')) as {
    articles: { path: string; charset: string; title: string; publishedAt: string; outlet: string }[];
  };
  return expected.articles.map((e, i) => {
    const bytes = readFileSync(new URL(`../content/sample${e.path}`, import.meta.url));
    const html = decodeBody(bytes, `text/html; charset=${e.charset}`, 'html').text;
    return { id: i + 1, title: e.title, text: extractArticle(html, `http://127.0.0.1${e.path}`).text, publishedAt: e.publishedAt, outlet: e.outlet, url: e.path };
  });
}

async function throughput(ex: Extractor, articles: ArticleInput[]) {
  const t = performance.now();
  let facts = 0;
  for (const a of articles) facts += groundFacts(a.text, (await ex.extract(a)).facts, numbersIn).accepted.length;
  const s = (performance.now() - t) / 1000;
  return { perS: articles.length / s, facts };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ex = createRulesExtractor({ registry: loadCompanyRegistry() });
const gen = generated(N);
const smp = sample();
const words = (xs: ArticleInput[]) => Math.round(xs.reduce((n, a) => n + a.text.split(/\s+/).length, 0) / xs.length);
await throughput(ex, gen.slice(0, 20)); // warm-up (JIT, regex compilation)
const g: number[] = [];
const s: number[] = [];
let gFacts = 0;
let sFacts = 0;
for (let i = 0; i < RUNS; i++) {
  const a = await throughput(ex, gen);
  g.push(a.perS);
  gFacts = a.facts;
  const b = await throughput(ex, [...smp, ...smp, ...smp, ...smp]);
  s.push(b.perS);
  sFacts = b.facts / (4 * smp.length);
}

/** One full pipeline run on a fresh database: articles/s, and the main thread's CPU per article. */
async function pipelineRun(): Promise<{ perS: number; mainMs: number; facts: number; extracted: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-bench-extract-'));
  const db = await openDb(`file:${path.join(dir, 'b.db')}`);
  try {
    await addFeeds(db.db, [{ url: 'https://bench.example/feed' }]);
    for (const a of gen) {
      await saveArticle(db.db, null, {
        keys: [a.url!], url: a.url, feedId: 1, guid: a.url!, title: a.title, outlet: a.outlet, author: null, language: 'en',
        description: null, publishedAt: a.publishedAt, modifiedAt: null, text: a.text, textSource: 'page', paywalled: false,
        truncated: false, flags: [], etag: null, lastModified: null, rawHtml: null,
      });
    }
    const cpu = process.threadCpuUsage();
    const t = performance.now();
    const rep = await extractArticles({ db: db.db, extractor: ex });
    const s = (performance.now() - t) / 1000;
    const c = process.threadCpuUsage(cpu);
    return { perS: rep.stats.extracted / s, mainMs: (c.user + c.system) / 1000 / rep.stats.extracted, facts: rep.stats.factsAccepted, extracted: rep.stats.extracted };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const loadBefore = load();
const pipes: Awaited<ReturnType<typeof pipelineRun>>[] = [];
for (let i = 0; i < PIPELINE_RUNS; i++) pipes.push(await pipelineRun());
const loadAfter = load();
const pipe = [...pipes].sort((a, b) => a.perS - b.perS)[Math.floor(pipes.length / 2)]!;

console.log(`\nbench:extract (${RUNS} runs, median; Node ${process.version})`);
console.log('| set | articles | words/article | articles/s | facts kept/article | goal |');
console.log('|---|---|---|---|---|---|');
console.log(`| generated (extract + ground) | ${gen.length} | ${words(gen)} | ${median(g).toFixed(0)} | ${(gFacts / gen.length).toFixed(1)} | ≥ 50 |`);
console.log(`| sample (extract + ground) | ${smp.length} | ${words(smp)} | ${median(s).toFixed(0)} | ${sFacts.toFixed(1)} | ≥ 50 |`);
console.log(
  `| generated, full pipeline into libSQL (median of ${pipes.length}: ${pipes.map((p) => p.perS.toFixed(0)).join(', ')}; main thread ${pipe.mainMs.toFixed(1)} ms CPU/article) | ${pipe.extracted} | ${words(gen)} | ${pipe.perS.toFixed(0)} | ${(pipe.facts / pipe.extracted).toFixed(1)} | ≥ 150 |`,
);
console.log(`load average (1, 5, 15 min) before the pipeline runs: ${loadBefore}; after: ${loadAfter}`);
record(
  { bench: 'extract', measure: 'rules/2 extract + ground, generated 615-word articles', value: `${median(g).toFixed(0)} articles/s`, goal: '≥ 50 articles/s', ok: median(g) >= 50 },
  { bench: 'extract', measure: 'full pipeline into libSQL', value: `${pipe.perS.toFixed(0)} articles/s`, goal: '≥ 150 articles/s', ok: pipe.perS >= 150 },
);

if (REEXTRACT > 0) await reextraction(REEXTRACT);

/**
 * Re-extraction of `n` stored articles after a rules version bump where most facts stay the same:
 * the corpus is read once (timed too: the full pipeline at that size), made to look as an older
 * version left it, then read again as an `extract --all` pass.
 */
async function reextraction(n: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-bench-reextract-'));
  const url = `file:${path.join(dir, 'r.db')}`;
  try {
    let h = await openDb(url);
    {
      // Written, then let go: the corpus in memory is the bench's, not what extraction holds.
      const corpus = newsCorpus({ articles: n, companies: 500, outlets: 20, paragraphs: 8, reprintEvery: 50, seed: 7 });
      await storeCorpus(h.client, corpus);
      console.log(`\nre-extraction: ${n} stored articles, ${Math.round(corpus.reduce((k, a) => k + a.text.split(/\s+/).length, 0) / corpus.length)} words each on average, 500 companies, 20 outlets, ${corpus.filter((a) => a.copyOf).length} reprints`);
    }
    const l0 = load();
    let t = performance.now();
    const first = await extractArticles({ db: h.db, extractor: ex });
    const firstS = (performance.now() - t) / 1000;
    h.close();
    console.log(`| first reading (pipeline, pending queue) | ${first.stats.extracted} articles, ${first.stats.factsAccepted} facts | ${firstS.toFixed(0)} s | ${(first.stats.extracted / firstS).toFixed(0)} articles/s | load ${l0} → ${load()} |`);

    const older = await simulateOlderReading(url);
    h = await openDb(url);
    const ids = async () => new Map((await h.client.execute('select id, updated_at from facts')).rows.map((r) => [String(r[0]), String(r[1])]));
    const before = await ids();
    const l1 = load();
    const rssBefore = process.memoryUsage().rss / 1024 / 1024;
    const rss = rssSampler();
    t = performance.now();
    const rep = await extractArticles({ db: h.db, extractor: ex, all: true });
    const s = (performance.now() - t) / 1000;
    const peak = rss.stop();
    const after = await ids();
    const added = [...after.keys()].filter((id) => !before.has(id)).length;
    const removed = [...before.keys()].filter((id) => !after.has(id)).length;
    const untouched = [...after].filter(([id, u]) => before.get(id) === u).length;
    h.close();
    console.log(
      `| re-extraction (extract --all, pass #${rep.pass?.id}) | ${rep.stats.extracted} articles read | ${s.toFixed(0)} s | ${(rep.stats.extracted / s).toFixed(0)} articles/s | peak RSS ${peak.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before) | load ${l1} → ${load()} |`,
    );
    console.log(`  the older reading: ${older.users} users figures not read, ${older.headcounts} headcounts scored otherwise, ${older.extra} extra metrics`);
    console.log(`  changed: ${added} facts added, ${removed} removed, ${after.size - added - untouched} updated, ${untouched} of ${after.size} untouched (same row, same updated_at)`);
    record(
      { bench: 'extract', measure: `first reading of ${n} stored articles (pipeline)`, value: `${firstS.toFixed(0)} s (${(first.stats.extracted / firstS).toFixed(0)} articles/s)` },
      { bench: 'extract', measure: `re-extraction of ${n} stored articles after a version bump`, value: `${s.toFixed(0)} s (${(rep.stats.extracted / s).toFixed(0)} articles/s)`, peakRssMb: Math.round(peak) },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
