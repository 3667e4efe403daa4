/** Read-only queries behind the site pages. Everything returned is plain data; pages escape it. */
import { latestActuals, latestOfKind } from '../../shared/facts/latest.ts';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { articles, companies, facts, factSources, feeds, runs, summaries } from '../../../db/schema.ts';
import { shared } from './build-scope.ts';
import { readBulk, type BulkQuery } from '../../../db/bulk-read.ts';

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

/** A fact as the build reads it: also the columns no page shows but the exports carry, so that the
 * build's fingerprints (site-plan.ts) cover them. */
export interface StoredFactRow extends FactRow {
  direction: string | null;
  changePct: number | null;
  approximate: boolean;
  extractor: string;
  confidence: number;
  updatedAt: string;
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

const withConflicts = <T extends FactRow>(rows: (Omit<T, 'conflictsWith'> & { conflictsWith: string | null })[]): T[] => rows.map((r) => ({ ...r, conflictsWith: conflictIds(r.conflictsWith) }) as T);


export { isForecast } from '../../shared/facts/latest.ts';

/** The latest actual of each series (src/shared/facts/latest.ts); ties go to the newest stored row. */
function latestByKind(rows: FactRow[]): Map<string, FactRow> {
  return latestActuals(rows, (a, b) => a.createdAt > b.createdAt);
}

/**
 * Every current fact, read once per build (build-scope.ts): a build renders hundreds of company pages
 * from the same rows, and a query per page over 50k facts would dominate the build. Build-time only: a
 * long-running server (the API) must query afresh, never through this memo.
 */
export function allFacts(db: Db): Promise<StoredFactRow[]> {
  return shared('allFacts', db, () => readBulk(db, FACT_ROWS));
}

/**
 * The read of allFacts. The conflict lists are parsed with the rows (a `strings` column), as
 * conflictIds reads them. row-base.ts re-reads some of these rows by adding to the condition, and
 * keeps them in this order (factOrder): the two change together.
 */
export const FACT_ROWS: BulkQuery<StoredFactRow> = {
  columns: {
    id: ['f.id', 'text'],
    kind: ['f.kind', 'text'],
    value: ['f.value', 'real'],
    valueHigh: ['f.value_high', 'real'],
    unit: ['f.unit', 'text'],
    asOf: ['f.as_of', 'text'],
    label: ['f.label', 'text'],
    status: ['f.status', 'text'],
    speaker: ['f.speaker', 'text'],
    quote: ['f.quote', 'text'],
    statement: ['f.statement', 'text'],
    corroboration: ['f.corroboration', 'text'],
    createdAt: ['f.created_at', 'text'],
    company: ['c.slug', 'text'],
    companyName: ['c.name', 'text'],
    conflictsWith: ['f.conflicts_with', 'strings'],
    direction: ['f.direction', 'text'],
    changePct: ['f.change_pct', 'real'],
    approximate: ['f.approximate', 'bool'],
    extractor: ['f.extractor', 'text'],
    confidence: ['f.confidence', 'real'],
    updatedAt: ['f.updated_at', 'text'],
  },
  from: 'from facts f join companies c on c.id = f.company_id',
  where: 'f.retracted = 0',
  chunkBy: { rowid: 'f.rowid', table: 'facts' },
  orderBy: ['f.as_of', 'f.id'],
};

/** FACT_ROWS' order keys, from a row. */
export const factOrder = (f: StoredFactRow): (string | number | null)[] => [f.asOf, f.id];

/** currentSources by fact id (each fact's in the order of currentSources). */
export function sourcesByFactId(db: Db): Promise<Map<string, CurrentSource[]>> {
  return shared('sourcesByFactId', db, async () => {
    const m = new Map<string, CurrentSource[]>();
    for (const s of await currentSources(db)) {
      const list = m.get(s.factId);
      if (list) list.push(s);
      else m.set(s.factId, [s]);
    }
    return m;
  });
}

/** One evidence span of a current fact in its article's current text, with what the site shows of the article. */
export interface CurrentSource {
  factId: string;
  articleId: number;
  title: string | null;
  outlet: string | null;
  url: string | null;
  publishedAt: string | null;
  evidence: string;
  start: number;
  end: number;
  partial: boolean;
  copyOfId: number | null;
}

/**
 * Every source of the current revisions, originals before copies, then by publication and position:
 * the order in which the timeline picks a fact's first source. Read once per build.
 */
export function currentSources(db: Db): Promise<CurrentSource[]> {
  return shared('currentSources', db, () => readBulk(db, SOURCE_ROWS));
}

/** The read of currentSources (re-read in part and kept in this order, sourceOrder, by row-base.ts). */
export const SOURCE_ROWS: BulkQuery<CurrentSource> = {
  columns: {
    factId: ['s.fact_id', 'text'],
    articleId: ['a.id', 'int'],
    title: ['a.title', 'text'],
    outlet: ['a.outlet', 'text'],
    url: ['a.url', 'text'],
    publishedAt: ['a.published_at', 'text'],
    evidence: ['s.evidence', 'text'],
    start: ['s.start', 'int'],
    end: ['s."end"', 'int'],
    partial: ['s.partial', 'bool'],
    copyOfId: ['a.copy_of_id', 'int'],
  },
  from: 'from fact_sources s join articles a on a.id = s.article_id and s.revision = a.revision',
  chunkBy: { rowid: 's.rowid', table: 'fact_sources' },
  // Then by fact and end: a total order (the primary key is fact, article, revision, start).
  orderBy: ['a.copy_of_id is not null', 'a.published_at', 'a.id', 's.start', 's.fact_id', 's."end"'],
};

/** SOURCE_ROWS' order keys, from a row. */
export const sourceOrder = (s: CurrentSource): (string | number | null)[] => [s.copyOfId !== null ? 1 : 0, s.publishedAt, s.articleId, s.start, s.factId, s.end];

const byCompanyMemo = new WeakMap<FactRow[], Map<string, StoredFactRow[]>>();
/** The memoised facts grouped by company slug. */
export async function factsByCompany(db: Db): Promise<Map<string, StoredFactRow[]>> {
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

/** Every company with a current fact, by name, with its key figures: read once per build (the
 * home page, the lists, the exports page and the sitemap all show it). Callers must not change it. */
export function listCompanies(db: Db): Promise<CompanySummary[]> {
  return shared('listCompanies', db, () => loadCompanies(db));
}

async function loadCompanies(db: Db): Promise<CompanySummary[]> {
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
  const rows: FactRow[] = (await factsByCompany(db)).get(slug) ?? [];
  // The current revision's evidence only, as the export has it: the text the article page shows.
  // From the build's one read of every current source (a query per company, joined on the
  // revision, read every article row for each of 500 companies).
  const byFact = await sourcesByFactId(db);
  const sources: SourceRow[] = rows.flatMap((f) =>
    (byFact.get(f.id) ?? []).map((s) => ({
      factId: s.factId,
      articleId: s.articleId,
      title: s.title,
      outlet: s.outlet,
      url: s.url,
      publishedAt: s.publishedAt,
      evidence: s.evidence,
      copyOfId: s.copyOfId,
    })),
  );
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
  // Walk back from the newest articles (articles_published_idx) instead of grouping every source of
  // every fact: a fact first met among the newest k articles has its latest report among them, and
  // every fact not met was last reported before them, so the top `limit` of those met is the top of
  // all once there are `limit` of them (the full grouping was 0.4 s at 10k articles, growing with the
  // corpus, on every home render).
  const dated = (await db.select({ n: sql<number>`count(*)` }).from(articles).where(sql`${articles.publishedAt} is not null`))[0]?.n ?? 0;
  for (let k = limit * 4; k < dated; k *= 4) {
    const cut = sql`(select ${articles.publishedAt} from ${articles} where ${articles.publishedAt} is not null order by ${articles.publishedAt} desc limit 1 offset ${k - 1})`;
    // CROSS JOIN keeps SQLite on the newest articles first; left to itself it scans every fact for the group by.
    const met = await db.values<[string, string, number]>(sql`select s.fact_id, max(a.published_at), a.id
      from ${articles} a cross join ${factSources} s on s.article_id = a.id and s.revision = a.revision
      where a.published_at >= ${cut} group by s.fact_id`);
    const latest = new Map(met.map((m) => [m[0], { reportedAt: m[1], articleId: Number(m[2]) }]));
    const rows: ReportedFact[] = [];
    for (let i = 0; i < met.length; i += 500) {
      const ids = met.slice(i, i + 500).map((m) => m[0]);
      const part = await db.select(factCols).from(facts).innerJoin(companies, eq(companies.id, facts.companyId)).where(and(inArray(facts.id, ids), eq(facts.retracted, false)));
      for (const r of part) rows.push({ ...r, ...latest.get(r.id)!, conflictsWith: conflictIds(r.conflictsWith) });
    }
    if (rows.length < limit) continue;
    const by = (x: ReportedFact, y: ReportedFact) => (x.reportedAt! < y.reportedAt! ? 1 : x.reportedAt! > y.reportedAt! ? -1 : x.createdAt < y.createdAt ? 1 : x.createdAt > y.createdAt ? -1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
    return rows.sort(by).slice(0, limit);
  }
  return newestReportedFactsOfAll(db, limit);
}

/** The same list by grouping every source: for a corpus smaller than the walk, or undated articles. */
export async function newestReportedFactsOfAll(db: Db, limit: number): Promise<ReportedFact[]> {
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
