/**
 * npm run bench:site — the static site at full size: 10,000 articles, 50,000 facts, 500 companies.
 *   1. generate: a realistic database in a temp dir (bench/site/generate.ts, seeded: runs compare)
 *   2. build:    `factdesk build --json --out <tmp>` in a child process → wall time (goal ≤ 120 s),
 *                peak RSS, dist size (pagefind/, timeline/index/, exports/, articles/)
 *   3. search:   `factdesk serve` + Debian Chromium, cold: bytes transferred before the first result
 *                (search bytes: everything but the page's HTML and CSS; goal ≤ 150 kB for the timeline,
 *                ≤ 300 kB for pagefind) and time to it, for the timeline (lunr shards) and article search
 *                (pagefind), five queries each (a common word, a company name, a speaker's surname, a
 *                word the vocabulary stems and widens — "layoffs" meets "cut 210 jobs" — and a rare
 *                word); plus the timeline query in Node over the built shards (goal ≤ 50 ms) and
 *                pagefind's warm query in the page.
 *   2b. refresh: the same database before its newest --refresh articles (bench/site/refresh.ts) is
 *                what the full build of step 2 builds; then `factdesk build` again on the database
 *                after them, into the same output: the incremental rebuild (goal ≤ 10% of the full
 *                build's wall time), timed the same way. --refresh-companies K takes the newest
 *                articles about at most K companies instead (issue 15's "200 articles and 5 companies").
 * Flags: --articles 10000 --facts 50000 --companies 500 --runs 3 --keep (keep the temp dir) --json
 *        --refresh 200 (0: no refresh, one full build) --refresh-companies K
 *        --profile (CPU-profile the build, top files and functions) --db <file> (reuse a generated
 *        database; its terms are read from <file>.terms.json) --dist <dir> (reuse a built site).
 * The machine's load average is printed beside every build: the reference machine is shared.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { record } from './lib/report.ts';
import { distSize, runBuild, type BuildMeasure, type DistSize } from './site/build.ts';
import { generate, type GenerateResult, type SearchTerms } from './site/generate.ts';
import { measureSearches, type SearchCase, type SearchMeasure } from './site/measure-browser.ts';
import { nodeQueries, type NodeQueryMeasure } from './site/node-query.ts';
import { splitRefresh, type RefreshSplit } from './site/refresh.ts';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '10000' },
    facts: { type: 'string', default: '50000' },
    companies: { type: 'string', default: '500' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    db: { type: 'string' },
    dist: { type: 'string' },
    refresh: { type: 'string', default: '200' },
    'refresh-companies': { type: 'string' },
  },
});
const REFRESH = Number(values.refresh);
const REFRESH_COMPANIES = values['refresh-companies'] ? Number(values['refresh-companies']) : undefined;
const ROOT = path.resolve(import.meta.dirname, '..');
// Timeline bytes: issue 13 keeps the first result of a common word within 150 kB with the wider index
// (kind, label, company, vocabulary); pagefind's budget stays 300 kB.
const GOAL = { buildS: 60, incrementalRatio: 0.1, searchKb: 300, timelineKb: 150, queryMs: 50 };
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
/**
 * Before each timed build: the file system writes out what the step before it wrote (the database
 * copies, the full build's 27k files, ~0.5 GB), so the build is not timed against the kernel
 * flushing someone else's pages. A rebuild in use follows its previous build by hours.
 */
const settle = () => {
  spawnSync('sync');
};
const log = (s: string) => process.stderr.write(`bench:site: ${s}\n`);
const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-bench-site-'));

// ── 1. database ──
let gen: GenerateResult | null = null;
let dbUrl: string;
let terms: SearchTerms;
if (values.db) {
  dbUrl = `file:${path.resolve(values.db)}`;
  terms = JSON.parse(readFileSync(`${values.db}.terms.json`, 'utf8')) as SearchTerms;
} else {
  // The site after the refresh is generated: --articles before it, plus the refresh's own.
  const sizes = { articles: Number(values.articles) + REFRESH, facts: Number(values.facts), companies: Number(values.companies) };
  log(`generating ${sizes.articles} articles, ${sizes.facts} facts, ${sizes.companies} companies in ${dir} (load ${load()})`);
  gen = await generate({ dir, ...sizes });
  dbUrl = gen.url;
  terms = gen.terms;
  writeFileSync(`${gen.file}.terms.json`, JSON.stringify(terms));
  log(`generated in ${(gen.ms / 1000).toFixed(1)} s: ${JSON.stringify(gen.counts)}`);
}

