/**
 * Which reports of a company agree and which contradict, the way a researcher would sign it off.
 * Pure: facts with their sources in, each fact's corroboration and the facts it conflicts with out.
 *
 * - Only independent outlets dispute or corroborate each other: a copy repeats its original, and two
 *   values inside one article are usually a segment and a total, not a contradiction.
 * - Periods meet at the coarsest period both state: "2021" and "2021-06" meet for a valuation (a
 *   moment inside the year); money earned over a period meets only at the same period, since a
 *   quarter's revenue is not the year's.
 * - Values agree within their wording: rounding ("£12mn" vs "£12.4m", 41% vs 41.3%) and approximation
 *   ("nearly $60m" vs $58.7m) agree; beyond it they disagree.
 * - The same figure with periods that do not meet is a dispute about *when* for one-off events
 *   (a cut, a raise, an IPO step), not for states that can hold for a while (a valuation, a head count).
 * - Different measures never dispute: a planned raise and final proceeds, pre-tax and net profit
 *   (different kinds or labels), a cut and a hiring plan (different directions).
 */
import { grainOf, overlapping } from './periods.ts';
import type { Corroboration } from './kinds.ts';

export interface DisputeSource {
  articleId: number;
  outlet: string | null;
  url: string | null;
  copyOfId: number | null;
}

export interface DisputeFact<Id = string> {
  id: Id;
  /** Facts of different companies never meet; callers may pass several companies at once. */
  companyId?: number | string;
  kind: string;
  asOf: string | null;
  value: number | null;
  valueHigh: number | null;
  unit: string | null;
  direction: string | null;
  label?: string | null;
  status?: string | null;
  approximate?: boolean;
  sources: DisputeSource[];
}

export interface Verdict<Id> {
  corroboration: Corroboration;
  conflictsWith: Id[];
}

/** Kinds where two values for one period cannot both be right. Metrics and quotes are many per period. */
const DISPUTABLE = new Set(['headcount', 'workforce_change', 'valuation', 'funding', 'revenue', 'net_income', 'credit_losses', 'users', 'ipo']);
/** Money earned over a period: only the same period compares. */
const FLOWS = new Set(['revenue', 'net_income', 'credit_losses']);
/** One-off events: the same figure given two different times is a dispute about when. */
const EVENTS = new Set(['workforce_change', 'funding', 'ipo']);

/** A source is independent unless the article it repeats is also a source of the same fact. */
export function independentSources<T extends DisputeSource>(sources: T[]): (T & { independent: boolean })[] {
  const ids = new Set(sources.map((s) => s.articleId));
  return sources.map((s) => ({ ...s, independent: s.copyOfId === null || !ids.has(s.copyOfId) }));
}

export function outletKey(s: DisputeSource): string {
  if (s.outlet) return s.outlet.trim().toLowerCase();
  try {
    return new URL(s.url ?? '').hostname.replace(/^www\./, '');
  } catch {
    return `article:${s.articleId}`;
  }
}

/** Half the unit of a figure's last significant digit: 12e6 → 0.5e6, 12.4e6 → 0.05e6, 41.3 → 0.05. */
function halfUnit(v: number): number {
  const a = Math.abs(v);
  if (a === 0) return 0;
  // Up to 6 significant digits; trailing zeros are rounding.
  let digits = Number(a.toPrecision(6)).toString().replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
  const magnitude = Math.floor(Math.log10(a));
  // Below the millions, one trailing zero is usually exact ("$40 a share", "30 countries"); two or
  // more ("3,000 staff", "700 agents") are the usual rounding.
  if (a < 1e6 && Number.isInteger(a) && /[1-9]0$/.test(String(a))) digits += 1;
  return 0.5 * 10 ** (magnitude - Math.max(1, digits) + 1);
}

/** Whether two stated values can be the same figure, allowing for how each was written. */
export function valuesAgree(a: DisputeFact<unknown>, b: DisputeFact<unknown>): boolean {
  if (a.value === null || b.value === null) return true;
  if ((a.unit ?? '').toLowerCase() !== (b.unit ?? '').toLowerCase()) return false;
  const inRange = (x: number, f: DisputeFact<unknown>) => f.valueHigh != null && x >= Math.min(f.value!, f.valueHigh) && x <= Math.max(f.value!, f.valueHigh);
  if (inRange(a.value, b) || inRange(b.value, a)) return true;
  const diff = Math.abs(a.value - b.value);
  const big = Math.max(Math.abs(a.value), Math.abs(b.value));
  if (diff === 0) return true;
  // Rounding: within half a unit of the coarser figure's last digit, and never more than 5% apart
  // ("3,000" against 3,400 is a different count, not a rounding).
  const rounding = Math.min(Math.max(halfUnit(a.value), halfUnit(b.value)), 0.05 * big);
  // Approximation ("about", "nearly", "more than"): within 10%.
  const approx = a.approximate || b.approximate ? 0.1 * big : 0;
  return diff <= Math.max(rounding, approx) * (1 + 1e-9);
}

/** Whether two periods name the same time for this kind. */
function periodsMeet(kind: string, a: string, b: string): boolean {
  if (a === b) return true;
  if (FLOWS.has(kind)) return false;
  if (!overlapping(a, b)) return false;
  // A quarter or half is a reporting period, not a moment: it meets the year only for a point in it.
  const ga = grainOf(a);
  const gb = grainOf(b);
  const point = (g: string | null) => g === 'month' || g === 'day';
  return point(ga) || point(gb);
}

