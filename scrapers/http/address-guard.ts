/**
 * SSRF guard. Feed URLs come from users and from redirects chosen by remote servers, so before we
 * connect anywhere we make sure the target is a public address: not loopback, not the private LAN,
 * not the cloud metadata service at 169.254.169.254.
 *
 * Two checks, because either alone can be bypassed:
 *  - `checkUrl` runs on every URL (first request and every redirect hop): scheme, and IP literals in
 *    any spelling (the WHATWG URL parser turns 2130706433, 0x7f.1, 017700000001 and 127.1 into
 *    127.0.0.1 for us).
 *  - `createGuardedLookup` is the DNS lookup of the HTTP agent, so the address we check is the address
 *    the socket connects to. Checking a name first and connecting later would let DNS rebinding
 *    (public answer for the check, 127.0.0.1 for the connect) through.
 */
import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { FetchError } from './errors.ts';

export interface AddressPolicy {
  /** Allow every address, private ones included (FACTDESK_ALLOW_PRIVATE_NETWORKS=1; tests, own LAN). */
  allowPrivateNetworks: boolean;
  /** Origins (scheme://host:port) trusted even on private addresses, e.g. the bundled sample on 127.0.0.1. */
  allowedOrigins: readonly string[];
}

const ALLOWED_SCHEMES = new Set(['http:', 'https:']);

/** Special-purpose ranges (IANA registries) that a news site never lives on, with a reason for messages. */
const BLOCKED_RANGES: ReadonlyArray<readonly [cidr: string, reason: string]> = [
  ['0.0.0.0/8', 'this-network'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignment'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', '6to4 relay'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // includes 255.255.255.255 broadcast
  ['::1/128', 'loopback'],
  ['::/128', 'unspecified'],
  ['::/96', 'IPv4-compatible'], // deprecated ::a.b.c.d; nothing legitimate uses it
  ['100::/64', 'discard'],
  ['2001::/32', 'Teredo'], // tunnels to an obfuscated IPv4 we cannot vet
  ['2001:db8::/32', 'documentation'],
  ['64:ff9b:1::/48', 'local NAT64'],
  ['fc00::/7', 'private (unique local)'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
];

const RULES: ReadonlyArray<{ list: BlockList; reason: string }> = BLOCKED_RANGES.map(([cidr, reason]) => {
  const [net = '', prefix = ''] = cidr.split('/');
  const list = new BlockList();
  list.addSubnet(net, Number(prefix), net.includes(':') ? 'ipv6' : 'ipv4');
  return { list, reason };
});

/**
 * Why an IP address must not be contacted (e.g. "loopback"), or null for a public address.
 * Accepts IPv4 in any spelling the URL parser knows and IPv6 with or without brackets or zone id.
 * Anything that is not an IP address at all is refused ("not an IP address"): fail closed.
 */
export function blockedReason(address: string): string | null {
  const ip = canonicalIp(address);
  if (ip === null) return 'not an IP address';
  if (isIP(ip) === 6) {
    const embedded = embeddedIpv4(ip);
    // IPv4-mapped (::ffff:127.0.0.1), NAT64 and 6to4 addresses reach the embedded IPv4 address.
    if (embedded !== null) return blockedReason(embedded);
  }
  const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  for (const rule of RULES) if (rule.list.check(ip, type)) return rule.reason;
  return null;
}

export function isBlockedAddress(address: string): boolean {
  return blockedReason(address) !== null;
}

/** True when the policy lets this URL reach private addresses (everything allowed, or a trusted origin). */
export function isTrustedUrl(url: URL, policy: AddressPolicy): boolean {
  if (policy.allowPrivateNetworks) return true;
  return policy.allowedOrigins.some((origin) => sameOrigin(origin, url));
}

/**
 * Parses and vets a URL before any connection: only http(s), and no IP literal on a blocked range
 * unless the policy trusts it. Host names are vetted later, at connect time, by the guarded lookup.
 */
export function checkUrl(raw: string | URL, policy: AddressPolicy): URL {
  let url: URL;
  try {
    url = raw instanceof URL ? new URL(raw.href) : new URL(raw);
  } catch (cause) {
    throw new FetchError('bad-url', `fetch: invalid URL ${JSON.stringify(String(raw))}`, { url: String(raw), cause });
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) {
    throw new FetchError('unsupported-scheme', `fetch: only http and https are fetched, not ${url.protocol} (${url.href})`, {
      url: url.href,
    });
  }
  if (url.hostname === '') throw new FetchError('bad-url', `fetch: URL has no host: ${url.href}`, { url: url.href });
  if (isTrustedUrl(url, policy)) return url;

  const literal = canonicalIp(url.hostname);
  if (literal !== null) {
    const reason = blockedReason(literal);
    if (reason !== null) throw blockedAddressError(url.href, literal, reason);
  }
  // "localhost." and "x.localhost" are loopback by definition (RFC 6761 §6.3), but resolvers
  // disagree (glibc answers ENOTFOUND for both), which would make them a retryable network error
  // instead of a refusal. Refuse those names before any lookup; plain "localhost" is in every hosts
  // file and the guarded lookup refuses it with the address it resolved to.
  if (LOCALHOST_VARIANT.test(url.hostname)) throw blockedAddressError(url.href, url.hostname, 'loopback');
  return url;
}

const LOCALHOST_VARIANT = /(?:^localhost\.|\.localhost\.?)$/i;

/**
 * A `lookup` for net.connect/tls.connect (undici's `connect.lookup`) that refuses to connect when a
 * name resolves to a blocked address. If any of the answers is blocked we refuse all of them: a public
 * name with a private record is either a misconfiguration or an attack.
 * `resolve` is injectable so tests can play a rebinding DNS server.
 */
export function createGuardedLookup(resolve: typeof dns.lookup = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses;
      const first = list[0];
      if (first === undefined) {
        const notFound: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        notFound.code = 'ENOTFOUND';
        return callback(notFound, '');
      }
      for (const { address } of list) {
        const reason = blockedReason(address);
        if (reason !== null) return callback(blockedAddressError(hostname, address, reason, hostname), '');
      }
      if (options.all === true) return callback(null, list);
      return callback(null, first.address, first.family);
    });
  };
}

