/**
 * Runs an extractor over the annotated gold set exactly as the pipeline would (extract, then the
 * grounding gate) and scores the kept facts. Shared by `npm run eval` and the CI floor test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { groundFacts } from '../ground.ts';
import { numbersIn } from '../normalise/numbers.ts';
import type { ArticleInput, Extractor } from '../types.ts';
import { scoreExtraction, type GoldArticle, type PredFact, type ScoreResult } from './score.ts';

export const GOLD_DIR = fileURLToPath(new URL('../../../tests/eval/articles', import.meta.url));

export function loadGold(dir = GOLD_DIR): GoldArticle[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as GoldArticle);
}

export interface EvalRun {
  score: ScoreResult;
  predicted: Map<string, PredFact[]>;
  rejected: number;
  ms: number;
}

export async function evaluate(extractor: Extractor, gold: GoldArticle[]): Promise<EvalRun> {
  const predicted = new Map<string, PredFact[]>();
  let rejected = 0;
  const t0 = performance.now();
  for (const [i, a] of gold.entries()) {
    const input: ArticleInput = { id: i + 1, title: a.title, text: a.text, publishedAt: a.publishedAt, outlet: a.outlet, url: a.url };
    const g = groundFacts(a.text, (await extractor.extract(input)).facts, numbersIn);
    rejected += g.rejected.length;
    predicted.set(a.id, g.accepted);
  }
  return { score: scoreExtraction(gold, predicted), predicted, rejected, ms: performance.now() - t0 };
}
