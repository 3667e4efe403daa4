/**
 * A build is never half a site (issue 10, item 3), through the real CLI: `factdesk build --out` of a
 * copy of the sample database, `factdesk serve` on it in a child process, and a poller fetching every
 * kind of page (home, company list, a fact sheet, timeline, an article, exports, search assets, the
 * API) the whole time. A normal rebuild, builds killed with SIGKILL at random moments and a build
 * that fails must never make one of those answers anything but a complete 200, and serve must show
 * the new site after a swap without being restarted.
 */
import { createClient } from '@libsql/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BIN, runCli, startServe } from '../helpers/cli.ts';

const built = inject('site');
const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-atomic-'));
const out = path.join(dir, 'dist');
const dbFile = path.join(dir, 'site.db');
const env = { ...process.env, DATABASE_URL: `file:${dbFile}`, FACTDESK_API_BURST: '1000000', FACTDESK_API_RATE: '1000000' };
let serve: ChildProcess;
let url = '';
let buildMs = 0;
let paths: string[] = [];

async function sql(file: string, ...statements: string[]): Promise<void> {
  const c = createClient({ url: `file:${file}` });
  try {
    for (const s of statements) await c.execute(s);
  } finally {
    c.close();
  }
}

async function build(databaseFile = dbFile) {
  const t0 = performance.now();
  const r = await runCli(['build', '--out', out], { ...env, DATABASE_URL: `file:${databaseFile}` }, { timeoutMs: 170_000 });
  return { ...r, ms: performance.now() - t0 };
}

/** Fetches every path in turn from a few loops until stopped; anything but a full 200 is a failure. */
function poll(): { stop(): Promise<{ count: number; failures: string[] }> } {
  let running = true;
  let count = 0;
  const failures: string[] = [];
  const loop = async (offset: number) => {
    for (let i = offset; running; i++) {
      const p = paths[i % paths.length]!;
      try {
        const r = await fetch(new URL(p, url));
        const body = await r.arrayBuffer(); // a cut-short body (length mismatch) throws here
        if (r.status !== 200 || body.byteLength === 0) failures.push(`${p} → ${r.status} (${body.byteLength} bytes)`);
      } catch (err) {
        failures.push(`${p} → ${(err as Error).message}`);
      }
      count++;
    }
  };
  const loops = [0, 5, 9].map(loop);
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { count, failures };
    },
  };
}

const page = async (p: string) => {
  const r = await fetch(new URL(p, url));
  return { status: r.status, text: await r.text() };
};

beforeAll(async () => {
  // A copy, so the titles this file changes stay out of the other site tests.
  await sql(built.databaseUrl.replace(/^file:/, ''), `vacuum into '${dbFile}'`);
  const first = await build();
  expect(first.code, first.stderr).toBe(0);
  buildMs = first.ms;
  ({ serve, url } = await startServe(['--dist', out], env));
  const home = await page('/');
  const css = /href="(\/_astro\/[^"]+\.css)"/.exec(home.text)?.[1];
  expect(css).toBeDefined();
  paths = [
    '/',
    '/companies/',
    '/companies/klarna/',
    '/timeline/',
    '/articles/1/',
    '/exports/',
    '/exports/facts.json',
    '/exports/facts.csv',
    '/search/',
    '/sitemap.xml',
    '/pagefind/pagefind.js',
    css!,
    '/api/companies',
    '/api/search?q=klarna',
  ];
  for (const p of paths) expect((await page(p)).status, p).toBe(200);
}, 180_000);

