/**
 * src/shared/facts/periods.ts periodSpan: the days each kind of period covers, and the same answer
 * however often it is asked — it is remembered per string and shared by every caller (the timeline
 * sorts 50k records by it), so no caller may be able to change what the next one gets.
 */
import { describe, expect, it } from 'vitest';
import { periodSpan } from '../../../src/shared/facts/periods.ts';

describe('periodSpan', () => {
  it('gives the first and last day of a year, half, quarter, month and day', () => {
    expect(periodSpan('2024')).toEqual(['2024-01-01', '2024-12-31']);
    expect(periodSpan('2024-H2')).toEqual(['2024-07-01', '2024-12-31']);
    expect(periodSpan('2025-Q1')).toEqual(['2025-01-01', '2025-03-31']);
    expect(periodSpan('2024-02')).toEqual(['2024-02-01', '2024-02-29']); // a leap year's February
    expect(periodSpan('2025-03-14')).toEqual(['2025-03-14', '2025-03-14']);
    expect(periodSpan('soon')).toBeNull();
    expect(periodSpan(null)).toBeNull();
  });

  it('answers a repeated question the same, and a caller cannot change the shared answer', () => {
    const first = periodSpan('2023-Q4')!;
    expect(() => {
      (first as unknown as string[])[1] = '2099-12-31';
    }).toThrow(TypeError);
    expect(() => (first as unknown as string[]).push('x')).toThrow(TypeError);
    expect(periodSpan('2023-Q4')).toEqual(['2023-10-01', '2023-12-31']);
    // Many distinct periods, remembered side by side, each get their own answer.
    for (let d = 0; d < 1_500; d++) {
      const day = new Date(Date.UTC(2020, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      expect(periodSpan(`${day}T00:00:00Z`)).toEqual([day, day]);
    }
  });
});
