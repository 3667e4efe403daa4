/**
 * Canonical article URLs: the same article reached through http/https, a tracking link from a
 * newsletter, or a differently ordered query string gets one key. The path is left exactly as the
 * publisher wrote it (case, trailing slash, index.html): servers treat those differently.
 */

/** Query parameters that only say where a click came from. Matched case-insensitively. */
export const TRACKING_PARAMS: ReadonlySet<string> = new Set([
  // ad click ids
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid',
  'li_fat_id', 'igshid', 'epik', 's_kwcid', 'ef_id',
  // e-mail and marketing automation (Mailchimp, HubSpot, Marketo, Vero, Oracle Eloqua)
  'mc_cid', 'mc_eid', '_hsenc', '_hsmi', '__hstc', '__hssc', '__hsfp', 'hsctatracking', 'mkt_tok', 'vero_id',
  'vero_conv', 'elqtrackid', 'elqtrack',
  // analytics and publisher share/referral tags
  '_ga', '_gl', 'ref', 'ref_src', 'ref_url', 'cmpid', 'ocid', 'sr_share', 'smid', 'ncid', 'xtor', 'wt.mc_id',
  'guccounter', 'guce_referrer', 'guce_referrer_sig', 'soc_src', 'soc_trk', 'fb_action_ids',
  'fb_action_types', 'fb_source', 'fb_ref', 'action_object_map', 'action_type_map', 'action_ref_map',
  'oly_anon_id', 'oly_enc_id', 'rb_clickid', '_openstat', 'spm', 'share_source',
]);

/** Parameter prefixes that are always tracking (Google/Matomo/Piwik campaign tags, HubSpot ads). */
export const TRACKING_PARAM_PREFIXES: readonly string[] = ['utm_', 'pk_', 'mtm_', 'hsa_'];

export function isTrackingParam(name: string): boolean {
  const key = name.toLowerCase();
  return TRACKING_PARAMS.has(key) || TRACKING_PARAM_PREFIXES.some((p) => key.startsWith(p));
}

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * Removes tracking parameters and sorts the rest by name, keeping each pair's original encoding (so
 * "%20" and "+" are not rewritten). The sort is stable: repeated names (a=2&a=1) keep their order,
 * because some servers read them as an ordered list. Returns "" when nothing is left.
 */
function canonicalQuery(search: string): string {
  const pairs = search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '' && !isTrackingParam(decodeKey(pair.split('=', 1)[0] ?? '')));
  pairs.sort((a, b) => {
    const ka = decodeKey(a.split('=', 1)[0] ?? '');
    const kb = decodeKey(b.split('=', 1)[0] ?? '');
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return pairs.length ? `?${pairs.join('&')}` : '';
}

/**
 * Canonical form of an article URL, or null when it is not an absolute (or `base`-relative) http(s)
 * URL. Lower-cases scheme and host, maps http to https (one article, two schemes), drops credentials,
 * default ports, the fragment and tracking parameters, sorts the remaining query parameters by name, and
 * removes an empty "?". The path is kept as is.
 */
export function canonicalUrl(url: string, base?: string): string | null {
  return normalise(url, base, true);
}

/**
 * The URL to store and show: like canonicalUrl (no trackers, fragment, credentials; sorted query) but
 * with its own scheme, so it stays fetchable from sites that serve only http.
 */
export function cleanUrl(url: string, base?: string): string | null {
  return normalise(url, base, false);
}

function normalise(url: string, base: string | undefined, httpsScheme: boolean): string | null {
  let u: URL;
  try {
    u = base === undefined ? new URL(url.trim()) : new URL(url.trim(), base);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (!u.hostname) return null;
  // Setting the protocol also drops a port that is the default of the new scheme (http://x:443 → https://x).
  if (httpsScheme) u.protocol = 'https:';
  if (u.port === '443' && u.protocol === 'https:') u.port = '';
  u.username = '';
  u.password = '';
  u.hash = '';
  if (u.hostname.endsWith('.')) u.hostname = u.hostname.replace(/(?<!\.)\.+$/, '');
  const query = canonicalQuery(u.search);
  u.search = '';
  return `${u.href}${query}`;
}

/**
 * Scheme-less key ("example.com/path?a=1") for equality and unique indexes; two URLs that differ only
 * in http vs https, tracking parameters, parameter order, fragment or default port get the same key.
 */
export function urlKey(url: string, base?: string): string | null {
  const canonical = canonicalUrl(url, base);
  return canonical === null ? null : canonical.replace(/^https:\/\//, '');
}
