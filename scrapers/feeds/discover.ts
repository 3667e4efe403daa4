/**
 * Feed autodiscovery: people paste a site's address, not its feed's. A page announces its feeds
 * with <link rel="alternate" type="application/rss+xml|atom+xml|feed+json|json" href>.
 */
import * as cheerio from 'cheerio';

const FEED_TYPES = /^application\/(?:rss\+xml|atom\+xml|feed\+json|json|rdf\+xml|xml)$|^text\/xml$/i;

export interface DiscoveredFeed {
  url: string;
  title: string | null;
  type: string;
}

export function discoverFeeds(html: string, pageUrl: string): DiscoveredFeed[] {
  const $ = cheerio.load(html.slice(0, 512 * 1024));
  const seen = new Set<string>();
  const out: DiscoveredFeed[] = [];
  $('link[rel][href]').each((_, el) => {
    const rel = ($(el).attr('rel') ?? '').toLowerCase().split(/\s+/);
    const type = ($(el).attr('type') ?? '').trim();
    if (!rel.includes('alternate') || !FEED_TYPES.test(type)) return;
    let url: URL;
    try {
      url = new URL($(el).attr('href')!.trim(), pageUrl);
    } catch {
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return;
    if (seen.has(url.href)) return;
    seen.add(url.href);
    out.push({ url: url.href, title: $(el).attr('title')?.trim() || null, type });
  });
  return out;
}
