/** Which figures a fact-sheet chart plots and which line each joins (src/lib/site/chart-series.ts). */
import { describe, expect, it } from 'vitest';
import { chartSeries, linePoints, type ChartFact } from '../../../src/lib/site/chart-series.ts';
import { timeAxis, valueAxis } from '../../../src/lib/site/chart-axis.ts';

let n = 0;
const f = (kind: string, asOf: string | null, value: number | null, over: Partial<ChartFact> = {}): ChartFact => ({
  id: `f${++n}`,
  kind,
  asOf,
  value,
  unit: 'USD',
  label: null,
  corroboration: 'single-source',
  ...over,
});
const lines = (rows: ChartFact[], kind: string) => chartSeries(rows, kind)?.series.map((s) => [s.name, s.points.map((p) => `${p.fact.asOf}=${p.fact.value}`)]);

describe('chart series', () => {
  it('gives money earned over a period one line per period length, days counting as months', () => {
    const rows = [
      f('revenue', '2023', 2.1e9),
      f('revenue', '2024', 2.8e9),
      f('revenue', '2024-Q4', 0.7e9),
      f('revenue', '2025-Q1', 0.72e9),
      f('revenue', '2024-H2', 1.4e9),
      f('revenue', '2025-03', 0.25e9),
      f('revenue', '2025-04-30', 0.26e9),
      f('net_income', '2024', 1e6), // another kind: not on the revenue chart
    ];
    expect(lines(rows, 'revenue')).toEqual([
      ['annual', ['2023=2100000000', '2024=2800000000']],
      ['half-year', ['2024-H2=1400000000']],
      ['quarterly', ['2024-Q4=700000000', '2025-Q1=720000000']],
      ['monthly', ['2025-03=250000000', '2025-04-30=260000000']],
    ]);
    expect(chartSeries(rows, 'revenue')!.series.map((s) => s.key)).toEqual(['annual', 'half-year', 'quarterly', 'monthly']);
  });

  it('keeps forecasts, targets and guidance off the actual lines, on lines of their own', () => {
    const rows = [
      f('revenue', '2024', 2.8e9),
      f('revenue', '2025', 3.2e9, { label: 'forecast' }),
      f('revenue', '2026', 3.9e9, { label: 'revenue target' }),
      f('revenue', '2025-Q2', 0.8e9, { label: 'guidance' }),
      f('valuation', '2025-06', 15e9, { label: 'IPO target' }),
      f('valuation', '2024-02', 14e9),
    ];
    expect(lines(rows, 'revenue')).toEqual([
      ['annual', ['2024=2800000000']],
      ['annual forecast', ['2025=3200000000', '2026=3900000000']],
      ['quarterly forecast', ['2025-Q2=800000000']],
    ]);
    const rev = chartSeries(rows, 'revenue')!;
    expect(rev.series.map((s) => [s.key, s.forecast])).toEqual([['annual', false], ['annual-forecast', true], ['quarterly-forecast', true]]);
    expect(lines(rows, 'valuation')).toEqual([['reported', ['2024-02=14000000000']], ['forecast', ['2025-06=15000000000']]]);
  });

  it('draws a level (valuation, headcount) as one line whatever its periods, as "latest" does', () => {
    const rows = [f('headcount', '2022', 5500, { unit: 'people' }), f('headcount', '2024-Q3', 3800, { unit: 'people' }), f('headcount', '2025-05-09', 3000, { unit: 'people' })];
    expect(lines(rows, 'headcount')).toEqual([['reported', ['2022=5500', '2024-Q3=3800', '2025-05-09=3000']]]);
  });

  it('plots one claim once: the same value at nested periods folds into the more precise one', () => {
    const rows = [
      f('valuation', '2021', 45.6e9, { id: 'year' }),
      f('valuation', '2021-06', 45.6e9, { id: 'june' }),
      f('valuation', '2021-06-10', 45.7e9, { id: 'day' }), // within 0.5 %: the same claim, dated to the day
      f('valuation', '2022-07', 6.7e9, { id: 'jul22' }),
      f('valuation', '2023', 6.7e9, { id: 'y23' }), // same value, periods do not nest: two points
    ];
    const s = chartSeries(rows, 'valuation')!.series[0]!;
    expect(s.points.map((p) => [p.fact.id, p.also.map((x) => x.id).sort()])).toEqual([['day', ['june', 'year']], ['jul22', []], ['y23', []]]);
    // An annual and a quarterly figure never fold into each other, even with the same value.
    const flow = chartSeries([f('revenue', '2024', 1e9), f('revenue', '2024-Q4', 1e9)], 'revenue')!;
    expect(flow.series.map((x) => x.points.length)).toEqual([1, 1]);
  });

  it('puts one unit on a chart: the most reported, ties to the first seen', () => {
    const rows = [f('valuation', '2023', 1e9, { unit: 'EUR' }), f('valuation', '2024', 2e9), f('valuation', '2025', 3e9)];
    const c = chartSeries(rows, 'valuation')!;
    expect(c.unit).toBe('USD');
    expect(c.series[0]!.points.map((p) => p.fact.value)).toEqual([2e9, 3e9]);
    expect(chartSeries([f('valuation', '2023', 1e9, { unit: 'EUR' }), f('valuation', '2024', 2e9)], 'valuation')!.unit).toBe('EUR');
  });

  it('skips what cannot be placed: no value, no period, an unknown period', () => {
    expect(chartSeries([f('revenue', null, 1e9), f('revenue', '2024', null), f('revenue', 'soon', 1e9)], 'revenue')).toBeNull();
    expect(chartSeries([], 'revenue')).toBeNull();
  });

  it('places points at the middle of their period, in time order, and leaves disputed ones off the line', () => {
    const rows = [f('valuation', '2025', 15e9), f('valuation', '2021', 45.6e9), f('valuation', '2022', 6.7e9, { corroboration: 'disputed' }), f('valuation', '2024-02', 14e9)];
    const s = chartSeries(rows, 'valuation')!.series[0]!;
    expect(s.points.map((p) => new Date(p.t).toISOString().slice(0, 10))).toEqual(['2021-07-02', '2022-07-02', '2024-02-15', '2025-07-02']);
    expect(s.points.map((p) => p.disputed)).toEqual([false, true, false, false]);
    expect(linePoints(s).map((p) => p.fact.asOf)).toEqual(['2021', '2024-02', '2025']);
  });
});

