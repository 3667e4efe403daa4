/**
 * Issue 6 bar: loopback in every spelling, the cloud metadata address, 0.0.0.0 and non-http schemes
 * are refused BEFORE connecting, asked directly and reached by redirect from a trusted server.
 *
 * "Before connecting" is proven by counting: a victim server listens on 127.0.0.1 (and on [::1] with
 * the same port when the machine has IPv6 loopback) and counts TCP connections; every refused request
 * must leave the count at zero. A positive control first shows that the same URLs DO reach the victim
 * when private networks are allowed, so a zero is a refusal and not a URL that could never connect.
 *
 * Every Fetcher here has allowPrivateNetworks: false explicitly (the vitest env's
 * FACTDESK_ALLOW_PRIVATE_NETWORKS is not used) and trusts only the redirecting server's origin.
 * Redirect limits and loops are proven in tests/integration/http/fetcher.test.ts ("follows 3
 * redirects", "follows exactly maxRedirects (5) but refuses the 6th", "detects a redirect loop").
 */
import dns from 'node:dns';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FetchError } from '../../scrapers/http/errors.ts';
import { Fetcher, type FetcherOptions } from '../../scrapers/http/fetcher.ts';
import { startServer, type TestServer } from '../fixtures/hostile/server.ts';

/** A name only our stubbed resolver knows; it answers 127.0.0.1, as a rebinding or split-horizon DNS would. */
const LOOPBACK_NAME = 'intranet.factdesk.test';

let victim: TestServer;
let victim6: TestServer | null = null;
let redirector: TestServer;
const victimConnections = (): number => victim.connections() + (victim6?.connections() ?? 0);

const realLookup = dns.lookup;
beforeAll(async () => {
  const ok = (_req: unknown, res: import('node:http').ServerResponse): void => void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>secret intranet page</p>');
  victim = await startServer({ '/': ok, '/robots.txt': ok });
  try {
    victim6 = await startServer({ '/': ok, '/robots.txt': ok }, '::1', victim.port);
  } catch {
    victim6 = null; // no IPv6 loopback here: [::1] cannot connect anywhere, the refusal is still checked
  }
  redirector = await startServer({
    // A header cannot carry raw non-ASCII, so the full-width spelling travels percent-encoded.
    '/to': (_req, res, url) => void res.writeHead(302, { location: (url.searchParams.get('u') ?? '/').replace(/[^\x00-\x7f]/g, encodeURIComponent) }).end(),
  });
  vi.spyOn(dns, 'lookup').mockImplementation(((host: string, options: unknown, callback: (...args: unknown[]) => void) => {
    if (host !== LOOPBACK_NAME) return (realLookup as (...args: unknown[]) => void)(host, options, callback);
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
    queueMicrotask(() => (all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)));
  }) as unknown as typeof dns.lookup);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all([victim.close(), victim6?.close(), redirector.close()]);
});

const fetchers: Fetcher[] = [];
function guarded(overrides: Partial<FetcherOptions> = {}): Fetcher {
  const f = new Fetcher({ allowPrivateNetworks: false, allowedOrigins: [redirector.origin], connectTimeoutMs: 3_000, totalTimeoutMs: 5_000, ...overrides });
  fetchers.push(f);
  return f;
}
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((f) => f.close()));
});

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  const err = await promise.then(
    () => new Error('expected the fetch to be refused'),
    (e: unknown) => e,
  );
  if (!(err instanceof FetchError)) throw err;
  return err;
}

/** Loopback spellings of the victim; `reaches` says whether the positive control can connect with them here. */
const LOOPBACK: ReadonlyArray<{ host: string; reaches: 'v4' | 'v6' | 'dns-dependent' }> = [
  { host: '127.0.0.1', reaches: 'v4' },
  { host: '127.1', reaches: 'v4' },
  { host: '0x7f.0.0.1', reaches: 'v4' },
  { host: '0177.0.0.1', reaches: 'v4' },
  { host: '2130706433', reaches: 'v4' },
  { host: '017700000001', reaches: 'v4' },
  { host: '0x7f000001', reaches: 'v4' },
  { host: '127.0.0.1.', reaches: 'v4' },
  { host: '１２７．０．０．１', reaches: 'v4' }, // full-width digits and dots; IDNA maps them to 127.0.0.1
  { host: '[::1]', reaches: 'v6' },
  { host: '[0:0:0:0:0:0:0:1]', reaches: 'v6' },
  { host: '[::ffff:127.0.0.1]', reaches: 'v4' },
  { host: '[::ffff:7f00:1]', reaches: 'v4' },
  { host: '0.0.0.0', reaches: 'v4' }, // "this host": Linux connects it to the local listener
  { host: '0', reaches: 'v4' },
  { host: 'localhost', reaches: 'v4' },
  { host: 'LOCALHOST', reaches: 'v4' },
  { host: 'localhost.', reaches: 'dns-dependent' }, // glibc: ENOTFOUND; systemd-resolved: 127.0.0.1
  { host: 'api.localhost', reaches: 'dns-dependent' },
  { host: LOOPBACK_NAME, reaches: 'dns-dependent' }, // stubbed dns.lookup; undici's unguarded connect may use its own reference
];

