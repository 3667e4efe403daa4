/**
 * npm run bench:scale — what the stored corpus costs as it grows: the figures docs/scale.md is made of.
 *
 * For each size in --sizes (articles; default 10000,100000) a database is generated as bench:site
 * generates it (5 facts per article, coverage Zipf-spread over companies: 500 at 10k, 2,000 from
 * 100k). Sizes above --base (100,000) are that base corpus replicated: each replica is a new set of
 * articles, companies, facts and sources (new ids, urls, slugs; same texts and dates), written by
 * `insert … select` through the same triggers that keep the full-text index, so the database has the
 * tables, indexes and FTS rows of a corpus that size — more companies, not denser ones, and texts
 * that repeat (FTS posting lists are as long as real ones would be; distinct terms stay at the
 * base's). Then, on that file:
 *   - bytes on disk per article and per fact, and per table (dbstat);
 *   - the API as a visitor calls it (the handlers of src/lib/api, on the database, median of --runs
 *     after one warm-up): a company's facts, a kind since a date, companies, search common and rare;
 *   - the fact sheet data for the largest company and a median one, the home page's newest facts;
 *   - `factdesk export facts --format ndjson` of everything in a child process: wall time, peak RSS;
 *   - `factdesk status --json` (what cron scripts and the status page read).
 * Flags: --sizes 10000,100000,1000000 --base 100000 --runs 5 --keep --dir DIR (reuse generated files)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient, type Client } from '@libsql/client';
import { openDb, type Db } from '../db/client.ts';
import { getCompanies, getFacts, getSearch } from '../src/lib/api/handlers.ts';
import { companyPage } from '../src/lib/site/company-page.ts';
import { allFacts, newestReportedFacts, sourcesByFactId } from '../src/lib/site/queries.ts';
import { generate } from './site/generate.ts';
import { record } from './lib/report.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    base: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
    dir: { type: 'string' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const BASE = Number(values.base);
const RUNS = Number(values.runs);
const dir = values.dir ?? mkdtempSync(path.join(tmpdir(), 'factdesk-bench-scale-'));
mkdirSync(dir, { recursive: true });
const load = () => loadavg()[0]!.toFixed(1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmtMs = (ms: number) => (Number.isNaN(ms) ? 'not run (heap)' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`);
const mb = (b: number) => `${(b / 1e6).toFixed(b < 1e8 ? 1 : 0)} MB`;

/** Companies for a corpus of n generated articles: real coverage names more companies as it grows, not linearly. */
const companiesFor = (n: number) => Math.min(2000, Math.max(500, Math.round(n / 50)));

async function columns(c: Client, table: string): Promise<string[]> {
  return (await c.execute(`select name from pragma_table_info('${table}')`)).rows.map((r) => String(r.name));
}

// Replicas are made from the generated rows only (replica 0), so each copy is the same size.
let baseIds: { article: number; company: number } = { article: 0, company: 0 };
function replicaZero(table: string): string {
  switch (table) {
    case 'articles':
      return `id <= ${baseIds.article}`;
    case 'companies':
      return `id <= ${baseIds.company}`;
    case 'article_revisions':
      return `article_id <= ${baseIds.article}`;
    case 'facts':
      return `company_id <= ${baseIds.company}`;
    case 'fact_sources':
      return `article_id <= ${baseIds.article}`;
    case 'summaries':
      return `(article_id is not null and article_id <= ${baseIds.article}) or (company_id is not null and company_id <= ${baseIds.company})`;
    default:
      throw new Error(`no replica rule for ${table}`);
  }
}

