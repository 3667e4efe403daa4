/**
 * A database that cannot be used ends the command with one line that says what happened and what
 * to do, exit 1, and with --json a report on stdout — never a stack of whichever query met it first,
 * and never a silent success. Real CLI processes; the full disk and the read-only medium are real
 * tmpfs mounts when the tests run as root (else the permission variant / skipped).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { addFeeds } from '../../db/queries/feeds.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { ExportSchema } from '../helpers/facts-contract.ts';
import { startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';

const isRoot = process.getuid?.() === 0;
let dir: string;
const mounts: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-fatal-'));
});
afterAll(() => {
  for (const m of mounts.reverse()) {
    try {
      execFileSync('umount', [m]);
    } catch {
      // Busy (a CLI child the test ended may not have closed its files yet) or already gone: detach
      // it lazily so the folder can go; the kernel frees it once the last file is closed.
      try {
        execFileSync('umount', ['-l', m]);
      } catch {
        // already gone
      }
    }
  }
  if (!isRoot) chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

const env = (url: string) => ({ ...process.env, DATABASE_URL: url, FACTDESK_ALLOW_PRIVATE_NETWORKS: '1' });

/** The one-line contract: exit 1, the message on stderr once and no stack, the JSON report on stdout. */
function expectFatal(r: CliResult, code: string, message: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('factdesk '));
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at |Failed query|unexpected error/);
  const report = JSON.parse(r.stdout);
  expect(report).toMatchObject({ status: 'failed', error: { code } });
  expect(report.error.message).toMatch(message);
}

function mountTmpfs(at: string, size: string): void {
  mkdirSync(at, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at]);
  mounts.push(at);
}

it('refuses an empty file: URL instead of using a throwaway in-memory database', async () => {
  const r = await runCli(['refresh', '--json'], env('file:'));
  expectFatal(r, 'no-file', /DATABASE_URL=file: names no file: give a path/);
});

it('says the libSQL server cannot be reached, not which query failed', async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const r = await runCli(['status', '--json'], env(`http://127.0.0.1:${port}`));
  expectFatal(r, 'unreachable', new RegExp(`cannot reach the database at http://127.0.0.1:${port}: connection refused; start the libSQL server`));
});

it('says a file of garbage is not a database', async () => {
  const file = path.join(dir, 'garbage.db');
  writeFileSync(file, Buffer.alloc(8192, 'not sqlite at all '));
  const r = await runCli(['extract', '--json'], env(`file:${file}`));
  expectFatal(r, 'not-a-database', /garbage\.db is not a database \(or is damaged\): restore it from a backup/);
});

describe('a database on read-only media', () => {
  let url: string;
  let facts: number;
  beforeAll(async () => {
    // A real collected-and-extracted database, checkpointed into its one file, as copied to a
    // read-only disk (its WAL header is kept: SQLite needs a -shm beside it to read it in place).
    const src = path.join(dir, 'src.db');
    const sample = await startFakeOutlet({ feeds: 1, perFeed: 3 });
    const h = await openDb(`file:${src}`);
    await addFeeds(h.db, [{ url: sample.feedUrl(0) }]);
    h.close();
    const r = await runCli(['refresh'], env(`file:${src}`));
    await sample.close();
    expect(r.code, r.stderr).toBe(0);
    const c = createClient({ url: `file:${src}` });
    facts = Number((await c.execute('select count(*) as n from facts')).rows[0]!.n);
    await c.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    c.close();
    expect(facts).toBeGreaterThan(0);
    const ro = path.join(dir, 'ro');
    if (isRoot) {
      mountTmpfs(ro, '4m');
      copyFileSync(src, path.join(ro, 'factdesk.db'));
      execFileSync('mount', ['-o', 'remount,ro', ro]);
    } else {
      mkdirSync(ro);
      copyFileSync(src, path.join(ro, 'factdesk.db'));
      chmodSync(path.join(ro, 'factdesk.db'), 0o444);
      chmodSync(ro, 0o555);
    }
    url = `file:${path.join(ro, 'factdesk.db')}`;
  }, 60_000);

  it('still answers status and export', async () => {
    const status = await runCli(['status', '--json'], env(url));
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).totals).toMatchObject({ articles: 3, facts });
    const exp = await runCli(['export', 'facts'], env(url));
    expect(exp.code, exp.stderr).toBe(0);
    expect(ExportSchema.parse(JSON.parse(exp.stdout)).facts).toHaveLength(facts);
  });

  it('says it is read-only to a command that writes', async () => {
    for (const args of [['refresh', '--json'], ['extract', '--all', '--json']]) {
      const r = await runCli(args, env(url));
      expectFatal(r, 'read-only', /the database at .*factdesk\.db is read-only: status and export still work/);
    }
    expect(existsSync(`${url.slice(5)}-wal`)).toBe(false);
  });
});

describe.skipIf(!isRoot)('a full disk', () => {
  let outlet: FakeOutlet;
  beforeAll(async () => {
    outlet = await startFakeOutlet({ feeds: 10, perFeed: 10, paragraphs: 30 });
  });
  afterAll(() => outlet?.close());

  it('ends the refresh with "disk is full", exit 1 and the JSON report', async () => {
    const at = path.join(dir, 'full');
    mountTmpfs(at, '1m');
    const url = `file:${path.join(at, 'factdesk.db')}`;
    const h = await openDb(url);
    await addFeeds(h.db, Array.from({ length: 10 }, (_, i) => ({ url: outlet.feedUrl(i) })));
    h.close();
    const r = await runCli(['refresh', '--no-extract', '--json'], env(url));
    expectFatal(r, 'disk-full', /the disk holding the database \(.*factdesk\.db\) is full: free some space and run the command again/);
  }, 60_000);
});