// ── 2. build ──
let build: BuildMeasure | null = null;
let incremental: BuildMeasure | null = null;
let split: RefreshSplit | null = null;
const loads: { full?: string; incremental?: string } = {};
let outDir: string;
if (values.dist) {
  outDir = path.resolve(values.dist);
} else {
  const after = dbUrl;
  if (REFRESH > 0) {
    split = await splitRefresh(after.replace(/^file:/, ''), REFRESH, { companies: REFRESH_COMPANIES });
    log(`refresh: the site before its newest ${split.articles} articles (${split.newFacts} new facts, ${split.corroborated} facts given another source, ${split.companies} companies) in ${(split.ms / 1000).toFixed(1)} s`);
    dbUrl = `file:${split.before}`;
  }
  // --out lets the build land in the temp dir; older CLIs without it write the project's dist/.
  const help = await capture(path.join(ROOT, 'node_modules/.bin/node'), ['bin/factdesk.js', 'build', '--help']);
  const hasOut = help.includes('--out');
  outDir = hasOut ? path.join(dir, 'dist') : path.join(ROOT, 'dist');
  const profileDir = values.profile ? path.join(dir, 'profile') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  settle();
  loads.full = load();
  log(`building into ${outDir}${profileDir ? ' (CPU profile on)' : ''} (load ${loads.full})`);
  build = await runBuild({ root: ROOT, databaseUrl: dbUrl, outDir: hasOut ? outDir : null, profileDir, full: true, logFile: path.join(dir, 'build-full.log') });
  log(`build ${build.ok ? 'finished' : 'FAILED'} in ${build.wallS.toFixed(1)} s`);
  if (!build.ok) process.stderr.write(build.stderrTail + '\n');
  if (split && build.ok && hasOut) {
    settle();
    loads.incremental = load();
    log(`rebuilding after the refresh (load ${loads.incremental})`);
    incremental = await runBuild({ root: ROOT, databaseUrl: `file:${split.after}`, outDir, profileDir, logFile: path.join(dir, 'build-incremental.log') });
    log(`incremental build ${incremental.ok ? 'finished' : 'FAILED'} in ${incremental.wallS.toFixed(1)} s (${((incremental.wallS / build.wallS) * 100).toFixed(1)}% of the full build)`);
    if (!incremental.ok) process.stderr.write(incremental.stderrTail + '\n');
    dbUrl = `file:${split.after}`; // the searches below run on the site after the refresh
  }
}
const clientDir = path.join(outDir, 'client');
const size: DistSize = distSize(clientDir, ['pagefind', 'timeline/index', 'exports', 'articles', 'companies', 'timeline', '_astro']);

// ── 3. search ──
const hasTimeline = existsSync(path.join(clientDir, 'timeline', 'index.html')) && existsSync(path.join(clientDir, 'timeline', 'index', 'manifest.json'));
const hasSearch = existsSync(path.join(clientDir, 'search', 'index.html')) && existsSync(path.join(clientDir, 'pagefind', 'pagefind.js'));
const q = encodeURIComponent;
const queries = [
  { key: 'common word', q: terms.common },
  { key: 'company', q: terms.company.name, company: terms.company.slug },
  { key: 'speaker surname', q: terms.speaker },
  // The generator labels job cuts "layoffs" and writes "<co> cut 210 jobs, or 12% of its workforce":
  // found only through the label and the vocabulary.
  { key: 'stemmed word', q: 'layoffs' },
  { key: 'rare word', q: terms.rare },
];
const timelineCases: SearchCase[] = queries.map((x) => ({
  name: `timeline: ${x.key} "${x.q}"${x.company ? ` + company` : ''}`,
  path: `/timeline/?q=${q(x.q)}${x.company ? `&company=${q(x.company)}` : ''}`,
  list: '#timeline-results',
  item: 'li.fact',
  status: '#timeline-status',
}));
const searchCases: SearchCase[] = queries.map((x) => ({
  name: `articles: ${x.key} "${x.q}"`,
  path: `/search/?q=${q(x.q)}`,
  list: '#search-results',
  item: 'li',
  status: '#search-status',
}));