afterAll(() => {
  serve?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${out}.builds`, { recursive: true, force: true });
});

/**
 * The releases folder once the detached removers a build leaves behind are done (old releases are
 * renamed to .removing-… at once and deleted by a process of their own: site-releases.ts).
 */
async function settledReleases(builds: string): Promise<string[]> {
  const until = Date.now() + 20_000;
  for (;;) {
    const names = readdirSync(builds);
    if (!names.some((n) => n.startsWith('.removing-')) || Date.now() > until) return names;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('factdesk build swaps a complete site in', () => {
  it('keeps serve answering 200 on every page during a rebuild, and serve shows the new site after it', async () => {
    await sql(dbFile, `update articles set title = 'Rebuilt site marker one' where id = 1`);
    expect((await page('/articles/1/')).text).not.toContain('Rebuilt site marker one');
    const poller = poll();
    const r = await build();
    const { count, failures } = await poller.stop();
    expect(r.code, r.stderr).toBe(0);
    buildMs = r.ms; // a warm build: what the kill delays below are spread over
    console.log(`${count} requests during a ${Math.round(r.ms)} ms rebuild, none failed`);
    expect(failures, `${failures.length} of ${count} requests failed`).toEqual([]);
    expect(count).toBeGreaterThan(50);
    // The same serve process, no restart: the swap is picked up on the next request.
    expect((await page('/articles/1/')).text).toContain('Rebuilt site marker one');
  }, 180_000);

  it('leaves the last good site when a build is killed (SIGKILL) at random moments; the next build succeeds and removes the leftovers', async () => {
    await sql(dbFile, `update articles set title = 'Rebuilt site marker two' where id = 1`);
    const before = readlinkSync(out);
    const poller = poll();
    const delays = [0, 1, 2].map((i) => Math.round(((i + Math.random()) / 3) * buildMs * 0.9));
    const killed: string[] = [];
    const pids: number[] = [];
    for (const delay of delays) {
      const child = spawn(process.execPath, [BIN, 'build', '--out', out], { env, stdio: 'ignore' });
      pids.push(child.pid!);
      const timer = setTimeout(() => child.kill('SIGKILL'), delay);
      const how = await new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}`)));
      clearTimeout(timer);
      killed.push(`${delay} ms: ${how}`);
      // Whether it died before, during or after the swap, a complete site is being served.
      for (const p of paths) expect((await page(p)).status, `${p} after a build killed at ${delay} ms`).toBe(200);
    }
    console.log(`builds killed at: ${killed.join(', ')} (a full build takes ${Math.round(buildMs)} ms)`);
    expect(killed.filter((k) => k.endsWith('SIGKILL')).length).toBeGreaterThanOrEqual(2);
    const after = readlinkSync(out);
    if (after !== before) {
      // A build got through its swap and was killed on its way out (closing, starting the remover):
      // the link then names that build's release, complete and with the new title — never a part.
      const release = path.join(path.dirname(out), after);
      expect(pids.some((pid) => after.endsWith(`-p${pid}`)), after).toBe(true);
      expect(existsSync(path.join(release, '.factdesk-complete')), after).toBe(true);
      expect(readFileSync(path.join(release, 'client', 'articles', '1', 'index.html'), 'utf8')).toContain('Rebuilt site marker two');
    }
    const r = await build();
    const { count, failures } = await poller.stop();
    expect(r.code, r.stderr).toBe(0);
    expect(failures, `${failures.length} of ${count} requests failed`).toEqual([]);
    expect((await page('/articles/1/')).text).toContain('Rebuilt site marker two');
    // Leftovers of the killed builds are gone: the current release and at most the one before it.
    const releases = await settledReleases(`${out}.builds`);
    expect(releases.length, releases.join(', ')).toBeLessThanOrEqual(2);
    for (const name of releases) expect(existsSync(path.join(out + '.builds', name, '.factdesk-complete')), name).toBe(true);
    const stages = path.join(path.dirname(BIN), '..', 'node_modules', '.factdesk-build');
    const left = existsSync(stages) ? readdirSync(stages) : [];
    expect(left.filter((n) => pids.some((pid) => n.startsWith(`p${pid}-`)))).toEqual([]);
  }, 300_000);

  it('swaps nothing in when a build is stopped with SIGTERM, and leaves nothing behind', async () => {
    const before = readlinkSync(out);
    const child = spawn(process.execPath, [BIN, 'build', '--out', out], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (!stderr.includes('build: pages') && (stderr += d).includes('build: pages')) child.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, stderr).not.toBe(0);
    expect(readlinkSync(out)).toBe(before);
    for (const p of paths) expect((await page(p)).status, p).toBe(200);
    const unfinished = readdirSync(`${out}.builds`).filter((n) => n.endsWith(`-p${child.pid}`));
    expect(unfinished).toEqual([]);
  }, 180_000);

  it('lets two builds run at once: neither removes the other\'s unfinished release, both succeed', async () => {
    // Inside the project (tmp/ is ignored), where Astro writes straight into the release folder for
    // the whole pages step: the second build starts as the first begins it, so the second's clean-up
    // meets the first's unfinished release while its process is alive.
    const inside = path.join(path.dirname(BIN), '..', 'tmp', `atomic-${process.pid}`);
    const out2 = path.join(inside, 'dist');
    try {
      const run = (onStderr?: (s: string) => void) => {
        const child = spawn(process.execPath, [BIN, 'build', '--out', out2], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr!.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          onStderr?.(stderr);
        });
        return new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
      };
      let second: ReturnType<typeof run> | undefined;
      const a = await run((e) => {
        if (!second && e.includes('build: pages')) second = run();
      });
      expect(second).toBeDefined();
      const b = await second!;
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      for (const f of ['index.html', 'companies/klarna/index.html', 'exports/facts.json', 'pagefind/pagefind.js']) {
        expect(existsSync(path.join(out2, 'client', f)), f).toBe(true);
      }
      const releases = await settledReleases(`${out2}.builds`);
      expect(releases.length, releases.join(', ')).toBeLessThanOrEqual(2);
    } finally {
      rmSync(inside, { recursive: true, force: true });
    }
  }, 300_000);

  it('exits 1 with one line naming the failed step and keeps the last good site', async () => {
    const broken = path.join(dir, 'broken.db');
    await sql(dbFile, `vacuum into '${broken}'`);
    await sql(broken, `update articles set title = 'Never served marker' where id = 1`, 'drop table summaries');
    const before = readlinkSync(out);
    const r = await build(broken);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n').filter((l) => !/^build: \w+$/.test(l) && !/^\S+ INFO /.test(l));
    expect(lines).toEqual([expect.stringMatching(/^factdesk build: build failed in the pages step: .*no such table: summaries.*the last good site is unchanged/)]);
    expect(readlinkSync(out)).toBe(before);
    for (const p of paths) expect((await page(p)).status, p).toBe(200);
    const article = (await page('/articles/1/')).text;
    expect(article).toContain('Rebuilt site marker two');
    expect(article).not.toContain('Never served marker');
    expect((await settledReleases(`${out}.builds`)).length).toBeLessThanOrEqual(2);
  }, 180_000);
});
