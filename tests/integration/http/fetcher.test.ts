/**
 * The fetcher against real HTTP servers on 127.0.0.1 (port 0). Every fetcher here gets its options
 * explicitly: private networks are NOT allowed, only the test server's origin is, so the SSRF guard is
 * live in every test (the vitest env's FACTDESK_ALLOW_PRIVATE_NETWORKS is deliberately not used).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../../scrapers/http/errors.ts';
import { errorForResponse, Fetcher, parseRetryAfter, type FetcherEvent, type FetcherOptions } from '../../../scrapers/http/fetcher.ts';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;

interface TestServer {
  origin: string;
  port: number;
  hits: (path: string) => number;
  /** When (Date.now()) the path was last requested. */
  lastHitAt: (path: string) => number | undefined;
  lastHeaders: (path: string) => http.IncomingHttpHeaders | undefined;
  inflight: { now: number; max: number };
  connections: () => Promise<number>;
  close: () => Promise<void>;
}

async function startServer(routes: Record<string, Handler>): Promise<TestServer> {
  const hits = new Map<string, number>();
  const headers = new Map<string, http.IncomingHttpHeaders>();
  const hitAt = new Map<string, number>();
  const inflight = { now: 0, max: 0 };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://test.invalid');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    headers.set(url.pathname, req.headers);
    hitAt.set(url.pathname, Date.now());
    inflight.now++;
    inflight.max = Math.max(inflight.max, inflight.now);
    res.on('close', () => inflight.now--);
    const route = routes[url.pathname];
    if (route) return route(req, res, url);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    hits: (path) => hits.get(path) ?? 0,
    lastHitAt: (path) => hitAt.get(path),
    lastHeaders: (path) => headers.get(path),
    inflight,
    connections: () => new Promise((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n)))),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const html = (body: string, type = 'text/html; charset=utf-8'): Handler => (_req, res) => {
  res.writeHead(200, { 'content-type': type }).end(body);
};
const redirectTo = (location: string, status = 302): Handler => (_req, res) => {
  res.writeHead(status, { location }).end();
};

/** Fails the test unless `promise` rejects with a FetchError; returns it for further checks. */
async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}

const fetchers: Fetcher[] = [];
function makeFetcher(server: TestServer, overrides: Partial<FetcherOptions> = {}): Fetcher {
  const fetcher = new Fetcher({
    allowPrivateNetworks: false,
    allowedOrigins: [server.origin],
    connectTimeoutMs: 1_000,
    totalTimeoutMs: 5_000,
    ...overrides,
  });
  fetchers.push(fetcher);
  return fetcher;
}
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});

