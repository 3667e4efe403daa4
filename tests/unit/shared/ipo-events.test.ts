/**
 * IPO events from overlapping reports: one filing told at two precisions is one event on its day; a
 * plan reported on two days is one plan; a bare year joins the event it fits; a pause and the plan
 * after it stay two events.
 */
import { describe, expect, it } from 'vitest';
import { ipoEvents, type IpoReport } from '../../../src/shared/facts/ipo-events.ts';
import { overlapping, periodKey, periodSpan, within } from '../../../src/shared/facts/periods.ts';

const r = (id: string, status: string, asOf: string | null, value: number | null = null, reportedAt = '2025-06-01'): IpoReport => ({ id, status, asOf, value, unit: value == null ? null : 'GBP', reportedAt });

describe('ipoEvents', () => {
  it('tells a listing saga as one row per event', () => {
    const events = ipoEvents([
      r('p1', 'planned', '2024-10-02', null, '2024-10-02'),
      r('p2', 'planned', '2024-10-03', null, '2024-10-03'),
      r('f1', 'filed', '2025-02'),
      r('f2', 'filed', '2025-02-18'),
      r('t1', 'planned', '2025-03', 2e9),
      r('t2', 'planned', '2025', 2e9),
      r('s1', 'paused', '2025-03'),
      r('v1', 'planned', '2025-06-20'),
      r('f3', 'filed', '2025-09-09', 1.8e9),
    ]);
    expect(events.map((e) => [e.status, e.asOf, e.value, e.reports.map((x) => x.id)])).toEqual([
      ['planned', '2024-10-02', null, ['p1', 'p2']],
      ['filed', '2025-02-18', null, ['f1', 'f2']],
      ['planned', '2025-03', 2e9, ['t1', 't2']],
      ['paused', '2025-03', null, ['s1']],
      ['planned', '2025-06-20', null, ['v1']],
      ['filed', '2025-09-09', 1.8e9, ['f3']],
    ]);
  });

  it('keeps two filings with different values apart', () => {
    expect(ipoEvents([r('a', 'filed', '2025-02', 2e9), r('b', 'filed', '2025-02', 3e9)])).toHaveLength(2);
  });
});

describe('periods', () => {
  it('spans, nests and orders periods', () => {
    expect(periodSpan('2025-Q1')).toEqual(['2025-01-01', '2025-03-31']);
    expect(periodSpan('2024-02')).toEqual(['2024-02-01', '2024-02-29']);
    expect(within('2025-03-14', '2025-Q1')).toBe(true);
    expect(within('2025-Q1', '2025-03')).toBe(false);
    expect(overlapping('2021', '2021-06')).toBe(true);
    expect(overlapping('2025-Q1', '2025-04')).toBe(false);
    expect(['2025', '2025-Q4', '2025-03'].sort((a, b) => periodKey(a).localeCompare(periodKey(b)))).toEqual(['2025-03', '2025-Q4', '2025']);
  });
});

describe('ipoEvents, order within a period', () => {
  it('a plan and a pause told in one month, then a revival: the revival is its own event', () => {
    // The pause is listed (and was stored) first; within April the plan still comes before it.
    const events = ipoEvents([r('s', 'paused', '2025-04', null, '2025-05-01'), r('t', 'planned', '2025-04', 2e9, '2025-05-02'), r('v', 'planned', '2025-05-20', null, '2025-05-20')]);
    expect(events.map((e) => [e.status, e.asOf])).toEqual([['planned', '2025-04'], ['paused', '2025-04'], ['planned', '2025-05-20']]);
  });
});
