/**
 * npm run bench — every benchmark, one after another (they share 2 cores; running them together
 * would measure contention), then one table of the figures each recorded: medians, goals, the npm
 * peer where one exists and the ratio to it, and peak memory. `--skip site,collect` leaves some out;
 * `--json` prints the rows as JSON instead of the table.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchRow } from './lib/report.ts';

const BENCHES: { name: string; script: string; args?: string[] }[] = [
  { name: 'collect', script: 'bench/collect.ts' },
  { name: 'text', script: 'bench/text.ts' },
  { name: 'extract', script: 'bench/extract.ts' },
  { name: 'eval', script: 'bench/eval.ts' },
  { name: 'export', script: 'bench/export.ts' },
  { name: 'site', script: 'bench/site.ts' },
  // 10k and 100k only (about 5 minutes); the 1M figures take --sizes …,1000000 by hand (docs/scale.md).
  { name: 'scale', script: 'bench/scale.ts', args: ['--sizes', '10000,100000'] },
];

const { values } = parseArgs({ options: { skip: { type: 'string', default: '' }, json: { type: 'boolean', default: false } } });
const skip = new Set(values.skip!.split(',').filter(Boolean));
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-bench-'));
const out = path.join(dir, 'rows.ndjson');
const failed: string[] = [];

function run(script: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [script, ...args], {
      cwd: root,
      env: { ...process.env, FACTDESK_BENCH_OUT: out },
      // Each bench's own report goes to stderr here so stdout carries only the final table.
      stdio: ['ignore', process.stderr, process.stderr],
    });
    child.on('close', resolve);
  });
}

const t0 = performance.now();
for (const b of BENCHES) {
  if (skip.has(b.name) || !existsSync(path.join(root, b.script))) continue;
  process.stderr.write(`\n── bench:${b.name} ──\n`);
  const code = await run(b.script, b.args ?? []);
  if (code !== 0) failed.push(`${b.name} (exit ${code})`);
}
const rows: BenchRow[] = existsSync(out)
  ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as BenchRow)
  : [];
rmSync(dir, { recursive: true, force: true });

if (values.json) {
  process.stdout.write(JSON.stringify({ rows, failed }, null, 2) + '\n');
} else {
  const head = ['bench', 'measure', 'result', 'goal', '', 'npm peer', 'ratio', 'peak RSS'];
  const body = rows.map((r) => [
    r.bench,
    r.measure,
    r.value,
    r.goal ?? '—',
    r.ok === undefined ? '' : r.ok ? '✓' : '✗',
    r.peer ?? '—',
    r.ratio ?? '—',
    r.peakRssMb === undefined ? '—' : `${r.peakRssMb.toFixed(0)} MB`,
  ]);
  console.log(`\nFactdesk benchmarks — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${((performance.now() - t0) / 60000).toFixed(1)} min`);
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const r of body) console.log(`| ${r.join(' | ')} |`);
  if (failed.length) console.log(`\nfailed: ${failed.join(', ')}`);
}
process.exit(failed.length || rows.some((r) => r.ok === false) ? 1 : 0);
