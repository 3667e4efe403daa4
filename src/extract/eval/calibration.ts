/**
 * Is `confidence` worth reading? Buckets the kept predictions by their confidence and reports, per
 * bucket, how many there are and the share that is right under the headline (period-counted)
 * matching. Issue 11 asks that facts at ≥ 0.8 be right ≥ 95% of the time on the real set;
 * `calibrationShortfalls` lets a test assert such floors. Pure; used by bench/eval.ts and tests.
 */
import type { Outcome } from './score.ts';

export interface CalibrationBucket {
  /** "0.5–0.6" … "0.9–1.0", "< 0.5", "none" (no confidence given), and the summary row "≥ 0.8". */
  label: string;
  /** Inclusive lower bound; upper bound exclusive except for the top bucket (1.0 belongs to 0.9–1.0). */
  low: number;
  high: number;
  facts: number;
  right: number;
  /** right ÷ facts; null for an empty bucket (no claim either way). */
  precision: number | null;
}

const BANDS: [string, number, number][] = [
  ['< 0.5', -Infinity, 0.5],
  ['0.5–0.6', 0.5, 0.6],
  ['0.6–0.7', 0.6, 0.7],
  ['0.7–0.8', 0.7, 0.8],
  ['0.8–0.9', 0.8, 0.9],
  ['0.9–1.0', 0.9, Infinity],
];

function bucket(label: string, low: number, high: number, outcomes: Outcome[]): CalibrationBucket {
  const right = outcomes.filter((o) => o.tp).length;
  return { label, low, high, facts: outcomes.length, right, precision: outcomes.length === 0 ? null : right / outcomes.length };
}

/**
 * The calibration curve of a set of outcomes: the ten-point bands from 0.5 (plus "< 0.5" and
 * "none" when any prediction falls there), then the "≥ 0.8" summary row.
 */
export function calibration(outcomes: ReadonlyArray<Outcome>): CalibrationBucket[] {
  const scored = outcomes.filter((o) => typeof o.fact.confidence === 'number' && Number.isFinite(o.fact.confidence));
  const rows: CalibrationBucket[] = [];
  const none = outcomes.filter((o) => !scored.includes(o));
  for (const [label, low, high] of BANDS) {
    const inBand = scored.filter((o) => o.fact.confidence! >= low && o.fact.confidence! < high);
    if (label === '< 0.5' && inBand.length === 0) continue;
    rows.push(bucket(label, low, high, inBand));
  }
  if (none.length > 0) rows.push(bucket('none', NaN, NaN, none));
  rows.push(bucket('≥ 0.8', 0.8, Infinity, scored.filter((o) => o.fact.confidence! >= 0.8)));
  return rows;
}

export interface CalibrationFloor {
  /** Facts with confidence ≥ this … */
  minConfidence: number;
  /** … must be right at least this share of the time. */
  minPrecision: number;
}

/**
 * Floors the outcomes miss, as readable messages (empty when all hold). A floor over no facts holds
 * vacuously: an extractor that never claims ≥ 0.8 is not miscalibrated, only unconfident.
 */
export function calibrationShortfalls(outcomes: ReadonlyArray<Outcome>, floors: ReadonlyArray<CalibrationFloor>): string[] {
  const out: string[] = [];
  for (const f of floors) {
    const above = outcomes.filter((o) => (o.fact.confidence ?? -Infinity) >= f.minConfidence);
    if (above.length === 0) continue;
    const right = above.filter((o) => o.tp).length;
    if (right / above.length < f.minPrecision)
      out.push(`confidence ≥ ${f.minConfidence}: ${right}/${above.length} right (${((100 * right) / above.length).toFixed(1)}%) < ${(100 * f.minPrecision).toFixed(1)}%`);
  }
  return out;
}
