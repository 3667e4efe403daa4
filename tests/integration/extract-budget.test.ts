/**
 * One hostile article can't hang the pipeline (issue 10), through the real CLI and a real outlet on
 * 127.0.0.1: a 1 MB capitalised run is collected and extracted quickly; an article over its time
 * budget is failed with the reason and not retried; SIGTERM during a long extraction ends the
 * command within seconds with the run recorded as interrupted, and the next run doesn't hang.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.ts';
import { startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';

const MB = 1_000_000;
const run = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
/** A megabyte of quotes with speakers and figures: seconds of honest work for the rules extractor. */
const SLOW = run('“We grew revenue 5% to $3 million this year,” said Anna Berg, chief executive of Klarna. ', MB);

let outlet: FakeOutlet;
let dir: string;
beforeAll(async () => {
  outlet = await startFakeOutlet({ feeds: 3, perFeed: 2 });
  // Feed 0: an ALL-CAPS disclaimer as long as a page may be (pages are cut at 1 MB of HTML).
  // Feeds 1 and 2: a megabyte of real sentences.
  outlet.edit('/f0/a0.html', ['Klarna said revenue rose 10% to $500 million in 2025.', `IMPORTANT NOTICE: ${run('A', 0.95 * MB)} said.`]);
  outlet.edit('/f1/a0.html', [SLOW]);
  outlet.edit('/f2/a0.html', [SLOW]);
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-budget-'));
});
afterAll(async () => {
  await outlet.close();
  rmSync(dir, { recursive: true, force: true });
});

function setup(name: string, extra: Record<string, string> = {}) {
  const url = `file:${path.join(dir, name)}`;
  const env = { ...process.env, DATABASE_URL: url, FACTDESK_ALLOW_PRIVATE_NETWORKS: '1', ...extra };
  return { url, env };
}

async function rows(db: Client, sql: string): Promise<Record<string, unknown>[]> {
  return (await db.execute(sql)).rows.map((r) => ({ ...r }));
}

describe('extraction budget', () => {
  it('a refresh with a ~1 MB capitalised run finishes quickly and extracts every article', async () => {
    const { url, env } = setup('caps.db');
    expect((await runCli(['feeds', 'add', '--no-check', outlet.feedUrl(0)], env)).code).toBe(0);
    const t0 = Date.now();
    const r = await runCli(['refresh', '--json'], env, { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - t0).toBeLessThan(30_000);
    const db = createClient({ url });
    try {
      const arts = await rows(db, 'select url, extraction_status as status from articles order by url');
      expect(arts).toHaveLength(2);
      expect(arts.map((a) => a.status)).toEqual(['done', 'done']);
      const facts = await rows(db, "select count(*) as n from facts f join fact_sources s on s.fact_id = f.id join articles a on a.id = s.article_id where a.url like '%/f0/a0.html'");
      expect(Number(facts[0]!.n)).toBeGreaterThan(0); // the real sentence after the run still counts
    } finally {
      db.close();
    }
  }, 90_000);

  it('an article over its budget is failed with the reason, the rest are extracted, and it is not retried', async () => {
    const { url, env } = setup('budget.db', { FACTDESK_EXTRACT_TIMEOUT_MS: '1000' });
    expect((await runCli(['feeds', 'add', '--no-check', outlet.feedUrl(1)], env)).code).toBe(0);
    const r = await runCli(['refresh', '--json'], env, { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { extract: { status: string; stats: { extracted: number; failed: number }; failures: { code: string; message: string }[] } };
    expect(report.extract.status).toBe('finished');
    expect(report.extract.stats).toMatchObject({ extracted: 1, failed: 1 });
    expect(report.extract.failures[0]).toMatchObject({ code: 'extract-timeout' });
    expect(report.extract.failures[0]!.message).toMatch(/longer than 1000 ms/);
    const db = createClient({ url });
    try {
      const slow = await rows(db, "select extraction_status as status, extraction_error as error, extraction_attempts as attempts from articles where url like '%/f1/a0.html'");
      expect(slow[0]).toMatchObject({ status: 'failed', attempts: 1 });
      expect(String(slow[0]!.error)).toMatch(/longer than 1000 ms/);
      // The next run leaves it alone: nothing pending, done at once.
      const t0 = Date.now();
      const again = await runCli(['extract', '--json'], env, { timeoutMs: 30_000 });
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout).stats.articles).toBe(0);
      expect(Date.now() - t0).toBeLessThan(15_000);
    } finally {
      db.close();
    }
  }, 90_000);

  it('SIGTERM during a long extraction ends it within seconds, recorded as interrupted; the rerun does not hang', async () => {
    const { url, env } = setup('term.db', { FACTDESK_EXTRACT_TIMEOUT_MS: '300000' });
    expect((await runCli(['feeds', 'add', '--no-check', outlet.feedUrl(2)], env)).code).toBe(0);
    expect((await runCli(['refresh', '--no-extract'], env, { timeoutMs: 60_000 })).code).toBe(0);
    const db = createClient({ url, timeout: 5000 });
    const child = spawn(process.execPath, [BIN, 'extract'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      // Wait until the slow article is being worked on: its attempt is counted before the try.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const a = await rows(db, "select extraction_attempts as n from articles where url like '%/f2/a0.html'").catch(() => []);
        if (Number(a[0]?.n ?? 0) > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500));
      const t0 = Date.now();
      child.kill('SIGTERM');
      expect(await exited, log).toBe(130);
      expect(Date.now() - t0).toBeLessThan(5_000);
      const runs = await rows(db, "select status from runs where kind = 'extract'");
      expect(runs).toEqual([{ status: 'interrupted' }]);
      // Stopped by the signal, not by the article: still pending, and the try doesn't count.
      expect(await rows(db, "select extraction_status as status, extraction_attempts as attempts from articles where url like '%/f2/a0.html'")).toEqual([
        { status: 'pending', attempts: 0 },
      ]);
    } finally {
      child.kill('SIGKILL');
    }
    try {
      const t0 = Date.now();
      const again = await runCli(['extract', '--json'], { ...env, FACTDESK_EXTRACT_TIMEOUT_MS: '1000' }, { timeoutMs: 30_000 });
      expect(again.code, again.stderr).toBe(0);
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(await rows(db, "select extraction_status as status from articles where url like '%/f2/a0.html'")).toEqual([{ status: 'failed' }]);
    } finally {
      db.close();
    }
  }, 120_000);
});
