import { describe, expect, it } from 'vitest';
import { formatAsOf, formatValue } from '../../../src/lib/site/format.ts';
import { ipoHistory } from '../../../src/lib/site/ipo.ts';
import type { FactRow } from '../../../src/lib/site/queries.ts';

describe('site format', () => {
  it('formats money, people, percent and ranges', () => {
    expect(formatValue(45_600_000_000, 'USD')).toBe('$45.6 billion');
    expect(formatValue(700, 'people')).toBe('700 people');
    expect(formatValue(17, 'percent')).toBe('17%');
    expect(formatValue(2000, 'people', 2500)).toBe('2,000 people – 2,500 people');
    expect(formatValue(-1_200_000, 'SEK')).toBe('−SEK 1.2 million');
    expect(formatValue(-53_000_000, 'USD')).toBe('−$53 million');
    expect(formatValue(21_400_000, 'users')).toBe('21.4 million users');
    expect(formatValue(null, 'USD')).toBe('—');
    expect(formatAsOf(null)).toBe('date unknown');
  });
});

describe('IPO history', () => {
  const ev = (id: string, asOf: string | null, status: string | null) =>
    ({ id, kind: 'ipo', asOf, status, value: null, valueHigh: null, unit: null, createdAt: '2025-01-01T00:00:00Z' }) as unknown as FactRow;
  it('is one row per event, in time order, with every report of it', () => {
    const h = ipoHistory([ev('a', '2025-04', 'paused'), ev('b', '2021', 'planned'), ev('c', '2025-04-02', 'paused'), ev('d', '2025-05', 'planned'), ev('e', null, 'listed')]);
    expect(h.map((p) => [p.period, p.statuses.map((s) => [s.status, s.facts.map((f) => f.id)])])).toEqual([
      ['2021', [['planned', ['b']]]],
      ['2025-04-02', [['paused', ['a', 'c']]]],
      ['2025-05', [['planned', ['d']]]],
      [null, [['listed', ['e']]]],
    ]);
    expect(ipoHistory([])).toEqual([]);
  });
});
