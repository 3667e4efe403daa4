/**
 * A company's IPO history as events. Outlets report one event many times, at different precision
 * ("filed on March 14" and "first filed in March") and on different days ("is preparing a listing" in
 * two reports a day apart). Reports of one status whose periods nest (or that give no period), with no
 * conflicting value, are one event dated by the most precise period any report gives; the event lists
 * every report. Different statuses are different events, in the order they happened.
 */
import { finer, overlapping, periodKey } from './periods.ts';

export interface IpoReport {
  id: string;
  status: string | null;
  asOf: string | null;
  value: number | null;
  unit: string | null;
  /** When the report was first published (ISO), to order events with no period and reports in an event. */
  reportedAt?: string | null;
}

export interface IpoEvent<R extends IpoReport> {
  status: string;
  /** The most precise period the reports give, or null when none gives one. */
  asOf: string | null;
  /** A value (target valuation, range) one of the reports states. */
  value: number | null;
  unit: string | null;
  reports: R[];
}

/** Plans are a state, not a moment: consecutive plan reports months apart are still one plan. */
const STATE = new Set(['planned']);

function sameValue(a: IpoReport | IpoEvent<IpoReport>, b: IpoReport): boolean {
  if (a.value == null || b.value == null) return true;
  return a.unit === b.unit && Math.abs(a.value - b.value) <= 0.05 * Math.max(Math.abs(a.value), Math.abs(b.value));
}

export function ipoEvents<R extends IpoReport>(reports: R[]): IpoEvent<R>[] {
  const when = (r: IpoReport) => periodKey(r.asOf ?? r.reportedAt?.slice(0, 10) ?? null);
  // Precise reports first, in time order; a bare year or no period then joins the event it fits.
  const coarse = (r: IpoReport) => (r.asOf == null || /^\d{4}$/.test(r.asOf) ? 1 : 0);
  // Within one period, the usual order of a listing: a plan, then a filing, pricing and trading, or a pause.
  const step = (st: string | null) => ['planned', 'filed', 'priced', 'listed', 'paused', 'withdrawn'].indexOf(st ?? '');
  const sorted = [...reports].filter((r) => r.status).sort((a, b) => coarse(a) - coarse(b) || when(a).localeCompare(when(b)) || step(a.status) - step(b.status) || (a.reportedAt ?? '').localeCompare(b.reportedAt ?? ''));
  const events: IpoEvent<R>[] = [];
  for (const r of sorted) {
    const nests = (e: IpoEvent<R>) => r.asOf == null || e.asOf == null || overlapping(e.asOf, r.asOf);
    let target = events.find((e) => e.status === r.status && sameValue(e, r) && nests(e));
    // A plan is a state: reports of it on consecutive days, with nothing between, are one plan.
    const last = events.at(-1);
    if (!target && !coarse(r) && last && last.status === r.status && STATE.has(r.status!) && sameValue(last, r)) target = last;
    if (target) {
      target.reports.push(r);
      if (r.asOf) target.asOf = target.asOf && overlapping(target.asOf, r.asOf) ? finer(target.asOf, r.asOf) : (target.asOf ?? r.asOf);
      if (target.value == null && r.value != null) [target.value, target.unit] = [r.value, r.unit];
      continue;
    }
    events.push({ status: r.status!, asOf: r.asOf, value: r.value, unit: r.value != null ? r.unit : null, reports: [r] });
  }
  return events.sort((a, b) => periodKey(a.asOf).localeCompare(periodKey(b.asOf)) || step(a.status) - step(b.status));
}