/** 1 GiB of zeros, gzip level 9 (~1 MB). Started once in beforeAll; zlib works off the main thread, so it overlaps other tests. */
async function buildGzipBomb(): Promise<Buffer> {
  const zeros = Buffer.alloc(1 << 20);
  let chunks = 0;
  const source = new Readable({
    read() {
      this.push(chunks++ < 1024 ? zeros : null);
    },
  });
  const parts: Buffer[] = [];
  for await (const part of source.pipe(zlib.createGzip({ level: 9 }))) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

let server: TestServer;
let bomb: Promise<Buffer>;
let counters: Map<string, number>;
const bump = (key: string): number => {
  const n = (counters.get(key) ?? 0) + 1;
  counters.set(key, n);
  return n;
};

const LAST_MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';
const PAGE = '<!doctype html><html><head><title>Q3</title></head><body><p>Revenue rose 12% to €5.1bn — “strong”.</p></body></html>';

beforeAll(async () => {
  counters = new Map();
  bomb = buildGzipBomb();

  server = await startServer({
    '/ok': (_req, res) => {
      res
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          etag: '"abc"',
          'last-modified': LAST_MODIFIED,
          'cache-control': 'public, max-age=300',
          expires: 'Thu, 01 Jan 2037 00:00:00 GMT',
        })
        .end(PAGE);
    },
    '/feed.json': html(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Fintech “daily”' }), 'application/feed+json'),
    '/conditional': (req, res) => {
      const etagMatches = req.headers['if-none-match'] === '"v1"';
      const dateMatches = req.headers['if-modified-since'] === LAST_MODIFIED;
      if (etagMatches || (req.headers['if-none-match'] === undefined && dateMatches)) {
        res.writeHead(304, { etag: '"v1"' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': LAST_MODIFIED }).end('<rss/>');
    },
    '/status': (_req, res, url) => {
      const code = Number(url.searchParams.get('code'));
      res.writeHead(code, { 'content-type': 'text/plain' }).end(`status ${code}`);
    },
    '/flaky': (_req, res) => {
      if (bump('flaky') === 1) res.writeHead(500).end('oops');
      else html('<p>recovered</p>')(_req, res, new URL('http://x'));
    },
    '/rate-once': (_req, res) => {
      if (bump('rate-once') === 1) res.writeHead(429, { 'retry-after': '1' }).end('slow down');
      else html('<p>thanks for waiting</p>')(_req, res, new URL('http://x'));
    },
    '/rate-long': (_req, res) => {
      res.writeHead(429, { 'retry-after': '3600' }).end('come back in an hour');
    },
    '/r': (_req, res, url) => {
      const n = Number(url.searchParams.get('n'));
      if (n > 0) redirectTo(`/r?n=${n - 1}`, 301)(_req, res, url);
      else html('<p>arrived</p>')(_req, res, url);
    },
    '/loop-a': redirectTo('/loop-b'),
    '/loop-b': redirectTo('/loop-a', 307),
    '/redirect': (_req, res, url) => redirectTo(url.searchParams.get('to') ?? '/')(_req, res, url),
    '/slow-body': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<');
      const timer = setInterval(() => res.write('p'), 1_000);
      res.on('close', () => clearInterval(timer));
    },
    '/slow-headers': () => {
      // never answers
    },
    '/short': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '1000' });
      res.write('x'.repeat(100), () => res.socket?.destroy());
    },
    '/zstd': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'zstd' }).end('not really zstd');
    },
    '/big': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '4096' }).end('y'.repeat(4096));
    },
    '/big-chunked': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 8; i++) res.write('z'.repeat(512));
      res.end();
    },
    '/gzip': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' }).end(zlib.gzipSync(PAGE));
    },
    '/br': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'br' }).end(zlib.brotliCompressSync(PAGE));
    },
    '/deflate': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'deflate' }).end(zlib.deflateSync(PAGE));
    },
    '/deflate-raw': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'deflate' }).end(zlib.deflateRawSync(PAGE));
    },
    '/bomb': (_req, res) => {
      void bomb.then((buf) => {
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': String(buf.length) });
        res.end(buf);
      });
    },
    '/cp1252': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=windows-1252' }).end(iconv.encode(PAGE, 'windows-1252'));
    },
    '/meta': (_req, res) => {
      const doc = PAGE.replace('<head>', '<head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">');
      res.writeHead(200, { 'content-type': 'text/html' }).end(iconv.encode(doc, 'windows-1252'));
    },
    '/sjis-feed': (_req, res) => {
      const xml = '<?xml version="1.0" encoding="Shift_JIS"?><rss version="2.0"><channel><title>決算速報</title></channel></rss>';
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(iconv.encode(xml, 'shift_jis'));
    },
    '/bom': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' }).end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(PAGE)]));
    },
    '/hold': (_req, res) => {
      setTimeout(() => html('<p>held</p>')(_req, res, new URL('http://x')), 150);
    },
  });
});

afterAll(async () => {
  await server.close();
});

