/**
 * CI floors on extraction quality, per gold set: overall period-counted F1 and precision, period
 * accuracy, and F1 per kind — so losing one kind entirely (every credit_losses fact) or every
 * period fails even when the overall F1 barely moves. The numbers live in ONE place,
 * tests/eval/floors.json; `npm run eval -- --suggest-floors` prints today's values minus the
 * margins below, ready to paste there after the extractor improves. Pure apart from reading that file.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FACT_KINDS, type FactKind } from '../types.ts';
import { REPO_ROOT } from './run.ts';
import type { ScoreResult } from './score.ts';
import { calibration, calibrationShortfalls } from './calibration.ts';

export const FLOORS_FILE = path.join(REPO_ROOT, 'tests/eval/floors.json');

const share = z.number().min(0).max(1);
const setFloorsSchema = z.strictObject({
  /** Headline: period-counted, micro-averaged over all kinds. */
  f1: share,
  precision: share,
  /** Of the facts matched period-blind (non-quote), the share whose period is right too. */
  periodAccuracy: share,
  /** Period-counted F1 of each kind that has gold facts in the set. */
  perKindF1: z.partialRecord(z.enum(FACT_KINDS), share),
  /** Facts at or above a confidence must be right (period counted) at least this often (calibration.ts). */
  calibration: z.array(z.strictObject({ minConfidence: share, minPrecision: share })).optional(),
});
const floorsSchema = z.strictObject({ about: z.string().optional(), written: setFloorsSchema, real: setFloorsSchema });

export type SetFloors = z.infer<typeof setFloorsSchema>;
export type Floors = z.infer<typeof floorsSchema>;

export function loadFloors(file = FLOORS_FILE): Floors {
  const parsed = floorsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const f3 = (x: number): string => x.toFixed(3);

/** Every floor the score misses, as a readable line (empty when all hold). */
export function floorShortfalls(score: ScoreResult, floors: SetFloors): string[] {
  const out: string[] = [];
  const check = (what: string, value: number, floor: number): void => {
    if (value < floor) out.push(`${what} ${f3(value)} < floor ${f3(floor)}`);
  };
  check('F1 (period counted)', score.overall.f1, floors.f1);
  check('precision (period counted)', score.overall.precision, floors.precision);
  check('period accuracy', score.periodAccuracy, floors.periodAccuracy);
  for (const [kind, floor] of Object.entries(floors.perKindF1) as [FactKind, number][]) check(`${kind} F1`, score.perKind[kind].f1, floor);
  out.push(...calibrationShortfalls(score.predictions, floors.calibration ?? []));
  return out;
}

/** How far under today's values a suggested floor sits: room for harmless rule changes, no more. */
export const MARGIN = { f1: 0.02, precision: 0.02, periodAccuracy: 0.03, perKindF1: 0.05, calibration: 0.03 } as const;

const under = (value: number, margin: number): number => Math.max(0, Math.floor((value - margin) * 100) / 100);

/** Today's values minus MARGIN, rounded down to two decimals: the floors to commit after an improvement. */
export function suggestFloors(score: ScoreResult): SetFloors {
  const perKindF1: SetFloors['perKindF1'] = {};
  for (const k of FACT_KINDS) if (score.perKind[k].gold > 0) perKindF1[k] = under(score.perKind[k].f1, MARGIN.perKindF1);
  return {
    f1: under(score.overall.f1, MARGIN.f1),
    precision: under(score.overall.precision, MARGIN.precision),
    periodAccuracy: under(score.periodAccuracy, MARGIN.periodAccuracy),
    perKindF1,
    calibration: [0.8].flatMap((minConfidence) => {
      const top = calibration(score.predictions).find((b) => b.label === '≥ 0.8');
      return top?.precision == null ? [] : [{ minConfidence, minPrecision: under(top.precision, MARGIN.calibration) }];
    }),
  };
}
