/** Read-only queries behind the site pages. Everything returned is plain data; pages escape it. */
import { latestActuals, latestOfKind } from '../../shared/facts/latest.ts';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { articles, companies, facts, factSources, feeds, runs, summaries } from '../../../db/schema.ts';

export const KEY_KINDS = ['headcount', 'valuation', 'revenue', 'net_income', 'credit_losses'] as const;

export interface FactRow {
  id: string;
  kind: string;
  value: number | null;
  valueHigh: number | null;
  unit: string | null;
  asOf: string | null;
  label: string | null;
  status: string | null;
  speaker: string | null;
  quote: string | null;
  statement: string;
  corroboration: string;
  createdAt: string;
  company: string;
  companyName: string;
  /** Disputed facts: the ids of the facts from other independent sources that contradict this one. */
  conflictsWith: string[];
}

const factCols = {
  id: facts.id,
  kind: facts.kind,
  value: facts.value,
  valueHigh: facts.valueHigh,
  unit: facts.unit,
  asOf: facts.asOf,
  label: facts.label,
  status: facts.status,
  speaker: facts.speaker,
  quote: facts.quote,
  statement: facts.statement,
  corroboration: facts.corroboration,
  createdAt: facts.createdAt,
  company: companies.slug,
  companyName: companies.name,
  conflictsWith: facts.conflictsWith,
};

/** The stored JSON list of conflicting ids, read defensively: a malformed cell means no known conflict. */
function conflictIds(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

const withConflicts = (rows: (Omit<FactRow, 'conflictsWith'> & { conflictsWith: string | null })[]): FactRow[] => rows.map((r) => ({ ...r, conflictsWith: conflictIds(r.conflictsWith) }));


export { isForecast } from '../../shared/facts/latest.ts';

/** The latest actual of each series (src/shared/facts/latest.ts); ties go to the newest stored row. */
function latestByKind(rows: FactRow[]): Map<string, FactRow> {
  return latestActuals(rows, (a, b) => a.createdAt > b.createdAt);
}

/**
 * Every current fact, read once per database handle: a build renders hundreds of company pages from
 * the same rows, and a query per page over 50k facts would dominate the build. Build-time only: a
 * long-running server (the API) must query afresh, never through this memo.
 */
const factsMemo = new WeakMap<Db, Promise<FactRow[]>>();
export function allFacts(db: Db): Promise<FactRow[]> {
  let rows = factsMemo.get(db);
  if (!rows) {
    // .execute(): a drizzle query builder is a thenable that runs its query again on every await,
    // so memoising the builder itself would re-read all facts for every page.
    rows = db
      .select(factCols)
      .from(facts)
      .innerJoin(companies, eq(companies.id, facts.companyId))
      .where(eq(facts.retracted, false))
      .orderBy(asc(facts.asOf), asc(facts.id))
      .execute()
      .then(withConflicts);
    factsMemo.set(db, rows);
  }
  return rows;
}

const byCompanyMemo = new WeakMap<FactRow[], Map<string, FactRow[]>>();
/** The memoised facts grouped by company slug. */
export async function factsByCompany(db: Db): Promise<Map<string, FactRow[]>> {
  const rows = await allFacts(db);
  let m = byCompanyMemo.get(rows);
  if (!m) {
    m = new Map();
    for (const f of rows) {
      const list = m.get(f.company);
      if (list) list.push(f);
      else m.set(f.company, [f]);
    }
    byCompanyMemo.set(rows, m);
  }
  return m;
}

export interface CompanySummary {
  slug: string;
  name: string;
  factCount: number;
  key: FactRow[];
}

export async function listCompanies(db: Db): Promise<CompanySummary[]> {
  const grouped = await factsByCompany(db);
  const cos = await db.select().from(companies).orderBy(asc(companies.name));
  return cos
    .map((c) => {
      const mine = grouped.get(c.slug) ?? [];
      const latest = latestByKind(mine);
      return {
        slug: c.slug,
        name: c.name,
        factCount: mine.length,
        key: KEY_KINDS.map((k) => latestOfKind(latest, k)).filter((f): f is FactRow => !!f),
      };
    })
    .filter((c) => c.factCount > 0);
}

export interface SourceRow {
  factId: string;
  articleId: number;
  title: string | null;
  outlet: string | null;
  url: string | null;
  publishedAt: string | null;
  evidence: string;
  /** The article this one reprints, when it is a copy. */
  copyOfId: number | null;
}

export async function companyFactSheet(db: Db, slug: string) {
  const [company] = await db.select().from(companies).where(eq(companies.slug, slug));
  if (!company) return null;
  const rows = (await factsByCompany(db)).get(slug) ?? [];
  const ids = rows.map((f) => f.id);
  const sources: SourceRow[] = ids.length
    ? await db
        .select({
          factId: factSources.factId,
          articleId: factSources.articleId,
          title: articles.title,
          outlet: articles.outlet,
          url: articles.url,
          publishedAt: articles.publishedAt,
          evidence: factSources.evidence,
          copyOfId: articles.copyOfId,
        })
        .from(factSources)
        .innerJoin(articles, eq(articles.id, factSources.articleId))
        // The current revision's evidence only, as the export has it: the text the article page shows.
        .where(and(inArray(factSources.factId, ids), eq(factSources.revision, articles.revision)))
    : [];
  const [brief] = await db.select().from(summaries).where(and(eq(summaries.subject, 'company'), eq(summaries.companyId, company.id)));
  const latest = [...latestByKind(rows.filter((f) => f.kind !== 'quote' && f.kind !== 'ipo')).values()];
  return {
    company: { slug: company.slug, name: company.name, ticker: company.ticker },
    brief: brief?.text ?? null,
    /** Every current fact of the company: its length is the fact count the site gives everywhere. */
    rows,
    latest,
    // Every figure of the charted kinds, forecasts too: chart-series.ts decides which line each joins.
    chartFacts: rows.filter((f) => (KEY_KINDS as readonly string[]).includes(f.kind)),
    events: rows.filter((f) => f.kind === 'ipo'),
    quotes: rows.filter((f) => f.kind === 'quote'),
    disputed: rows.filter((f) => f.corroboration === 'disputed'),
    sourcesByFact: groupBy(sources, (s) => s.factId),
    articles: [...new Map(sources.map((s) => [s.articleId, s])).values()],
  };
}

function groupBy<T>(xs: T[], key: (x: T) => string): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const x of xs) (out[key(x)] ??= []).push(x);
  return out;
}

