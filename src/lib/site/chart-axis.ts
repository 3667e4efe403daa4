/**
 * A chart's axes as a reader sees them: the value axis with its unit and scale named once ("USD
 * billion") and short ticks ("0", "10", "20"), and a time axis of years. Tick numbers are formatted by
 * the facts vocabulary's formatNumber, so "1,500" and "−0.5" read as everywhere else on the site.
 */
import { formatNumber } from '../../shared/facts/format.ts';

const SCALES: [number, string][] = [
  [1e12, 'trillion'],
  [1e9, 'billion'],
  [1e6, 'million'],
];

export interface ValueAxis {
  domain: [number, number];
  ticks: number[];
  /** The axis title: "USD billion", "million users", "people", "%". */
  label: string;
  /** A tick's text, in the axis' scale: 45.6e9 on a "USD billion" axis → "45.6". */
  format: (v: number) => string;
}

/** A round step near `raw`: 1, 2, 2.5 or 5 times a power of ten. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** The value axis for these values: zero always in view (a bar of a valuation starts at nothing), about four ticks. */
export function valueAxis(values: number[], unit: string | null): ValueAxis {
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (lo === hi) hi = lo + 1;
  const step = niceStep((hi - lo) / 4);
  lo = Math.floor(lo / step + 1e-9) * step;
  hi = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  // Multiples of the step rounded to 12 digits, so 3 × 0.1 is 0.3 and not 0.30000000000000004.
  for (let i = Math.round(lo / step); i <= Math.round(hi / step); i++) ticks.push(Number((i * step).toPrecision(12)));
  const top = Math.max(Math.abs(lo), Math.abs(hi));
  const [scale, scaleName] = unit === 'percent' ? [1, ''] : (SCALES.find(([s]) => top >= s) ?? [1, '']);
  const format = (v: number) => formatNumber(Math.abs(v) < step / 1e6 ? 0 : v / scale);
  return { domain: [lo, hi], ticks, label: unitLabel(unit, scaleName), format };
}

function unitLabel(unit: string | null, scaleName: string): string {
  if (unit === 'percent') return '%';
  // A currency code reads before its scale ("USD billion"); a counted thing after it ("million users").
  if (unit && /^[A-Z]{3}$/.test(unit)) return scaleName ? `${unit} ${scaleName}` : unit;
  return [scaleName, unit].filter(Boolean).join(' ') || 'value';
}

export interface TimeAxis {
  /** UTC milliseconds: the first of January before the first period to the one after the last. */
  domain: [number, number];
  /** First of January of the labelled years. */
  ticks: number[];
  format: (t: number) => string;
}

/** Whole years around the periods shown, with at most `maxTicks` year labels. */
export function timeAxis(starts: string[], ends: string[], maxTicks = 5): TimeAxis {
  const y0 = Math.min(...starts.map((s) => Number(s.slice(0, 4))));
  const y1 = Math.max(...ends.map((s) => Number(s.slice(0, 4)))) + 1;
  const step = Math.max(1, Math.ceil((y1 - y0) / (maxTicks - 1)));
  const ticks: number[] = [];
  for (let y = y0; y <= y1; y += step) ticks.push(Date.UTC(y, 0, 1));
  return { domain: [Date.UTC(y0, 0, 1), Date.UTC(y1, 0, 1)], ticks, format: (t) => String(new Date(t).getUTCFullYear()) };
}
