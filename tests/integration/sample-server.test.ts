/**
 * The bundled sample outlet: the server (origin substitution, content types, conditional requests,
 * gzip, charsets, path traversal) and the consistency of content/sample with its expected.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE_ROOT, sampleOpmlUrl, startSampleServer, type SampleServer } from '../../src/sample/server.ts';

interface ExpectedArticle {
  path: string;
  outlet: string;
  feed: string;
  title: string;
  author: string;
  publishedAt: string;
  language: string;
  htmlLang: string;
  charset: string;
  paywalled: boolean;
  copyOf: string | null;
  specialCases: string[];
  mustContain: string[];
  mustNotContain: string[];
  feedOnly?: string[];
}
interface Expected {
  opml: string;
  feeds: { path: string; format: 'rss' | 'atom'; articles: string[] }[];
  articles: ExpectedArticle[];
}
const expected = JSON.parse(readFileSync(path.join(DEFAULT_SAMPLE_ROOT, 'expected.json'), 'utf8')) as Expected;

/** Raw request with node:http so the path is sent exactly as written (fetch would normalise "/../"). */
function raw(
  origin: string,
  target: string,
  headers: http.OutgoingHttpHeaders = {},
  method = 'GET',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: target, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(body: Buffer, charset: string): string {
  return new TextDecoder(charset).decode(body);
}

let server: SampleServer;
let origin: string;

beforeAll(async () => {
  server = await startSampleServer({ port: 0 });
  origin = server.origin;
});
afterAll(async () => {
  await server?.close();
});

describe('sample server', () => {
  it('listens on an ephemeral loopback port and builds the OPML URL', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.port).not.toBe(4380);
    expect(origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(sampleOpmlUrl(origin)).toBe(`${origin}/sample.opml`);
    expect(sampleOpmlUrl(origin + '/')).toBe(`${origin}/sample.opml`);
  });

  it('serves the OPML with every feed URL pointing at its own origin', async () => {
    const res = await fetch(sampleOpmlUrl(origin));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/x-opml/);
    const text = await res.text();
    expect(text).not.toContain('{{ORIGIN}}');
    const xmlUrls = [...text.matchAll(/xmlUrl="([^"]+)"/g)].map((m) => m[1]);
    expect(xmlUrls.sort()).toEqual(expected.feeds.map((f) => origin + f.path).sort());
  });

  it('serves RSS and Atom feeds with sniffed content types and substituted URLs', async () => {
    const rss = await fetch(`${origin}/ledgerwire/feed.xml`);
    expect(rss.status).toBe(200);
    expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const rssText = await rss.text();
    expect(rssText).not.toContain('{{ORIGIN}}');
    expect(rssText).toContain(`<link>${origin}/ledgerwire/2024/klarna-ai-assistant-700-agents.html</link>`);
    expect(rssText).toContain('<link>2025/tillpoint-series-c.html</link>'); // the deliberately relative link

    const atom = await fetch(`${origin}/nordicfintech/atom.xml`);
    expect(atom.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(await atom.text()).toContain(`xml:base="${origin}/nordicfintech/"`);
  });

  it('serves an article page with its canonical URL on this origin', async () => {
    const res = await fetch(`${origin}/ledgerwire/2024/klarna-ai-assistant-700-agents.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    expect(html).not.toContain('{{ORIGIN}}');
    expect(html).toContain(`<link rel="canonical" href="${origin}/ledgerwire/2024/klarna-ai-assistant-700-agents.html">`);
  });

  it('serves directory index pages and redirects directories without a trailing slash', async () => {
    const index = await raw(origin, '/');
    expect(index.status).toBe(200);
    expect(index.body.toString()).toContain('Factdesk sample outlets');
    const redirect = await raw(origin, '/ledgerwire');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/ledgerwire/');
    const sneaky = await raw(origin, '//ledgerwire');
    expect(sneaky.headers.location).toBe('/ledgerwire/');
  });

  it('answers 304 to a matching If-None-Match and 200 to a stale one', async () => {
    const url = '/paybrief/feed.xml';
    const first = await raw(origin, url);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await raw(origin, url);
    expect(again.headers.etag).toBe(etag); // stable across requests
    const notModified = await raw(origin, url, { 'If-None-Match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect(notModified.headers.etag).toBe(etag);
    const listed = await raw(origin, url, { 'If-None-Match': `"nope", ${etag}` });
    expect(listed.status).toBe(304);
    const stale = await raw(origin, url, { 'If-None-Match': '"something-else"' });
    expect(stale.status).toBe(200);
    expect(stale.body.equals(first.body)).toBe(true);
  });

  it('answers 304 to If-Modified-Since at or after Last-Modified, 200 before it', async () => {
    const url = '/capitalsignal/feed.xml';
    const first = await raw(origin, url);
    const lastModified = first.headers['last-modified'];
    expect(lastModified).toBeDefined();
    expect(Number.isNaN(Date.parse(lastModified!))).toBe(false);
    const same = await raw(origin, url, { 'If-Modified-Since': lastModified });
    expect(same.status).toBe(304);
    const older = new Date(Date.parse(lastModified!) - 86_400_000).toUTCString();
    const changed = await raw(origin, url, { 'If-Modified-Since': older });
    expect(changed.status).toBe(200);
    expect(changed.body.length).toBeGreaterThan(0);
    // If-None-Match takes precedence: a stale ETag means 200 even with a fresh date.
    const both = await raw(origin, url, { 'If-Modified-Since': lastModified, 'If-None-Match': '"stale"' });
    expect(both.status).toBe(200);
  });

  it('gzips when the client accepts it, and only then', async () => {
    const url = '/nordicfintech/2025/klarna-hiring-humans-again.html';
    const plain = await raw(origin, url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/i);
    const gz = await raw(origin, url, { 'Accept-Encoding': 'br;q=1, gzip;q=0.8' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    expect(gz.body.length).toBeLessThan(plain.body.length);
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    const refused = await raw(origin, url, { 'Accept-Encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.equals(plain.body)).toBe(true);
    // The gzip representation still revalidates against its ETag.
    const revalidate = await raw(origin, url, { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.etag });
    expect(revalidate.status).toBe(304);
  });

  it('serves the windows-1252 page as raw windows-1252 bytes, declared only in the HTTP header', async () => {
    const res = await raw(origin, '/nordicfintech/2025/solvik-to-cut-210-jobs.html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=windows-1252');
    const euro1_2bn = Buffer.from([0x80, 0x31, 0x2e, 0x32, 0x62, 0x6e]); // "€1.2bn" in windows-1252
    expect(res.body.includes(euro1_2bn)).toBe(true);
    expect(res.body.includes(Buffer.from([0x92]))).toBe(true); // ’
    expect(res.body.includes(Buffer.from([0x93]))).toBe(true); // “
    expect(res.body.includes(Buffer.from('€', 'utf8'))).toBe(false); // not UTF-8
    const text = decode(res.body, 'windows-1252');
    expect(text).toContain('once valued at €1.2bn');
    expect(text).toContain('“These are people who helped build Solvik, and this is the hardest decision I’ve had to make');
    expect(text).toContain(`href="${origin}/nordicfintech/2025/solvik-to-cut-210-jobs.html"`); // substituted, bytes intact
    expect(text).not.toMatch(/<meta[^>]+charset/i);
  });

  it('serves the iso-8859-1 page with a charset-less header so its <meta> decides', async () => {
    const res = await raw(origin, '/capitalsignal/2025/numera-buys-brixham-pay.html');
    expect(res.headers['content-type']).toBe('text/html');
    expect(res.body.includes(Buffer.from('Num\xe9ra', 'latin1'))).toBe(true);
    expect(res.body.includes(Buffer.from('é', 'utf8'))).toBe(false);
    const text = decode(res.body, 'latin1');
    expect(text).toMatch(/<meta http-equiv="Content-Type" content="text\/html; charset=iso-8859-1">/);
    expect(text).toContain('for £85m in cash and shares');
  });

  it.each([
    '/../package.json',
    '/../../package.json',
    '/%2e%2e/%2e%2e/package.json',
    '/%2e%2e%2f%2e%2e%2fpackage.json',
    '/ledgerwire/..%2f..%2f..%2fpackage.json',
    '/..%5c..%5cpackage.json',
    '/ledgerwire/%00.html',
    '/%E0%A4%A',
  ])('refuses path traversal and bad paths: %s', async (target) => {
    const res = await raw(origin, target);
    expect(res.status).toBe(404);
    expect(res.body.toString()).not.toContain('"name": "factdesk"');
  });

  it('never escapes a custom root, not even into a sibling whose name starts with the root name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-sample-'));
    const root = path.join(dir, 'site');
    mkdirSync(root);
    mkdirSync(path.join(dir, 'site-private'));
    writeFileSync(path.join(root, 'hello.txt'), 'hello from {{ORIGIN}}\n');
    writeFileSync(path.join(dir, 'secret.txt'), 'TOP SECRET\n');
    writeFileSync(path.join(dir, 'site-private', 'secret.txt'), 'TOP SECRET\n');
    const s = await startSampleServer({ port: 0, root }); // no headers.json here: must still work
    try {
      const ok = await raw(s.origin, '/hello.txt');
      expect(ok.status).toBe(200);
      expect(ok.body.toString()).toBe(`hello from ${s.origin}\n`);
      for (const target of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/../site-private/secret.txt', '/%2E%2E%2Fsite-private%2Fsecret.txt']) {
        const res = await raw(s.origin, target);
        expect(res.status, target).toBe(404);
        expect(res.body.toString(), target).not.toContain('TOP SECRET');
      }
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 404 for missing files and 405 for other methods', async () => {
    expect((await raw(origin, '/ledgerwire/2024/revolut-valued-45bn.html')).status).toBe(404);
    const post = await raw(origin, '/sample.opml', {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    const head = await raw(origin, '/sample.opml', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
  });

  it('serves robots.txt with the extra headers from headers.json', async () => {
    const res = await raw(origin, '/robots.txt');
    expect(res.headers['cache-control']).toBe('max-age=3600');
    expect(res.body.toString()).toMatch(/^Disallow: \/private\/$/m);
  });
});

describe('sample content matches expected.json', () => {
  const feedTexts = new Map<string, string>();
  beforeAll(async () => {
    for (const f of expected.feeds) feedTexts.set(f.path, await (await fetch(origin + f.path)).text());
  });

  it('covers 12-14 articles and every required special case', () => {
    expect(expected.articles.length).toBeGreaterThanOrEqual(12);
    expect(expected.articles.length).toBeLessThanOrEqual(14);
    const cases = new Set(expected.articles.flatMap((a) => a.specialCases));
    for (const c of [
      'syndicated-reprint',
      'paywalled-teaser',
      'windows-1252-http-header-only',
      'iso-8859-1-meta-charset',
      'date-only-in-visible-byline',
      'relative-feed-link',
      'atom-xml-base',
    ])
      expect(cases, c).toContain(c);
    expect(new Set(expected.articles.map((a) => a.outlet)).size).toBe(4);
  });

  it('lists every article in exactly one feed, with links that resolve to the page', () => {
    const listed = expected.feeds.flatMap((f) => f.articles).sort();
    expect(listed).toEqual(expected.articles.map((a) => a.path).sort());
    for (const f of expected.feeds) {
      const feedUrl = origin + f.path;
      const $ = cheerio.load(feedTexts.get(f.path)!, { xml: true });
      let links: string[];
      if (f.format === 'rss') {
        // RSS has no xml:base: a relative <link> resolves against the feed URL.
        links = $('item > link').toArray().map((el) => new URL($(el).text().trim(), feedUrl).href);
      } else {
        const feedBase = new URL($('feed').attr('xml:base') ?? '', feedUrl).href;
        links = $('entry').toArray().map((entry) => {
          const base = new URL($(entry).attr('xml:base') ?? '', feedBase).href;
          return new URL($(entry).find('link[rel="alternate"]').attr('href')!, base).href;
        });
      }
      expect(links.sort(), f.path).toEqual(f.articles.map((p) => origin + p).sort());
    }
    const relative = expected.articles.find((a) => a.specialCases.includes('relative-feed-link'))!;
    expect(feedTexts.get(relative.feed)).toContain(`<link>${relative.path.replace(/^\/ledgerwire\//, '')}</link>`);
    const nested = expected.articles.find((a) => a.specialCases.includes('atom-nested-xml-base'))!;
    expect(feedTexts.get(nested.feed)).toMatch(/<entry xml:base="2024\/">/);
  });

  for (const a of expected.articles) {
    it(`${a.path} carries the expected text and metadata`, async () => {
      const res = await raw(origin, a.path);
      expect(res.status).toBe(200);
      const html = decode(res.body, a.charset === 'iso-8859-1' ? 'latin1' : a.charset);
      expect(html.startsWith('<!-- Factdesk sample outlet: fictional article written for offline testing. -->')).toBe(true);
      const $ = cheerio.load(html);
      expect($('html').attr('lang')).toBe(a.htmlLang);
      expect(a.htmlLang.split('-')[0]).toBe(a.language);
      expect($('h1').first().text().trim()).toBe(a.title);
      expect($('title').text()).toContain(a.title);
      const og = $('meta[property="og:site_name"]').attr('content');
      expect(og).toBe(a.outlet);

      const text = $('body').text().replace(/\s+/g, ' ');
      for (const s of a.mustContain) expect(text, s).toContain(s);
      // Boilerplate that must not reach the clean text has to be on the page, or the check proves nothing.
      const original = a.copyOf ? expected.articles.find((o) => o.path === a.copyOf) : undefined;
      for (const s of a.mustNotContain) {
        // The original's wording of the sentence the reprint changed must be absent. Boilerplate must be
        // present on the page: a "must not reach the clean text" check on a missing string proves nothing.
        if (original?.mustContain.includes(s)) expect(text, s).not.toContain(s);
        else expect(text, s).toContain(s);
      }

      const ld = $('script[type="application/ld+json"]')
        .toArray()
        .map((el) => JSON.parse($(el).text()) as Record<string, unknown>);
      const article = ld
        .flatMap((x) => (Array.isArray(x['@graph']) ? (x['@graph'] as Record<string, unknown>[]) : [x]))
        .find((x) => x['@type'] === 'NewsArticle');
      expect(article, 'NewsArticle JSON-LD').toBeDefined();
      expect(article!.headline).toBe(a.title);
      const authors = [article!.author].flat() as { name: string }[];
      expect(authors.map((p) => p.name)).toEqual([a.author]);
      expect(String(article!.isAccessibleForFree).toLowerCase()).toBe(String(!a.paywalled));

      if (a.specialCases.includes('date-only-in-visible-byline')) {
        expect(article!.datePublished).toBeUndefined();
        expect(article!.dateModified).toBeUndefined();
        expect($('time').length).toBe(0);
        expect($('meta[property^="article:"]').length).toBe(0);
        expect($('.byline').text()).toBe(`By ${a.author} | May 14, 2025`);
        expect(a.publishedAt).toBe('2025-05-14');
        const $f = cheerio.load(feedTexts.get(a.feed)!, { xml: true });
        const item = $f('item').filter((_, el) => $f(el).find('link').text().endsWith(a.path));
        expect(item.length).toBe(1);
        expect(item.find('pubDate').length).toBe(0);
      } else {
        expect(new Date(String(article!.datePublished)).toISOString()).toBe(a.publishedAt);
        expect(new Date($('meta[property="article:published_time"]').attr('content')!).toISOString()).toBe(a.publishedAt);
      }

      if (a.paywalled) {
        expect($('.paywall').text()).toContain('Subscribe to continue reading');
        const feed = feedTexts.get(a.feed)!;
        for (const s of a.feedOnly ?? []) {
          expect(text, s).not.toContain(s);
          expect(feed, s).toContain(s);
        }
        expect(a.feedOnly?.length).toBeGreaterThan(0);
      }

      if (a.copyOf) {
        expect(original, 'copyOf points at an article').toBeDefined();
        expect(original!.title).not.toBe(a.title);
        expect(original!.outlet).not.toBe(a.outlet);
        expect(text).toContain('This article first appeared in The Ledger Wire');
      }
    });
  }
});
