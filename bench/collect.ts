/**
 * npm run bench:collect — collector throughput on a generated local outlet.
 *   cold:      F feeds × A articles, empty database → articles/s (feed + page fetch, page read, store),
 *              run twice in one process: pages read on the main thread (single-threaded) and on the
 *              page worker pool; both figures and their ratio are printed
 *   unchanged: a second refresh of the same feeds (all answer 304) → seconds
 *   1k feeds:  1,000 feeds, second refresh all unchanged → seconds (goal ≤ 1 s)
 * Flags: --feeds 200 --per-feed 25 --runs 1 --concurrency 32 --threads N (page threads, default one per core)
 *        --page-kb K: pad every page with K kB of menus, comments and scripts around the same story.
 *        The bare pages (4 kB) cost the parser ~2 ms, so the cold refresh is bound by the database
 *        writes; real pages (../shared/benchmarks, median 115 kB) take 15–25× that, which 50 kB of
 *        padding matches. --unchanged-feeds 0 skips the 1,000-feed round.
 * With --runs > 1 the two modes alternate, so a machine that gets busier or quieter part-way
 * shifts both alike. The load average is printed with the figures: on a shared machine the ratio
 * from one run is the number to trust, the absolute rates move with the neighbours.
 * All feeds live on one 127.0.0.1 server, so the per-host limit is raised to the overall one here;
 * against real outlets the default per-host limit (2) applies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../db/client.ts';
import { addFeeds } from '../db/queries/feeds.ts';
import { Fetcher } from '../scrapers/http/fetcher.ts';
import { refresh } from '../scrapers/refresh.ts';
import { closePagePool } from '../scrapers/refresh/page-pool.ts';
import { startFakeOutlet } from '../tests/helpers/fake-outlet.ts';
import { median, record } from './lib/report.ts';

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '200' },
    'per-feed': { type: 'string', default: '25' },
    runs: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '32' },
    'unchanged-feeds': { type: 'string', default: '1000' },
    threads: { type: 'string', default: String(availableParallelism()) },
    'page-kb': { type: 'string', default: '0' },
  },
});
const FEEDS = Number(values.feeds);
const PER = Number(values['per-feed']);
const RUNS = Number(values.runs);
const CONC = Number(values.concurrency);
const BIG = Number(values['unchanged-feeds']);
const THREADS = Number(values.threads);
const PAGE_KB = Number(values['page-kb']);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const load = () => loadavg()[0]!.toFixed(2);

interface Result {
  coldS: number;
  stored: number;
  perS: number;
  unchangedS: number;
  /** CPU time of the main thread during the cold refresh: what the pool takes off it, whatever the neighbours do. */
  mainCpuS: number;
  load: string;
}

