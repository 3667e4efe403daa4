/**
 * The rows of /companies/, typed for the page: name, number of current facts, the latest valuation
 * (by period among actuals, src/shared/facts/latest.ts through listCompanies — never the newest
 * article's figure), when the company was last reported, and its other latest figures. Companies
 * with no current fact are counted but not listed: a row of dashes tells the reader nothing.
 */
import { count, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { companies as companyTable } from '../../../db/schema.ts';
import { DEFAULT_VIEW, SORT_LABEL, sortRows, type SortFields, type SortView } from './companies-sort.ts';
import { formatAsOf, formatValue, kindLabel } from './format.ts';
import { companyHref } from './links.ts';
import { listCompanies } from './queries.ts';
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
 * first seen.
 */
function lastReported(db: Db): Promise<Map<string, string>> {
  return shared('lastReported', db, () => loadLastReported(db));
}

async function loadLastReported(db: Db): Promise<Map<string, string>> {
  const rows = await db.all<{ slug: string; day: string | null }>(sql`
    select c.slug as slug, max(substr(coalesce(a.published_at, a.first_seen_at), 1, 10)) as day
    from facts f
    join companies c on c.id = f.company_id
    join fact_sources s on s.fact_id = f.id
    join articles a on a.id = s.article_id and s.revision = a.revision
    where f.retracted = 0
    group by c.slug`);
  return new Map(rows.filter((r) => r.day).map((r) => [r.slug, r.day!]));
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
