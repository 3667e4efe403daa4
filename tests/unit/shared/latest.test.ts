/**
 * "Latest" by period, not by article: where the period ends decides, forecasts never count, annual
 * and shorter series of a flow stay apart, and all users beat a sub-count of the same period.
 */
import { describe, expect, it } from 'vitest';
import { latestActuals, latestOfKind } from '../../../src/shared/facts/latest.ts';

const f = (kind: string, value: number, asOf: string | null, label: string | null = null) => ({ kind, value, asOf, label });

describe('latestActuals', () => {
  it('a lifetime total and a credit facility are measures apart from the latest round; a hiring plan is no change', () => {
    const rows = [
      f('funding', 45e6, '2023-04', 'Series B'),
      f('funding', 90e6, '2025-02', 'Series C'),
      f('funding', 160e6, '2025-02', 'total raised'), // same month, larger: never "the latest funding"
      f('funding', 300e6, '2025-05', 'credit facility'), // later, but borrowed
      f('workforce_change', 400, '2027', 'hiring planned'),
    ];
    const latest = latestActuals(rows);
    expect(latestOfKind(latest, 'funding')).toMatchObject({ value: 90e6, label: 'Series C' });
    expect(latest.get('funding:total')?.value).toBe(160e6);
    expect(latest.get('funding:debt')?.value).toBe(300e6);
    expect(latest.has('workforce_change')).toBe(false);
  });

  it('one figure told at a year and at a month inside it is one moment, shown at the month; a new figure later in the year still wins', () => {
    const same = latestActuals([f('headcount', 5500, '2023-03'), f('headcount', 5500, '2023'), f('valuation', 6.7e9, '2022'), f('valuation', 6.7e9, '2022-07')]);
    expect(same.get('headcount')?.asOf).toBe('2023-03');
    expect(same.get('valuation')?.asOf).toBe('2022-07');
    const moved = latestActuals([f('headcount', 5500, '2023-03'), f('headcount', 3800, '2023')]);
    expect(moved.get('headcount')?.value).toBe(3800);
    // A planned IPO raise is not an actual.
    expect(latestActuals([f('funding', 500e6, '2025-02', 'IPO proceeds planned')]).size).toBe(0);
  });

  it('picks the actual about the most recent period, keeping a flow’s full years apart', () => {
    const rows = [
      f('valuation', 6.7e9, '2022-07'), // reported last, but about 2022…
      f('valuation', 45.6e9, '2021'),
      f('valuation', 8e9, '2023'), // …this one is the most recent period
      f('revenue', 2.81e9, '2024'),
      f('revenue', 701e6, '2025-Q1'),
      f('revenue', 823e6, '2025-Q2'),
      f('revenue', 3.5e9, '2025', 'forecast'),
    ];
    const latest = latestActuals(rows);
    expect(latest.get('valuation')?.value).toBe(8e9);
    expect(latest.get('revenue')?.value).toBe(823e6);
    expect(latest.get('revenue:year')?.value).toBe(2.81e9);
    // One figure for a brief: the quarter, since 2024 ended before it.
    expect(latestOfKind(latest, 'revenue')?.value).toBe(823e6);
  });

  it('a full year that ends later than the latest quarter is the latest', () => {
    const latest = latestActuals([f('net_income', -20e6, '2024-Q3'), f('net_income', -60e6, '2024')]);
    expect(latestOfKind(latest, 'net_income')?.value).toBe(-60e6);
  });

  it('within one period, the precise date and the company-wide count win', () => {
    const latest = latestActuals([f('users', 340_000, '2025-03', 'merchants'), f('users', 21.4e6, '2025-03'), f('headcount', 3000, '2025-Q1'), f('headcount', 3100, '2025-03')]);
    expect(latest.get('users')?.value).toBe(21.4e6);
    expect(latest.get('headcount')?.value).toBe(3100);
  });
});
