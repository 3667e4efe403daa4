/**
 * Build-time data for the article pages, read in a few whole-table queries once per build and
 * grouped in memory: 10k article pages each querying their facts, summary and copies would be 40k
 * round trips, while these few scans take well under a second at that size.
 */
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { articles, factSources, summaries } from '../../../db/schema.ts';
import { allFacts, type FactRow } from './queries.ts';

/** A current fact (as every site page reads it) with one of its evidence spans in this article. */
export type ArticleFact = FactRow & { factId: string; start: number; end: number; partial: boolean };

export interface ArticleLink {
  id: number;
  title: string | null;
  outlet: string | null;
  publishedAt: string | null;
}

export interface ArticlePageData {
  article: {
    id: number;
    url: string | null;
    title: string | null;
    outlet: string | null;
    author: string | null;
    publishedAt: string | null;
    modifiedAt: string | null;
    text: string;
    wordCount: number;
    paywalled: boolean;
    truncated: boolean;
    revision: number;
    textSource: string;
  };
  summary: string | null;
  copyOf: ArticleLink | null;
  copiedBy: ArticleLink[];
  facts: ArticleFact[];
}

const memo = new WeakMap<Db, Promise<ArticlePageData[]>>();

/** Every article with what its page shows, loaded once per database handle (build-time only). */
export function articlePages(db: Db): Promise<ArticlePageData[]> {
  let p = memo.get(db);
  if (!p) {
    p = load(db);
    memo.set(db, p);
  }
  return p;
}

async function load(db: Db): Promise<ArticlePageData[]> {
  const rows = await db
    .select({
      id: articles.id,
      url: articles.url,
      title: articles.title,
      outlet: articles.outlet,
      author: articles.author,
      publishedAt: articles.publishedAt,
      modifiedAt: articles.modifiedAt,
      text: articles.text,
      wordCount: articles.wordCount,
      paywalled: articles.paywalled,
      truncated: articles.truncated,
      revision: articles.revision,
      textSource: articles.textSource,
      copyOfId: articles.copyOfId,
    })
    .from(articles)
    .orderBy(asc(articles.id));
  const sums = await db
    .select({ articleId: summaries.articleId, text: summaries.text })
    .from(summaries)
    .where(and(eq(summaries.subject, 'article'), isNotNull(summaries.articleId)));
  // Evidence of the current revision only: that is the text the page shows. The facts themselves
  // come from the build's one read of all current facts (retracted ones are not in it).
  const ev = await db
    .select({
      articleId: factSources.articleId,
      factId: factSources.factId,
      start: factSources.start,
      end: factSources.end,
      partial: factSources.partial,
    })
    .from(factSources)
    .innerJoin(articles, and(eq(articles.id, factSources.articleId), eq(articles.revision, factSources.revision)))
    .orderBy(asc(factSources.articleId), asc(factSources.start), asc(factSources.end), asc(factSources.factId));
  const factById = new Map((await allFacts(db)).map((f) => [f.id, f]));

  const summaryOf = new Map(sums.map((s) => [s.articleId!, s.text]));
  const factsOf = new Map<number, ArticleFact[]>();
  for (const { articleId, ...span } of ev) {
    const fact = factById.get(span.factId);
    if (!fact) continue; // retracted
    const f = { ...fact, ...span };
    const list = factsOf.get(articleId);
    if (list) list.push(f);
    else factsOf.set(articleId, [f]);
  }
  const link = (a: (typeof rows)[number]): ArticleLink => ({ id: a.id, title: a.title, outlet: a.outlet, publishedAt: a.publishedAt });
  const byId = new Map(rows.map((a) => [a.id, a]));
  const copies = new Map<number, ArticleLink[]>();
  for (const a of rows) {
    if (a.copyOfId === null) continue;
    const list = copies.get(a.copyOfId);
    if (list) list.push(link(a));
    else copies.set(a.copyOfId, [link(a)]);
  }
  return rows.map(({ copyOfId, ...article }) => {
    const original = copyOfId !== null ? byId.get(copyOfId) : undefined;
    return {
      article,
      summary: summaryOf.get(article.id) ?? null,
      copyOf: original ? link(original) : null,
      copiedBy: copies.get(article.id) ?? [],
      facts: factsOf.get(article.id) ?? [],
    };
  });
}