describe('Fetcher: successful responses', () => {
  it('returns body, text, validators and cache headers for a 200', async () => {
    const res = await makeFetcher(server).fetch(`${server.origin}/ok`);
    if (res.status !== 'ok') throw new Error(`expected ok, got ${res.status}`);
    expect(res).toMatchObject({
      url: `${server.origin}/ok`,
      requestedUrl: `${server.origin}/ok`,
      statusCode: 200,
      contentType: 'text/html; charset=utf-8',
      etag: '"abc"',
      lastModified: LAST_MODIFIED,
      charset: 'utf-8',
      redirects: [],
      cacheControlMaxAgeS: 300,
      expires: 'Thu, 01 Jan 2037 00:00:00 GMT',
      text: PAGE,
    });
    expect(res.body.equals(Buffer.from(PAGE))).toBe(true);
    const sent = server.lastHeaders('/ok');
    expect(sent?.['user-agent']).toBe('Factdesk/0.1 (+https://github.com/factdesk/factdesk; news research bot)');
    expect(sent?.['accept-encoding']).toBe('gzip, deflate, br');
    expect(sent?.accept).toMatch(/text\/html/);
  });

  it('asks for feeds with a feed Accept header and decodes JSON Feed as json', async () => {
    const res = await makeFetcher(server).fetch(`${server.origin}/feed.json`, { kind: 'feed' });
    expect(server.lastHeaders('/feed.json')?.accept).toMatch(/application\/rss\+xml.*application\/atom\+xml.*application\/feed\+json/);
    expect(res.status === 'ok' && JSON.parse(res.text)).toMatchObject({ title: 'Fintech “daily”' });
  });

  it('sends If-None-Match / If-Modified-Since and reports 304 as not-modified', async () => {
    const fetcher = makeFetcher(server);
    const url = `${server.origin}/conditional`;
    const first = await fetcher.fetch(url, { kind: 'feed' });
    expect(first).toMatchObject({ status: 'ok', etag: '"v1"', lastModified: LAST_MODIFIED });

    const byEtag = await fetcher.fetch(url, { kind: 'feed', etag: '"v1"' });
    expect(byEtag).toEqual({ status: 'not-modified', url, requestedUrl: url, statusCode: 304, etag: '"v1"', lastModified: null });
    expect(server.lastHeaders('/conditional')?.['if-none-match']).toBe('"v1"');

    const byDate = await fetcher.fetch(url, { kind: 'feed', lastModified: LAST_MODIFIED });
    expect(byDate).toMatchObject({ status: 'not-modified', lastModified: LAST_MODIFIED });
    expect(server.lastHeaders('/conditional')?.['if-modified-since']).toBe(LAST_MODIFIED);

    const stale = await fetcher.fetch(url, { kind: 'feed', etag: '"v0"' });
    expect(stale.status).toBe('ok');
  });
});

