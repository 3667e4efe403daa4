/**
 * The collector end to end against generated outlets on 127.0.0.1 and a real libSQL file:
 * conditional refetch, revisions, failures that do not stop the run, duplicate GUIDs, reprints.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq, like } from 'drizzle-orm';
import { addFeeds } from '../../db/queries/feeds.ts';
import { articleRevisions, articles, feedItems, feeds, runFailures, runs } from '../../db/schema.ts';
import { Fetcher } from '../../scrapers/http/fetcher.ts';
import { refresh } from '../../scrapers/refresh.ts';
import { articleParagraphs, startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let db: TempDb;
let outlet: FakeOutlet | undefined;
let fetcher: Fetcher;

beforeEach(async () => {
  db = await tempDb();
  fetcher = new Fetcher({ allowPrivateNetworks: true, totalTimeoutMs: 5000, maxRetryWaitMs: 3000 });
});
afterEach(async () => {
  await fetcher.close();
  await outlet?.close();
  outlet = undefined;
  db.cleanup();
});

describe('refresh', () => {
  it('stores every article once with clean text and metadata, then changes nothing on an unchanged rerun', async () => {
    outlet = await startFakeOutlet({ feeds: 2, perFeed: 5 });
    await addFeeds(db.db, [{ url: outlet.feedUrl(0) }, { url: outlet.feedUrl(1) }]);

    const first = await refresh({ db: db.db, fetcher });
    expect(first.failures).toEqual([]);
    expect(first.stats.articlesNew).toBe(10);
    const rows = await db.db.select().from(articles).orderBy(asc(articles.id));
    expect(rows).toHaveLength(10);
    const a = outlet.articles.find((x) => x.path === '/f1/a3.html')!;
    const row = rows.find((r) => r.url === `https://${outlet!.origin.slice('http://'.length)}${a.path}` || r.url?.endsWith(a.path))!;
    expect(row.title).toBe(a.title);
    expect(row.outlet).toBe('Outlet 1');
    expect(row.publishedAt).toBe(a.publishedAt);
    expect(row.text.split('\n\n')).toEqual(a.paragraphs);
    for (const boiler of ['Also read', 'cookies', 'newsletter', 'All rights reserved', 'Markets']) {
      expect(row.text).not.toContain(boiler);
    }

    const second = await refresh({ db: db.db, fetcher, all: true });
    expect(second.stats.feedsNotModified).toBe(2);
    expect(second.stats.articlesNew + second.stats.articlesRevised).toBe(0);
    expect(await db.db.select().from(articleRevisions)).toHaveLength(10);
  });

  it('turns a changed page into a new revision and keeps the old one', async () => {
    outlet = await startFakeOutlet({ feeds: 1, perFeed: 3 });
    await addFeeds(db.db, [{ url: outlet.feedUrl(0) }]);
    await refresh({ db: db.db, fetcher });
    const newText = articleParagraphs(999, 5);
    outlet.edit('/f0/a1.html', newText, 'Fintech story 0-1 (updated)');

    const r = await refresh({ db: db.db, fetcher, all: true });
    expect(r.stats.articlesRevised).toBe(1);
    expect(r.stats.articlesNew).toBe(0);
    const [art] = await db.db.select().from(articles).where(eq(articles.title, 'Fintech story 0-1 (updated)'));
    expect(art!.revision).toBe(2);
    expect(art!.text).toBe(newText.join('\n\n'));
    const revs = await db.db.select().from(articleRevisions).where(eq(articleRevisions.articleId, art!.id));
    expect(revs.map((v) => v.revision).sort()).toEqual([1, 2]);
    expect(revs.find((v) => v.revision === 1)!.text).not.toBe(art!.text);
  });

  it('records failing feeds and pages with reasons and goes on with the rest', async () => {
    let rateLimited = 0;
    outlet = await startFakeOutlet({
      feeds: 3,
      perFeed: 3,
      intercept(req, res) {
        const path = req.url ?? '';
        if (path === '/gone/feed.xml') {
          res.writeHead(404).end('no feed here');
          return true;
        }
        if (path === '/broken/feed.xml') {
          res.writeHead(500).end('oops');
          return true;
        }
        if (path === '/f2/feed.xml' && rateLimited++ === 0) {
          res.writeHead(429, { 'Retry-After': '1' }).end('slow down');
          return true;
        }
        if (path === '/f0/a0.html') {
          res.writeHead(410).end('gone');
          return true;
        }
        if (path === '/f1/a2.html') {
          res.writeHead(503).end('unavailable');
          return true;
        }
        return false;
      },
    });
    const gone = `${outlet.origin}/gone/feed.xml`;
    const broken = `${outlet.origin}/broken/feed.xml`;
    await addFeeds(db.db, [{ url: outlet.feedUrl(0) }, { url: gone }, { url: outlet.feedUrl(1) }, { url: broken }, { url: outlet.feedUrl(2) }]);

    const t0 = Date.now();
    const r = await refresh({ db: db.db, fetcher });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900); // waited for Retry-After: 1
    expect(r.status).toBe('finished');
    expect(r.stats.feedsFetched).toBe(3); // f0, f1 and f2 after its 429
    expect(r.stats.feedsFailed).toBe(2);
    const byUrl = new Map(r.failures.map((f) => [f.url, f]));
    expect(byUrl.get(gone)?.code).toBe('http-status');
    expect(byUrl.get(gone)?.message).toMatch(/404/);
    expect(byUrl.get(broken)?.message).toMatch(/500/);
    expect(byUrl.get(`${outlet.origin}/f0/a0.html`)?.message).toMatch(/410/);
    expect(byUrl.get(`${outlet.origin}/f1/a2.html`)?.message).toMatch(/503/);
    // 9 items: 7 pages fine; the 410 one is kept from its feed description, the 503 one waits for a retry.
    expect(await db.db.select().from(articles)).toHaveLength(8);
    const [goneFeed] = await db.db.select().from(feeds).where(eq(feeds.url, gone));
    expect(goneFeed!.errorCount).toBe(1);
    expect(goneFeed!.lastError).toMatch(/404/);
    expect(goneFeed!.nextFetchAt! > new Date().toISOString()).toBe(true);
    const [pending] = await db.db.select().from(feedItems).where(eq(feedItems.url, `${outlet.origin}/f1/a2.html`));
    expect(pending!.status).toBe('pending');
    expect(pending!.attempts).toBe(1);
    const recorded = await db.db.select().from(runFailures).where(eq(runFailures.runId, r.runId));
    expect(recorded).toHaveLength(r.failures.length);
    const [run] = await db.db.select().from(runs).where(eq(runs.id, r.runId));
    expect(run!.status).toBe('finished');
    expect(JSON.parse(run!.stats).failures).toBe(4);
  });

  it('keeps both items of a GUID reused for two links and marks a reprint on another outlet as a copy of the earliest', async () => {
    outlet = await startFakeOutlet({
      feeds: 1,
      perFeed: 2,
      intercept(req, res) {
        const o = `http://${req.headers.host}`;
        if (req.url === '/dup/feed.xml') {
          const item = (link: string, title: string) =>
            `<item><title>${title}</title><link>${o}${link}</link><guid isPermaLink="false">same-guid</guid><pubDate>Tue, 07 Jan 2025 10:00:00 GMT</pubDate></item>`;
          res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
          res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Dup</title><link>${o}/</link>
${item('/f0/a0.html', 'First')}${item('/f0/a1.html', 'Second')}</channel></rss>`);
          return true;
        }
        if (req.url === '/syndicate/feed.xml') {
          res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
          res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Syndicate</title><link>${o}/</link>
<item><title>Reprint</title><link>${o}/syndicate/reprint.html?utm_source=rss</link><guid>r1</guid><pubDate>Wed, 08 Jan 2025 10:00:00 GMT</pubDate></item></channel></rss>`);
          return true;
        }
        if (req.url?.startsWith('/syndicate/reprint.html')) {
          const orig = outlet!.articles[0]!;
          const paras = [...orig.paragraphs];
          paras[1] = paras[1]!.replace(/\.$/, ', the company said.');
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          res.end(`<html><head><title>Reprint | Syndicate</title><meta property="og:site_name" content="Syndicate"></head><body>
<nav><a href="/">Syndicate home</a></nav><article><h1>A reprinted story</h1>
${paras.map((p) => `<p>${p}</p>`).join('')}<p><em>This article first appeared in Outlet 0.</em></p></article></body></html>`);
          return true;
        }
        return false;
      },
    });
    await addFeeds(db.db, [{ url: `${outlet.origin}/dup/feed.xml` }, { url: outlet.feedUrl(0) }, { url: `${outlet.origin}/syndicate/feed.xml` }]);
    const r = await refresh({ db: db.db, fetcher });
    // One GUID for two links: both items are kept, keyed by guid + link, and the run says so.
    expect(r.failures.map((f) => f.code)).toEqual(['duplicate-guid']);
    const items = await db.db.select().from(feedItems).where(like(feedItems.guid, 'same-guid|%')).orderBy(asc(feedItems.id));
    expect(items.map((i) => i.title)).toEqual(['First', 'Second']);

    const rows = await db.db.select().from(articles);
    expect(rows).toHaveLength(3); // a0, a1, reprint: a0 reached via two feeds is one article
    const original = rows.find((x) => x.url?.endsWith('/f0/a0.html'))!;
    const reprint = rows.find((x) => x.url?.includes('/syndicate/reprint.html'))!;
    expect(reprint.url).not.toContain('utm_source');
    expect(reprint.copyOfId).toBe(original.id);
    expect(original.copyOfId).toBeNull();
    expect(rows.find((x) => x.url?.endsWith('/f0/a1.html'))!.copyOfId).toBeNull();
  });
});
