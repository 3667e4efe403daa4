/**
 * How the company list sorts and filters, in one place for the build (which writes /companies/ and
 * one pre-sorted page per other order, for readers without JavaScript) and for the browser script
 * that re-sorts the table in place (src/scripts/companies.ts): the two cannot disagree about an order.
 * No imports: the browser script bundles this file.
 *
 * Empty values (no valuation, no dated source) sort last in both directions: a reader sorting by
 * valuation wants the valued companies at the top, whichever way round.
 */
export const SORT_KEYS = ['name', 'facts', 'valuation', 'reported'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';
export interface SortView {
  key: SortKey;
  dir: SortDir;
}

/** The direction a column sorts in on the first click: names A–Z, numbers and dates largest or newest first. */
export const FIRST_DIR: Record<SortKey, SortDir> = { name: 'asc', facts: 'desc', valuation: 'desc', reported: 'desc' };
export const DEFAULT_VIEW: SortView = { key: 'name', dir: 'asc' };

export const SORT_LABEL: Record<SortKey, string> = {
  name: 'name',
  facts: 'number of facts',
  valuation: 'latest valuation',
  reported: 'last reported',
};

/** What a row is sorted and filtered by. */
export interface SortFields {
  name: string;
  slug: string;
  facts: number;
  /** ISO 4217 code of the latest valuation, null when the company has none. */
  currency: string | null;
  valuation: number | null;
  /** YYYY-MM-DD of the newest article reporting a current fact, null when none is dated. */
  reported: string | null;
}

/**
 * Amounts in different currencies are not converted (Factdesk keeps no exchange rates), so a sort by
 * valuation groups them: US dollars, euros and pounds first, any other currency after, by code.
 */
const CURRENCY_FIRST = ['USD', 'EUR', 'GBP'];
function currencyRank(c: string): [number, string] {
  const i = CURRENCY_FIRST.indexOf(c);
  return i === -1 ? [CURRENCY_FIRST.length, c] : [i, ''];
}

function byName(a: SortFields, b: SortFields): number {
  return a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
}

/** Sorts `a` before `b` (negative), after (positive), per view; ties by name, then slug. */
export function compareRows(a: SortFields, b: SortFields, view: SortView): number {
  const sign = view.dir === 'asc' ? 1 : -1;
  // Empty last whichever the direction: these return before `sign` applies.
  const empty = (x: unknown, y: unknown) => (x === null) === (y === null) ? 0 : x === null ? 1 : -1;
  let d = 0;
  switch (view.key) {
    case 'name':
      return sign * byName(a, b);
    case 'facts':
      d = sign * (a.facts - b.facts);
      break;
    case 'valuation': {
      const e = empty(a.valuation, b.valuation);
      if (e) return e;
      if (a.valuation !== null && b.valuation !== null) {
        const [ra, ca] = currencyRank(a.currency ?? '');
        const [rb, cb] = currencyRank(b.currency ?? '');
        d = ra - rb || (ca < cb ? -1 : ca > cb ? 1 : 0) || sign * (a.valuation - b.valuation);
      }
      break;
    }
    case 'reported': {
      const e = empty(a.reported, b.reported);
      if (e) return e;
      if (a.reported !== null && b.reported !== null) d = sign * (a.reported < b.reported ? -1 : a.reported > b.reported ? 1 : 0);
      break;
    }
  }
  return d || byName(a, b);
}

export function sortRows<T extends SortFields>(rows: readonly T[], view: SortView): T[] {
  return [...rows].sort((a, b) => compareRows(a, b, view));
}

/** Every order except the default, each a pre-built page. */
export const SORTED_VIEWS: SortView[] = SORT_KEYS.flatMap((key) =>
  (['asc', 'desc'] as const).map((dir) => ({ key, dir })),
).filter((v) => !(v.key === DEFAULT_VIEW.key && v.dir === DEFAULT_VIEW.dir));

/** The path segment of a pre-sorted page: "facts-desc". */
export function viewParam(v: SortView): string {
  return `${v.key}-${v.dir}`;
}

/** Where the list in this order lives: /companies/ for the default, /companies/sorted/<key>-<dir>/ otherwise. */
export function sortPath(v: SortView): string {
  return v.key === DEFAULT_VIEW.key && v.dir === DEFAULT_VIEW.dir ? '/companies/' : `/companies/sorted/${viewParam(v)}/`;
}

/** The order a path shows, or null when it is not a list page. */
export function viewOfPath(pathname: string): SortView | null {
  if (pathname === '/companies/' || pathname === '/companies' || pathname === '/companies/index.html') return DEFAULT_VIEW;
  const prefix = '/companies/sorted/';
  if (!pathname.startsWith(prefix)) return null;
  const param = pathname.slice(prefix.length).replace(/\/(index\.html)?$/, '');
  return SORTED_VIEWS.find((v) => viewParam(v) === param) ?? null;
}

/** The order a column header leads to: the other direction when it is the current sort, else its first direction. */
export function nextView(current: SortView, key: SortKey): SortView {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: FIRST_DIR[key] };
}

/** Lower case without accents: "numera" finds "Numéra". */
function folded(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Whether a company name contains what was typed in the filter (case and accents ignored). */
export function nameMatches(name: string, query: string): boolean {
  const q = folded(query.trim());
  return q === '' || folded(name).includes(q);
}

const ORDER_WORDS: Record<SortKey, Record<SortDir, string>> = {
  name: { asc: 'A to Z', desc: 'Z to A' },
  facts: { asc: 'fewest first', desc: 'most first' },
  valuation: { asc: 'smallest first in each currency', desc: 'largest first in each currency' },
  reported: { asc: 'oldest first', desc: 'newest first' },
};

/** "Sorted by latest valuation, largest first in each currency; empty values last." — the table's caption. */
export function describeView(v: SortView): string {
  return `Sorted by ${SORT_LABEL[v.key]}, ${ORDER_WORDS[v.key][v.dir]}${v.key === 'valuation' || v.key === 'reported' ? '; empty values last' : ''}.`;
}
