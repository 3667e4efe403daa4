/**
 * The CLI behaves like a well-made Unix program, through the real `factdesk` process: a closed pipe
 * ends it quietly, a feed that cannot be checked is not added behind the user's back, a filter that
 * names nothing says so, a taken port is said before minutes of work, and mistakes get one clear line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOpmlUrl, startSampleServer } from '../../src/sample/server.ts';
import { BIN, runCli } from '../helpers/cli.ts';

let dir: string;
let server: Awaited<ReturnType<typeof startSampleServer>>;
const STACK = /\n\s+at .+:\d+:\d+/;

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: `file:${path.join(dir, 'manners.db')}`,
    FACTDESK_ALLOW_PRIVATE_NETWORKS: '0',
    FACTDESK_SAMPLE_PORT: String(server.port),
    ...extra,
  };
}
const run = (args: string[], extra: Record<string, string> = {}) => runCli(args, env(extra));

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-manners-'));
  server = await startSampleServer({ port: 0 });
  // The sample's origin is the one loopback address the CLI may fetch; collect it once.
  const opml = path.join(dir, 'sample.opml');
  writeFileSync(opml, await (await fetch(sampleOpmlUrl(server.origin))).text());
  expect((await run(['feeds', 'import', opml])).code).toBe(0);
  expect((await run(['refresh'])).code).toBe(0);
}, 90_000);
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a closed stdout', () => {
  it('ends `export facts | head` quietly with 0, as Unix tools do', async () => {
    // Reads the first chunk, then closes the pipe: the export (150 kB on the sample, more than a
    // pipe holds) meets EPIPE on a later write.
    const child = spawn(process.execPath, [BIN, 'export', 'facts', '--format', 'json'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString('utf8');
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first).toMatch(/^\{"schemaVersion":1/);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('feeds add', () => {
  it('refuses a feed it could not check, says why and what to do, and adds it only with --force', async () => {
    const url = 'http://localhost:9/feed.xml';
    const refused = await run(['feeds', 'add', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^factdesk feeds add: could not check http:\/\/localhost:9\/feed\.xml: refusing to connect to localhost/);
    expect(refused.stderr).toMatch(/Not added\. Set FACTDESK_ALLOW_PRIVATE_NETWORKS=1 .* --force/);
    expect(refused.stdout).toBe('');
    const listed = () => run(['feeds', 'list', '--json']).then((r) => JSON.parse(r.stdout).feeds.map((f: { url: string }) => f.url));
    expect(await listed()).not.toContain(url);

    const json = await run(['feeds', 'add', url, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'failed', error: { code: 'fatal' } });

    const forced = await run(['feeds', 'add', url, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/could not check it now \(refusing to connect .*\); added anyway \(--force\)/);
    expect(await listed()).toContain(url);
    expect((await run(['feeds', 'remove', url])).code).toBe(0);
  });

  it('says once what is wrong with a URL, and what was probably meant', async () => {
    const bare = await run(['feeds', 'add', 'example.com/feed.xml']);
    expect(bare.code).toBe(2);
    expect(bare.stderr.split('\n')[0]).toBe('factdesk feeds add: not a URL: "example.com/feed.xml" (did you mean https://example.com/feed.xml?)');
    const junk = await run(['feeds', 'add', 'not a url']);
    expect(junk.stderr.split('\n')[0]).toBe('factdesk feeds add: not a URL: "not a url" (a feed URL starts with http:// or https://)');
  });
});

describe('export filters', () => {
  it('warns on stderr when --company names no company, with the nearest slug, and still exits 0', async () => {
    const r = await run(['export', 'facts', '--format', 'csv', '--company', 'klarnna']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\r\n')).toHaveLength(1); // the header only: an empty export is a true answer
    expect(r.stderr).toMatch(/^factdesk export facts: warning: no company "klarnna" \(did you mean klarna\?\), so the export is empty\. Companies with facts: .*klarna.*\.\n$/);
  });

  it('takes a company name in any case for its slug', async () => {
    const bySlug = await run(['export', 'facts', '--format', 'csv', '--company', 'klarna']);
    const byName = await run(['export', 'facts', '--format', 'csv', '--company', 'KLARNA']);
    expect(byName.stderr).toBe('');
    const rows = (csv: string) => csv.trim().split('\r\n').slice(1).map((l) => l.split(',')[0]);
    expect(rows(bySlug.stdout).length).toBeGreaterThan(10);
    expect(rows(byName.stdout)).toEqual(rows(bySlug.stdout));
  });
});

describe('a port that is taken', () => {
  it('is said before the pipeline runs, with the port and how to pick a free one', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const fresh = `file:${path.join(dir, 'second-start.db')}`;
      const started = Date.now();
      const r = await run(['start', '--port', String(port)], { DATABASE_URL: fresh });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`factdesk start: port ${port} on 127.0.0.1 is taken`);
      expect(r.stderr).toContain('pass --port 0 to pick a free port');
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stdout).not.toContain('Factdesk — database'); // nothing was collected first
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});

describe('help and usage lines', () => {
  it('lists every command with a line of what it does, and points only inside the repo', async () => {
    const top = await run(['--help']);
    const commands = top.stdout.split('Commands:\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(commands.length).toBe(16);
    for (const line of commands) expect(line, line).toMatch(/^ {2}[a-z]+(?: [a-z]+)? +[A-Z].{20,}$/);
    for (const line of commands) {
      const name = line.trim().split(/ {2,}/)[0]!;
      const help = await run([...name.split(' '), '--help']);
      expect(help.code, name).toBe(0);
      expect(help.stdout, name).not.toMatch(/\.\.\/shared/);
    }
  }, 90_000); // 17 process start-ups

  it('names an unknown option once, with balanced quotes and the option that was meant', async () => {
    const r = await run(['export', 'facts', '--formt', 'csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('factdesk export facts: unknown option --formt (did you mean --format?)\nRun factdesk export facts --help for usage.\n');
    const missing = await run(['export', 'facts', '--format']);
    expect(missing.stderr.split('\n')[0]).toBe('factdesk export facts: --format needs a value');
    const extra = await run(['status', '--json=yes']);
    expect(extra.stderr.split('\n')[0]).toBe('factdesk status: --json takes no value');
  });
});
