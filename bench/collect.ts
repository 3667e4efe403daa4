/**
 * npm run bench:collect — collector throughput on a generated local outlet.
 *   cold:      F feeds × A articles, empty database → articles/s (feed + page fetch, extraction, store)
 *   unchanged: a second refresh of the same feeds (all answer 304) → seconds
 *   1k feeds:  1,000 feeds, second refresh all unchanged → seconds (goal ≤ 5 s)
 * Flags: --feeds 200 --per-feed 25 --runs 1 --concurrency 32
 * All feeds live on one 127.0.0.1 server, so the per-host limit is raised to the overall one here;
 * against real outlets the default per-host limit (2) applies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDb } from '../db/client.ts';
import { addFeeds } from '../db/queries/feeds.ts';
import { Fetcher } from '../scrapers/http/fetcher.ts';
import { refresh } from '../scrapers/refresh.ts';
import { startFakeOutlet } from '../tests/helpers/fake-outlet.ts';
import { record } from './lib/report.ts';

const { values } = parseArgs({
  options: {
    feeds: { type: 'string', default: '200' },
    'per-feed': { type: 'string', default: '25' },
    runs: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '32' },
    'unchanged-feeds': { type: 'string', default: '1000' },
  },
});
const FEEDS = Number(values.feeds);
const PER = Number(values['per-feed']);
const RUNS = Number(values.runs);
const CONC = Number(values.concurrency);
const BIG = Number(values['unchanged-feeds']);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

async function scenario(feeds: number, perFeed: number) {
  const outlet = await startFakeOutlet({ feeds, perFeed });
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
    let t = performance.now();
    const cold = await refresh({ db: db.db, fetcher, concurrency: CONC });
    const coldS = (performance.now() - t) / 1000;
    const stored = cold.stats.articlesNew + cold.stats.articlesCopies;
    if (cold.failures.length) console.error(`cold run had ${cold.failures.length} failures, e.g. ${cold.failures[0]!.message}`);
    t = performance.now();
    const again = await refresh({ db: db.db, fetcher, concurrency: CONC, all: true });
    const unchangedS = (performance.now() - t) / 1000;
    if (again.stats.feedsNotModified !== feeds) console.error(`expected ${feeds} unchanged feeds, got ${again.stats.feedsNotModified}`);
    return { coldS, stored, perS: stored / coldS, unchangedS };
  } finally {
    await fetcher.close();
    db.close();
    await outlet.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const cold: { coldS: number; stored: number; perS: number; unchangedS: number }[] = [];
for (let i = 0; i < RUNS; i++) cold.push(await scenario(FEEDS, PER));
const big: number[] = [];
for (let i = 0; i < RUNS; i++) big.push((await scenario(BIG, 2)).unchangedS);
clearInterval(sampler);

console.log(`\nbench:collect (${RUNS} run(s) each, median; concurrency ${CONC}; Node ${process.version})`);
console.log(`| scenario | result | goal |`);
console.log(`|---|---|---|`);
console.log(`| cold refresh, ${FEEDS} feeds × ${PER} articles | ${median(cold.map((c) => c.perS)).toFixed(0)} articles/s (${cold[0]!.stored} articles in ${median(cold.map((c) => c.coldS)).toFixed(1)} s) | ≥ 100 articles/s |`);
console.log(`| second refresh, ${FEEDS} feeds unchanged | ${median(cold.map((c) => c.unchangedS)).toFixed(2)} s | — |`);
console.log(`| second refresh, ${BIG} feeds unchanged | ${median(big).toFixed(2)} s | ≤ 5 s |`);
console.log(`| peak RSS | ${(peakRss / 1024 / 1024).toFixed(0)} MB | — |`);
const coldPerS = median(cold.map((c) => c.perS));
record(
  { bench: 'collect', measure: `cold refresh, ${FEEDS} feeds × ${PER} (local outlet)`, value: `${coldPerS.toFixed(0)} articles/s`, goal: '≥ 100 articles/s', ok: coldPerS >= 100, peakRssMb: peakRss / 1024 / 1024 },
  { bench: 'collect', measure: `re-refresh, ${BIG} unchanged feeds`, value: `${median(big).toFixed(2)} s`, goal: '≤ 5 s', ok: median(big) <= 5 },
);