export function blockedAddressError(url: string, address: string, reason: string, host?: string): FetchError {
  const what = host !== undefined && host !== address ? `${host} (${address}, ${reason} address)` : `${address} (${reason} address)`;
  return new FetchError('blocked-address', `fetch: refusing to connect to ${what} for ${url}`, { url });
}

function sameOrigin(origin: string, url: URL): boolean {
  try {
    return new URL(origin).origin === url.origin;
  } catch {
    return false; // a malformed entry in allowedOrigins trusts nothing
  }
}

/** Canonical text form of an IP address ("127.0.0.1", "::ffff:7f00:1"), or null for a host name. */
function canonicalIp(input: string): string | null {
  let host = input.trim().toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const zone = host.indexOf('%');
  if (zone !== -1) host = host.slice(0, zone); // fe80::1%eth0: the zone does not change the range
  if (isIP(host) === 4) return host;
  try {
    // The WHATWG host parser normalises odd IPv4 spellings and compresses IPv6.
    const parsed = new URL(`http://${isIP(host) === 6 ? `[${host}]` : host}/`).hostname;
    const bare = parsed.startsWith('[') ? parsed.slice(1, -1) : parsed;
    return isIP(bare) === 0 ? null : bare;
  } catch {
    return null;
  }
}

/** The IPv4 address carried inside an IPv6 address (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16). */
function embeddedIpv4(ipv6: string): string | null {
  const g = expandIpv6(ipv6);
  if (g === null) return null;
  const quad = (hi: number, lo: number): string => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return quad(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return quad(g[6] ?? 0, g[7] ?? 0);
  if (g[0] === 0x2002) return quad(g[1] ?? 0, g[2] ?? 0);
  return null;
}

/** Eight 16-bit groups of a canonical (hex only, possibly "::"-compressed) IPv6 address. */
function expandIpv6(ip: string): number[] | null {
  const [head = '', tail, extra] = ip.split('::');
  if (extra !== undefined) return null;
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  const groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  return groups.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff) ? groups : null;
}
