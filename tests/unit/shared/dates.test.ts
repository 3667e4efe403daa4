import { describe, expect, it } from 'vitest';
import { parseDate, parseLooseDate } from '../../../src/shared/dates.ts';

const NOW = new Date('2026-01-10T12:00:00Z');

describe('parseDate', () => {
  it.each([
    ['Tue, 27 Feb 2024 15:20:00 GMT', '2024-02-27T15:20:00.000Z'],
    ['Tue, 27 Feb 2024 10:20:00 -0500', '2024-02-27T15:20:00.000Z'],
    ['2025-05-14T09:30:00+02:00', '2025-05-14T07:30:00.000Z'],
    ['2025-05-14', '2025-05-14T00:00:00.000Z'],
    ['5 Mar 2025 09:00 EST', '2025-03-05T14:00:00.000Z'],
    ['Thu, 29 Feb 2024 10:00:00 GMT', '2024-02-29T10:00:00.000Z'],
  ])('%s', (input, iso) => expect(parseDate(input, NOW)).toBe(iso));

  it.each(['', 'yesterday', '2 days ago', '32 Foo 2025', '2024-02-30', 'Thu, 31 Feb 2025 10:00:00 GMT', '31 April 2025', 'Fri, 29 Feb 23 00:00 GMT', 'Version 2', '0001-01-01T00:00:00Z', '2099-01-01', null, {}])(
    'rejects %j',
    (input) => expect(parseDate(input, NOW)).toBeNull(),
  );

  it('reads epoch seconds and milliseconds', () => {
    expect(parseDate(1_700_000_000, NOW)).toBe('2023-11-14T22:13:20.000Z');
    expect(parseDate(1_700_000_000_000, NOW)).toBe('2023-11-14T22:13:20.000Z');
  });
});

describe('parseLooseDate', () => {
  it('finds the date in a byline', () => {
    expect(parseLooseDate('By Anna Berg | May 14, 2025', NOW)?.slice(0, 10)).toBe('2025-05-14');
    expect(parseLooseDate('Published 3 March 2024, 10:02 am', NOW)?.slice(0, 10)).toBe('2024-03-03');
  });
  it('ignores relative and yearless dates', () => {
    expect(parseLooseDate('Updated yesterday at 5pm', NOW)).toBeNull();
    expect(parseLooseDate('May 14', NOW)).toBeNull();
  });
});
