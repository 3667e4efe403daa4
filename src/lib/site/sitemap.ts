/**
 * sitemap.xml (sitemaps.org 0.9) for search engines: the fixed pages, every company fact sheet and
 * every article page, as absolute URLs under the site's base. One sitemap file may hold 50,000 URLs
 * (and 50 MB: ~100 bytes a URL here, so the count is the limit that binds); a larger site gets a
 * sitemap index at /sitemap.xml pointing to /sitemaps/1.xml, /sitemaps/2.xml, … each holding the
 * next 50,000 (at 100k articles, three). sitemapXml, sitemapIndexXml and siteEntries are pure
 * (paths in, XML text out); siteSitemap and siteSitemapPart read what they need from the database,
 * so the routes (src/pages/sitemap.xml.ts, src/pages/sitemaps/[part].xml.ts) stay thin callers.
 */
import { desc } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { articles as articleTable } from '../../../db/schema.ts';
import { shared } from './build-scope.ts';
import { articleHref, companyHref } from './links.ts';
import { listCompanies } from './queries.ts';
import { absolute, xmlText } from './rss.ts';
import { isRouteSlug } from './static-exports.ts';

/** The protocol's limit per sitemap file; beyond it a sitemap index is needed. */
export const SITEMAP_LIMIT = 50_000;

/**
 * URLs per sitemap file: SITEMAP_LIMIT, or fewer through FACTDESK_SITEMAP_URLS (so a test can see
 * a sitemap index without building 50,000 pages). Read per call: the build's plan and the routes
 * that render the files must agree, and both run in processes that share the environment.
 */
export function sitemapLimit(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.FACTDESK_SITEMAP_URLS);
  return Number.isInteger(n) && n >= 1 && n <= SITEMAP_LIMIT ? n : SITEMAP_LIMIT;
}

/** The path of the n-th sitemap file of an index (1-based). */
export function sitemapPartPath(n: number): string {
  return `/sitemaps/${n}.xml`;
}

/** How many sitemap files `count` URLs need: 1 means /sitemap.xml holds them all, no index. */
export function sitemapParts(count: number, limit = sitemapLimit()): number {
  return Math.max(1, Math.ceil(count / limit));
}

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

/** A sitemap index naming `parts` sitemap files (sitemapPartPath). */
export function sitemapIndexXml(parts: number, base: URL): string {
  const maps = Array.from({ length: parts }, (_, i) => `<sitemap><loc>${xmlText(absolute(base, sitemapPartPath(i + 1)))}</loc></sitemap>`);
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...maps, '</sitemapindex>', ''].join('\n');
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
 * Every URL of the site in `db`, in sitemap order: the fixed pages, the company fact sheets the build
 * writes (a company whose slug cannot be a route has no page, so it is not listed), the articles
 * newest first — so the first file of an index holds what changes most.
 */
export function sitemapEntries(db: Db): Promise<SitemapEntry[]> {
  // Read once per build (build-scope.ts): the plan counts them, /sitemap.xml and each part slice them.
  return shared('sitemapEntries', db, () => loadEntries(db));
}

async function loadEntries(db: Db): Promise<SitemapEntry[]> {
  const cos = (await listCompanies(db)).filter((c) => isRouteSlug(c.slug));
  const arts = await db
    .select({ id: articleTable.id, modifiedAt: articleTable.modifiedAt, publishedAt: articleTable.publishedAt, fetchedAt: articleTable.fetchedAt })
    .from(articleTable)
    .orderBy(desc(articleTable.publishedAt), desc(articleTable.id));
  return siteEntries(cos, arts.map((a) => ({ id: a.id, lastmod: a.modifiedAt ?? a.publishedAt ?? a.fetchedAt })));
}

/** /sitemap.xml: every URL when they fit one file, else the index of the files that hold them. */
export async function siteSitemap(db: Db, base: URL, limit = sitemapLimit()): Promise<string> {
  const entries = await sitemapEntries(db);
  const parts = sitemapParts(entries.length, limit);
  return parts === 1 ? sitemapXml(entries, base) : sitemapIndexXml(parts, base);
}

/** /sitemaps/<n>.xml: the n-th `limit` URLs, or null when the site has no such file (a 404). */
export async function siteSitemapPart(db: Db, base: URL, n: number, limit = sitemapLimit()): Promise<string | null> {
  const entries = await sitemapEntries(db);
  const parts = sitemapParts(entries.length, limit);
  if (parts === 1 || !Number.isInteger(n) || n < 1 || n > parts) return null;
  return sitemapXml(entries.slice((n - 1) * limit, n * limit), base);
}
