/**
 * Build-time data for the article pages, read in a few whole-table queries once per build and
 * grouped in memory: 10k article pages each querying their facts, summary and copies would be 40k
 * round trips, while these few scans take well under a second at that size.
 */
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { articles, companies, facts, factSources, summaries } from '../../../db/schema.ts';

export interface ArticleFact {
  factId: string;
  start: number;
  end: number;
  partial: boolean;
  kind: string;
  value: number | null;
  valueHigh: number | null;
  unit: string | null;
  asOf: string | null;
  label: string | null;
  status: string | null;
  speaker: string | null;
  quote: string | null;
  corroboration: string;
  company: string;
  companyName: string;
}

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
  // Evidence of the current revision only: that is the text the page shows.
  const ev = await db
    .select({
      articleId: factSources.articleId,
      factId: factSources.factId,
      start: factSources.start,
      end: factSources.end,
      partial: factSources.partial,
      kind: facts.kind,
      value: facts.value,
      valueHigh: facts.valueHigh,
      unit: facts.unit,
      asOf: facts.asOf,
      label: facts.label,
      status: facts.status,
      speaker: facts.speaker,
      quote: facts.quote,
      corroboration: facts.corroboration,
      company: companies.slug,
      companyName: companies.name,
    })
    .from(factSources)
    .innerJoin(articles, and(eq(articles.id, factSources.articleId), eq(articles.revision, factSources.revision)))
    .innerJoin(facts, eq(facts.id, factSources.factId))
    .innerJoin(companies, eq(companies.id, facts.companyId))
    .where(eq(facts.retracted, false))
    .orderBy(asc(factSources.articleId), asc(factSources.start), asc(factSources.end), asc(factSources.factId));

  const summaryOf = new Map(sums.map((s) => [s.articleId!, s.text]));
  const factsOf = new Map<number, ArticleFact[]>();
  for (const { articleId, ...f } of ev) {
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
