/**
 * sitemap.xml (sitemaps.org 0.9) for search engines: the fixed pages, every company fact sheet and
 * every article page, as absolute URLs under the site's base. Pure: paths in, XML text out.
 */
import { absolute, xmlText } from './rss.ts';

/** The protocol's limit per sitemap file; beyond it a sitemap index is needed. */
export const SITEMAP_LIMIT = 50_000;

export interface SitemapEntry {
  /** Site path, e.g. "/articles/3/". */
  path: string;
  /** ISO-8601 time of the last change, when known. */
  lastmod?: string | null;
}

export const FIXED_PAGES = ['/', '/companies/', '/timeline/', '/search/', '/sources/', '/exports/'] as const;

/** The W3C datetime forms sitemaps accept; anything else is left out rather than sent malformed. */
function lastmod(v: string | null | undefined): string | null {
  return v && /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(v) ? v : null;
}

export function sitemapXml(entries: readonly SitemapEntry[], base: URL): string {
  if (entries.length > SITEMAP_LIMIT) throw new RangeError(`${entries.length} URLs: a sitemap holds at most ${SITEMAP_LIMIT}`);
  const urls = entries.map((e) => {
    const mod = lastmod(e.lastmod);
    return `<url><loc>${xmlText(absolute(base, e.path))}</loc>${mod ? `<lastmod>${mod}</lastmod>` : ''}</url>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...urls,
    '</urlset>',
    '',
  ].join('\n');
}

/** The site's entries in order of importance: fixed pages, company fact sheets, then articles. */
export function siteEntries(
  companies: readonly { slug: string }[],
  articles: readonly { id: number; lastmod: string | null }[],
): SitemapEntry[] {
  return [
    ...FIXED_PAGES.map((path) => ({ path })),
    ...companies.map((c) => ({ path: `/companies/${encodeURIComponent(c.slug)}/` })),
    ...articles.map((a) => ({ path: `/articles/${a.id}/`, lastmod: a.lastmod })),
  ];
}
