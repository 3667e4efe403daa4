/**
 * A page that keeps the parser busy can't hold up the run (issue 15), through the real CLI and a
 * real outlet on 127.0.0.1: pages are read on worker threads with a budget each
 * (FACTDESK_PAGE_TIMEOUT_MS); a page over it has its thread stopped and becomes that item's
 * failure, recorded with the reason and not retried, while every other page is stored. When the
 * feed carries the article's text, that text is kept instead, flagged as the page being unreadable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readPage } from '../../scrapers/refresh/page-read.ts';
import { runCli } from '../helpers/cli.ts';
import { articleParagraphs, startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';

/** 100× what an ordinary outlet page takes, so a busy machine does not fail those; a third of the heavy page. */
const BUDGET_MS = 300;
/** ~1 MB of short attribute-laden paragraphs (the most a page may give the parser): about a second of honest DOM work. */
const HEAVY = `<html><head><title>Heavy</title></head><body><article>${'<p class="a b c d e f g h" id="x" data-a="1" data-b="2">Word, word.</p>'.repeat(15_000)}</article></body></html>`;
const FEED_TEXT = articleParagraphs(42, 2).join(' ');

let outlet: FakeOutlet;
let dir: string;
beforeAll(async () => {
  outlet = await startFakeOutlet({
    feeds: 2,
    perFeed: 3,
    extraItems: [
      { path: '/slow/heavy.html', title: 'A heavy page', feed: 0, body: HEAVY },
      { path: '/slow/heavy-with-text.html', title: 'A heavy page, the text in the feed', feed: 1, body: HEAVY, contentHtml: `<p>${FEED_TEXT}</p>` },
    ],
  });
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-parse-budget-'));
});
afterAll(async () => {
  await outlet.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(db: Client, sql: string): Promise<Record<string, unknown>[]> {
  return (await db.execute(sql)).rows.map((r) => ({ ...r }));
}

it('the heavy page really is over the budget when read without one', async () => {
  const t0 = performance.now();
  const r = await readPage({ html: HEAVY, url: `${outlet.origin}/slow/heavy.html`, feedTitle: null, feedText: null });
  expect(performance.now() - t0).toBeGreaterThan(2 * BUDGET_MS);
  expect(r.chosen.text.length).toBeGreaterThan(10_000);
});

it('a page over its budget fails its item with the reason, the rest are stored, and it is not fetched again', async () => {
  const url = `file:${path.join(dir, 'parse.db')}`;
  const env = { ...process.env, DATABASE_URL: url, FACTDESK_ALLOW_PRIVATE_NETWORKS: '1', FACTDESK_PAGE_TIMEOUT_MS: String(BUDGET_MS) };
  for (const f of [0, 1]) expect((await runCli(['feeds', 'add', '--no-check', outlet.feedUrl(f)], env)).code).toBe(0);
  const r = await runCli(['refresh', '--no-extract', '--json'], env, { timeoutMs: 60_000 });
  expect(r.code, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout) as { status: string; failures: { code: string; url: string | null; message: string }[] };
  expect(report.status).toBe('finished');
  const failed = report.failures.map((f) => [f.code, f.url?.replace(outlet.origin, '')]).sort((x, y) => String(x[1]).localeCompare(String(y[1])));
  expect(failed, JSON.stringify(report.failures)).toEqual([
    ['page-timeout', '/slow/heavy-with-text.html'],
    ['page-timeout', '/slow/heavy.html'],
  ]);
  for (const f of report.failures) expect(f.message).toMatch(new RegExp(`longer than ${BUDGET_MS} ms`));

  const db = createClient({ url });
  try {
    // Every ordinary page is stored from the page; the heavy one with a feed text keeps the feed's.
    const arts = await rows(db, 'select url, text_source as source, flags from articles order by url');
    const byPath = new Map(arts.map((a) => [String(a.url).replace(outlet.origin, ''), a]));
    for (const a of outlet.articles) expect(byPath.get(a.path)?.source).toBe('page');
    expect(byPath.get('/slow/heavy-with-text.html')).toMatchObject({ source: 'feed' });
    expect(JSON.parse(String(byPath.get('/slow/heavy-with-text.html')!.flags))).toContain('page-unavailable');
    expect(byPath.has('/slow/heavy.html')).toBe(false);
    expect(arts).toHaveLength(outlet.articles.length + 1);

    const [item] = await rows(db, "select status, attempts, last_error as error from feed_items where url like '%/slow/heavy.html'");
    expect(item).toMatchObject({ status: 'failed', attempts: 1 });
    expect(String(item!.error)).toMatch(new RegExp(`longer than ${BUDGET_MS} ms`));

    // Not retryable: the same page would keep the parser as busy next time.
    const again = await runCli(['refresh', '--all', '--no-extract', '--json'], env, { timeoutMs: 60_000 });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).failures, again.stdout).toEqual([]);
    expect(outlet.hits.get('/slow/heavy.html')).toBe(1);
  } finally {
    db.close();
  }
}, 120_000);
