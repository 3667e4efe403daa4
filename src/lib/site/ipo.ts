/**
 * A company's IPO history as reported: one row per period, with every status sources gave for it.
 * Coverage contradicts itself ("paused" and "planned" in the same April, from different outlets), so
 * the history shows what was said per period rather than a single chain of status changes that would
 * flip back and forth with each source.
 */
import { periodKey } from '../../extract/brief.ts';
import type { FactRow } from './queries.ts';

export interface IpoPeriod {
  /** asOf of the facts, or null when no period was given */
  period: string | null;
  statuses: { status: string; facts: FactRow[] }[];
}

export function ipoHistory(events: FactRow[]): IpoPeriod[] {
  const byPeriod = new Map<string | null, Map<string, FactRow[]>>();
  for (const f of events) {
    let statuses = byPeriod.get(f.asOf);
    if (!statuses) byPeriod.set(f.asOf, (statuses = new Map()));
    const status = f.status ?? 'reported';
    const list = statuses.get(status);
    if (list) list.push(f);
    else statuses.set(status, [f]);
  }
  return [...byPeriod.entries()]
    .sort(([a], [b]) => periodKey(a).localeCompare(periodKey(b)))
    .map(([period, statuses]) => ({
      period,
      // The status most facts give first; ties keep the order they were reported in.
      statuses: [...statuses.entries()].map(([status, facts]) => ({ status, facts })).sort((a, b) => b.facts.length - a.facts.length),
    }));
}
