/**
 * /facts.xml: the newest 100 facts as RSS 2.0, written at build time. Each item links to the
 * fact's evidence in its article page (the earliest article with the fact in its current text — the
 * same first source the timeline links to), described by that source's own sentence).
 */
import type { APIRoute } from 'astro';
import { siteDb } from '../lib/site/db.ts';
import { newestFacts } from '../lib/site/queries.ts';
import { factsRss, siteUrl } from '../lib/site/rss.ts';
import { timelineRecords } from '../lib/site/timeline.ts';

const LIMIT = 100;

export const prerender = false; // rendered to a file by `factdesk build` (src/middleware.ts)

export const GET: APIRoute = async ({ site }) => {
  const db = await siteDb();
  // Link and description come from one source: the timeline's first source and its own sentence.
  const first = new Map((await timelineRecords(db)).map((r) => [r.i, r]));
  const items = (await newestFacts(db, LIMIT)).map((f) => {
    const r = first.get(f.id);
    return { ...f, statement: r?.t ?? f.statement, articleId: r?.a ?? null };
  });
  return new Response(factsRss(items, siteUrl(site)), { headers: { 'Content-Type': 'application/rss+xml; charset=utf-8' } });
};
