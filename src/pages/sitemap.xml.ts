/**
 * /sitemap.xml, written at build time: the fixed pages, every company fact sheet and every article
 * page. One file holds at most 50,000 URLs; past that the newest articles are kept and a warning
 * says a sitemap index is needed (not yet: 10k articles are a fifth of the limit).
 */
import type { APIRoute } from 'astro';
import { desc } from 'drizzle-orm';
import { articles } from '../../db/schema.ts';
import { siteDb } from '../lib/site/db.ts';
import { listCompanies } from '../lib/site/queries.ts';
import { siteUrl } from '../lib/site/rss.ts';
import { SITEMAP_LIMIT, siteEntries, sitemapXml } from '../lib/site/sitemap.ts';

export const GET: APIRoute = async ({ site }) => {
  const db = await siteDb();
  const cos = await listCompanies(db);
  const arts = await db
    .select({ id: articles.id, modifiedAt: articles.modifiedAt, publishedAt: articles.publishedAt, fetchedAt: articles.fetchedAt })
    .from(articles)
    .orderBy(desc(articles.publishedAt), desc(articles.id));
  let entries = siteEntries(cos, arts.map((a) => ({ id: a.id, lastmod: a.modifiedAt ?? a.publishedAt ?? a.fetchedAt })));
  if (entries.length > SITEMAP_LIMIT) {
    console.warn(`sitemap.xml: ${entries.length} URLs, keeping the first ${SITEMAP_LIMIT} (a sitemap index is needed beyond that)`);
    entries = entries.slice(0, SITEMAP_LIMIT);
  }
  return new Response(sitemapXml(entries, siteUrl(site)), { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
};