let browserRows: SearchMeasure[] = [];
let warm = new Map<string, number | null>();
let serveError: string | null = null;
if ((hasTimeline || hasSearch) && (build === null || build.ok)) {
  let server: ChildProcess | null = null;
  try {
    const s = await startServer(outDir, dbUrl);
    server = s.child;
    log(`serving on ${s.url}; measuring in Chromium (${values.runs} cold runs per query)`);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    try {
      const cases = [...(hasTimeline ? timelineCases : []), ...(hasSearch ? searchCases : [])];
      browserRows = await measureSearches(browser, s.url, cases, Number(values.runs));
      if (hasSearch) warm = await pagefindWarm(browser, s.url, queries.map((x) => x.q));
    } finally {
      await browser.close();
    }
  } catch (err) {
    serveError = (err as Error).message.split('\n')[0]!;
    log(`browser measurements failed: ${serveError}`);
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('close', r));
    }
  }
}
const nodeQ = hasTimeline
  ? await nodeQueries(clientDir, queries.map((x) => ({ name: x.key, q: x.q, company: x.company })), 7).catch((err: Error) => {
      log(`node query failed: ${err.message}`);
      return null;
    })
  : null;

// ── report ──
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const kB = (b: number) => (Number.isFinite(b) ? `${(b / 1000).toFixed(0)} kB` : 'n/a');
const ms = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x < 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(0)} ms`);
const mark = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? '✓' : '✗');

interface SearchRow {
  search: string;
  path: string;
  results: number | null;
  totalBytes: number | null;
  searchBytes: number | null;
  firstResultMs: number | null;
  queryMs: number | null;
  queryMsSource: string;
  bytesOk: boolean | undefined;
  queryOk: boolean | undefined;
  note?: string;
}
const searchRows: SearchRow[] = [];
for (const [i, x] of queries.entries()) {
  for (const kind of ['timeline', 'articles'] as const) {
    const c = (kind === 'timeline' ? timelineCases : searchCases)[i]!;
    const present = kind === 'timeline' ? hasTimeline : hasSearch;
    const m = browserRows.find((r) => r.name === c.name);
    const nq: NodeQueryMeasure | undefined = kind === 'timeline' ? nodeQ?.rows.find((r) => r.name === x.key) : undefined;
    const queryMs = kind === 'timeline' ? (nq?.firstMs ?? null) : (warm.get(x.q) ?? null);
    const okBytes = m && Number.isFinite(m.searchBytes) && m.firstResultMs !== null ? m.searchBytes / 1000 <= (kind === 'timeline' ? GOAL.timelineKb : GOAL.searchKb) : undefined;
    searchRows.push({
      search: c.name,
      path: c.path,
      results: m ? m.results : null,
      totalBytes: m?.totalBytes ?? null,
      searchBytes: m?.searchBytes ?? null,
      firstResultMs: m?.firstResultMs ?? null,
      queryMs,
      queryMsSource: kind === 'timeline' ? 'node: first result over the built shards' : 'chromium: warm pagefind search + 10 results',
      bytesOk: okBytes,
      queryOk: queryMs === null ? undefined : queryMs <= GOAL.queryMs,
      note: build && !build.ok
        ? 'build failed (n/a)'
        : !present
          ? 'page not built (n/a)'
          : (m?.error ?? (m && m.firstResultMs === null ? `no result (status ${m.state})` : (serveError ?? undefined))),
    });
  }
}

const buildOk = build ? build.ok && build.wallS <= GOAL.buildS : undefined;
const ratio = build && incremental?.ok && build.ok ? incremental.wallS / build.wallS : null;
const incrementalOk = ratio === null ? undefined : ratio <= GOAL.incrementalRatio;
const buildInfo = (b: BuildMeasure) => ({
  ok: b.ok,
  wallS: b.wallS,
  cpuS: b.cpuS,
  report: b.report,
  nodePeakRssMb: b.nodePeakMb,
  treePeakRssMb: b.treePeakMb,
  error: b.ok ? undefined : b.stderrTail,
});
const summary = {
  bench: 'site',
  date: new Date().toISOString(),
  node: process.version,
  cores: cpus().length,
  sizes: gen?.counts ?? null,
  generateS: gen ? gen.ms / 1000 : null,
  terms,
  build: build && {
    ok: build.ok,
    wallS: build.wallS,
    goalS: GOAL.buildS,
    meetsGoal: buildOk,
    steps: build.report?.steps ?? null,
    indexedPages: build.report?.indexedPages ?? null,
    nodePeakRssMb: build.nodePeakMb,
    treePeakRssMb: build.treePeakMb,
    profile: build.profile,
    error: build.ok ? undefined : build.stderrTail,
    cpuS: build.cpuS,
    load: loads.full,
  },
  refresh: split,
  incremental: incremental && { ...buildInfo(incremental), load: loads.incremental, ratio, goalRatio: GOAL.incrementalRatio, meetsGoal: incrementalOk },
  dist: size,
  searches: searchRows,
  timelineShardQueryMs: nodeQ?.shardMs ?? null,
  nodeQueries: nodeQ?.rows ?? null,
  requests: Object.fromEntries(browserRows.map((r) => [r.name, r.requests.map((q) => ({ ...q, url: q.url.replace(/^https?:\/\/[^/]+/, ''), at: Math.round(q.at) }))])),
  kept: values.keep ? dir : null,
};

// Rows for `npm run bench` (bench/all.ts).
const sizeLabel = gen
  ? `${(gen.counts.articles - (split?.articles ?? 0)).toLocaleString('en-US')} articles${split ? ` (+${split.articles} in the refresh)` : ''}, ${gen.counts.facts.toLocaleString('en-US')} facts`
  : `database ${values.db}`;
if (gen) record({ bench: 'site', measure: `generate ${sizeLabel}`, value: `${(gen.ms / 1000).toFixed(1)} s` });
if (build)
  record({
    bench: 'site',
    measure: `build ${sizeLabel} (dist ${mb(size.bytes)})`,
    value: build.ok ? `${build.wallS.toFixed(1)} s` : 'failed',
    goal: `≤ ${GOAL.buildS} s`,
    ok: buildOk,
    peakRssMb: build.treePeakMb,
  });
if (incremental && split)
  record({
    bench: 'site',
    measure: `incremental rebuild after a refresh of ${split.articles} articles (${split.newFacts} new facts, ${split.companies} companies)`,
    value: incremental.ok ? `${incremental.wallS.toFixed(1)} s${ratio !== null ? ` (${(ratio * 100).toFixed(1)}% of the full build)` : ''}` : 'failed',
    goal: `≤ ${GOAL.incrementalRatio * 100}% of the full build`,
    ok: incrementalOk,
    peakRssMb: incremental.treePeakMb,
  });
for (const [n, r] of searchRows.entries()) {
  if (r.note && r.searchBytes === null) {
    record({ bench: 'site', measure: r.search, value: r.note });
    continue;
  }
  // Rows come in pairs (timeline, then pagefind for the same term): the timeline's payload is
  // compared with Pagefind's on the same data.
  const pf = r.search.startsWith('timeline') ? searchRows[n + 1] : undefined;
  const peer =
    pf?.searchBytes && r.searchBytes
      ? { peer: `pagefind ${kB(pf.searchBytes)}`, ratio: `${(r.searchBytes / pf.searchBytes).toFixed(2)}× the bytes` }
      : {};
  record({
    bench: 'site',
    measure: `${r.search}: search bytes before 1st result · query`,
    value: `${kB(r.searchBytes ?? NaN)} · ${ms(r.queryMs)} (1st result in ${ms(r.firstResultMs)} cold)`,
    goal: `≤ ${r.search.startsWith('timeline') ? GOAL.timelineKb : GOAL.searchKb} kB · ≤ ${GOAL.queryMs} ms`,
    ok: r.bytesOk === undefined && r.queryOk === undefined ? undefined : r.bytesOk !== false && r.queryOk !== false,
    ...peer,
  });
}

if (values.json) {
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
} else {
  console.log(`\nbench:site — ${sizeLabel}${gen ? `, ${gen.counts.companies} companies` : ''}; Node ${process.version}, ${cpus().length} cores`);
  console.log('| measure | result | goal | |');
  console.log('|---|---|---|---|');
  if (gen) console.log(`| generate database (${gen.counts.factSources.toLocaleString('en-US')} sources, ${gen.counts.disputed} disputed, ${gen.counts.corroborated} corroborated, ${(gen.counts.words / 1e6).toFixed(1)}M words) | ${(gen.ms / 1000).toFixed(1)} s | < 30 s | ${mark(gen.ms < 30_000)} |`);
  if (build) {
    const st = build.report?.steps;
    const outputs = st ? (st.timelineIndex !== undefined ? `timeline index ${(st.timelineIndex / 1000).toFixed(1)} s + exports ${(st.exportFiles! / 1000).toFixed(1)} s beside the pages` : `index + exports ${(st.exports! / 1000).toFixed(1)} s`) : '';
    console.log(`| build${st ? ` (pages ${(st.pages! / 1000).toFixed(1)} s, pagefind ${(st.search! / 1000).toFixed(1)} s, ${outputs})` : ''} | ${build.ok ? `${build.wallS.toFixed(1)} s` : 'FAILED'} | ≤ ${GOAL.buildS} s | ${mark(buildOk)} |`);
    console.log(`| build peak RSS (node process; whole tree incl. pagefind); node CPU | ${build.nodePeakMb.toFixed(0)} MB; ${build.treePeakMb.toFixed(0)} MB; ${build.cpuS?.toFixed(1) ?? 'n/a'} s (load ${loads.full}) | | |`);
  }
  if (incremental && split) {
    const r = incremental.report;
    const ist = r?.steps;
    const phases = ist ? `pages ${(ist.pages! / 1000).toFixed(1)} s, search ${(ist.search! / 1000).toFixed(1)} s${ist.timelineIndex !== undefined ? `, timeline index ${(ist.timelineIndex / 1000).toFixed(1)} s, exports ${(ist.exportFiles! / 1000).toFixed(1)} s` : ''}; ` : '';
    const what = r?.pages ? ` (${phases}${r.pages.rendered} pages rendered, ${r.pages.linked} kept; search ${r.search?.mode}, ${r.search?.delta} in the delta; ${r.timeline?.built}/${r.timeline?.shards} timeline shards; ${r.exports?.exported}/${r.exports?.companies} companies exported)` : '';
    console.log(`| incremental rebuild after a refresh of ${split.articles} articles (${split.newFacts} new facts, ${split.corroborated} corroborated, ${split.companies} companies)${what} | ${incremental.ok ? `${incremental.wallS.toFixed(1)} s = ${((ratio ?? NaN) * 100).toFixed(1)}% of the full build` : 'FAILED'} | ≤ ${GOAL.incrementalRatio * 100}% | ${mark(incrementalOk)} |`);
    console.log(`| incremental peak RSS (node; tree); node CPU | ${incremental.nodePeakMb.toFixed(0)} MB; ${incremental.treePeakMb.toFixed(0)} MB; ${incremental.cpuS?.toFixed(1) ?? 'n/a'} s (load ${loads.incremental}) | | |`);
  }
  const f = size.folders;
  const part = (k: string) => `${k}/ ${mb(f[k]!.bytes)} (${f[k]!.files.toLocaleString('en-US')})`;
  console.log(`| dist/client size (files) | ${mb(size.bytes)} (${size.files.toLocaleString('en-US')} files): ${['articles', 'pagefind', 'timeline/index', 'exports'].map(part).join(', ')} | | |`);
  if (nodeQ) console.log(`| timeline: searchShard on one fresh shard, median over queries × shards (Node) | ${ms(nodeQ.shardMs)} | ≤ ${GOAL.queryMs} ms | ${mark(nodeQ.shardMs === null ? undefined : nodeQ.shardMs <= GOAL.queryMs)} |`);
  console.log('');
  console.log(`| search (cold, Chromium) | results | bytes before 1st result: all / search | 1st result | query ms | goal ≤ ${GOAL.timelineKb} kB timeline, ≤ ${GOAL.searchKb} kB articles / ≤ ${GOAL.queryMs} ms |`);
  console.log('|---|---|---|---|---|---|');
  for (const r of searchRows) {
    if (r.note && r.searchBytes === null) {
      console.log(`| ${r.search} | n/a | n/a | n/a | ${ms(r.queryMs)} | ${r.note} |`);
      continue;
    }
    console.log(
      `| ${r.search} | ${r.results ?? 'n/a'} | ${kB(r.totalBytes ?? NaN)} / ${kB(r.searchBytes ?? NaN)} | ${ms(r.firstResultMs)} | ${ms(r.queryMs)} | ${mark(r.bytesOk)} ${mark(r.queryOk)}${r.note ? ` ${r.note}` : ''} |`,
    );
  }
  // Issue 13's figures in one place: the timeline's payload and query time for the three kinds of
  // query it must serve, and pagefind's common-word query for comparison.
  console.log('\ntimeline search (issue 13 goals: ≤ 150 kB before the first result, ≤ 50 ms query):');
  for (const key of ['common word', 'stemmed word', 'speaker surname']) {
    const i = queries.findIndex((x) => x.key === key);
    const r = searchRows.find((x) => x.search === timelineCases[i]!.name);
    const nq = nodeQ?.rows.find((x) => x.name === key);
    console.log(`  ${key.padEnd(16)} "${queries[i]!.q}": ${kB(r?.searchBytes ?? NaN)} before the first result, query ${ms(r?.queryMs)} (page of 50: ${ms(nq?.pageMs)}), ${r?.results ?? 'n/a'} results shown ${mark(r ? r.bytesOk !== false && r.queryOk !== false : undefined)}`);
  }
  const pfCommon = warm.get(terms.common);
  console.log(`  pagefind common word "${terms.common}": warm query ${ms(pfCommon)}`);
  console.log('\nquery ms: timeline = Node, manifest + router + shards parsed and searched until the first result; articles = pagefind in the page, warm (index loaded), search + 10 results.');
  console.log("search bytes = everything transferred (as served, compressed where the server compresses) except the page's HTML, CSS and favicon.");
  if (build?.profile) {
    console.log(`\nbuild CPU profile (node processes, ${(build.profile.totalMs / 1000).toFixed(1)} s sampled): self time by file`);
    for (const x of build.profile.files.slice(0, 15)) console.log(`  ${(x.ms / 1000).toFixed(1).padStart(6)} s  ${x.file}`);
    console.log('top functions');
    for (const x of build.profile.functions.slice(0, 15)) console.log(`  ${(x.ms / 1000).toFixed(1).padStart(6)} s  ${x.fn}  ${x.file}`);
  }
  if (values.keep) console.log(`\nkept ${dir}`);
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
process.exit((build && !build.ok) || (incremental && !incremental.ok) ? 1 : 0);

// ── helpers ──

function capture(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.stderr.on('data', (d) => (out += d));
    c.on('close', () => resolve(out));
  });
}

/** `factdesk serve --port 0 --json`: its first stdout line is {"url": …}. */
function startServer(dist: string, databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/node'), ['--max-semi-space-size=16', 'bin/factdesk.js', 'serve', '--port', '0', '--json', '--dist', dist], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`serve did not start in 30 s: ${err.slice(-500)}`));
    }, 30_000);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /"url"\s*:\s*"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}): ${err.slice(-500)}`));
    });
  });
}

/** pagefind's own query time once its index is loaded: search + the top 10 results' data, median of 5. */
async function pagefindWarm(browser: import('playwright-core').Browser, base: string, qs: string[]): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(new URL('/search/', base).href, { waitUntil: 'load' });
    for (const query of qs) {
      // A string, not a function: tsx's helpers (__name) do not exist in the page.
      const t = await page
        .evaluate<number>(
          `(async () => {
            const pf = await import(new URL('/pagefind/pagefind.js', location.href).href);
            await pf.init();
            const once = async () => {
              const t0 = performance.now();
              const r = await pf.search(${JSON.stringify(query)});
              await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
              return performance.now() - t0;
            };
            await once(); // loads this query's index chunks and fragments
            const times = [];
            for (let i = 0; i < 5; i++) times.push(await once());
            times.sort((a, b) => a - b);
            return times[2];
          })()`,
        )
        .catch((err: Error) => {
          log(`pagefind warm query "${query}" failed: ${err.message.split('\n')[0]}`);
          return null;
        });
      out.set(query, t);
    }
  } finally {
    await context.close();
  }
  return out;
}
