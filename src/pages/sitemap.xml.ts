/**
 * /sitemap.xml, written at build time: the fixed pages, every company fact sheet and every article
 * page — or, past 50,000 URLs, the sitemap index of /sitemaps/<n>.xml (src/lib/site/sitemap.ts).
 */
import type { APIRoute } from 'astro';
import { siteDb } from '../lib/site/db.ts';
import { siteUrl } from '../lib/site/rss.ts';
import { siteSitemap } from '../lib/site/sitemap.ts';

export const prerender = false; // rendered to a file by `factdesk build` (src/middleware.ts)

export const GET: APIRoute = async ({ site }) =>
  new Response(await siteSitemap(await siteDb(), siteUrl(site)), { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
