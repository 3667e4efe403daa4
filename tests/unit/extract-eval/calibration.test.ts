import { describe, expect, it } from 'vitest';
import { calibration, calibrationShortfalls } from '../../../src/extract/eval/calibration.ts';
import type { Outcome, PredFact } from '../../../src/extract/eval/score.ts';

const fact = (confidence: number | undefined): PredFact => ({ kind: 'revenue', company: 'Acme', value: 1, unit: 'USD', asOf: '2024', evidence: 'e', confidence });
const o = (confidence: number | undefined, tp: boolean): Outcome => ({ articleId: 'a', fact: fact(confidence), tp, blindTp: tp });

describe('calibration', () => {
  const outcomes = [o(0.55, false), o(0.65, true), o(0.65, false), o(0.8, true), o(0.85, false), o(0.9, true), o(1, true), o(0.3, false), o(undefined, true)];
  const rows = calibration(outcomes);
  const row = (label: string) => rows.find((r) => r.label === label);

  it('buckets by confidence with the lower bound inclusive and 1.0 in the top band', () => {
    expect(rows.map((r) => [r.label, r.facts, r.right])).toEqual([
      ['< 0.5', 1, 0],
      ['0.5–0.6', 1, 0],
      ['0.6–0.7', 2, 1],
      ['0.7–0.8', 0, 0],
      ['0.8–0.9', 2, 1],
      ['0.9–1.0', 2, 2],
      ['none', 1, 1],
      ['≥ 0.8', 4, 3],
    ]);
  });

  it('gives the share right, and no share for an empty bucket', () => {
    expect(row('0.6–0.7')!.precision).toBe(0.5);
    expect(row('≥ 0.8')!.precision).toBe(0.75);
    expect(row('0.7–0.8')!.precision).toBeNull();
  });

  it('omits "< 0.5" and "none" when nothing falls there', () => {
    expect(calibration([o(0.9, true)]).map((r) => r.label)).toEqual(['0.5–0.6', '0.6–0.7', '0.7–0.8', '0.8–0.9', '0.9–1.0', '≥ 0.8']);
  });

  it('counts a right value under a wrong period as wrong (the headline matching)', () => {
    const wrongPeriod: Outcome = { articleId: 'a', fact: fact(0.95), tp: false, blindTp: true };
    expect(calibration([wrongPeriod]).find((r) => r.label === '≥ 0.8')).toMatchObject({ facts: 1, right: 0, precision: 0 });
    expect(calibrationShortfalls([wrongPeriod], [{ minConfidence: 0.8, minPrecision: 0.95 }])).toHaveLength(1);
  });

  it('reports a floor the confident facts miss, and holds one they meet', () => {
    expect(calibrationShortfalls(outcomes, [{ minConfidence: 0.8, minPrecision: 0.95 }])).toEqual(['confidence ≥ 0.8: 3/4 right (75.0%) < 95.0%']);
    expect(calibrationShortfalls(outcomes, [{ minConfidence: 0.9, minPrecision: 0.95 }])).toEqual([]);
    expect(calibrationShortfalls([o(0.5, false)], [{ minConfidence: 0.8, minPrecision: 0.95 }])).toEqual([]); // nothing claimed ≥ 0.8
  });
});
