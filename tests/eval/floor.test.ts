/**
 * CI guard on extraction quality: the built-in extractor, through the grounding gate, must keep each
 * gold set — tests/eval/articles ("written") and ../shared/eval/real ("real") — at or above the
 * floors in tests/eval/floors.json: period-counted F1 and precision, period accuracy, F1 per kind,
 * calibration. `npm run eval` prints the full tables; `--suggest-floors` the values to raise them to.
 *
 * The floor check is itself tested: the extractor's own predictions, mutated the way a regression
 * would (every credit_losses fact lost; every period nulled), must be rejected by it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { floorShortfalls, loadFloors } from '../../src/extract/eval/floors.ts';
import { loadGoldSet, predict, type GoldSetName } from '../../src/extract/eval/run.ts';
import { scoreExtraction, type GoldArticle, type PredFact } from '../../src/extract/eval/score.ts';
import { createRulesExtractor } from '../../src/extract/rules/index.ts';

const floors = loadFloors();
const MIN_ARTICLES: Record<GoldSetName, number> = { written: 33, real: 30 };

function mutate(predicted: Map<string, PredFact[]>, f: (facts: PredFact[]) => PredFact[]): Map<string, PredFact[]> {
  return new Map([...predicted].map(([id, facts]) => [id, f(facts)]));
}

for (const set of ['written', 'real'] as const) {
  describe(`${set} set`, () => {
    let gold: GoldArticle[];
    let predicted: Map<string, PredFact[]>;
    beforeAll(async () => {
      gold = loadGoldSet(set);
      predicted = (await predict(createRulesExtractor(), gold)).predicted;
    });

    it('meets every floor (F1 and precision period counted, period accuracy, each kind, calibration)', () => {
      expect(gold.length).toBeGreaterThanOrEqual(MIN_ARTICLES[set]);
      expect(floorShortfalls(scoreExtraction(gold, predicted), floors[set])).toEqual([]);
    });

    it('has a floor for every kind with gold facts', () => {
      const kinds = new Set(gold.flatMap((a) => a.facts.map((f) => f.kind)));
      expect(Object.keys(floors[set].perKindF1).sort()).toEqual([...kinds].sort());
    });

    it('rejects the same predictions with every period nulled', () => {
      const nulled = mutate(predicted, (facts) => facts.map((f) => ({ ...f, asOf: null })));
      const misses = floorShortfalls(scoreExtraction(gold, nulled), floors[set]);
      expect(misses.some((m) => m.startsWith('period accuracy'))).toBe(true);
      expect(misses.some((m) => m.startsWith('F1 (period counted)'))).toBe(true);
    });

    it('rejects the same predictions with every credit_losses fact dropped, by its per-kind floor', () => {
      const dropped = mutate(predicted, (facts) => facts.filter((f) => f.kind !== 'credit_losses'));
      const misses = floorShortfalls(scoreExtraction(gold, dropped), floors[set]);
      // A kind the extractor gets no right fact of today has floor 0 and nothing to lose yet (real
      // credit_losses at rules/1); once its floor is raised above 0 this case guards it too.
      if ((floors[set].perKindF1.credit_losses ?? 0) > 0) expect(misses).toContainEqual(expect.stringMatching(/^credit_losses F1 0\.000 < floor/));
      else expect(scoreExtraction(gold, predicted).perKind.credit_losses.f1, `${set} credit_losses F1 is above 0 now: raise its floor in tests/eval/floors.json`).toBe(0);
    });
  });
}

it('the written set alone would catch a lost kind: its credit_losses floor is above zero', () => {
  expect(floors.written.perKindF1.credit_losses).toBeGreaterThan(0);
});