export async function newestArticles(db: Db, limit = 10) {
  return db
    .select({ id: articles.id, title: articles.title, outlet: articles.outlet, publishedAt: articles.publishedAt, paywalled: articles.paywalled })
    .from(articles)
    .orderBy(desc(articles.publishedAt))
    .limit(limit);
}

/** The newest facts as the RSS feed wants them: the ones most recently found. */
export async function newestFacts(db: Db, limit = 10): Promise<FactRow[]> {
  return withConflicts(await db
    .select(factCols)
    .from(facts)
    .innerJoin(companies, eq(companies.id, facts.companyId))
    .where(eq(facts.retracted, false))
    .orderBy(desc(facts.createdAt), asc(facts.id))
    .limit(limit));
}

export type ReportedFact = FactRow & { reportedAt: string | null; articleId: number | null };

/**
 * The facts most recently reported, for a reader's "newest" list: by the latest publication date
 * of an article stating them. Found-time (newestFacts) is the wrong order there: a first refresh
 * finds a year of coverage at once, and its extraction order says nothing about the news.
 * articleId is that latest article, so the item can link to the sentence.
 */
export async function newestReportedFacts(db: Db, limit = 10): Promise<ReportedFact[]> {
  const latest = db
    .select({
      factId: factSources.factId,
      reportedAt: sql<string | null>`max(${articles.publishedAt})`.as('reported_at'),
      // SQLite's bare column beside max(): the article row that holds the maximum.
      articleId: sql<number | null>`${articles.id}`.as('latest_article_id'),
    })
    .from(factSources)
    .innerJoin(articles, eq(articles.id, factSources.articleId))
    // Current text only: an older revision's sentence is not on the article page to link to.
    .where(eq(factSources.revision, articles.revision))
    .groupBy(factSources.factId)
    .as('latest');
  const rows = await db
    .select({ ...factCols, reportedAt: latest.reportedAt, articleId: latest.articleId })
    .from(facts)
    .innerJoin(companies, eq(companies.id, facts.companyId))
    .innerJoin(latest, eq(latest.factId, facts.id))
    .where(eq(facts.retracted, false))
    .orderBy(sql`${latest.reportedAt} is null`, desc(latest.reportedAt), desc(facts.createdAt), asc(facts.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, conflictsWith: conflictIds(r.conflictsWith) }));
}

export async function lastRun(db: Db) {
  const [run] = await db.select().from(runs).where(eq(runs.kind, 'refresh')).orderBy(desc(runs.startedAt)).limit(1);
  return run ?? null;
}

/** Every feed with its fetch health and how many articles (and reprints) it brought. */
export async function feedsHealth(db: Db) {
  const counts = await db
    .select({
      feedId: articles.feedId,
      articles: sql<number>`count(*)`,
      copies: sql<number>`sum(case when ${articles.copyOfId} is not null then 1 else 0 end)`,
      paywalled: sql<number>`sum(case when ${articles.paywalled} then 1 else 0 end)`,
      newest: sql<string | null>`max(${articles.publishedAt})`,
    })
    .from(articles)
    .groupBy(articles.feedId);
  const byFeed = new Map(counts.map((c) => [c.feedId, c]));
  const rows = await db.select().from(feeds).orderBy(asc(feeds.title), asc(feeds.url));
  return rows.map((f) => {
    const c = byFeed.get(f.id);
    return { ...f, articles: Number(c?.articles ?? 0), copies: Number(c?.copies ?? 0), paywalled: Number(c?.paywalled ?? 0), newest: c?.newest ?? null };
  });
}
