/**
 * Which figures a fact-sheet chart plots, and which of them one line may join. Pure data, no drawing
 * (chart-svg.ts draws). The rules:
 *   - one chart per kind, in one unit: the most reported one (a EUR valuation beside USD ones would put
 *     two currencies on one axis); the other figures stay in the sheet's tables;
 *   - one line per kind of period: for money earned over a period (revenue, net income, credit losses)
 *     a full year's $2.8bn next to a quarter's $0.7bn is not a fall, so annual, half-year, quarterly and
 *     monthly figures are separate lines. Levels (valuation, headcount) are one line whatever the period
 *     says, as in "latest" (src/shared/facts/latest.ts seriesOf): "valued at $6.7bn in 2022" and "in
 *     July 2022" measure the same thing;
 *   - forecasts, targets and guidance are never on an actual line: they are their own (dashed) lines;
 *   - one claim, one point: the same value at nested periods ("$45.6bn in 2021" and "in June 2021" from
 *     two outlets) is plotted once, at the more precise period, with the other report's sources.
 */
import { FLOW_KINDS, isForecast } from '../../shared/facts/latest.ts';
import { grainOf, overlapping, periodSpan, type Grain } from '../../shared/facts/periods.ts';

/** The fields of a fact a chart needs (FactRow from queries.ts has them all). */
export interface ChartFact {
  id: string;
  kind: string;
  value: number | null;
  unit: string | null;
  asOf: string | null;
  label: string | null;
  corroboration: string;
}

/** A line's period length: the grain of its facts, days counting as months (both are moments). */
export type SeriesGrain = 'year' | 'half' | 'quarter' | 'month' | 'any';

export interface ChartPoint<F extends ChartFact = ChartFact> {
  /** The fact drawn. */
  fact: F & { value: number; asOf: string };
  /** Facts with the same value at a nested period, folded into this point (their sources count too). */
  also: F[];
  /** Where the point sits: the middle of its period (UTC milliseconds). */
  t: number;
  /** The period's first and last day. */
  span: readonly [string, string];
  disputed: boolean;
}

export interface Series<F extends ChartFact = ChartFact> {
  /** Stable id, also the CSS/data name: "annual", "quarterly", "annual-forecast", "reported", … */
  key: string;
  /** What a reader calls it: "annual", "quarterly forecast". */
  name: string;
  grain: SeriesGrain;
  forecast: boolean;
  /** In time order. */
  points: ChartPoint<F>[];
}

export interface ChartData<F extends ChartFact = ChartFact> {
  kind: string;
  unit: string | null;
  /** In a fixed order: actuals (longest period first), then forecasts. */
  series: Series<F>[];
}

const GRAIN_ORDER: SeriesGrain[] = ['year', 'half', 'quarter', 'month', 'any'];
const GRAIN_NAME: Record<SeriesGrain, string> = { year: 'annual', half: 'half-year', quarter: 'quarterly', month: 'monthly', any: 'reported' };

function seriesGrain(kind: string, asOf: string): SeriesGrain {
  if (!FLOW_KINDS.has(kind)) return 'any';
  const g: Grain | null = grainOf(asOf);
  return g === 'day' || g === null ? 'month' : g;
}

function mid(span: readonly [string, string]): number {
  const a = Date.parse(`${span[0]}T00:00:00Z`);
  const b = Date.parse(`${span[1]}T00:00:00Z`) + 86_400_000;
  return a + (b - a) / 2;
}

/** The most frequent value; ties go to the first seen (the rows come in period order). */
function most<T>(xs: T[]): T {
  const n = new Map<T, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  let best = xs[0] as T;
  for (const [x, c] of n) if (c > n.get(best)!) best = x;
  return best;
}

const sameValue = (a: number, b: number) => Math.abs(a - b) <= 0.005 * Math.max(Math.abs(a), Math.abs(b));

/** Folds same-value reports at nested periods into one point, keeping the most precise period. */
function onePerClaim<F extends ChartFact>(rows: (F & { value: number; asOf: string })[]): { fact: F & { value: number; asOf: string }; also: F[] }[] {
  const points: { fact: F & { value: number; asOf: string }; also: F[] }[] = [];
  // Most precise first (a day's label is longer than a month's, a month's than a year's), so the
  // point that stays is the finer one.
  for (const f of [...rows].sort((a, b) => b.asOf.length - a.asOf.length)) {
    const same = points.find((p) => sameValue(p.fact.value, f.value) && overlapping(p.fact.asOf, f.asOf));
    if (same) same.also.push(f);
    else points.push({ fact: f, also: [] });
  }
  return points;
}

/** The chart of one kind from a company's facts (any kinds; others are ignored), or null when nothing is plottable. */
export function chartSeries<F extends ChartFact>(rows: readonly F[], kind: string): ChartData<F> | null {
  const dated = rows.filter((f): f is F & { value: number; asOf: string } => f.kind === kind && f.value !== null && Number.isFinite(f.value) && !!f.asOf && periodSpan(f.asOf) !== null);
  if (dated.length === 0) return null;
  const unit = most(dated.map((f) => f.unit));
  const inUnit = dated.filter((f) => f.unit === unit);
  const groups = new Map<string, { grain: SeriesGrain; forecast: boolean; rows: (F & { value: number; asOf: string })[] }>();
  for (const f of inUnit) {
    const grain = seriesGrain(kind, f.asOf);
    const forecast = isForecast(f);
    const key = `${grain}:${forecast}`;
    const g = groups.get(key) ?? { grain, forecast, rows: [] };
    g.rows.push(f);
    groups.set(key, g);
  }
  const series: Series<F>[] = [...groups.values()]
    .sort((a, b) => Number(a.forecast) - Number(b.forecast) || GRAIN_ORDER.indexOf(a.grain) - GRAIN_ORDER.indexOf(b.grain))
    .map((g) => {
      const base = GRAIN_NAME[g.grain];
      const name = g.forecast ? (g.grain === 'any' ? 'forecast' : `${base} forecast`) : base;
      const points = onePerClaim(g.rows)
        .map(({ fact, also }) => {
          const span = periodSpan(fact.asOf)!;
          return { fact, also, span, t: mid(span), disputed: fact.corroboration === 'disputed' };
        })
        .sort((a, b) => a.t - b.t || a.fact.id.localeCompare(b.fact.id));
      return { key: name.replace(/ /g, '-'), name, grain: g.grain, forecast: g.forecast, points };
    });
  return { kind, unit, series };
}

/** The points a series' line joins: its undisputed figures (disputed ones stand apart, hollow). */
export function linePoints<F extends ChartFact>(s: Series<F>): ChartPoint<F>[] {
  return s.points.filter((p) => !p.disputed);
}
