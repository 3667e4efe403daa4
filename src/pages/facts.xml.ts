/**
 * /facts.xml: the newest 100 facts as RSS 2.0, written at build time. Each item links to the
 * fact's evidence in its article page (the earliest article with the fact in its current text).
 */
import type { APIRoute } from 'astro';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { articles, companies, facts, factSources } from '../../db/schema.ts';
import { siteDb } from '../lib/site/db.ts';
import { factsRss, siteUrl, type RssFact } from '../lib/site/rss.ts';

const LIMIT = 100;

export const GET: APIRoute = async ({ site }) => {
  const db = await siteDb();
  const rows = await db
    .select({
      id: facts.id,
      company: companies.slug,
      companyName: companies.name,
      kind: facts.kind,
      value: facts.value,
      valueHigh: facts.valueHigh,
      unit: facts.unit,
      label: facts.label,
      status: facts.status,
      speaker: facts.speaker,
      statement: facts.statement,
      createdAt: facts.createdAt,
    })
    .from(facts)
    .innerJoin(companies, eq(companies.id, facts.companyId))
    .where(eq(facts.retracted, false))
    .orderBy(desc(facts.createdAt), asc(facts.id))
    .limit(LIMIT);
  const sources = rows.length
    ? await db
        .select({ factId: factSources.factId, articleId: factSources.articleId })
        .from(factSources)
        .innerJoin(articles, and(eq(articles.id, factSources.articleId), eq(articles.revision, factSources.revision)))
        .where(inArray(factSources.factId, rows.map((r) => r.id)))
        .orderBy(asc(articles.publishedAt), asc(articles.id))
    : [];
  const firstArticle = new Map<string, number>();
  for (const s of sources) if (!firstArticle.has(s.factId)) firstArticle.set(s.factId, s.articleId);
  const items: RssFact[] = rows.map((r) => ({ ...r, articleId: firstArticle.get(r.id) ?? null }));
  return new Response(factsRss(items, siteUrl(site)), { headers: { 'Content-Type': 'application/rss+xml; charset=utf-8' } });
};
