/**
 * Three `factdesk refresh` processes started together on one database: leases make sure no feed
 * and no page is fetched twice, and every article is stored exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { addFeeds } from '../../db/queries/feeds.ts';
import { articles, feeds } from '../../db/schema.ts';
import { runCli } from '../helpers/cli.ts';
import { startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';

let outlet: FakeOutlet;
let dir: string;
beforeAll(async () => {
  outlet = await startFakeOutlet({ feeds: 6, perFeed: 8, pageDelayMs: 30 });
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-workers-'));
});
afterAll(async () => {
  await outlet.close();
  rmSync(dir, { recursive: true, force: true });
});

it('three concurrent workers never process the same feed or page twice', async () => {
  const url = `file:${path.join(dir, 'shared.db')}`;
  const handle = await openDb(url);
  await addFeeds(handle.db, Array.from({ length: 6 }, (_, i) => ({ url: outlet.feedUrl(i) })));
  const env = { ...process.env, DATABASE_URL: url, FACTDESK_ALLOW_PRIVATE_NETWORKS: '1' };
  const results = await Promise.all([0, 1, 2].map((i) => runCli(['refresh', '--no-extract', '--json', '--worker', `w${i}`], env)));
  for (const r of results) expect(r.code, r.stderr).toBe(0);
  const reports = results.map((r) => JSON.parse(r.stdout));
  expect(reports.reduce((n, r) => n + r.stats.feedsFetched, 0)).toBe(6);
  expect(reports.reduce((n, r) => n + r.stats.articlesNew, 0)).toBe(48);
  for (let i = 0; i < 6; i++) expect(outlet.hits.get(`/f${i}/feed.xml`)).toBe(1);
  for (const a of outlet.articles) expect(outlet.hits.get(a.path)).toBe(1);
  expect(await handle.db.select().from(articles)).toHaveLength(48);
  // Leases are released when the runs end.
  expect((await handle.db.select().from(feeds)).every((f) => f.leaseOwner === null)).toBe(true);
  handle.close();
}, 90_000);
