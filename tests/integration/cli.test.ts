/**
 * The factdesk CLI as cron jobs and scripts use it: real processes, a real database file, the
 * bundled sample served on 127.0.0.1. Checks exit codes, --json output and the exports.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOpmlUrl, startSampleServer } from '../../src/sample/server.ts';
import { runCli } from '../helpers/cli.ts';
import { ExportSchema } from '../helpers/facts-contract.ts';

let dir: string;
let server: Awaited<ReturnType<typeof startSampleServer>>;

function run(args: string[], env: Record<string, string> = {}) {
  return runCli(args, {
    ...process.env,
    DATABASE_URL: `file:${path.join(dir, 'cli.db')}`,
    // Private networks stay refused: the sample's port is the allowed exception.
    FACTDESK_ALLOW_PRIVATE_NETWORKS: '0',
    FACTDESK_SAMPLE_PORT: String(server.port),
    ...env,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-cli-'));
  server = await startSampleServer({ port: 0 });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('factdesk CLI', () => {
  it('prints help for the tool and every command, and exits 2 on a bad command line', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('feeds import');
    expect(top.stdout).toContain('DATABASE_URL');
    for (const cmd of [['refresh'], ['feeds', 'add'], ['export', 'articles'], ['export', 'facts'], ['extract'], ['status'], ['prune'], ['schedule'], ['sample'], ['start']]) {
      const h = await run([...cmd, '--help']);
      expect(h.code, cmd.join(' ')).toBe(0);
      expect(h.stdout).toContain(`Usage: factdesk ${cmd.join(' ')}`);
    }
    expect((await run(['nonsense'])).code).toBe(2);
    expect((await run(['feeds'])).stderr).toMatch(/expected one of: add, import/);
    expect((await run(['refresh', '--bogus'])).code).toBe(2);
    expect((await run(['feeds', 'add'])).code).toBe(2);
    expect((await run(['feeds', 'add', 'ftp://example.com/feed'])).code).toBe(2);
  }, 90_000); // one process per command (20+ Node start-ups): on 2 loaded cores that passes 30 s

  it('exits 1 with a clear message when the database cannot be opened', async () => {
    const notADir = path.join(dir, 'plain-file');
    writeFileSync(notADir, 'not a directory');
    const r = await run(['feeds', 'list'], { DATABASE_URL: `file:${notADir}/x.db` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/db: cannot/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace for an expected failure
  });

  it('imports OPML, refreshes, lists, exports articles and feeds, removes', { timeout: 90_000 }, async () => {
    const opml = path.join(dir, 'sample.opml');
    writeFileSync(opml, await (await fetch(sampleOpmlUrl(server.origin))).text());
    const imp = await run(['feeds', 'import', opml, '--json']);
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({ found: 4, added: 4, existing: 0 });
    expect(JSON.parse((await run(['feeds', 'import', opml, '--json'])).stdout)).toMatchObject({ added: 0, existing: 4 });
    // A site's page instead of its feed: the announced feed is found (and is already in the list).
    const viaPage = JSON.parse((await run(['feeds', 'add', `${server.origin}/paybrief/`, '--json'])).stdout);
    expect(viaPage).toMatchObject({ existing: 1, note: `found the feed announced by ${server.origin}/paybrief/` });
    const notAFeed = await run(['feeds', 'add', `${server.origin}/robots.txt`]);
    expect(notAFeed.code).toBe(2);
    expect(notAFeed.stderr).toMatch(/no feed at/);

    const ref = await run(['refresh', '--json']);
    expect(ref.code).toBe(0);
    const report = JSON.parse(ref.stdout);
    expect(report.status).toBe('finished');
    expect(report.failures).toEqual([]);
    expect(report.stats.articlesNew + report.stats.articlesCopies).toBe(13);

    // refresh extracted facts from the new articles with the built-in rules.
    expect(report.extract.extractor).toBe('rules/2');
    expect(report.extract.stats.extracted).toBe(13);
    const factsDoc = ExportSchema.parse(JSON.parse((await run(['export', 'facts'])).stdout));
    expect(factsDoc.facts.length).toBeGreaterThan(20);
    const csv = (await run(['export', 'facts', '--format', 'csv', '--company', 'klarna'])).stdout;
    expect(csv.split('\r\n')[0]).toMatch(/^id,company,companyName,kind,value,unit,direction,changePct,label,status,asOf,speaker,quote,statement,source_url,source_outlet,source_published_at,evidence,start,end,extractor,confidence,corroboration/);
    const klarnaSources = factsDoc.facts.filter((f) => f.company === 'klarna').reduce((n, f) => n + f.sources.length, 0);
    expect(csv.trim().split('\r\n').filter((l) => /^[0-9a-f]{20},klarna,/.test(l))).toHaveLength(klarnaSources);
    const again = JSON.parse((await run(['extract', '--all', '--json'])).stdout);
    expect(again.stats.extracted).toBe(13);
    const noLlm = await run(['extract', '--extractor', 'llm'], { OPENAI_API_KEY: '', OPENAI_BASE_URL: '' });
    expect(noLlm.code).toBe(1);
    expect(noLlm.stderr).toMatch(/OPENAI_API_KEY/);

    const list = JSON.parse((await run(['feeds', 'list', '--json'])).stdout);
    expect(list.feeds).toHaveLength(4);
    expect(list.feeds.map((f: { errorCount: number }) => f.errorCount)).toEqual([0, 0, 0, 0]);
    expect(list.feeds.map((f: { articleCount: number }) => f.articleCount).sort()).toEqual([3, 3, 3, 4]);

    const nd = await run(['export', 'articles', '--format', 'ndjson']);
    expect(nd.code).toBe(0);
    const lines = nd.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(13);
    const reprint = lines.find((a) => a.url.includes('/nordicfintech/2024/'));
    expect(reprint.copyOf.url).toContain('/ledgerwire/2024/klarna-ai-assistant-700-agents.html');
    const paywalled = lines.find((a) => a.url.includes('klarna-credit-losses-q1'));
    expect(paywalled.paywalled).toBe(true);
    expect(paywalled.text.length).toBeGreaterThan(500);

    const out = path.join(dir, 'articles.json');
    expect((await run(['export', 'articles', '--out', out, '--no-copies', '--no-text'])).code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.schemaVersion).toBe(1);
    expect(doc.articles).toHaveLength(12);
    expect(doc.articles[0].text).toBeUndefined();

    const exported = await run(['feeds', 'export']);
    expect(exported.stdout).toContain('<opml version="2.0">');
    expect((exported.stdout.match(/xmlUrl=/g) ?? []).length).toBe(4);

    // A feed that 404s: the run goes on, and `status` says which feed fails and why.
    expect((await run(['feeds', 'add', '--no-check', `${server.origin}/gone/feed.xml`])).code).toBe(0);
    const withFailure = JSON.parse((await run(['refresh', '--json'])).stdout);
    expect(withFailure.status).toBe('finished');
    expect(withFailure.failures).toEqual([expect.objectContaining({ scope: 'feed', code: 'http-status' })]);
    const status = JSON.parse((await run(['status', '--json'])).stdout);
    expect(status.totals).toMatchObject({ articles: 13, copies: 1 });
    expect(status.feeds).toMatchObject({ total: 5, failing: 1 });
    expect(status.failingFeeds[0]).toMatchObject({ url: `${server.origin}/gone/feed.xml`, errorCount: 1 });
    expect(status.failingFeeds[0].lastError).toMatch(/404/);
    expect(status.runs[0]).toMatchObject({ kind: 'extract', status: 'finished' });
    expect(status.queue.articlesPendingExtraction).toBe(0);
    expect((await run(['feeds', 'remove', `${server.origin}/gone/feed.xml`])).code).toBe(0);

    // Raw pages older than the cut are dropped; everything else stays.
    expect(JSON.parse((await run(['prune', '--raw-older-than', '1000d', '--json'])).stdout).pruned).toBe(0);
    expect(JSON.parse((await run(['prune', '--raw-older-than', '0h', '--json'])).stdout).pruned).toBe(13);
    expect((await run(['prune', '--raw-older-than', 'soon'])).code).toBe(2);

    const first = list.feeds[0];
    expect((await run(['feeds', 'remove', String(first.id)])).code).toBe(0);
    expect((await run(['feeds', 'remove', String(first.id)])).code).toBe(1);
    expect(JSON.parse((await run(['feeds', 'list', '--json'])).stdout).feeds).toHaveLength(3);
    // Articles stay: they are evidence.
    expect((await run(['export', 'articles', '--format', 'ndjson'])).stdout.trim().split('\n')).toHaveLength(13);
  });
});