async function scaleUp(file: string, copies: number): Promise<void> {
  const c = createClient({ url: `file:${file}` });
  try {
    await c.execute('pragma synchronous = off');
    const a = Number((await c.execute('select max(id) as m from articles')).rows[0]!.m);
    const co = Number((await c.execute('select max(id) as m from companies')).rows[0]!.m);
    baseIds = { article: a, company: co };
    const cols0 = new Map<string, string[]>();
    for (const t of ['companies', 'articles', 'article_revisions', 'facts', 'fact_sources', 'summaries']) cols0.set(t, await columns(c, t));
    for (let k = 1; k <= copies; k++) {
      const A = `(:k * ${a})`;
      const C = `(:k * ${co})`;
      const t0 = performance.now();
      const tx = await c.transaction('write');
      const once = async (table: string, map: (col: string) => string | null) => {
        const cols = cols0.get(table)!;
        const list = cols.map((x) => `"${x}"`).join(', ');
        const exprs = cols.map((x) => map(x) ?? `"${x}"`).join(', ');
        await tx.execute({ sql: `insert into "${table}" (${list}) select ${exprs} from "${table}" where ${replicaZero(table)}`, args: { k } });
      };
      await once('companies', (x) => (x === 'id' ? `id + ${C}` : x === 'slug' ? `slug || '-r' || :k` : x === 'name' ? `name || ' ' || :k` : null));
      await once('articles', (x) =>
        x === 'id' ? `id + ${A}` : x === 'key' || x === 'url' || x === 'guid' ? `"${x}" || '#r' || :k` : x === 'copy_of_id' ? `copy_of_id + ${A}` : x === 'content_hash' ? `content_hash || :k` : x.startsWith('extraction_lease') ? 'null' : null,
      );
      await once('article_revisions', (x) => (x === 'id' ? 'null' : x === 'article_id' ? `article_id + ${A}` : null));
      await once('facts', (x) => (x === 'id' ? `id || '-r' || :k` : x === 'company_id' ? `company_id + ${C}` : x === 'conflicts_with' ? 'null' : null));
      await once('fact_sources', (x) => (x === 'fact_id' ? `fact_id || '-r' || :k` : x === 'article_id' ? `article_id + ${A}` : x === 'id' ? 'null' : null));
      await once('summaries', (x) => (x === 'id' ? 'null' : x === 'article_id' ? `article_id + ${A}` : x === 'company_id' ? `company_id + ${C}` : null));
      await tx.commit();
      process.stderr.write(`  replica ${k}/${copies} in ${fmtMs(performance.now() - t0)} (load ${load()})\n`);
    }
    await c.execute('pragma wal_checkpoint(TRUNCATE)');
  } finally {
    c.close();
  }
}

