/**
 * `factdesk schedule` as a service manager runs it: ticks on its pattern, collects, and on SIGTERM
 * finishes and exits 0 with no run left open.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.ts';
import { startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';

let outlet: FakeOutlet;
let dir: string;
beforeAll(async () => {
  outlet = await startFakeOutlet({ feeds: 2, perFeed: 3 });
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-schedule-'));
});
afterAll(async () => {
  await outlet.close();
  rmSync(dir, { recursive: true, force: true });
});

it('refreshes on its schedule and stops cleanly on SIGTERM', async () => {
  const url = `file:${path.join(dir, 's.db')}`;
  const env = { ...process.env, DATABASE_URL: url, FACTDESK_ALLOW_PRIVATE_NETWORKS: '1' };
  for (const i of [0, 1]) expect((await runCli(['feeds', 'add', '--no-check', outlet.feedUrl(i)], env)).code).toBe(0);
  const child = spawn(process.execPath, [BIN, 'schedule', '--cron', '* * * * * *'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const db = createClient({ url, timeout: 5000 });
  try {
    const deadline = Date.now() + 30_000;
    let refreshes = 0;
    while (Date.now() < deadline) {
      const r = await db.execute("select count(*) as n from runs where kind = 'refresh' and status = 'finished'").catch(() => null);
      refreshes = Number(r?.rows[0]?.n ?? 0);
      if (refreshes >= 2) break;
      await new Promise((r2) => setTimeout(r2, 200));
    }
    expect(refreshes, log).toBeGreaterThanOrEqual(2);
    child.kill('SIGTERM');
    const t0 = Date.now();
    expect(await exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(Number((await db.execute('select count(*) as n from articles')).rows[0]!.n)).toBe(6);
    expect(Number((await db.execute("select count(*) as n from runs where status = 'running'")).rows[0]!.n)).toBe(0);
    expect(outlet.hits.get('/f0/feed.xml')).toBe(1); // the second tick found nothing due: polite
    expect(log).toMatch(/schedule stopped/);
  } finally {
    db.close();
    child.kill('SIGKILL');
  }
}, 60_000);