/** Two event dates far enough apart that they cannot be one loosely dated report. */
function datesDiffer(a: string, b: string): boolean {
  if (overlapping(a, b)) return false;
  if (a.slice(0, 4) !== b.slice(0, 4)) return true;
  const month = (p: string) => (/^\d{4}-(\d{2})/.exec(p) ? Number(p.slice(5, 7)) : null);
  const [ma, mb] = [month(a), month(b)];
  return ma !== null && mb !== null && Math.abs(ma - mb) >= 2;
}

/** The same measure: kind, unit family, direction of a workforce change, label of a metric-like split, IPO status. */
function sameMeasure(a: DisputeFact<unknown>, b: DisputeFact<unknown>): boolean {
  if (a.kind !== b.kind || (a.companyId ?? null) !== (b.companyId ?? null)) return false;
  if (a.kind === 'workforce_change' && ((a.direction ?? '') !== (b.direction ?? '') || a.unit !== b.unit)) return false;
  if (a.kind === 'ipo') {
    if ((a.status ?? '') !== (b.status ?? '')) return false;
    // An IPO fact's value is a share price, a raise or a valuation: a $40 price and a $14bn valuation,
    // or a $1.3bn raise and a $14bn valuation, are different measures of one listing.
    if (a.value !== null && b.value !== null) {
      const [x, y] = [Math.abs(a.value), Math.abs(b.value)];
      if ((x < 1e4) !== (y < 1e4) || Math.max(x, y) > 3 * Math.min(x, y)) return false;
    }
  }
  // A planned raise and the final proceeds, a Series C and a debt facility: labels name the measure.
  if ((a.kind === 'funding' || a.kind === 'users') && (a.label ?? '') !== (b.label ?? '')) return false;
  return true;
}

/** Whether the two facts rest on different independent outlets (never a copy of the other's article). */
function independentPair(a: DisputeFact<unknown>, b: DisputeFact<unknown>): boolean {
  const ia = independentSources(a.sources).filter((s) => s.independent);
  const ib = independentSources(b.sources).filter((s) => s.independent);
  return ia.some((x) => ib.some((y) => outletKey(x) !== outletKey(y) && x.copyOfId !== y.articleId && y.copyOfId !== x.articleId));
}

export function classifyFacts<Id>(all: DisputeFact<Id>[]): Map<Id, Verdict<Id>> {
  const out = new Map<Id, Verdict<Id>>();
  for (const f of all) {
    const outlets = f.sources.length < 2 ? 0 : new Set(independentSources(f.sources).filter((s) => s.independent).map(outletKey)).size;
    out.set(f.id, { corroboration: outlets >= 2 ? 'corroborated' : 'single-source', conflictsWith: [] });
  }
  const candidates = all.filter((f) => DISPUTABLE.has(f.kind) && f.asOf !== null && f.value !== null);
  // Group by company and kind: only those can meet.
  const groups = new Map<string, DisputeFact<Id>[]>();
  for (const f of candidates) {
    const key = `${String(f.companyId ?? '')}|${f.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  // Each fact's independent outlets, worked out once: most pairs fail on them (one outlet's articles).
  const outletsOf = new Map<DisputeFact<Id>, Set<string>>();
  const outlets = (f: DisputeFact<Id>) => {
    let o = outletsOf.get(f);
    if (!o) outletsOf.set(f, (o = new Set(independentSources(f.sources).filter((x) => x.independent).map(outletKey))));
    return o;
  };
  const judge = (a: DisputeFact<Id>, b: DisputeFact<Id>) => {
    if (!sameMeasure(a, b)) return;
    const [oa, ob] = [outlets(a), outlets(b)];
    if (oa.size === 1 && ob.size === 1 && oa.values().next().value === ob.values().next().value) return;
    const agree = valuesAgree(a, b);
    const meet = periodsMeet(a.kind, a.asOf!, b.asOf!);
    const conflict = meet ? !agree : agree && EVENTS.has(a.kind) && datesDiffer(a.asOf!, b.asOf!);
    if (!conflict && !(meet && agree)) return;
    if (!independentPair(a, b)) return;
    if (conflict) {
      out.get(a.id)!.conflictsWith.push(b.id);
      out.get(b.id)!.conflictsWith.push(a.id);
    } else if (meet && agree) {
      // Two outlets giving the same figure for the same time corroborate each other.
      for (const f of [a, b]) if (out.get(f.id)!.corroboration === 'single-source') out.get(f.id)!.corroboration = 'corroborated';
    }
  };
  // Not every pair can meet: periods that meet lie in one year (every period is inside one), and a
  // dispute about when needs values that agree — so pairs are drawn from a year's facts, and across
  // years only between one-off events whose values are within 10% of each other. A company's many
  // years of revenue are then a few small comparisons rather than all pairs.
  for (const g of groups.values()) {
    const byYear = new Map<string, DisputeFact<Id>[]>();
    for (const f of g) byYear.set(f.asOf!.slice(0, 4), [...(byYear.get(f.asOf!.slice(0, 4)) ?? []), f]);
    for (const y of byYear.values()) for (let i = 0; i < y.length; i++) for (let j = i + 1; j < y.length; j++) judge(y[i]!, y[j]!);
    if (!EVENTS.has(g[0]!.kind)) continue;
    const byValue = [...g].sort((a, b) => Math.abs(a.value!) - Math.abs(b.value!));
    for (let i = 0; i < byValue.length; i++) {
      const a = byValue[i]!;
      for (let j = i + 1; j < byValue.length && Math.abs(byValue[j]!.value!) <= Math.abs(a.value!) * 1.1 + 1e-9; j++) {
        const b = byValue[j]!;
        if (a.asOf!.slice(0, 4) !== b.asOf!.slice(0, 4)) judge(a, b);
      }
    }
  }
  for (const v of out.values()) if (v.conflictsWith.length) v.corroboration = 'disputed';
  return out;
}