describe('Fetcher: HTTP errors and rate limits', () => {
  it.each([
    [404, 'Not Found'],
    [410, 'Gone'],
    [403, 'Forbidden'],
  ])('%i is a non-retryable http-status error, asked once', async (code, reason) => {
    const before = server.hits('/status');
    const err = await fetchError(makeFetcher(server).fetch(`${server.origin}/status?code=${code}`));
    expect(err).toMatchObject({ code: 'http-status', statusCode: code, retryable: false });
    expect(err.message).toBe(`fetch: HTTP ${code} ${reason} for ${server.origin}/status?code=${code}`);
    expect(server.hits('/status') - before).toBe(1);
  });

  it('500 is retryable and retried once, then reported', async () => {
    const before = server.hits('/status');
    const err = await fetchError(makeFetcher(server).fetch(`${server.origin}/status?code=500`));
    expect(err).toMatchObject({ code: 'http-status', statusCode: 500, retryable: true });
    expect(server.hits('/status') - before).toBe(2);
  });

  it('a single 500 followed by success comes back ok, with a retry event', async () => {
    const events: FetcherEvent[] = [];
    const res = await makeFetcher(server, { onEvent: (e) => events.push(e) }).fetch(`${server.origin}/flaky`);
    expect(res.status === 'ok' && res.text).toBe('<p>recovered</p>');
    expect(events.map((e) => e.type)).toEqual(['retry']);
  });

  it('waits out "429 Retry-After: 1" and then succeeds; other requests to the host wait too', async () => {
    const fetcher = makeFetcher(server);
    const started = Date.now();
    const limited = fetcher.fetch(`${server.origin}/rate-once`);
    await new Promise((r) => setTimeout(r, 200)); // the 429 has arrived and blocked the host by now
    const other = await fetcher.fetch(`${server.origin}/feed.json`);
    const res = await limited;
    const elapsed = Date.now() - started;
    expect(res.status === 'ok' && res.text).toBe('<p>thanks for waiting</p>');
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(server.hits('/rate-once')).toBe(2);
    expect(other.status).toBe('ok');
    expect((server.lastHitAt('/feed.json') ?? 0) - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up on a long Retry-After with rate-limited, and blocks the host for later requests', async () => {
    const fetcher = makeFetcher(server);
    const err = await fetchError(fetcher.fetch(`${server.origin}/rate-long`));
    expect(err).toMatchObject({ code: 'rate-limited', statusCode: 429, retryAfterMs: 3_600_000, retryable: true });
    expect(server.hits('/rate-long')).toBe(1);

    const okBefore = server.hits('/ok');
    const started = Date.now();
    const blocked = await fetchError(fetcher.fetch(`${server.origin}/ok`));
    expect(Date.now() - started).toBeLessThan(500);
    expect(blocked.code).toBe('rate-limited');
    expect(blocked.retryAfterMs).toBeGreaterThan(3_500_000);
    expect(server.hits('/ok')).toBe(okBefore);
  });
});

describe('Fetcher: redirects', () => {
  it('follows 3 redirects and reports the chain', async () => {
    const res = await makeFetcher(server).fetch(`${server.origin}/r?n=3`);
    if (res.status !== 'ok') throw new Error('expected ok');
    expect(res.url).toBe(`${server.origin}/r?n=0`);
    expect(res.requestedUrl).toBe(`${server.origin}/r?n=3`);
    expect(res.redirects).toEqual([`${server.origin}/r?n=2`, `${server.origin}/r?n=1`, `${server.origin}/r?n=0`]);
    expect(res.text).toBe('<p>arrived</p>');
  });

  it('follows exactly maxRedirects (5) but refuses the 6th', async () => {
    const five = await makeFetcher(server).fetch(`${server.origin}/r?n=5`);
    expect(five.status === 'ok' && five.redirects.length).toBe(5);
    const err = await fetchError(makeFetcher(server).fetch(`${server.origin}/r?n=6`));
    expect(err).toMatchObject({ code: 'too-many-redirects', retryable: false });
  });

  it('detects a redirect loop', async () => {
    const err = await fetchError(makeFetcher(server).fetch(`${server.origin}/loop-a`));
    expect(err.code).toBe('redirect-loop');
    expect(err.message).toContain('/loop-a');
  });

  it.each([
    ['another loopback address', (s: TestServer) => `http://127.0.0.2:${s.port}/ok`],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a decimal spelling of another loopback address', (s: TestServer) => `http://2130706434:${s.port}/ok`],
    ['a name resolving to loopback (DNS guard)', (s: TestServer) => `http://localhost:${s.port}/ok`],
  ])('refuses a redirect to %s when only the origin is trusted', async (_label, target) => {
    const fetcher = makeFetcher(server, { connectTimeoutMs: 300, totalTimeoutMs: 1_500 });
    const err = await fetchError(fetcher.fetch(`${server.origin}/redirect?to=${encodeURIComponent(target(server))}`));
    expect(err).toMatchObject({ code: 'blocked-address', retryable: false });
  });

  it('refuses a direct request to a private host name when nothing is trusted', async () => {
    const fetcher = makeFetcher(server, { allowedOrigins: [], connectTimeoutMs: 300, totalTimeoutMs: 1_500 });
    const err = await fetchError(fetcher.fetch(`http://localhost:${server.port}/ok`));
    expect(err.code).toBe('blocked-address');
    expect(err.url).toBe(`http://localhost:${server.port}/ok`);
    expect(err.message).toMatch(/^fetch: refusing to connect to localhost \((127\.0\.0\.1|::1), loopback.*\) for http:\/\/localhost:\d+\/ok$/);
  });

  it('connects to private addresses when allowPrivateNetworks is set', async () => {
    const fetcher = makeFetcher(server, { allowedOrigins: [], allowPrivateNetworks: true });
    const res = await fetcher.fetch(`http://localhost:${server.port}/ok`);
    expect(res.status).toBe('ok');
  });

  it('refuses file:// directly and as a redirect target', async () => {
    const fetcher = makeFetcher(server);
    expect((await fetchError(fetcher.fetch('file:///etc/passwd'))).code).toBe('unsupported-scheme');
    const viaRedirect = await fetchError(fetcher.fetch(`${server.origin}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`));
    expect(viaRedirect.code).toBe('unsupported-scheme');
  });
});

describe('Fetcher: timeouts, truncation, size limits', () => {
  it('cuts a body that trickles one byte per second at totalTimeoutMs', async () => {
    const started = Date.now();
    const err = await fetchError(makeFetcher(server, { totalTimeoutMs: 1_500 }).fetch(`${server.origin}/slow-body`));
    const elapsed = Date.now() - started;
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect(elapsed).toBeGreaterThanOrEqual(1_400);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('times out a server that never answers', async () => {
    const started = Date.now();
    const err = await fetchError(makeFetcher(server, { totalTimeoutMs: 500 }).fetch(`${server.origin}/slow-headers`));
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('stops at once when the caller aborts', async () => {
    const started = Date.now();
    const err = await fetchError(makeFetcher(server).fetch(`${server.origin}/slow-headers`, { signal: AbortSignal.timeout(200) }));
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/aborted/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('reports a body shorter than its Content-Length as a network error', async () => {
    const err = await fetchError(makeFetcher(server).fetch(`${server.origin}/short`));
    expect(err).toMatchObject({ code: 'network', retryable: true });
  });

  it('refuses a body over maxBytes, by Content-Length and by counting', async () => {
    const fetcher = makeFetcher(server, { maxBytes: 1024 });
    expect(await fetchError(fetcher.fetch(`${server.origin}/big`))).toMatchObject({ code: 'too-large', retryable: false });
    expect((await fetchError(fetcher.fetch(`${server.origin}/big-chunked`))).code).toBe('too-large');
    const fits = makeFetcher(server, { maxBytes: 4096 });
    expect(await fits.fetch(`${server.origin}/big`)).toMatchObject({ status: 'ok' });
  });

  it('stops a gzip bomb (1 GiB of zeros) fast at maxBytes of decompressed data', async () => {
    await bomb; // generation is not part of what we measure
    const started = Date.now();
    const err = await fetchError(makeFetcher(server).fetch(`${server.origin}/bomb`));
    expect(err.code).toBe('too-large');
    expect(err.message).toContain(String(15 * 1024 * 1024));
    expect(Date.now() - started).toBeLessThan(3_000); // without the cap, inflating 1 GiB runs into the 5 s deadline
  });

  it('refuses a Content-Encoding it did not ask for', async () => {
    const err = await fetchError(makeFetcher(server).fetch(`${server.origin}/zstd`));
    expect(err.code).toBe('network');
    expect(err.message).toContain('unsupported Content-Encoding "zstd"');
  });

  it.each(['/gzip', '/br', '/deflate', '/deflate-raw'])('decodes a %s response', async (path) => {
    const res = await makeFetcher(server).fetch(`${server.origin}${path}`);
    if (res.status !== 'ok') throw new Error('expected ok');
    expect(res.text).toBe(PAGE);
    expect(res.body.length).toBe(Buffer.byteLength(PAGE));
  });
});

describe('Fetcher: charsets', () => {
  it('uses the Content-Type charset (windows-1252) when only the header says it', async () => {
    const res = await makeFetcher(server).fetch(`${server.origin}/cp1252`);
    expect(res).toMatchObject({ status: 'ok', charset: 'windows-1252', text: PAGE });
  });

  it('uses <meta http-equiv> when the header has no charset', async () => {
    const res = await makeFetcher(server).fetch(`${server.origin}/meta`);
    expect(res).toMatchObject({ status: 'ok', charset: 'windows-1252' });
    expect(res.status === 'ok' && res.text).toContain('€5.1bn — “strong”');
  });

  it('uses the XML declaration of a Shift_JIS feed', async () => {
    const res = await makeFetcher(server).fetch(`${server.origin}/sjis-feed`, { kind: 'feed' });
    expect(res).toMatchObject({ status: 'ok', charset: 'shift_jis' });
    expect(res.status === 'ok' && res.text).toContain('<title>決算速報</title>');
  });

  it('lets a UTF-8 BOM beat a wrong header label', async () => {
    const res = await makeFetcher(server).fetch(`${server.origin}/bom`);
    expect(res).toMatchObject({ status: 'ok', charset: 'utf-8', text: PAGE });
  });
});

describe('Fetcher: robots.txt, concurrency, cleanup', () => {
  let polite: TestServer;
  let broken: TestServer;
  beforeAll(async () => {
    polite = await startServer({
      '/robots.txt': html('User-agent: *\nDisallow: /\n\nUser-agent: Factdesk\nDisallow: /private\nCrawl-delay: 0.4\n', 'text/plain'),
      '/public': html('<p>public</p>'),
      '/private': html('<p>private</p>'),
      '/to-private': redirectTo('/private'),
    });
    broken = await startServer({
      '/robots.txt': (_req, res) => res.writeHead(500).end('robots broke'),
      '/page': html('<p>page</p>'),
    });
  });
  afterAll(async () => {
    await Promise.all([polite.close(), broken.close()]);
  });

  it('honours robots.txt for our token, fetching it once per origin, and its Crawl-delay', async () => {
    const fetcher = makeFetcher(polite);
    const started = Date.now();
    const results = await Promise.all([1, 2, 3].map(() => fetcher.fetch(`${polite.origin}/public`)));
    const elapsed = Date.now() - started;
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(elapsed).toBeGreaterThanOrEqual(750); // starts at 0, 0.4 s and 0.8 s

    const err = await fetchError(fetcher.fetch(`${polite.origin}/private`));
    expect(err).toMatchObject({ code: 'robots-disallowed', retryable: false });
    expect((await fetchError(fetcher.fetch(`${polite.origin}/to-private`))).code).toBe('robots-disallowed');
    expect(polite.hits('/private')).toBe(0);
    expect(polite.hits('/robots.txt')).toBe(1);
  });

  it('fetches robots.txt only when asked to respect it', async () => {
    const before = polite.hits('/robots.txt');
    const res = await makeFetcher(polite, { respectRobots: false }).fetch(`${polite.origin}/private`);
    expect(res.status).toBe('ok');
    expect(polite.hits('/robots.txt')).toBe(before);
  });

  it('treats an unreadable robots.txt (500) as allow-all and reports it', async () => {
    const events: FetcherEvent[] = [];
    const res = await makeFetcher(broken, { onEvent: (e) => events.push(e) }).fetch(`${broken.origin}/page`);
    expect(res.status).toBe('ok');
    expect(events.filter((e) => e.type === 'robots-unavailable')).toHaveLength(1);
  });

  it('treats a missing robots.txt (404) as allow-all without an event', async () => {
    const events: FetcherEvent[] = [];
    const res = await makeFetcher(server, { onEvent: (e) => events.push(e) }).fetch(`${server.origin}/ok`);
    expect(res.status).toBe('ok');
    expect(events).toEqual([]);
  });

  it('keeps at most perHostConcurrency requests in flight per host, and concurrency overall', async () => {
    server.inflight.max = 0;
    const fetcher = makeFetcher(server, { perHostConcurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => fetcher.fetch(`${server.origin}/hold`)));
    expect(server.inflight.max).toBe(2);

    server.inflight.max = 0;
    const serial = makeFetcher(server, { perHostConcurrency: 4, concurrency: 1 });
    await Promise.all(Array.from({ length: 3 }, () => serial.fetch(`${server.origin}/hold`)));
    expect(server.inflight.max).toBe(1);
  });

  it('close() leaves no socket open', async () => {
    const fresh = await startServer({ '/page': html('<p>keep-alive</p>') });
    try {
      const fetcher = new Fetcher({ allowPrivateNetworks: false, allowedOrigins: [fresh.origin] });
      await fetcher.fetch(`${fresh.origin}/page`);
      expect(await fresh.connections()).toBeGreaterThan(0); // keep-alive socket
      await fetcher.close();
      for (let i = 0; i < 50 && (await fresh.connections()) > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await fresh.connections()).toBe(0);
      expect((await fetchError(fetcher.fetch(`${fresh.origin}/page`))).code).toBe('network');
    } finally {
      await fresh.close();
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-08-01T12:00:00Z');
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Sat, 01 Aug 2026 12:00:30 GMT', 30_000],
    ['Sat, 01 Aug 2026 11:00:00 GMT', 0],
    ['Saturday, 01-Aug-26 12:01:00 GMT', 60_000],
    ['-5', null],
    ['1.5', null],
    ['soon', null],
    ['', null],
    [null, null],
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('errorForResponse', () => {
  const url = 'https://news.example/feed';
  it.each([
    [404, {}, 'http-status', false, undefined],
    [410, {}, 'http-status', false, undefined],
    [401, {}, 'http-status', false, undefined],
    [408, {}, 'http-status', true, undefined],
    [500, {}, 'http-status', true, undefined],
    [503, {}, 'http-status', true, undefined],
    [503, { 'retry-after': '30' }, 'rate-limited', true, 30_000],
    [429, { 'retry-after': '5' }, 'rate-limited', true, 5_000],
    [429, {}, 'rate-limited', true, 60_000],
  ] as const)('%i %j → %s', (status, headers, code, retryable, retryAfterMs) => {
    const err = errorForResponse(status, url, headers);
    expect(err).toMatchObject({ code, retryable, statusCode: status, url });
    expect(err.retryAfterMs).toBe(retryAfterMs);
    expect(err.message.startsWith(`fetch: HTTP ${status} `)).toBe(true);
  });
});
