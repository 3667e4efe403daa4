/**
 * A refresh killed with SIGKILL half-way, then run again, must end with the same articles,
 * revisions and queue as one uninterrupted run: no duplicates, no half-written rows, nothing lost.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';
import { BIN, runCli } from '../helpers/cli.ts';

let outlet: FakeOutlet;
let dir: string;

beforeAll(async () => {
  outlet = await startFakeOutlet({ feeds: 3, perFeed: 12, pageDelayMs: 40 });
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-crash-'));
});
afterAll(async () => {
  await outlet.close();
  rmSync(dir, { recursive: true, force: true });
});

function env(db: string) {
  return { ...process.env, DATABASE_URL: `file:${path.join(dir, db)}`, FACTDESK_ALLOW_PRIVATE_NETWORKS: '1' };
}

async function cli(db: string, args: string[]): Promise<string> {
  const r = await runCli(args, env(db));
  if (r.code !== 0) throw new Error(`factdesk ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

async function snapshot(db: string) {
  const c = createClient({ url: `file:${path.join(dir, db)}` });
  try {
    const arts = await c.execute(
      `select a.key, a.title, a.content_hash, a.revision, a.published_at, a.outlet, o.key as copy_of,
              (select count(*) from article_revisions r where r.article_id = a.id) as revisions
       from articles a left join articles o on o.id = a.copy_of_id order by a.key`,
    );
    const items = await c.execute(
      `select f.url as feed, i.guid, i.status, a.key as article from feed_items i
       join feeds f on f.id = i.feed_id left join articles a on a.id = i.article_id order by f.url, i.guid`,
    );
    const dupes = await c.execute(`select count(*) - count(distinct content_hash) as n from articles`);
    const facts = await c.execute(
      `select f.id, f.kind, f.value, f.corroboration, a.key as article, s.start, s.end
       from facts f join fact_sources s on s.fact_id = f.id join articles a on a.id = s.article_id
       order by f.id, a.key, s.start`,
    );
    return {
      articles: arts.rows.map((r) => ({ ...r })),
      items: items.rows.map((r) => ({ ...r })),
      facts: facts.rows.map((r) => ({ ...r })),
      dupes: Number(dupes.rows[0]!.n),
    };
  } finally {
    c.close();
  }
}

async function count(db: string): Promise<number> {
  const c = createClient({ url: `file:${path.join(dir, db)}`, timeout: 5000 });
  try {
    const r = await c.execute('select count(*) as n from articles');
    return Number(r.rows[0]!.n);
  } catch {
    return 0; // not created yet
  } finally {
    c.close();
  }
}

it('a run killed mid-way and rerun equals one uninterrupted run', async () => {
  const feeds = [0, 1, 2].map((i) => outlet.feedUrl(i));
  for (const db of ['whole.db', 'killed.db']) for (const f of feeds) await cli(db, ['feeds', 'add', f]);

  await cli('whole.db', ['refresh', '--concurrency', '4']);
  const whole = await snapshot('whole.db');
  expect(whole.articles).toHaveLength(36);
  expect(whole.facts.length).toBeGreaterThan(0);

  const child = spawn(process.execPath, [BIN, 'refresh', '--concurrency', '4'], { env: env('killed.db'), stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 30_000;
  while ((await count('killed.db')) < 6 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  child.kill('SIGKILL');
  await exited;
  const partial = await count('killed.db');
  expect(partial).toBeGreaterThanOrEqual(6);
  expect(partial).toBeLessThan(36); // really killed half-way

  const out = await cli('killed.db', ['refresh', '--json']);
  const report = JSON.parse(out);
  expect(report.status).toBe('finished');
  const resumed = await snapshot('killed.db');
  expect(resumed.dupes).toBe(0);
  expect(resumed).toEqual(whole);
  // The killed run is visible as interrupted.
  const c = createClient({ url: `file:${path.join(dir, 'killed.db')}` });
  const runs = await c.execute("select status from runs where kind = 'refresh' order by id");
  c.close();
  expect(runs.rows.map((r) => r.status)).toEqual(['interrupted', 'finished']);
}, 90_000);
