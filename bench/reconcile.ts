/**
 * npm run bench:reconcile — reconciliation at full size: the bench:site database (10,000 articles,
 * 50,000 facts, 500 companies, copies among them) generated in a temp dir, then every fact's
 * corroboration and conflicts recomputed from scratch (reconcileGroups over all its groups), as a
 * rebuild after a classifier change would. Prints the wall time (median of --runs) and what came out.
 * Flags: --articles 10000 --facts 50000 --companies 500 --runs 3
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { reconcileGroups, type FactGroup } from '../src/extract/reconcile.ts';
import { generate } from './site/generate.ts';
import { record } from './lib/report.ts';

const { values } = parseArgs({ options: { articles: { type: 'string', default: '10000' }, facts: { type: 'string', default: '50000' }, companies: { type: 'string', default: '500' }, runs: { type: 'string', default: '3' } } });
const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-bench-reconcile-'));
try {
  const g = await generate({ dir, articles: Number(values.articles), facts: Number(values.facts), companies: Number(values.companies) });
  const { db, close } = await openDb(g.url);
  const groups = (await db.values<[number, string, string | null]>(sql`select distinct company_id, kind, as_of from facts`)).map((r): FactGroup => ({ companyId: r[0], kind: r[1], asOf: r[2] }));
  const times: number[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    await db.run(sql`update facts set corroboration = 'single-source', conflicts_with = null`);
    const t0 = performance.now();
    await db.transaction((tx) => reconcileGroups(tx, groups));
    times.push(performance.now() - t0);
  }
  const counts = (await db.values<[string, number]>(sql`select corroboration, count(*) from facts group by 1 order by 1`)).map((r) => `${r[0]} ${r[1]}`).join(', ');
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  console.log(`bench:reconcile: ${g.counts.facts} facts in ${groups.length} (company, kind, period) groups, ${g.counts.copies} copies`);
  console.log(`| reconcile every fact | ${(median / 1000).toFixed(2)} s (median of ${times.length}; ${times.map((t) => (t / 1000).toFixed(2)).join(', ')}) | ${counts} |`);
  record({ bench: 'reconcile', measure: `recompute corroboration and conflicts of ${g.counts.facts} facts`, value: `${(median / 1000).toFixed(2)} s` });
  close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
