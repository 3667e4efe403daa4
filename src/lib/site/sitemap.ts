/**
 * sitemap.xml (sitemaps.org 0.9) for search engines: the fixed pages, every company fact sheet and
 * every article page, as absolute URLs under the site's base. sitemapXml and siteEntries are pure
 * (paths in, XML text out); siteSitemap reads what they need from the database, so the route
 * (src/pages/sitemap.xml.ts) stays a thin caller.
 */
import { desc } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { articles as articleTable } from '../../../db/schema.ts';
import { articleHref, companyHref } from './links.ts';
import { listCompanies } from './queries.ts';
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
    ...companies.map((c) => ({ path: companyHref(c.slug) })),
    ...articles.map((a) => ({ path: articleHref(a.id), lastmod: a.lastmod })),
  ];
}

/**
 * The whole sitemap of the site in `db`. One file holds at most SITEMAP_LIMIT URLs; past that the
 * newest articles are kept (articles come newest first) and a warning says a sitemap index is needed
 * (not yet: 10k articles are a fifth of the limit).
 */
export async function siteSitemap(db: Db, base: URL, warn: (msg: string) => void = console.warn): Promise<string> {
  const cos = await listCompanies(db);
  const arts = await db
    .select({ id: articleTable.id, modifiedAt: articleTable.modifiedAt, publishedAt: articleTable.publishedAt, fetchedAt: articleTable.fetchedAt })
    .from(articleTable)
    .orderBy(desc(articleTable.publishedAt), desc(articleTable.id));
  let entries = siteEntries(cos, arts.map((a) => ({ id: a.id, lastmod: a.modifiedAt ?? a.publishedAt ?? a.fetchedAt })));
  if (entries.length > SITEMAP_LIMIT) {
    warn(`sitemap.xml: ${entries.length} URLs, keeping the first ${SITEMAP_LIMIT} (a sitemap index is needed beyond that)`);
    entries = entries.slice(0, SITEMAP_LIMIT);
  }
  return sitemapXml(entries, base);
}