interface SizeResult {
  articles: number;
  facts: number;
  sources: number;
  companies: number;
  genMs: number;
  bytes: number;
  tables: [string, number][];
  timings: [string, number][];
  exportMs: number;
  exportRss: number;
  exportBytes: number;
  statusMs: number;
  load: string;
  rare: string;
  heapMb: number;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

async function answer(db: Db, h: typeof getFacts, q: string): Promise<void> {
  const res = await h(db, new URL(`http://bench${q}`));
  if (res.status !== 200) throw new Error(`${q}: HTTP ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

async function measure(n: number): Promise<SizeResult> {
  const file = path.join(dir, `scale-${n}.db`);
  let genMs = 0;
  if (!existsSync(file)) {
    // Made under another name and renamed when whole, so a run stopped half-way is not reused.
    const part = `${file}.part`;
    const gen = Math.min(n, BASE);
    const t0 = performance.now();
    const baseFile = path.join(dir, `scale-${gen}.db`);
    if (n > gen && existsSync(baseFile)) {
      // The base size measured before: its file is the first copy (the same seed would make it again).
      spawnSync('cp', [baseFile, part]);
    } else {
      const sub = path.join(dir, `gen-${n}`);
      mkdirSync(sub, { recursive: true });
      process.stderr.write(`bench:scale: generating ${gen} articles, ${gen * 5} facts, ${companiesFor(gen)} companies (load ${load()})\n`);
      const g = await generate({ dir: sub, articles: gen, facts: gen * 5, companies: companiesFor(gen) });
      for (const ext of ['', '-wal', '-shm']) if (existsSync(g.file + ext)) spawnSync('mv', [g.file + ext, part + ext]);
    }
    if (n > gen) {
      if (n % gen) throw new Error(`--sizes ${n} is not a multiple of --base ${gen}`);
      process.stderr.write(`bench:scale: ${n / gen - 1} replicas of the ${gen}-article corpus to reach ${n} articles\n`);
      await scaleUp(part, n / gen - 1);
    }
    for (const ext of ['-wal', '-shm']) if (existsSync(part + ext)) rmSync(part + ext);
    renameSync(part, file);
    genMs = performance.now() - t0;
  }
  const { db, client, close } = await openDb(`file:${file}`);
  try {
    const one = async (q: string) => Number((await client.execute(q)).rows[0]![0]);
    const articles = await one('select count(*) from articles');
    const facts = await one('select count(*) from facts');
    const sources = await one('select count(*) from fact_sources');
    const companies = await one('select count(*) from companies');
    const bytes = statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
    let tables: [string, number][] = [];
    try {
      const rows = (await client.execute(`select name, sum(pgsize) as b from dbstat group by name order by b desc`)).rows;
      tables = rows.map((r) => [String(r.name), Number(r.b)]);
    } catch {
      // dbstat is a compile-time option; without it only the file size is known.
    }
    // The largest company (most facts) and one at the median, by slug.
    const bySize = (await client.execute('select c.slug from companies c join facts f on f.company_id = c.id group by c.id order by count(*) desc')).rows.map((r) => String(r.slug));
    const big = bySize[0]!;
    const mid = bySize[Math.floor(bySize.length / 2)]!;
    // A rare word: in as few documents as there are copies of the base corpus (fts5vocab counts them).
    // (its own connection: a temp table lives in the connection that made it, and openDb's client pools)
    const plain = createClient({ url: `file:${file}` });
    await plain.execute(`create virtual table temp.vocab using fts5vocab(main, search_fts, 'row')`);
    const copies = Math.max(1, Math.round(articles / Math.min(articles, BASE)));
    const rareRow = (await plain.execute({ sql: `select term, doc from temp.vocab where doc >= ? and length(term) >= 6 and term glob '[a-z]*' order by doc, term limit 1`, args: [2 * copies] })).rows[0];
    if (!rareRow) throw new Error('no word in the search index twice');
    const rare = String(rareRow.term);
    const rareDocs = Number(rareRow.doc);
    plain.close();
    const timings: [string, number][] = [];
    const add = async (label: string, fn: () => Promise<unknown>) => {
      timings.push([label, await timed(fn)]);
      process.stderr.write(`  ${label}: ${fmtMs(timings.at(-1)![1])}\n`);
    };
    await add(`GET /api/facts?company=<largest>&limit=100`, () => answer(db, getFacts, `/api/facts?company=${big}&limit=100`));
    await add(`GET /api/facts?kind=valuation&since=2025-01-01`, () => answer(db, getFacts, `/api/facts?kind=valuation&since=2025-01-01`));
    await add(`GET /api/facts (first page, no filter)`, () => answer(db, getFacts, `/api/facts`));
    await add(`GET /api/companies`, () => answer(db, getCompanies, `/api/companies`));
    await add(`GET /api/search?q=revenue (common)`, () => answer(db, getSearch, `/api/search?q=revenue`));
    await add(`GET /api/search?q=<rarest word>`, () => answer(db, getSearch, `/api/search?q=${encodeURIComponent(rare)}`));
    // The site build reads every fact and source once into memory (build-scope.ts) and renders each
    // fact sheet from that; both are measured where they fit in this process's heap (4 GB).
    let heapMb = 0;
    if (n <= BASE) {
      const { db: fresh, close: closeFresh } = await openDb(`file:${file}`);
      const before = process.memoryUsage().heapUsed;
      const t0 = performance.now();
      await Promise.all([allFacts(fresh), sourcesByFactId(fresh)]);
      timings.push(['site build: every fact and source read into memory', performance.now() - t0]);
      heapMb = (process.memoryUsage().heapUsed - before) / 1e6;
      process.stderr.write(`  every fact and source in memory: ${fmtMs(timings.at(-1)![1])}, heap +${heapMb.toFixed(0)} MB\n`);
      await add(`fact sheet data, largest company (from memory)`, () => companyPage(fresh, big));
      await add(`fact sheet data, median company (from memory)`, () => companyPage(fresh, mid));
      closeFresh();
    } else {
      timings.push(['site build: every fact and source read into memory', NaN], [`fact sheet data, largest company (from memory)`, NaN], [`fact sheet data, median company (from memory)`, NaN]);
    }
    await add(`home: newest reported facts`, () => newestReportedFacts(db, 10));

    // The export and status as users run them: the CLI in a child process, peak RSS from GNU time.
    const cli = (args: string[], out: string) =>
      spawnSync('/usr/bin/time', ['-f', '%e %M', path.join(ROOT, 'node_modules/.bin/node'), '--max-semi-space-size=16', 'bin/factdesk.js', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: `file:${file}`, FACTDESK_LOG_LEVEL: 'error' },
        stdio: ['ignore', out === '/dev/null' ? 'ignore' : 'pipe', 'pipe'],
        maxBuffer: 1 << 30,
      });
    const ex = spawnSync('sh', ['-c', `DATABASE_URL=file:${file} /usr/bin/time -f '%e %M' ${path.join(ROOT, 'node_modules/.bin/node')} --max-semi-space-size=16 bin/factdesk.js export facts --format ndjson | wc -c`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
    if (ex.status !== 0) throw new Error(`export failed: ${ex.stderr}`);
    const [exSec, exKb] = ex.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    const exportBytes = Number(ex.stdout.trim());
    const statusTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const st = cli(['status', '--json'], 'pipe');
      if (st.status !== 0) throw new Error(`status failed: ${st.stderr}`);
      statusTimes.push(Number(String(st.stderr).trim().split('\n').pop()!.split(' ')[0]) * 1000);
    }
    process.stderr.write(`  export ${fmtMs(exSec! * 1000)}, status ${fmtMs(median(statusTimes))}\n`);
    return { articles, facts, sources, companies, genMs, bytes, tables, timings, exportMs: exSec! * 1000, exportRss: exKb! * 1024, exportBytes, statusMs: median(statusTimes), load: load(), heapMb, rare: `"${rare}" in ${rareDocs} documents` };
  } finally {
    close();
  }
}

const results: SizeResult[] = [];
try {
  for (const n of sizes) results.push(await measure(n));
} finally {
  if (!values.keep && !values.dir) rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}

const head = `| measure | ${results.map((r) => `${(r.articles / 1000).toLocaleString('en')}k articles`).join(' | ')} |`;
console.log(`\nbench:scale (median of ${RUNS} after a warm-up; load average at the end of each size: ${results.map((r) => r.load).join(', ')})\n`);
console.log(head);
console.log(`|---|${results.map(() => '---|').join('')}`);
const row = (label: string, f: (r: SizeResult) => string) => console.log(`| ${label} | ${results.map(f).join(' | ')} |`);
row('articles / facts / sources / companies', (r) => `${r.articles.toLocaleString('en')} / ${r.facts.toLocaleString('en')} / ${r.sources.toLocaleString('en')} / ${r.companies.toLocaleString('en')}`);
row('generate (and replicate)', (r) => (r.genMs ? fmtMs(r.genMs) : 'reused'));
row('database file', (r) => mb(r.bytes));
row('bytes per article (whole file / articles)', (r) => `${Math.round(r.bytes / r.articles).toLocaleString('en')} B`);
for (const t of ['articles', 'article_revisions', 'search_fts_data', 'facts', 'fact_sources']) {
  row(`  table ${t}`, (r) => {
    const b = r.tables.find(([n]) => n === t)?.[1];
    return b === undefined ? '—' : mb(b);
  });
}
for (let i = 0; i < results[0]!.timings.length; i++) row(results[0]!.timings[i]![0], (r) => fmtMs(r.timings[i]![1]));
row('export facts --format ndjson (all): time', (r) => `${fmtMs(r.exportMs)} (${Math.round(r.exportMs / (r.facts / 1000))} ms per 1k facts)`);
row('export facts: peak RSS · bytes', (r) => `${mb(r.exportRss)} · ${mb(r.exportBytes)}`);
row('factdesk status --json (process)', (r) => fmtMs(r.statusMs));
row('the rarest word searched', (r) => r.rare);
row('heap for every fact and source (site build)', (r) => (r.heapMb ? `${Math.round(r.heapMb)} MB (${Math.round((r.heapMb * 1e6) / r.facts)} B per fact)` : 'not run'));
for (const r of results) {
  record({ bench: 'scale', measure: `${r.articles} articles: database size`, value: mb(r.bytes) });
  record({ bench: 'scale', measure: `${r.articles} articles: export all facts`, value: fmtMs(r.exportMs), peakRssMb: Math.round(r.exportRss / 1e6) });
}