describe('chart axes', () => {
  it('names the unit and scale once and keeps ticks short and round, zero in view', () => {
    const usd = valueAxis([45.6e9, 6.7e9], 'USD');
    expect(usd.label).toBe('USD billion');
    expect(usd.ticks.map(usd.format)).toEqual(['0', '20', '40', '60']);
    const loss = valueAxis([-1e9, 21e6, -47e6], 'USD');
    expect([loss.label, loss.ticks.map(loss.format)]).toEqual(['USD billion', ['−1', '−0.5', '0', '0.5']]);
    const people = valueAxis([5500, 3000], 'people');
    expect([people.label, people.ticks.map(people.format)]).toEqual(['people', ['0', '2,000', '4,000', '6,000']]);
    expect(valueAxis([21.4e6], 'users').label).toBe('million users');
    expect(valueAxis([17, 4], 'percent').label).toBe('%');
    expect(valueAxis([612e6], 'SEK').label).toBe('SEK million');
    expect(valueAxis([0.3], 'percent').ticks).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('spans whole years around the periods with at most five year labels', () => {
    const t = timeAxis(['2025-01-01', '2025-04-01'], ['2025-03-31', '2025-06-30']);
    expect(t.ticks.map(t.format)).toEqual(['2025', '2026']);
    const long = timeAxis(['2012-01-01'], ['2025-12-31']);
    expect(long.ticks.length).toBeLessThanOrEqual(5);
    expect(long.ticks.map(long.format)[0]).toBe('2012');
    expect(new Date(long.domain[1]).getUTCFullYear()).toBe(2026);
  });
});
