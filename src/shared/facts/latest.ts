/**
 * "The latest figure" of a kind, the same on the fact sheet, in the brief and the CLI: the actual
 * about the most recent period (by where the period ends: the full year 2025 is later than its second
 * quarter), never a forecast, target or guidance. Money earned over a period keeps its annual and its
 * shorter series apart: a company's latest quarter and its latest full year are two rows, not one
 * figure replacing the other. Among users of one period, the company-wide count beats a sub-count
 * ("340,000 merchants" is not the latest number of users).
 */
import { finer, grainOf, overlapping, periodSpan } from './periods.ts';

export interface Latestable {
  kind: string;
  asOf: string | null;
  label: string | null;
  value: number | null;
  unit?: string | null;
}

/** A forecast, target or guidance: labelled so by the extractors, and never an actual. */
export function isForecast(f: { label: string | null }): boolean {
  return /\bforecast\b|\btarget\b|\bguidance\b|\bplanned\b/i.test(f.label ?? '');
}

export const FLOW_KINDS: ReadonlySet<string> = new Set(['revenue', 'net_income', 'credit_losses']);

/** One figure within rounding of the same stated number (0.5%), in the same unit. */
export function sameFigure(a: Latestable, b: Latestable): boolean {
  if (a.value === null || b.value === null || a.unit !== b.unit) return false;
  return Math.abs(a.value - b.value) <= 0.005 * Math.max(Math.abs(a.value), Math.abs(b.value));
}

/** Where the period ends, as a sortable date; undated facts sort first (least recent). */
function endOf(asOf: string | null): string {
  return periodSpan(asOf)?.[1] ?? '';
}

/**
 * Funding that is not a round: the total raised over the company's life and borrowed money (a credit
 * facility) are measures of their own. Told apart from rounds, a $212m lifetime total or a $250m bank
 * line never stands as the company's "latest funding" beside its $120m Series C.
 */
function fundingMeasure(label: string | null): 'total' | 'debt' | null {
  if (!label) return null;
  if (/\btotal raised\b/i.test(label)) return 'total';
  if (/\bcredit facility\b|\bdebt\b|\bloan\b/i.test(label)) return 'debt';
  return null;
}

/** The series a fact belongs to for "latest": its kind, for flows whether it is a full year, for funding its measure. */
export function seriesOf(f: Latestable): string {
  if (f.kind === 'funding') {
    const measure = fundingMeasure(f.label);
    return measure ? `funding:${measure}` : 'funding';
  }
  return FLOW_KINDS.has(f.kind) && f.asOf && grainOf(f.asOf) === 'year' ? `${f.kind}:year` : f.kind;
}

/** The single latest of a kind across its series: the full year only when it ends later than the latest quarter. */
export function latestOfKind<T extends Latestable>(latest: ReadonlyMap<string, T>, kind: string): T | undefined {
  const short = latest.get(kind);
  const year = latest.get(`${kind}:year`);
  if (!short || !year) return short ?? year;
  return endOf(year.asOf) > endOf(short.asOf) ? year : short;
}

/**
 * The latest actual per series, in first-seen order of the series. `newer(a, b)` breaks ties between
 * facts of the same period (e.g. the more recently stored one).
 */
export function latestActuals<T extends Latestable>(rows: readonly T[], newer: (a: T, b: T) => boolean = () => false): Map<string, T> {
  const out = new Map<string, T>();
  for (const f of rows) {
    if (f.value === null || isForecast(f)) continue;
    const key = seriesOf(f);
    const cur = out.get(key);
    if (!cur) {
      out.set(key, f);
      continue;
    }
    // One claim told at two precisions ("$6.7bn in 2022", "$6.7bn in July 2022") is one figure about
    // a moment: the precise report wins, though the bare year ends later.
    if (!FLOW_KINDS.has(f.kind) && f.asOf && cur.asOf && f.asOf !== cur.asOf && overlapping(f.asOf, cur.asOf) && sameFigure(f, cur)) {
      if (finer(f.asOf, cur.asOf) === f.asOf) out.set(key, f);
      continue;
    }
    const [a, b] = [endOf(f.asOf), endOf(cur.asOf)];
    if (a !== b) {
      if (a > b) out.set(key, f);
      continue;
    }
    // Same period end: the more precise period ("2025-03" over "2025-Q1"), then the broader user count.
    const [pa, pb] = [periodSpan(f.asOf)?.[0] ?? '', periodSpan(cur.asOf)?.[0] ?? ''];
    if (pa !== pb) {
      if (pa > pb) out.set(key, f);
      continue;
    }
    if (f.kind === 'users' && (f.label == null) !== (cur.label == null)) {
      if (f.label == null) out.set(key, f);
      continue;
    }
    if (newer(f, cur)) out.set(key, f);
  }
  return out;
}
