/**
 * Dates as collected from feeds and pages: the shared parseDate, minus days that do not exist.
 *
 * Why here: src/shared/dates.ts hands RFC 822 strings to Date.parse, which rolls impossible days
 * over ("Thu, 31 Feb 2025" → 3 March 2025) and would store a wrong date where the bar is null.
 * It already refuses them for ISO dates; this does the same for the RFC 822 form feeds and meta tags
 * use. (The check belongs in parseDate itself; it sits here because the hostile-input fix was
 * limited to scrapers/.)
 */
import { parseDate } from '../src/shared/dates.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/;
/** "Thu, 31 Feb 2025 10:00 GMT", "31 February 2025": what parseDate gives to Date.parse. */
const RFC822_DAY = /^(?:[A-Za-z]{3,},?\s+)?(\d{1,2})\s+([A-Za-z]{3,})\.?\s+(\d{2,4})\b/;

/** True when the string names a day its month does not have (31 Feb, 2025-13-45, 0000-00-00). */
export function impossibleDay(value: string): boolean {
  const s = value.trim();
  let y: number;
  let m: number;
  let d: number;
  const iso = ISO_DAY.exec(s);
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const rfc = RFC822_DAY.exec(s);
    if (!rfc) return false;
    m = MONTHS.indexOf(rfc[2]!.slice(0, 3).toLowerCase()) + 1;
    if (m === 0) return false; // not a month name; parseDate decides
    d = Number(rfc[1]);
    y = Number(rfc[3]);
    if (rfc[3]!.length <= 2) y += y < 50 ? 2000 : 1900;
  }
  return m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** parseDate (ISO 8601 UTC or null), but null for a day that does not exist instead of a rolled-over one. */
export function parseStrictDate(input: unknown): string | null {
  if (typeof input === 'string' && impossibleDay(input)) return null;
  return parseDate(input);
}
