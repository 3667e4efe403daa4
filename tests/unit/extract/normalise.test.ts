import { describe, expect, it } from 'vitest';
import { numbersIn, valueAppearsIn } from '../../../src/extract/normalise/numbers.ts';
import { parseMoney, currencyCode } from '../../../src/extract/normalise/money.ts';
import { parseCount } from '../../../src/extract/normalise/counts.ts';
import { parsePercent } from '../../../src/extract/normalise/percent.ts';
import { parseWordNumber, parseWordFraction } from '../../../src/extract/normalise/words.ts';
import { readPeriods, shift } from '../../../src/extract/reading/periods.ts';

describe('money', () => {
  it.each([
    ['$45.6 billion', 45_600_000_000, 'USD'],
    ['45.6bn dollars', 45_600_000_000, 'USD'],
    ['€1bn', 1_000_000_000, 'EUR'],
    ['SEK 2.3 billion', 2_300_000_000, 'SEK'],
    ['2.3 billion Swedish kronor', 2_300_000_000, 'SEK'],
    ['£85m', 85_000_000, 'GBP'],
    ['US$1.27 billion', 1_270_000_000, 'USD'],
    ['$1.27 billion', 1_270_000_000, 'USD'],
    ['EUR 310,000', 310_000, 'EUR'],
    ['R$ 41 billion', 41_000_000_000, 'BRL'],
    ['$120M', 120_000_000, 'USD'],
  ])('%s', (raw, value, unit) => {
    expect(parseMoney(raw)).toEqual({ value, unit });
  });
  it('returns null without a currency', () => {
    expect(parseMoney('700 employees')).toBeNull();
  });
  it('maps codes and symbols', () => {
    expect(currencyCode('£')).toBe('GBP');
    expect(currencyCode('kronor')).toBe('SEK');
    expect(currencyCode('US$')).toBe('USD');
  });
});

describe('counts', () => {
  it('plain and approximate counts', () => {
    expect(parseCount('700 employees')).toMatchObject({ value: 700, valueHigh: null, approximate: false });
    expect(parseCount('around 3,000')).toMatchObject({ value: 3000, approximate: true });
    expect(parseCount('more than 5,000')).toMatchObject({ value: 5000, approximate: true });
  });
  it('ranges keep both ends, but from-to is not a range', () => {
    expect(parseCount('2,000 to 2,500 jobs')).toMatchObject({ value: 2000, valueHigh: 2500 });
    expect(parseCount('between 2,000 and 2,500')).toMatchObject({ value: 2000, valueHigh: 2500 });
    expect(parseCount('from 5,000 to 3,000')).toMatchObject({ value: 5000, valueHigh: null });
    expect(parseCount('2 to 3 million users')).toMatchObject({ value: 2_000_000, valueHigh: 3_000_000 });
  });
  it('fractions become percents', () => {
    expect(parseCount('a fifth of its staff')).toMatchObject({ value: 20, unit: 'percent' });
  });
});

describe('percent and words', () => {
  it('percent forms', () => {
    expect(parsePercent('17%')).toBe(17);
    expect(parsePercent('17 per cent')).toBe(17);
    expect(parsePercent('4.5 percent')).toBe(4.5);
    expect(parsePercent('two-thirds')).toBe(66.7);
    expect(parsePercent('700')).toBeNull();
  });
  it('number words', () => {
    expect(parseWordNumber('forty-five')).toBe(45);
    expect(parseWordNumber('seven hundred')).toBe(700);
    expect(parseWordNumber('two thousand five hundred')).toBe(2500);
    expect(parseWordNumber('a dozen')).toBe(12);
    expect(parseWordNumber('banana')).toBeNull();
    expect(parseWordFraction('two-thirds')).toBe(66.7);
    expect(parseWordFraction('a quarter')).toBe(25);
    expect(parseWordFraction('half')).toBe(50);
  });
});

describe('numbersIn', () => {
  it('lists every mention with offsets and units', () => {
    const t = 'Losses rose 17% to $136 million in Q1 2025, and it has two-thirds of 700 staff.';
    const ms = numbersIn(t);
    expect(ms.map((m) => [m.value, m.unit])).toEqual([
      [17, 'percent'],
      [136_000_000, 'USD'],
      [2025, null],
      [66.7, 'percent'],
      [700, null],
    ]);
    for (const m of ms) expect(t.slice(m.start, m.end)).toBe(m.raw);
  });
  it('does not read "the first half" as 50%', () => {
    expect(numbersIn('in the first half of the year')).toEqual([]);
  });
  it('does not read Q1 or F-1 letters as big numbers', () => {
    expect(numbersIn('Q1').length).toBe(0);
  });
  it('valueAppearsIn allows stated scale', () => {
    expect(valueAppearsIn(45_600_000_000, 'valued at $45.6bn')).toBe(true);
    expect(valueAppearsIn(-99_000_000, 'a net loss of $99 million')).toBe(true);
    expect(valueAppearsIn(45, 'forty-five people')).toBe(true);
    expect(valueAppearsIn(46, 'forty-five people')).toBe(false);
  });
});

describe('periods', () => {
  const d = '2025-05-14T10:00:00Z'; // a Wednesday
  it.each([
    ['valued at $45.6bn in 2021', '2021'],
    ['revenue rose last year', '2024'],
    ['losses in Q1', '2025-Q1'],
    ['in the first quarter of 2024', '2024-Q1'],
    ['in the fourth quarter', '2024-Q4'],
    ['sales in March rose', '2025-03'],
    ['sales in September rose', '2024-09'],
    ['it said on Monday', '2025-05'],
    ['for the three months to March 31', '2025-Q1'],
    ['in its financial year to June', '2024-06'],
    ['at the end of 2024', '2024-12'],
    ['a net loss for the six months to June', '2024-H1'],
    ['a net loss for the six months to December 2024', '2024-H2'],
    ['in the second quarter, compared with $38m in the second quarter of 2024', '2025-Q2'],
    ['said last week', '2025-05'],
    ['as of December 31, 2024', '2024-12-31'],
    ['in the first half', '2025-H1'],
    ['You may see this', null],
    ['no time here', null],
    ['to $99 million from $47 million a year earlier', null],
  ])('%s → %s', (s, want) => {
    // The first phrase that is not a comparison's, resolved with no governing period to lean on.
    const p = readPeriods(s, null, d);
    const first = p.mentions.find((m) => !m.baseline) ?? p.mentions[0];
    expect(first ? p.resolve(first, null) : null).toBe(want);
  });
  it('needs an article date for relative periods', () => {
    expect(readPeriods('last year', null, null).mentions).toEqual([]);
  });
  it('shifts periods', () => {
    expect(shift('2025-Q1', -1)).toBe('2024-Q1');
    expect(shift('2025', -2)).toBe('2023');
    expect(shift('nonsense', -1)).toBeNull();
  });
});
