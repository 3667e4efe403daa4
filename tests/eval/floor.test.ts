/**
 * CI guard on extraction quality: the built-in extractor, through the grounding gate, must keep
 * its F1 on the annotated set (tests/eval/articles) at or above the floor set from what it reaches.
 * `npm run eval` prints the full per-kind table.
 */
import { expect, it } from 'vitest';
import { evaluate, loadGold } from '../../src/extract/eval/run.ts';
import { createRulesExtractor } from '../../src/extract/rules/index.ts';

/** F1 reached when the floor was last raised (0.919 overall, 0.922 hand-written), minus a margin for harmless rule changes. */
const FLOOR = { overall: 0.88, handWritten: 0.88 };

it('keeps overall F1 on the evaluation set above the floor', async () => {
  const gold = loadGold();
  expect(gold.length).toBeGreaterThanOrEqual(33);
  const { score } = await evaluate(createRulesExtractor(), gold);
  expect(score.overall.f1).toBeGreaterThanOrEqual(FLOOR.overall);
  const written = gold.filter((a) => !a.id.startsWith('sample-'));
  const { score: w } = await evaluate(createRulesExtractor(), written);
  expect(w.overall.f1).toBeGreaterThanOrEqual(FLOOR.handWritten);
});
