/**
 * The company list's orders and filter (shared by the build and the browser script), and the
 * sources page's UTC times. The browser tests check the built pages against the export; these pin the
 * rules at their edges: empty values last in both directions, currencies grouped, ties by name.
 */
import { describe, expect, it } from 'vitest';
import { compareRows, nameMatches, nextView, sortPath, SORTED_VIEWS, sortRows, viewOfPath, type SortFields } from '../../../src/lib/site/companies-sort.ts';
import { siteTime } from '../../../src/lib/site/sources.ts';

const row = (name: string, over: Partial<SortFields> = {}): SortFields => ({
  name,
  slug: name.toLowerCase().replace(/ /g, '-'),
  facts: 1,
  currency: null,
  valuation: null,
  reported: null,
  ...over,
});

const rows = [
  row('Numéra', { facts: 6, currency: 'EUR', valuation: 1.9e9, reported: '2025-03-04' }),
  row('klarna', { facts: 61, currency: 'USD', valuation: 6.7e9, reported: '2025-09-02' }),
  row('Coinbase', { facts: 1, reported: '2022-11-16' }),
  row('Brixham Pay', { facts: 6, currency: 'GBP', valuation: 8.5e7 }),
  row('Solvik', { facts: 13, currency: 'SEK', valuation: 9e9, reported: '2025-03-18' }),
  row('Tillpoint', { facts: 11, currency: 'USD', valuation: 1.1e9, reported: '2025-06-10' }),
];
const names = (key: 'name' | 'facts' | 'valuation' | 'reported', dir: 'asc' | 'desc') => sortRows(rows, { key, dir }).map((r) => r.name);

describe('company list orders', () => {
  it('sorts names without regard to case or accents', () => {
    expect(names('name', 'asc')).toEqual(['Brixham Pay', 'Coinbase', 'klarna', 'Numéra', 'Solvik', 'Tillpoint']);
    expect(names('name', 'desc')).toEqual(['Tillpoint', 'Solvik', 'Numéra', 'klarna', 'Coinbase', 'Brixham Pay']);
  });
  it('sorts by facts, ties by name in both directions', () => {
    expect(names('facts', 'desc')).toEqual(['klarna', 'Solvik', 'Tillpoint', 'Brixham Pay', 'Numéra', 'Coinbase']);
    expect(names('facts', 'asc')).toEqual(['Coinbase', 'Brixham Pay', 'Numéra', 'Tillpoint', 'Solvik', 'klarna']);
  });
  it('groups valuations by currency (SEK 9bn is not above $6.7bn) and puts companies without one last either way', () => {
    expect(names('valuation', 'desc')).toEqual(['klarna', 'Tillpoint', 'Numéra', 'Brixham Pay', 'Solvik', 'Coinbase']);
    expect(names('valuation', 'asc')).toEqual(['Tillpoint', 'klarna', 'Numéra', 'Brixham Pay', 'Solvik', 'Coinbase']);
  });
  it('puts undated companies last by last reported, either way', () => {
    expect(names('reported', 'desc')).toEqual(['klarna', 'Tillpoint', 'Solvik', 'Numéra', 'Coinbase', 'Brixham Pay']);
    expect(names('reported', 'asc')).toEqual(['Coinbase', 'Numéra', 'Solvik', 'Tillpoint', 'klarna', 'Brixham Pay']);
  });
  it('is a total order: equal rows compare 0 only with themselves', () => {
    const a = row('Same', { slug: 'same-a' });
    const b = row('Same', { slug: 'same-b' });
    expect(compareRows(a, b, { key: 'facts', dir: 'desc' })).toBeLessThan(0);
    expect(compareRows(b, a, { key: 'facts', dir: 'desc' })).toBeGreaterThan(0);
  });
});

describe('pre-sorted pages and headings', () => {
  it('has one page per order, and each path reads back as its order', () => {
    expect(SORTED_VIEWS).toHaveLength(7);
    expect(sortPath({ key: 'name', dir: 'asc' })).toBe('/companies/');
    for (const v of SORTED_VIEWS) expect(viewOfPath(sortPath(v))).toEqual(v);
    expect(viewOfPath('/companies/sorted/facts-desc/index.html')).toEqual({ key: 'facts', dir: 'desc' });
    expect(viewOfPath('/companies/sorted/bogus/')).toBeNull();
    expect(viewOfPath('/companies/klarna/')).toBeNull();
  });
  it('a heading flips the current order and starts the others at their natural direction', () => {
    expect(nextView({ key: 'name', dir: 'asc' }, 'name')).toEqual({ key: 'name', dir: 'desc' });
    expect(nextView({ key: 'name', dir: 'asc' }, 'valuation')).toEqual({ key: 'valuation', dir: 'desc' });
    expect(nextView({ key: 'facts', dir: 'desc' }, 'facts')).toEqual({ key: 'facts', dir: 'asc' });
  });
});

describe('name filter', () => {
  it('ignores case, accents and surrounding space; an empty filter keeps everything', () => {
    expect(nameMatches('Numéra', 'numera')).toBe(true);
    expect(nameMatches('Numéra', ' NUMÉ ')).toBe(true);
    expect(nameMatches('Klarna', 'kl')).toBe(true);
    expect(nameMatches('Klarna', 'numera')).toBe(false);
    expect(nameMatches('Klarna', '   ')).toBe(true);
  });
});

describe('siteTime', () => {
  it('shows a stored ISO time in UTC to the minute, with the ISO time for <time datetime>', () => {
    expect(siteTime('2026-12-02T10:19:40.114Z')).toEqual({ iso: '2026-12-02T10:19:40.114Z', text: '2026-12-02 10:19 UTC' });
    expect(siteTime('2026-12-02T23:30:00+02:00')).toEqual({ iso: '2026-12-02T21:30:00.000Z', text: '2026-12-02 21:30 UTC' });
    expect(siteTime(null)).toBeNull();
    expect(siteTime('not a time')).toBeNull();
  });
});
