import { describe, expect, it } from 'vitest';
import { parsePeriod, periodMatches } from '../../../src/extract/eval/period.ts';

describe('parsePeriod', () => {
  it('reads every contract form', () => {
    expect(parsePeriod('2024')).toEqual({ granularity: 'year', year: 2024, firstMonth: 1, lastMonth: 12 });
    expect(parsePeriod('2024-H2')).toEqual({ granularity: 'half', year: 2024, firstMonth: 7, lastMonth: 12 });
    expect(parsePeriod('2024-Q3')).toEqual({ granularity: 'quarter', year: 2024, firstMonth: 7, lastMonth: 9 });
    expect(parsePeriod('2024-09')).toEqual({ granularity: 'month', year: 2024, firstMonth: 9, lastMonth: 9 });
    expect(parsePeriod('2024-09-30')).toEqual({ granularity: 'day', year: 2024, firstMonth: 9, lastMonth: 9 });
    expect(parsePeriod('2024-13')).toBeNull();
    expect(parsePeriod('Q3 2024')).toBeNull();
  });
});

describe('periodMatches (gold, predicted)', () => {
  it('needs the same year', () => {
    expect(periodMatches('2024', '2024')).toBe(true);
    expect(periodMatches('2024', '2023')).toBe(false);
    expect(periodMatches('2024-Q3', '2023-Q3')).toBe(false);
    expect(periodMatches('2024-09', '2023-09')).toBe(false);
  });

  it('needs the quarter where the gold has one: the same quarter, or a month or day inside it', () => {
    expect(periodMatches('2024-Q3', '2024-Q3')).toBe(true);
    expect(periodMatches('2024-Q3', '2024-09')).toBe(true);
    expect(periodMatches('2024-Q3', '2024-07-01')).toBe(true);
    expect(periodMatches('2024-Q3', '2024-Q4')).toBe(false);
    expect(periodMatches('2024-Q3', '2024-10-30')).toBe(false); // the publication day after the quarter
    expect(periodMatches('2024-Q3', '2024')).toBe(false); // a year does not say which quarter
    expect(periodMatches('2024-Q3', '2024-H2')).toBe(false);
  });

  it('needs the month where the gold has one (a gold day is compared at its month)', () => {
    expect(periodMatches('2025-03', '2025-03')).toBe(true);
    expect(periodMatches('2025-03', '2025-03-18')).toBe(true);
    expect(periodMatches('2025-03-14', '2025-03-18')).toBe(true);
    expect(periodMatches('2025-03-14', '2025-03')).toBe(true);
    expect(periodMatches('2025-03-14', '2025-04-01')).toBe(false);
    expect(periodMatches('2025-03', '2025-Q1')).toBe(false);
    expect(periodMatches('2025-03', '2025')).toBe(false);
  });

  it('takes a month or day inside a gold year or half, but never a different reporting period', () => {
    expect(periodMatches('2024', '2024-12')).toBe(true);
    expect(periodMatches('2024', '2024-05-02')).toBe(true);
    expect(periodMatches('2024-H1', '2024-06')).toBe(true);
    expect(periodMatches('2024-H1', '2024-07')).toBe(false);
    expect(periodMatches('2024', '2024-Q4')).toBe(false); // full-year figure labelled as the quarter
    expect(periodMatches('2024', '2024-H2')).toBe(false);
    expect(periodMatches('2024-H1', '2024-Q2')).toBe(false);
    expect(periodMatches('2024-H1', '2024-H1')).toBe(true);
  });

  it('matches an unknowable (null) gold period only with no period, and wants a period where gold has one', () => {
    expect(periodMatches(null, null)).toBe(true);
    expect(periodMatches(null, '2025-05-14')).toBe(false);
    expect(periodMatches('2024', null)).toBe(false);
    expect(periodMatches(undefined, null)).toBe(true);
  });

  it('rejects a malformed prediction', () => {
    expect(periodMatches('2024', 'FY2024')).toBe(false);
  });
});
