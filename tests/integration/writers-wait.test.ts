/**
 * Writers that wait, not crash: three `extract --all` and a `refresh` started together on one
 * database file — while another process holds the write lock for 25 s, far longer than SQLite's
 * own busy timeout — all exit 0, and the database (articles, facts, their sources, companies) ends
 * equal to what a single run leaves. Real CLI processes, a real fake outlet on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { addFeeds } from '../../db/queries/feeds.ts';
import { runCli } from '../helpers/cli.ts';
import { startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';
import { snapshot } from '../helpers/snapshot.ts';

let outlet: FakeOutlet;
let dir: string;
beforeAll(async () => {
  outlet = await startFakeOutlet({ feeds: 6, perFeed: 4 });
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-writers-'));
});
afterAll(async () => {
  await outlet.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = (url: string) => ({ ...process.env, DATABASE_URL: url, FACTDESK_ALLOW_PRIVATE_NETWORKS: '1' });

async function addOutletFeeds(url: string, from: number, to: number): Promise<void> {
  const h = await openDb(url);
  await addFeeds(h.db, Array.from({ length: to - from }, (_, i) => ({ url: outlet.feedUrl(from + i) })));
  h.close();
}

async function cli(url: string, args: string[]) {
  const r = await runCli(args, env(url), { timeoutMs: 170_000 });
  expect(r.code, `factdesk ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

it('three extract --all and a refresh on one file all finish, and the database equals a single run', async () => {
  // One process, one run: every feed collected and extracted.
  const single = `file:${path.join(dir, 'single.db')}`;
  await addOutletFeeds(single, 0, 6);
  await cli(single, ['refresh']);
  const expected = await snapshot(single);
  expect(expected.facts.length).toBeGreaterThan(0);

  // Half the feeds collected and extracted earlier; the other half arrive while three extract --all
  // re-extract everything and a refresh collects and extracts the new ones.
  const shared = `file:${path.join(dir, 'shared.db')}`;
  await addOutletFeeds(shared, 0, 3);
  await cli(shared, ['refresh']);
  await addOutletFeeds(shared, 3, 6);

  // Another process holds the write lock while the four start, far past any busy timeout (the
  // old 10 s one included): they must wait for it, not die of SQLITE_BUSY.
  const holder = createClient({ url: shared });
  const tx = await holder.transaction('write');
  const held = new Promise<void>((resolve) => setTimeout(() => tx.commit().then(() => resolve()), 25_000));
  const runs = Promise.all([
    cli(shared, ['extract', '--all', '--json']),
    cli(shared, ['extract', '--all', '--json']),
    cli(shared, ['extract', '--all', '--json']),
    cli(shared, ['refresh', '--json']),
  ]);
  await held;
  holder.close();
  const results = await runs;
  for (const r of results.slice(0, 3)) expect(JSON.parse(r.stdout).failures).toEqual([]);
  expect(JSON.parse(results[3]!.stdout).failures).toEqual([]);

  expect(await snapshot(shared)).toEqual(expected);
}, 240_000);
