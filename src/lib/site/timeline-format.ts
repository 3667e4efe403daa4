/**
 * How a timeline entry reads: its period with its span ("2024 (full year)", "Q1 2025", "Mar 2025"),
 * its trust badge and its source count. Used by src/lib/site/fact-item.ts at build time and by the
 * browser script (src/scripts/timeline.ts), so both render the same words. Pure, browser-safe.
 */
import { FLOW_KINDS } from '../../shared/facts/latest.ts';
import { isAheadOfReport, type TimelineRecord } from './search-shards.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "14 Mar 2025" for an ISO day; the input unchanged when it is not one. */
export function dayLabel(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  const month = MONTHS[Number(m) - 1];
  return y && month && d ? `${Number(d)} ${month} ${y}` : iso;
}

/**
 * A period key (src/shared/facts/periods.ts) as a reader says it, its span explicit. Given the kind,
 * "full year" is said only of money earned over the year (revenue, net income, credit losses): a
 * valuation or head count "in 2022" is a moment within it.
 */
export function periodLabel(asOf: string, kind?: string): string {
  const [y, part] = asOf.split('-');
  if (asOf.length === 4) return kind === undefined || FLOW_KINDS.has(kind) ? `${asOf} (full year)` : asOf;
  if (part === 'H1' || part === 'H2' || part === 'Q1' || part === 'Q2' || part === 'Q3' || part === 'Q4') return `${part} ${y}`;
  if (asOf.length === 7) return `${MONTHS[Number(part) - 1] ?? part} ${y}`;
  return dayLabel(asOf);
}

/** What the entry's date line says: the period, else the publication day. */
export function whenLabel(r: Pick<TimelineRecord, 'o' | 'w' | 'k'>): string {
  if (r.o) return periodLabel(r.o, r.k);
  return r.w ? `published ${dayLabel(r.w)}` : 'date unknown';
}

/** "plan or forecast, reported 10 Jun 2025" when the period had not ended when reported, else null. */
export function aheadLabel(r: Pick<TimelineRecord, 'o' | 'w'>): string | null {
  return isAheadOfReport(r) ? `plan or forecast, reported ${dayLabel(r.w!)}` : null;
}

export type Badge = 'corroborated' | 'single-source' | 'disputed';

/** The fact's corroboration as stored (facts.corroboration) and the words its badge shows. */
export function badgeOf(r: Pick<TimelineRecord, 'b'>): { value: Badge; text: string } {
  if (r.b === 'c') return { value: 'corroborated', text: 'corroborated' };
  if (r.b === 'd') return { value: 'disputed', text: 'disputed' };
  return { value: 'single-source', text: 'single source' };
}

/** "3 sources, 2 independent" / "1 source"; null when no current article states it. */
export function sourcesLabel(r: Pick<TimelineRecord, 'a' | 'n' | 'x' | 'y'>): string | null {
  if (r.a === null) return null;
  const total = 1 + (r.n ?? 0);
  if (total === 1) return r.y ? '1 source (a copy)' : '1 source';
  const independent = (r.y ? 0 : 1) + (r.x ?? 0);
  return `${total} sources, ${independent} independent`;
}

/** Where the shown sentence was read: "The Ledger: Klarna pauses IPO, 7 Apr 2025". */
export function sourceLabel(r: Pick<TimelineRecord, 'h' | 'u' | 'w'>): string {
  return [r.h ?? r.u ?? 'the article', r.w ? dayLabel(r.w) : null].filter(Boolean).join(', ');
}