/** The metadata service and other link-local / unique-local targets: nothing listens there, so no control. */
const METADATA = [
  'http://169.254.169.254/latest/meta-data/',
  'http://2852039166/latest/meta-data/', // decimal
  'http://0xa9fea9fe/latest/meta-data/', // hex
  'http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/', // dotted hex
  'http://0251.0376.0251.0376/latest/meta-data/', // dotted octal
  'http://169.254.43518/latest/meta-data/', // two-part
  'http://[::ffff:169.254.169.254]/latest/meta-data/',
  'http://[fd00:ec2::254]/latest/meta-data/', // AWS IMDS over IPv6 (unique local)
  'http://[fe80::a9fe:a9fe]/latest/meta-data/',
];

const victimUrl = (host: string): string => `http://${host}:${victim.port}/`;
const viaRedirect = (target: string): string => `${redirector.origin}/to?u=${encodeURIComponent(target)}`;

let afterControl = 0;

describe('positive control: the spellings do reach the victim when private networks are allowed', () => {
  it('connects with every spelling that can connect on this machine', async () => {
    const reached: string[] = [];
    for (const { host, reaches } of LOOPBACK) {
      if (reaches === 'v6' && victim6 === null) continue;
      // A fresh fetcher per spelling, closed after, so each spelling opens (and is counted as) its own connection.
      const open = new Fetcher({ allowPrivateNetworks: true, respectRobots: false, connectTimeoutMs: 1_000, totalTimeoutMs: 2_000 });
      const before = victimConnections();
      try {
        const res = await open.fetch(victimUrl(host)).catch((e: unknown) => e);
        if (reaches === 'dns-dependent' && res instanceof FetchError) continue;
        expect(res, host).toMatchObject({ status: 'ok', text: '<p>secret intranet page</p>' });
      } finally {
        await open.close();
      }
      expect(victimConnections(), host).toBeGreaterThan(before);
      reached.push(host);
    }
    expect(reached).toEqual(expect.arrayContaining(LOOPBACK.filter((s) => s.reaches === 'v4').map((s) => s.host)));
    afterControl = victimConnections();
  });
});

describe('refused before connecting (victim sees zero connections)', () => {
  it.each(LOOPBACK.map((s) => s.host))('loopback %s, asked directly', async (host) => {
    const before = victimConnections();
    const err = await failure(guarded().fetch(victimUrl(host)));
    expect(err.code).toBe('blocked-address');
    expect(err.retryable).toBe(false);
    expect(victimConnections()).toBe(before);
  });

  it.each(LOOPBACK.map((s) => s.host))('loopback %s, reached by redirect from a trusted server', async (host) => {
    const before = victimConnections();
    const err = await failure(guarded().fetch(viaRedirect(victimUrl(host))));
    expect(err.code).toBe('blocked-address');
    expect(victimConnections()).toBe(before);
    expect(redirector.hits('/to')).toBeGreaterThan(0);
  });

  it('names what it refused: the address a name resolved to, or the literal', async () => {
    const byName = await failure(guarded().fetch(victimUrl(LOOPBACK_NAME)));
    expect(byName.message).toBe(`fetch: refusing to connect to ${LOOPBACK_NAME} (127.0.0.1, loopback address) for ${victimUrl(LOOPBACK_NAME)}`);
    const literal = await failure(guarded().fetch(victimUrl('0x7f.0.0.1')));
    expect(literal.message).toBe(`fetch: refusing to connect to 127.0.0.1 (loopback address) for http://127.0.0.1:${victim.port}/`);
    const dotted = await failure(guarded().fetch(victimUrl('localhost.')));
    expect(dotted.message).toBe(`fetch: refusing to connect to localhost. (loopback address) for http://localhost.:${victim.port}/`);
  });

  it.each(METADATA)('metadata %s, directly and by redirect, without trying to connect', async (url) => {
    const started = Date.now();
    // connectTimeoutMs 3 s: an attempted connection to an unroutable address would hang that long.
    expect((await failure(guarded().fetch(url))).code).toBe('blocked-address');
    expect((await failure(guarded().fetch(viaRedirect(url)))).code).toBe('blocked-address');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it.each([
    ['file:', () => 'file:///etc/passwd'],
    ['ftp:', (port: number) => `ftp://127.0.0.1:${port}/`],
    ['gopher:', (port: number) => `gopher://127.0.0.1:${port}/_GET%20/%20HTTP/1.0%0D%0A%0D%0A`],
    ['data:', () => 'data:text/html,<p>hi</p>'],
  ] as const)('%s refused directly and by redirect, even with private networks allowed', async (_scheme, make) => {
    const url = make(victim.port);
    const before = victimConnections();
    // Private networks allowed: only the scheme check stands between these URLs and the victim port.
    const open = guarded({ allowPrivateNetworks: true });
    expect((await failure(open.fetch(url))).code).toBe('unsupported-scheme');
    expect((await failure(open.fetch(viaRedirect(url)))).code).toBe('unsupported-scheme');
    expect((await failure(guarded().fetch(viaRedirect(url)))).code).toBe('unsupported-scheme');
    expect(victimConnections()).toBe(before);
  });
});

describe('after all refusals', () => {
  it('the victim saw no connection besides the positive control', () => {
    expect(afterControl).toBeGreaterThan(0); // the counter works
    expect(victimConnections()).toBe(afterControl);
  });
});
