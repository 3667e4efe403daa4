import type dns from 'node:dns';
import { describe, expect, it } from 'vitest';
import { blockedReason, checkUrl, createGuardedLookup, isBlockedAddress } from '../../../scrapers/http/address-guard.ts';
import { FetchError } from '../../../scrapers/http/errors.ts';

const strict = { allowPrivateNetworks: false, allowedOrigins: [] };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof FetchError) return err.code;
    throw err;
  }
  return undefined;
}

describe('blockedReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'this-network'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['fc00::1', 'private (unique local)'],
    ['fd12:3456::1', 'private (unique local)'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::', 'unspecified'],
    ['::7f00:1', 'IPv4-compatible'],
  ])('%s is %s', (ip, reason) => {
    expect(blockedReason(ip)).toBe(reason);
  });

  it.each([
    ['2130706433', 'decimal'],
    ['0x7f000001', 'hex'],
    ['0x7f.1', 'hex, short'],
    ['017700000001', 'octal'],
    ['0177.0.0.1', 'octal dotted'],
    ['127.1', 'short'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'IPv4-mapped, hex'],
    ['[::ffff:169.254.169.254]', 'IPv4-mapped metadata, bracketed'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of 169.254.169.254'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['::127.0.0.1', 'IPv4-compatible'],
  ])('refuses %s (%s)', (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::6810:85e5', '::ffff:8.8.8.8', '2002:0808:0808::'])(
    'allows public %s',
    (ip) => {
      expect(blockedReason(ip)).toBeNull();
    },
  );

  it('fails closed on things that are not IP addresses', () => {
    expect(isBlockedAddress('example.com')).toBe(true);
    expect(isBlockedAddress('')).toBe(true);
  });
});

describe('checkUrl', () => {
  it('accepts public http(s) URLs and normalises them', () => {
    expect(checkUrl('HTTPS://Example.COM/a?b=1', strict).href).toBe('https://example.com/a?b=1');
    expect(checkUrl('http://93.184.215.14/', strict).hostname).toBe('93.184.215.14');
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/x', 'data:text/html,hi', 'javascript:alert(1)', 'gopher://example.com/'])(
    'refuses the scheme of %s before connecting',
    (url) => {
      expect(codeOf(() => checkUrl(url, { allowPrivateNetworks: true, allowedOrigins: [] }))).toBe('unsupported-scheme');
    },
  );

  it('refuses garbage as bad-url', () => {
    expect(codeOf(() => checkUrl('not a url', strict))).toBe('bad-url');
    expect(codeOf(() => checkUrl('http://', strict))).toBe('bad-url');
  });

  it.each([
    'http://127.0.0.1/',
    'http://2130706433/',
    'http://0x7f.1/',
    'http://017700000001:8080/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://169.254.169.254/latest/meta-data/',
    'https://10.0.0.1/',
    'http://[fe80::1]/',
    'http://0/',
  ])('refuses the IP literal in %s', (url) => {
    expect(codeOf(() => checkUrl(url, strict))).toBe('blocked-address');
  });

  it('names the address and the reason in the message', () => {
    expect(() => checkUrl('http://2130706433/x', strict)).toThrow(/^fetch: .*127\.0\.0\.1 \(loopback address\) for http:\/\/127\.0\.0\.1\/x/);
  });

  it('allows private addresses when private networks are allowed', () => {
    expect(checkUrl('http://127.0.0.1:4380/', { allowPrivateNetworks: true, allowedOrigins: [] }).port).toBe('4380');
  });

  it('allows exactly the listed origins and nothing else on the same host', () => {
    const policy = { allowPrivateNetworks: false, allowedOrigins: ['http://127.0.0.1:4380/'] };
    expect(checkUrl('http://127.0.0.1:4380/feed.xml', policy).pathname).toBe('/feed.xml');
    expect(codeOf(() => checkUrl('http://127.0.0.1:4381/', policy))).toBe('blocked-address');
    expect(codeOf(() => checkUrl('https://127.0.0.1:4380/', policy))).toBe('blocked-address');
    expect(codeOf(() => checkUrl('http://127.0.0.2:4380/', policy))).toBe('blocked-address');
  });
});

describe('createGuardedLookup', () => {
  type Answer = dns.LookupAddress[];
  /** A fake resolver: a rebinding DNS server would answer like this for a public-looking name. */
  function resolverFor(answer: Answer): typeof dns.lookup {
    const fake = (_host: string, _opts: unknown, cb: (err: NodeJS.ErrnoException | null, addresses: Answer) => void): void => {
      queueMicrotask(() => cb(null, answer));
    };
    return fake as unknown as typeof dns.lookup;
  }

  function lookup(answer: Answer, all: boolean): Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }> {
    const guarded = createGuardedLookup(resolverFor(answer));
    return new Promise((resolve) => guarded('news.example', { all }, (err, address, family) => resolve({ err, address, family })));
  }

  it('passes public answers through, in both callback shapes', async () => {
    const answer = [{ address: '93.184.215.14', family: 4 }];
    expect(await lookup(answer, false)).toMatchObject({ err: null, address: '93.184.215.14', family: 4 });
    expect(await lookup(answer, true)).toMatchObject({ err: null, address: answer });
  });

  it('refuses a name that resolves to a private address', async () => {
    const { err } = await lookup([{ address: '127.0.0.1', family: 4 }], false);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).code).toBe('blocked-address');
    expect(err?.message).toMatch(/^fetch: refusing to connect to news\.example \(127\.0\.0\.1, loopback address\)/);
  });

  it('refuses when any one of several answers is private', async () => {
    const { err } = await lookup(
      [
        { address: '93.184.215.14', family: 4 },
        { address: '::ffff:169.254.169.254', family: 6 },
      ],
      true,
    );
    expect((err as FetchError).code).toBe('blocked-address');
  });

  it('reports an empty answer as ENOTFOUND', async () => {
    const { err } = await lookup([], false);
    expect(err?.code).toBe('ENOTFOUND');
  });
});
