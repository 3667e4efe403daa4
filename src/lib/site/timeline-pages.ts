/** The static per-year pages of the timeline, split so no page lists more than PAGE_SIZE facts. */
import { UNDATED, yearOf, type TimelineRecord } from './search-shards.ts';

export const PAGE_SIZE = 500;

export interface YearPage {
  year: string;
  /** 1-based page within the year */
  page: number;
  pages: number;
  records: TimelineRecord[];
}

/** Records are newest first; years newest first, "undated" last. */
export function splitByYear(records: TimelineRecord[]): YearPage[] {
  const byYear = new Map<string, TimelineRecord[]>();
  for (const r of records) {
    const y = yearOf(r);
    const list = byYear.get(y);
    if (list) list.push(r);
    else byYear.set(y, [r]);
  }
  const years = [...byYear.keys()].sort((a, b) => (a === UNDATED ? 1 : b === UNDATED ? -1 : b.localeCompare(a)));
  const out: YearPage[] = [];
  for (const year of years) {
    const list = byYear.get(year)!;
    const pages = Math.ceil(list.length / PAGE_SIZE);
    for (let p = 0; p < pages; p++) out.push({ year, page: p + 1, pages, records: list.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE) });
  }
  return out;
}

export function yearHref(year: string, page = 1): string {
  return page === 1 ? `/timeline/${year}/` : `/timeline/${year}/${page}/`;
}

export function yearPages(records: TimelineRecord[]): { label: string; href: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const p of splitByYear(records)) counts.set(p.year, (counts.get(p.year) ?? 0) + p.records.length);
  return [...counts].map(([year, count]) => ({ label: year, href: yearHref(year), count }));
}

const pagesOf = new WeakMap<TimelineRecord[], Map<string, YearPage>>();

/** The page a route's params name ("2024" and undefined or "2", as yearHref writes them), or null. The
 * split is made once per list of records: a build renders a thousand pages of the same list. */
export function yearPage(records: TimelineRecord[], year: string, page: string | undefined): YearPage | null {
  if (page !== undefined && !/^[2-9]$|^[1-9]\d+$/.test(page)) return null;
  const n = page === undefined ? 1 : Number(page);
  let pages = pagesOf.get(records);
  if (!pages) pagesOf.set(records, (pages = new Map(splitByYear(records).map((p) => [`${p.year}/${p.page}`, p]))));
  return pages.get(`${year}/${n}`) ?? null;
}
