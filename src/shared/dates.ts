/**
 * Date parsing shared by every stage. Feeds and pages carry dates in RFC 822, ISO 8601 and free
 * text ("May 14, 2025", "14 May 2025 09:30 CET"); bad or absurd dates become null, never a throw.
 */
import * as chrono from 'chrono-node';

/** Dates before this are almost always parser garbage (epoch 0, "0001-01-01") rather than real news. */
const MIN_YEAR = 1990;
/** Publishers sometimes put dates slightly in the future (time zones, embargoes); years ahead are bugs. */
const MAX_FUTURE_MS = 2 * 24 * 3600 * 1000;

function plausible(d: Date, now: Date): boolean {
  const t = d.getTime();
  return Number.isFinite(t) && d.getUTCFullYear() >= MIN_YEAR && t <= now.getTime() + MAX_FUTURE_MS;
}

/**
 * Parses a machine-readable date (RFC 822 from RSS, ISO 8601 from Atom/JSON-LD/meta tags).
 * Falls back to chrono for the many almost-RFC-822 variants real feeds emit ("Tue, 5 Mar 2025 9:00 EST").
 * Returns an ISO-8601 UTC string or null.
 */
const MONTH_ABBR = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function parseDate(input: unknown, now: Date = new Date()): string | null {
  if (input instanceof Date) return plausible(input, now) ? input.toISOString() : null;
  if (typeof input === 'number') {
    // JSON feeds and some APIs use epoch seconds; treat small numbers as seconds.
    const d = new Date(input < 1e11 ? input * 1000 : input);
    return plausible(d, now) ? d.toISOString() : null;
  }
  if (typeof input !== 'string') return null;
  const s = input.trim().slice(0, 200);
  if (!s) return null;
  // Date.parse handles ISO 8601 and RFC 822/1123 fast; only trust it for strings that look like one,
  // because V8 also "parses" things like "1" or "Version 2" into nonsense dates.
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  // V8 rolls impossible days over ("2024-02-30" → 1 March); a wrong date is worse than none.
  if (iso && !realDay(Number(iso[1]), Number(iso[2]), Number(iso[3]))) return null;
  // The same for RFC 822 ("Thu, 31 Feb 2025" would become 3 March).
  const rfc = /^(?:[A-Za-z]{3,},?\s+)?(\d{1,2})\s+([A-Za-z]{3,})\.?\s+(\d{2,4})\b/.exec(s);
  if (rfc) {
    const month = MONTH_ABBR.indexOf(rfc[2]!.slice(0, 3).toLowerCase()) + 1;
    const year = Number(rfc[3]) + (rfc[3]!.length <= 2 ? (Number(rfc[3]) < 50 ? 2000 : 1900) : 0);
    if (month > 0 && !realDay(year, month, Number(rfc[1]))) return null;
  }
  if (iso || /^(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3,}\s+\d{2,4}/.test(s)) {
    const t = Date.parse(s);
    if (!Number.isNaN(t)) {
      const d = new Date(t);
      return plausible(d, now) ? d.toISOString() : null;
    }
  }
  return parseLooseDate(s, now);
}

/**
 * Parses a human-written date, e.g. a byline "Published May 14, 2025, 10:02 am". Only absolute
 * dates with a year count: "yesterday" or "3 hours ago" depend on when the page was rendered.
 */
export function parseLooseDate(text: string, now: Date = new Date()): string | null {
  const s = text.slice(0, 300);
  let results: chrono.ParsedResult[];
  try {
    results = chrono.parse(s, { instant: now }, { forwardDate: false });
  } catch {
    return null;
  }
  for (const r of results) {
    // chrono marks relative dates ("yesterday") as certain too; require a written year.
    if (!/\b(?:1[89]|20)\d{2}\b/.test(r.text)) continue;
    if (!r.start.isCertain('year') || !r.start.isCertain('month') || !r.start.isCertain('day')) continue;
    const d = r.start.date();
    if (plausible(d, now)) return d.toISOString();
  }
  return null;
}

function realDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}
