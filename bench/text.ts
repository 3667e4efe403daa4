/**
 * Main-text extraction benchmark on the shared Zyte article-extraction data set.
 *
 *   npx tsx bench/text.ts [--only factdesk] [--verbose]
 *
 * For each extractor: runs it over all pages (HTML gunzipped up front, so timing excludes gunzip),
 * writes predictions to bench/out/text-<name>.json, scores them with the data set's evaluate.mjs and
 * prints F1 / P / R / empty predictions / ms per page (median and mean), then our F1 and speed as
 * ratios to each peer (Readability over linkedom, @extractus/article-extractor) and the goals.
 * With --verbose the worst pages of the first extractor are listed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { extractMainText } from '../scrapers/pages/index.ts';
import { htmlToText, nodeToText } from '../scrapers/pages/html.ts';
import { record } from './lib/report.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(projectRoot, '../shared/benchmarks/article-extraction');
const outDir = path.join(projectRoot, 'bench/out');

/** Issue 14: F1 on the shared set and median time per page. */
const F1_GOAL = 0.98;
const MS_GOAL = 20;

type Extractor = { name: string; run: (html: string, url: string) => string | Promise<string> };

/**
 * Baseline: Readability with default options over linkedom, its content converted with the same
 * paragraph-aware converter as ours (plain `textContent` glues paragraphs together and scores
 * F1 0.947 instead of 0.952).
 */
function readabilityBaseline(html: string): string {
  try {
    const { document } = parseHTML(html);
    const art = new Readability<Node>(document as unknown as Document, { serializer: (n: Node) => n }).parse();
    return art?.content ? nodeToText(art.content) : '';
  } catch {
    return '';
  }
}

async function extractusText(html: string, url: string): Promise<string> {
  const { extractFromHtml } = await import('@extractus/article-extractor');
  try {
    const art = await extractFromHtml(html, url);
    return art?.content ? htmlToText(art.content) : '';
  } catch {
    return '';
  }
}

const extractors: Extractor[] = [
  { name: 'factdesk', run: (html, url) => extractMainText(html, url) },
  { name: 'readability-linkedom', run: (html) => readabilityBaseline(html) },
  { name: 'article-extractor', run: extractusText },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const onlyIdx = args.indexOf('--only');
  const only = onlyIdx >= 0 ? args[onlyIdx + 1] : null;
  const verbose = args.includes('--verbose');
  const gt = JSON.parse(readFileSync(path.join(dataDir, 'ground-truth.json'), 'utf8')) as Record<string, { url: string }>;
  const files = readdirSync(path.join(dataDir, 'html')).filter((f) => f.endsWith('.html.gz')).sort();
  const pages = files.map((f) => {
    const id = f.replace(/\.html\.gz$/, '');
    return { id, url: gt[id]?.url ?? 'https://example.com/', html: gunzipSync(readFileSync(path.join(dataDir, 'html', f))).toString('utf8') };
  });
  mkdirSync(outDir, { recursive: true });
  const rows: string[][] = [];
  for (const ex of extractors) {
    if (only && ex.name !== only) continue;
    // Warm-up (JIT, lazy imports) on a few pages, not timed.
    for (const p of pages.slice(0, 3)) await ex.run(p.html, p.url);
    const preds: Record<string, string> = {};
    const times: number[] = [];
    for (const p of pages) {
      const t0 = performance.now();
      preds[p.id] = await ex.run(p.html, p.url);
      times.push(performance.now() - t0);
    }
    const predPath = path.join(outDir, `text-${ex.name}.json`);
    writeFileSync(predPath, JSON.stringify(preds, null, 1));
    const out = execFileSync(path.join(projectRoot, 'node_modules/.bin/node'), [path.join(dataDir, 'evaluate.mjs'), predPath, ...(verbose ? [] : ['--quiet'])], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const last = out.trim().split('\n').pop() ?? '';
    const m = /F1 ([\d.]+) \(P ([\d.]+) R ([\d.]+)\)/.exec(last);
    const empty = /empty predictions (\d+)/.exec(out)?.[1] ?? '?';
    if (verbose && rows.length === 0) {
      const perPage = out
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'))
        .filter((c) => c.length === 6)
        .sort((a, b) => Number(a[3]) - Number(b[3]));
      console.log('worst pages (id P R F1 pred_tokens true_tokens):');
      for (const c of perPage.slice(0, 40)) console.log('  ' + c.join('\t'));
    }
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    rows.push([ex.name, m?.[1] ?? '?', m?.[2] ?? '?', m?.[3] ?? '?', empty, median(times).toFixed(1), mean.toFixed(1)]);
  }
  const head = ['extractor', 'F1', 'P', 'R', 'empty', 'ms/page med', 'ms/page mean'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`${pages.length} pages from ${dataDir}`);
  console.log(fmt(head));
  for (const r of rows) console.log(fmt(r));
  const ours = rows.find((r) => r[0] === 'factdesk');
  if (!ours) return;
  const f1 = Number(ours[1]);
  const ms = Number(ours[5]);
  // Ratios against each peer that ran: F1 ours/theirs (> 1 is better), speed theirs/ours (> 1 is faster).
  const peers = rows.filter((r) => r[0] !== 'factdesk');
  if (peers.length) {
    console.log('\nfactdesk against each peer (F1 ours/theirs; speed = their median ms / ours):');
    for (const p of peers) {
      console.log(`  ${p[0]!.padEnd(widths[0]!)}  F1 ${(f1 / Number(p[1])).toFixed(3)}×  speed ${(Number(p[5]) / ms).toFixed(2)}×`);
    }
  }
  console.log(`goals: F1 ≥ ${F1_GOAL} ${f1 >= F1_GOAL ? 'met' : 'NOT met'}; median ≤ ${MS_GOAL} ms ${ms <= MS_GOAL ? 'met' : 'NOT met'}`);
  const peerNote = (col: number, fmt: (theirs: number) => string): { peer?: string; ratio?: string } =>
    peers.length ? { peer: peers.map((p) => `${p[0]} ${p[col]}`).join(', '), ratio: peers.map((p) => fmt(Number(p[col]))).join(', ') } : {};
  record(
    {
      bench: 'text',
      measure: `main-text F1 on ${pages.length} pages`,
      value: `F1 ${ours[1]} (P ${ours[2]}, R ${ours[3]})`,
      goal: `F1 ≥ ${F1_GOAL}`,
      ok: f1 >= F1_GOAL,
      ...peerNote(1, (t) => `${(f1 / t).toFixed(3)}×`),
    },
    {
      bench: 'text',
      measure: 'main-text time per page (median)',
      value: `${ms.toFixed(1)} ms`,
      goal: `≤ ${MS_GOAL} ms`,
      ok: ms <= MS_GOAL,
      ...peerNote(5, (t) => `${(t / ms).toFixed(2)}× faster`),
    },
  );
}

await main();
