/**
 * /sitemaps/<n>.xml, written at build time when the site has more URLs than one sitemap may hold:
 * the n-th file of the index at /sitemap.xml (src/lib/site/sitemap.ts).
 */
import type { APIRoute } from 'astro';
import { siteDb } from '../../lib/site/db.ts';
import { siteUrl } from '../../lib/site/rss.ts';
import { siteSitemapPart } from '../../lib/site/sitemap.ts';

export const prerender = false; // rendered to a file by `factdesk build` (src/middleware.ts)

export const GET: APIRoute = async ({ params, site }) => {
  const xml = /^\d{1,6}$/.test(params.part ?? '') ? await siteSitemapPart(await siteDb(), siteUrl(site), Number(params.part)) : null;
  if (xml === null) return new Response(null, { status: 404 });
  return new Response(xml, { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
};
