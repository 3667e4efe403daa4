/**
 * npm run bench:extract — built-in extractor throughput (goal ≥ 50 articles/s on this machine).
 *   generated: articles assembled from fact-dense news sentence templates with varied companies,
 *              numbers and periods (~600 words each), extractor + grounding, no database
 *   sample:    the bundled sample outlet's 13 articles (clean text as collected), same measure
 *   pipeline:  the generated set through extractArticles on a temp libSQL file (grounding, facts,
 *              sources, reconcile, briefs — everything a refresh does after collecting)
 * Flags: --articles 400 --runs 5
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { record } from './lib/report.ts';

const { values } = parseArgs({ options: { articles: { type: 'string', default: '400' }, runs: { type: 'string', default: '5' } } });
const N = Number(values.articles);
const RUNS = Number(values.runs);

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

const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-bench-extract-'));
const db = await openDb(`file:${path.join(dir, 'b.db')}`);
await addFeeds(db.db, [{ url: 'https://bench.example/feed' }]);
for (const a of gen) {
  await saveArticle(db.db, null, {
    keys: [a.url!], url: a.url, feedId: 1, guid: a.url!, title: a.title, outlet: a.outlet, author: null, language: 'en',
    description: null, publishedAt: a.publishedAt, modifiedAt: null, text: a.text, textSource: 'page', paywalled: false,
    truncated: false, flags: [], etag: null, lastModified: null, rawHtml: null,
  });
}
const t = performance.now();
const rep = await extractArticles({ db: db.db, extractor: ex });
const pipeS = (performance.now() - t) / 1000;
db.close();
rmSync(dir, { recursive: true, force: true });

console.log(`\nbench:extract (${RUNS} runs, median; Node ${process.version})`);
console.log('| set | articles | words/article | articles/s | facts kept/article | goal |');
console.log('|---|---|---|---|---|---|');
console.log(`| generated (extract + ground) | ${gen.length} | ${words(gen)} | ${median(g).toFixed(0)} | ${(gFacts / gen.length).toFixed(1)} | ≥ 50 |`);
console.log(`| sample (extract + ground) | ${smp.length} | ${words(smp)} | ${median(s).toFixed(0)} | ${sFacts.toFixed(1)} | ≥ 50 |`);
record(
  { bench: 'extract', measure: 'rules/2 extract + ground, generated 615-word articles', value: `${median(g).toFixed(0)} articles/s`, goal: '≥ 50 articles/s', ok: median(g) >= 50 },
  { bench: 'extract', measure: 'full pipeline into libSQL', value: `${(rep.stats.extracted / pipeS).toFixed(0)} articles/s`, goal: '≥ 50 articles/s', ok: rep.stats.extracted / pipeS >= 50 },
);
console.log(`| generated, full pipeline into libSQL | ${rep.stats.extracted} | ${words(gen)} | ${(rep.stats.extracted / pipeS).toFixed(0)} | ${(rep.stats.factsAccepted / rep.stats.extracted).toFixed(1)} | — |`);