async function scenario(feeds: number, perFeed: number, pageThreads: number): Promise<Result> {
  const outlet = await startFakeOutlet({ feeds, perFeed, padKb: PAGE_KB });
  const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-bench-'));
  const db = await openDb(`file:${path.join(dir, 'bench.db')}`);
  const fetcher = new Fetcher({
    allowPrivateNetworks: true,
    concurrency: CONC,
    perHostConcurrency: CONC,
    respectRobots: true,
  });
  try {
    await addFeeds(db.db, Array.from({ length: feeds }, (_, i) => ({ url: outlet.feedUrl(i) })));
    // Each mode starts its threads inside its own timing, as a refresh from cron would.
    await closePagePool();
    let t = performance.now();
    const cpu0 = process.threadCpuUsage();
    const cold = await refresh({ db: db.db, fetcher, concurrency: CONC, pageThreads });
    const coldS = (performance.now() - t) / 1000;
    const cpu = process.threadCpuUsage(cpu0);
    const stored = cold.stats.articlesNew + cold.stats.articlesCopies;
    if (cold.failures.length) console.error(`cold run had ${cold.failures.length} failures, e.g. ${cold.failures[0]!.message}`);
    t = performance.now();
    const again = await refresh({ db: db.db, fetcher, concurrency: CONC, all: true, pageThreads });
    const unchangedS = (performance.now() - t) / 1000;
    if (again.stats.feedsNotModified !== feeds) console.error(`expected ${feeds} unchanged feeds, got ${again.stats.feedsNotModified}`);
    return { coldS, stored, perS: stored / coldS, unchangedS, mainCpuS: (cpu.user + cpu.system) / 1e6, load: load() };
  } finally {
    await fetcher.close();
    db.close();
    await outlet.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const startLoad = load();
const single: Result[] = [];
const pooled: Result[] = [];
for (let i = 0; i < RUNS; i++) {
  single.push(await scenario(FEEDS, PER, 0));
  pooled.push(await scenario(FEEDS, PER, THREADS));
}
const big: number[] = [];
for (let i = 0; BIG > 0 && i < RUNS; i++) big.push((await scenario(BIG, 2, THREADS)).unchangedS);
await closePagePool();
clearInterval(sampler);

const singlePerS = median(single.map((c) => c.perS));
const pooledPerS = median(pooled.map((c) => c.perS));
const ratio = pooledPerS / singlePerS;
const bigS = median(big);
const mainMs = (r: Result[]) => median(r.map((c) => (1000 * c.mainCpuS) / c.stored));
const coldRow = (r: Result[]) => `${median(r.map((c) => c.perS)).toFixed(0)} articles/s (${r[0]!.stored} articles in ${median(r.map((c) => c.coldS)).toFixed(1)} s; load ${r.map((c) => c.load).join(', ')})`;

console.log(`\nbench:collect (${RUNS} run(s) each, median; concurrency ${CONC}; ${availableParallelism()} cores; Node ${process.version}; load average ${startLoad} at start)`);
console.log(`| scenario | result | goal |`);
console.log(`|---|---|---|`);
const pages = PAGE_KB ? `, pages padded by ${PAGE_KB} kB` : '';
console.log(`| cold refresh, ${FEEDS} feeds × ${PER}${pages}, pages read on the main thread | ${coldRow(single)} | — |`);
console.log(`| cold refresh, ${FEEDS} feeds × ${PER}${pages}, pages read on ${THREADS} worker thread(s) | ${coldRow(pooled)} | ${PAGE_KB ? '—' : '≥ 250 articles/s'} |`);
console.log(`| worker threads ÷ main thread | ${ratio.toFixed(2)}× | ${PAGE_KB ? '—' : '≥ 1.8×'} |`);
console.log(`| main-thread CPU per article: main thread → worker threads | ${mainMs(single).toFixed(2)} ms → ${mainMs(pooled).toFixed(2)} ms (${(mainMs(single) / mainMs(pooled)).toFixed(2)}× less) | — |`);
console.log(`| second refresh, ${FEEDS} feeds unchanged | ${median(pooled.map((c) => c.unchangedS)).toFixed(2)} s | — |`);
if (BIG > 0) console.log(`| second refresh, ${BIG} feeds unchanged | ${bigS.toFixed(2)} s | ≤ 1 s |`);
console.log(`| peak RSS | ${(peakRss / 1024 / 1024).toFixed(0)} MB | — |`);
record(
  { bench: 'collect', measure: `cold refresh, ${FEEDS} feeds × ${PER} (local outlet${pages}), pages on ${THREADS} threads`, value: `${pooledPerS.toFixed(0)} articles/s`, goal: '≥ 250 articles/s', ok: pooledPerS >= 250, peakRssMb: peakRss / 1024 / 1024 },
  { bench: 'collect', measure: `cold refresh, pages on the main thread`, value: `${singlePerS.toFixed(0)} articles/s`, ratio: `${ratio.toFixed(2)}× with threads`, goal: '≥ 1.8× (threads ÷ main)', ok: ratio >= 1.8 },
  ...(BIG > 0 ? [{ bench: 'collect', measure: `re-refresh, ${BIG} unchanged feeds`, value: `${bigS.toFixed(2)} s`, goal: '≤ 1 s', ok: bigS <= 1 }] : []),
);
