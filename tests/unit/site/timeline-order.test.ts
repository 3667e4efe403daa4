/** The timeline's order and how an entry's period, badge and sources read. */
import { describe, expect, it } from 'vitest';
import { byDateDesc, isAheadOfReport, timelineDate, type TimelineRecord } from '../../../src/lib/site/search-shards.ts';
import { badgeOf, periodLabel, sourcesLabel, whenLabel } from '../../../src/lib/site/timeline-format.ts';

const rec = (i: string, o: string | null, w: string | null): TimelineRecord => ({
  i, c: 'acme', k: 'revenue', o, d: timelineDate(o, w, '2000-01-01'), v: null, t: '', q: null, p: null, a: 1, h: null, u: null, w,
});

describe('timeline date and order', () => {
  it('dates a fact by its period end, never later than its report', () => {
    expect(timelineDate('2024', '2025-02-10', 'x')).toBe('2024-12-31');
    expect(timelineDate('2026', '2025-06-10', 'x')).toBe('2025-06-10'); // a plan: when it was reported
    expect(timelineDate('2025-Q1', null, 'x')).toBe('2025-03-31');
    expect(timelineDate(null, '2025-05-01', 'x')).toBe('2025-05-01');
    expect(timelineDate(null, null, '2025-01-02')).toBe('2025-01-02');
  });

  it('puts the newest reported period first, a full year with its months and a plan where it was reported', () => {
    const list = [
      rec('plan2026', '2026', '2025-06-10'),
      rec('y2024', '2024', '2025-02-10'),
      rec('m2024-03', '2024-03', '2024-04-15'),
      rec('m2024-12', '2024-12', '2025-01-20'),
      rec('q2025-1', '2025-Q1', '2025-05-01'),
      rec('quote', null, '2025-06-10'),
      rec('m2025-06', '2025-06', '2025-07-01'),
    ].sort(byDateDesc);
    expect(list.map((r) => r.i)).toEqual(['m2025-06', 'quote', 'plan2026', 'q2025-1', 'y2024', 'm2024-12', 'm2024-03']);
    // the order is by date, never increasing
    for (let n = 1; n < list.length; n++) expect(list[n - 1]!.d >= list[n]!.d).toBe(true);
    expect(isAheadOfReport(list[2]!)).toBe(true);
    expect(list.filter(isAheadOfReport).map((r) => r.i)).toEqual(['plan2026']);
    // a month reported while it runs is news of that month, not a forecast; a year is
    expect(isAheadOfReport(rec('m', '2025-03', '2025-03-18'))).toBe(false);
    expect(isAheadOfReport(rec('y', '2025', '2025-05-14'))).toBe(true);
  });
});

describe('entry labels', () => {
  it('says the span of each period', () => {
    expect(periodLabel('2024')).toBe('2024 (full year)');
    expect(periodLabel('2025-Q1')).toBe('Q1 2025');
    expect(periodLabel('2025-H2')).toBe('H2 2025');
    expect(periodLabel('2025-03')).toBe('Mar 2025');
    expect(periodLabel('2025-03-04')).toBe('4 Mar 2025');
    expect(whenLabel({ o: null, w: '2025-05-21', k: 'quote' })).toBe('published 21 May 2025');
  });
  it('says "full year" only of money earned over the year, not of a moment in it', () => {
    expect(whenLabel({ o: '2024', w: '2025-02-01', k: 'revenue' })).toBe('2024 (full year)');
    expect(whenLabel({ o: '2022', w: '2023-02-01', k: 'valuation' })).toBe('2022');
    expect(whenLabel({ o: '2022', w: '2023-02-01', k: 'headcount' })).toBe('2022');
  });
  it('badges the stored corroboration and counts sources, independent ones apart', () => {
    expect(badgeOf({}).text).toBe('single source');
    expect(badgeOf({ b: 'c' }).value).toBe('corroborated');
    expect(badgeOf({ b: 'd' }).value).toBe('disputed');
    expect(sourcesLabel({ a: 1 })).toBe('1 source');
    expect(sourcesLabel({ a: 1, n: 2, x: 1 })).toBe('3 sources, 2 independent');
    expect(sourcesLabel({ a: 1, n: 1, x: 0, y: 1 })).toBe('2 sources, 0 independent');
    expect(sourcesLabel({ a: null })).toBeNull();
  });
});
