/**
 * A company's IPO history as the fact sheet shows it: one row per event (src/shared/facts/ipo-events.ts),
 * dated by the most precise period its reports give, listing every report. "Filed on March 14" and
 * "first filed in March" are one filing on 2025-03-14, not two rows.
 */
import { ipoEvents } from '../../shared/facts/ipo-events.ts';
import type { FactRow } from './queries.ts';

export interface IpoPeriod {
  /** the event's period, or null when no report gives one */
  period: string | null;
  statuses: { status: string; facts: FactRow[] }[];
}

export function ipoHistory(events: FactRow[]): IpoPeriod[] {
  return ipoEvents(events.map((f) => ({ ...f, reportedAt: f.createdAt }))).map((e) => ({
    period: e.asOf,
    statuses: [{ status: e.status, facts: e.reports }],
  }));
}
