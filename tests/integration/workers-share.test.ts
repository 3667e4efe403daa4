/**
 * Three `factdesk refresh --worker …` processes started together on 50 due feeds split them: each
 * worker fetches some (a worker claims a few feeds at a time, not every due one), the outlet sees
 * every feed and page requested exactly once, and the database ends as one single run leaves it —
 * on an embedded file and on a real libSQL server (sqld).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { addFeeds } from '../../db/queries/feeds.ts';
import { runCli } from '../helpers/cli.ts';
import { startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';
import { snapshot, type Snapshot } from '../helpers/snapshot.ts';
import { startSqld, type Sqld } from '../helpers/sqld.ts';

const FEEDS = 50;
let outlet: FakeOutlet;
let dir: string;
let sqld: Sqld;
let single: Snapshot;

async function seed(url: string): Promise<void> {
  const h = await openDb(url);
  await addFeeds(h.db, Array.from({ length: FEEDS }, (_, i) => ({ url: outlet.feedUrl(i) })));
  h.close();
}

const env = (url: string) => ({ ...process.env, DATABASE_URL: url, FACTDESK_ALLOW_PRIVATE_NETWORKS: '1' });

beforeAll(async () => {
  // Slow pages make one batch take a while, so the three processes overlap however they start up.
  outlet = await startFakeOutlet({ feeds: FEEDS, perFeed: 1, pageDelayMs: 300 });
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-share-'));
  sqld = await startSqld();
  const url = `file:${path.join(dir, 'single.db')}`;
  await seed(url);
  const r = await runCli(['refresh', '--no-extract', '--json'], env(url));
  expect(r.code, r.stderr).toBe(0);
  single = await snapshot(url);
  expect(single.articles).toHaveLength(FEEDS);
}, 90_000);
afterAll(async () => {
  await outlet?.close();
  await sqld?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['a file', () => `file:${path.join(dir, 'shared.db')}`],
  ['a libSQL server', () => sqld.url],
])('three workers on %s', (_name, dbUrl) => {
  it('split 50 feeds: each fetches some, none is fetched twice, the database equals a single run', async () => {
    const url = dbUrl();
    await seed(url);
    outlet.hits.clear();
    const results = await Promise.all(
      [0, 1, 2].map((i) => runCli(['refresh', '--no-extract', '--json', '--worker', `w${i}`], env(url), { timeoutMs: 80_000 })),
    );
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const fetched = results.map((r) => JSON.parse(r.stdout).stats.feedsFetched as number);
    for (const n of fetched) expect(n, `feeds fetched per worker: ${fetched}`).toBeGreaterThan(0);
    expect(fetched.reduce((a, b) => a + b, 0)).toBe(FEEDS);
    for (let i = 0; i < FEEDS; i++) expect(outlet.hits.get(`/f${i}/feed.xml`), `feed ${i}`).toBe(1);
    for (const a of outlet.articles) expect(outlet.hits.get(a.path), a.path).toBe(1);
    expect(await snapshot(url)).toEqual(single);
    const h = await openDb(url);
    const leases = await h.client.execute('select count(*) as n from feeds where lease_owner is not null');
    h.close();
    expect(Number(leases.rows[0]!.n)).toBe(0);
  }, 90_000);
});
