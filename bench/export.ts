/**
 * npm run bench:export — 100k facts streamed as NDJSON (goal ≤ 5 s, ≤ 256 MB RSS).
 * Builds a database of 1,000 articles, 100 companies and N facts with one source each, then streams
 * the facts export into a sink that discards bytes, in a fresh process per run so the RSS measured is
 * the export's own, with the V8 flag the factdesk launcher uses (bin/factdesk.js: without it, V8's
 * default young generation on a big machine leaves ~230 MB RSS after merely importing drizzle-orm;
 * the export's heap itself stays flat at ~15 MB). Flags: --facts 100000 --runs 3
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { openDb } from '../db/client.ts';
import { exportFacts, writeFacts } from '../src/export/facts.ts';
import { record } from './lib/report.ts';

const { values } = parseArgs({
  options: { facts: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' }, measure: { type: 'string' } },
});

/** Measure mode (a fresh child process, so setup memory does not count): stream once, print JSON. */
if (values.measure) {
  const { db, close } = await openDb(`file:${values.measure}`);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb();
    },
  });
  const t = performance.now();
  const n = await writeFacts(sink, exportFacts(db), 'ndjson');
  const s = (performance.now() - t) / 1000;
  clearInterval(sampler);
  close();
  process.stdout.write(JSON.stringify({ s, rssMb: Math.max(peak, process.memoryUsage().rss) / 1024 / 1024, bytes, n }));
  process.exit(0);
}
const N = Number(values.facts);
const RUNS = Number(values.runs);
const KINDS = ['headcount', 'valuation', 'revenue', 'net_income', 'users', 'metric'];

const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-bench-export-'));
const { client, close } = await openDb(`file:${path.join(dir, 'e.db')}`);
const t0 = performance.now();
const text = 'Klarna said revenue rose 17% to $701 million in the first quarter of 2025. '.repeat(20);
await client.execute(`insert into feeds (url) values ('https://bench.example/feed')`);
const stmts: { sql: string; args: (string | number)[] }[] = [];
for (let c = 1; c <= 100; c++) stmts.push({ sql: 'insert into companies (slug, name) values (?, ?)', args: [`company-${c}`, `Company ${c}`] });
for (let a = 1; a <= 1000; a++) {
  stmts.push({
    sql: `insert into articles (key, url, feed_id, title, outlet, published_at, text, content_hash, simhash) values (?, ?, 1, ?, ?, ?, ?, ?, ?)`,
    args: [`https://bench.example/a/${a}`, `https://bench.example/a/${a}`, `Article ${a}`, `Outlet ${a % 20}`, '2025-05-14T00:00:00.000Z', text, `h${a}`, '0000000000000000'],
  });
}
await client.batch(stmts, 'write');
for (let start = 0; start < N; start += 5000) {
  const batch: { sql: string; args: (string | number)[] }[] = [];
  for (let i = start; i < Math.min(N, start + 5000); i++) {
    const id = `f${String(i).padStart(8, '0')}`;
    batch.push({
      sql: `insert into facts (id, company_id, kind, value, unit, as_of, statement, extractor, confidence) values (?, ?, ?, ?, 'USD', '2025-Q1', ?, 'rules/1', 0.8)`,
      args: [id, (i % 100) + 1, KINDS[i % KINDS.length]!, 701_000_000 + i, 'Klarna said revenue rose 17% to $701 million in the first quarter of 2025.'],
    });
    batch.push({
      sql: `insert into fact_sources (fact_id, article_id, revision, evidence, start, "end", extractor) values (?, ?, 1, ?, 0, 75, 'rules/1')`,
      args: [id, (i % 1000) + 1, 'Klarna said revenue rose 17% to $701 million in the first quarter of 2025.'],
    });
  }
  await client.batch(batch, 'write');
}
const setupS = (performance.now() - t0) / 1000;

close();
const results: { s: number; rssMb: number; bytes: number; n: number }[] = [];
for (let r = 0; r < RUNS; r++) {
  const child = spawnSync(process.execPath, ['--max-semi-space-size=16', fileURLToPath(import.meta.url), '--measure', path.join(dir, 'e.db')], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`measure run failed: ${child.stderr}`);
  results.push(JSON.parse(child.stdout));
}
rmSync(dir, { recursive: true, force: true });
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`\nbench:export (${RUNS} runs, median; database built in ${setupS.toFixed(1)} s; Node ${process.version})`);
console.log('| facts | NDJSON bytes | time | peak RSS | goal |');
console.log('|---|---|---|---|---|');
const expS = med(results.map((r) => r.s));
const expRss = med(results.map((r) => r.rssMb));
record({ bench: 'export', measure: `${results[0]!.n.toLocaleString('en-US')} facts as NDJSON`, value: `${expS.toFixed(2)} s`, goal: '≤ 5 s, ≤ 256 MB', ok: expS <= 5 && expRss <= 256, peakRssMb: expRss });
console.log(`| ${results[0]!.n.toLocaleString('en-US')} | ${(results[0]!.bytes / 1e6).toFixed(0)} MB | ${med(results.map((r) => r.s)).toFixed(2)} s | ${med(results.map((r) => r.rssMb)).toFixed(0)} MB | ≤ 5 s, ≤ 256 MB |`);
