/**
 * The rows of /companies/, typed for the page: name, number of current facts, the latest valuation
 * (by period among actuals, src/shared/facts/latest.ts through listCompanies — never the newest
 * article's figure), when the company was last reported, and its other latest figures. Companies
 * with no current fact are counted but not listed: a row of dashes tells the reader nothing.
 */
import { count, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { articles, companies as companyTable } from '../../../db/schema.ts';
import { DEFAULT_VIEW, SORT_LABEL, sortRows, type SortFields, type SortView } from './companies-sort.ts';
import { formatAsOf, formatValue, kindLabel } from './format.ts';
import { companyHref } from './links.ts';
import { allFacts, listCompanies, sourcesByFactId } from './queries.ts';
import { shared } from './build-scope.ts';

export interface CompanyFigure {
  kind: string;
  text: string;
  asOf: string;
}

export interface CompanyListRow extends SortFields {
  href: string;
  /** "$6.7 billion", or null when no actual valuation is known. */
  valuationText: string | null;
  /** The period of that valuation, as reported ("2022", "2025-03"). */
  valuationAsOf: string | null;
  /** The latest of the other key kinds (headcount, revenue, …). */
  figures: CompanyFigure[];
}

export interface CompaniesListPage {
  rows: CompanyListRow[];
  view: SortView;
  /** "latest valuation", for "sorted by …". */
  sortLabel: string;
  /** Companies in the database without a current fact, left out of the list. */
  withoutFacts: number;
}

/**
 * The publication day of the newest article that is a current source (its current revision) of a
 * current fact, per company slug; an article without a publication date counts from when it was
 * first seen. Worked out from the build's shared reads of every current fact and source: as one SQL
 * query (a four-table join grouped by company) it took ~0.2–0.5 s of the main thread at 10k facts,
 * here it is one pass over rows already in memory.
 */
function lastReported(db: Db): Promise<Map<string, string>> {
  return shared('lastReported', db, () => loadLastReported(db));
}

async function loadLastReported(db: Db): Promise<Map<string, string>> {
  const [facts, sources, undated] = await Promise.all([
    allFacts(db),
    sourcesByFactId(db),
    db.select({ id: articles.id, firstSeenAt: articles.firstSeenAt }).from(articles).where(isNull(articles.publishedAt)),
  ]);
  const firstSeen = new Map(undated.map((a) => [a.id, a.firstSeenAt]));
  const out = new Map<string, string>();
  for (const f of facts) {
    let newest = out.get(f.company) ?? '';
    for (const s of sources.get(f.id) ?? []) {
      // ISO days compare as text, as SQLite's max() did.
      const day = (s.publishedAt ?? firstSeen.get(s.articleId) ?? '').slice(0, 10);
      if (day > newest) newest = day;
    }
    if (newest) out.set(f.company, newest);
  }
  return out;
}

export async function companiesList(db: Db, view: SortView = DEFAULT_VIEW): Promise<CompaniesListPage> {
  const [listed, reported, [total]] = await Promise.all([
    listCompanies(db),
    lastReported(db),
    shared('companyCount', db, () => db.select({ n: count() }).from(companyTable).execute()),
  ]);
  const rows = listed.map((c): CompanyListRow => {
    const valuation = c.key.find((f) => f.kind === 'valuation');
    return {
      name: c.name,
      slug: c.slug,
      href: companyHref(c.slug),
      facts: c.factCount,
      currency: valuation?.unit ?? null,
      valuation: valuation?.value ?? null,
      valuationText: valuation ? formatValue(valuation.value, valuation.unit, valuation.valueHigh) : null,
      valuationAsOf: valuation ? formatAsOf(valuation.asOf) : null,
      reported: reported.get(c.slug) ?? null,
      figures: c.key
        .filter((f) => f.kind !== 'valuation')
        .map((f) => ({ kind: kindLabel(f.kind), text: formatValue(f.value, f.unit, f.valueHigh), asOf: formatAsOf(f.asOf) })),
    };
  });
  return { rows: sortRows(rows, view), view, sortLabel: SORT_LABEL[view.key], withoutFacts: Number(total?.n ?? 0) - rows.length };
}
