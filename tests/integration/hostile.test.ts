/**
 * A small corpus of broken and hostile feeds and pages served on 127.0.0.1. Every case must end
 * with a recorded reason or a safely stored article, and the run must go on to the healthy feed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addFeeds } from '../../db/queries/feeds.ts';
import { articles, feeds } from '../../db/schema.ts';
import { Fetcher } from '../../scrapers/http/fetcher.ts';
import { refresh, type RefreshReport } from '../../scrapers/refresh.ts';
import { extractArticles } from '../../src/extract/pipeline.ts';
import { createRulesExtractor } from '../../src/extract/rules/index.ts';
import { articleParagraphs } from '../helpers/fake-outlet.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let db: TempDb;
let origin = '';
let report: RefreshReport;
const server = createServer((req, res) => {
  const path = req.url ?? '/';
  const rss = (items: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>${origin}/</link>${items}</channel></rss>`;
  const item = (link: string, title = 'Story') => `<item><title>${title}</title><link>${origin}${link}</link><guid>${link}</guid></item>`;
  const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': type, ...headers });
    res.end(body);
  };
  switch (path) {
    case '/robots.txt':
      return send(404, 'text/plain', '');
    case '/xxe.xml':
      return send(200, 'application/rss+xml', `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&x;</title></channel></rss>`);
    case '/laughs.xml': {
      const ents = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
      return send(200, 'application/rss+xml', `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">${ents}]><rss version="2.0"><channel><title>&l10;</title></channel></rss>`);
    }
    case '/broken.xml':
      return send(200, 'application/rss+xml', '<rss><channel><title>Broken</tit');
    case '/html-not-feed.xml':
      return send(200, 'text/html', '<html><body>Not a feed</body></html>');
    case '/bomb.xml':
      return send(200, 'application/rss+xml', gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)), { 'Content-Encoding': 'gzip' });
    case '/to-metadata.xml':
      return send(302, 'text/plain', '', { Location: 'http://169.254.169.254/latest/meta-data/' });
    case '/many.xml':
      return send(200, 'application/rss+xml', rss(Array.from({ length: 5000 }, (_, i) => `<item><title>n${i}</title><guid>g${i}</guid></item>`).join('')));
    case '/inject.xml':
      return send(200, 'application/rss+xml', rss(item('/inject.html', '&lt;script&gt;alert(1)&lt;/script&gt; Klarna') + item('/deep.html') + item('javascript:alert(1)')));
    case '/inject.html':
      return send(200, 'text/html', `<html><head><title><script>alert(1)</script>Klarna story</title></head><body><article><h1><img src=x onerror=alert(1)>Klarna</h1>${articleParagraphs(7).map((p) => `<p>${p}<script>steal()</script></p>`).join('')}</article></body></html>`);
    case '/deep.html':
      return send(200, 'text/html', '<div>'.repeat(100_000) + 'deep' + '</div>'.repeat(100_000));
    case '/good.xml':
      return send(200, 'application/rss+xml', rss(item('/good.html')));
    case '/good.html':
      return send(200, 'text/html; charset=utf-8', `<html><body><article>${articleParagraphs(3).map((p) => `<p>${p}</p>`).join('')}</article></body></html>`);
    default:
      return send(404, 'text/plain', 'nope');
  }
});

const CASES = ['/xxe.xml', '/laughs.xml', '/broken.xml', '/html-not-feed.xml', '/bomb.xml', '/to-metadata.xml', '/many.xml', '/inject.xml', '/good.xml'];

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  db = await tempDb();
  await addFeeds(db.db, CASES.map((p) => ({ url: origin + p })));
  // Only this origin is trusted: the redirect to the metadata address must be refused.
  const fetcher = new Fetcher({ allowedOrigins: [origin], maxBytes: 2 * 1024 * 1024, totalTimeoutMs: 5000 });
  try {
    report = await refresh({ db: db.db, fetcher });
  } finally {
    await fetcher.close();
  }
}, 60_000);
afterAll(() => {
  server.closeAllConnections();
  server.close();
  db.cleanup();
});

it('records a reason for every hostile feed and goes on', () => {
  expect(report.status).toBe('finished');
  const byUrl = new Map(report.failures.map((f) => [f.url, f]));
  expect(byUrl.get(`${origin}/xxe.xml`)?.code).toBe('parse');
  expect(byUrl.get(`${origin}/laughs.xml`)?.code).toBe('parse');
  expect(byUrl.get(`${origin}/broken.xml`)?.code).toBe('parse');
  expect(byUrl.get(`${origin}/html-not-feed.xml`)?.code).toBe('parse');
  expect(byUrl.get(`${origin}/bomb.xml`)?.code).toBe('too-large');
  expect(byUrl.get(`${origin}/to-metadata.xml`)?.code).toBe('blocked-address');
  for (const f of report.failures) expect(f.message).not.toMatch(/root:x:0:0/); // nothing leaked from XXE
});

it('stores the healthy and the injected articles as text, caps huge feeds, and refuses javascript: links', async () => {
  const rows = await db.db.select().from(articles);
  const inject = rows.find((a) => a.url?.endsWith('/inject.html'));
  expect(inject).toBeDefined();
  expect(inject!.text).not.toMatch(/<script|onerror|steal\(\)/);
  expect(inject!.title).not.toMatch(/<script/);
  expect(rows.find((a) => a.url?.endsWith('/good.html'))).toBeDefined();
  expect(rows.some((a) => a.url?.startsWith('javascript:'))).toBe(false);
  const many = (await db.db.select().from(feeds)).find((f) => f.url.endsWith('/many.xml'));
  expect(many!.errorCount).toBe(0); // capped with a warning, not failed
  // Its items have neither link nor content: nothing to collect, and no flood of page failures;
  // the cap itself is one line on the run.
  expect(report.failures.filter((f) => f.feedId === many!.id).map((f) => f.code)).toEqual(['too-many-items']);
  // The deep page yields no text (or is kept from the feed) but never crashes the run.
  expect(report.failures.filter((f) => f.url?.endsWith('/deep.html')).every((f) => f.code === 'no-content')).toBe(true);
});

it('extracts from what was stored without failures', async () => {
  const r = await extractArticles({ db: db.db, extractor: createRulesExtractor() });
  expect(r.failures).toEqual([]);
});
