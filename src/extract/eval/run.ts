/**
 * Runs an extractor over annotated gold sets exactly as the pipeline would (extract, then the
 * grounding gate) and scores the kept facts. Shared by `npm run eval` and the CI floor test.
 *
 * Two sets: "written" — the project's own gold (tests/eval/articles: the sample outlet and the
 * hand-written articles) — and "real" — 30 published articles annotated to the same guidelines,
 * kept outside the repo in ../shared/eval/real (CI checks ../shared out beside the clone).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { groundFacts } from '../ground.ts';
import { numbersIn } from '../normalise/numbers.ts';
import { FACT_KINDS, IPO_STATUSES, type ArticleInput, type Extractor } from '../types.ts';
import { scoreExtraction, type GoldArticle, type PredFact, type ScoreResult } from './score.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const GOLD_DIR = path.join(REPO_ROOT, 'tests/eval/articles');
/** Resolved against the repo root, not the working directory, so tests and scripts agree. */
export const REAL_DIR = path.resolve(REPO_ROOT, '../shared/eval/real');

export const GOLD_SETS = { written: GOLD_DIR, real: REAL_DIR } as const;
export type GoldSetName = keyof typeof GOLD_SETS;

// The boundary: gold files are hand-edited JSON, some kept outside this repo. Extra fields
// (note, textFrom, translatedFrom, dateNote…) are allowed; the ones the scorer reads are checked.
const goldFactSchema = z.looseObject({
  kind: z.enum(FACT_KINDS),
  company: z.string().min(1),
  value: z.number().nullable(),
  valueHigh: z.number().nullable().optional(),
  unit: z.string().nullable(),
  status: z.enum(IPO_STATUSES).nullable().optional(),
  asOf: z.string().nullable(),
  speaker: z.string().nullable().optional(),
  quote: z.string().nullable().optional(),
  label: z.string().nullable().optional(),
  evidence: z.string().min(1),
});
const goldArticleSchema = z.looseObject({
  id: z.string().min(1),
  source: z.string(),
  title: z.string(),
  outlet: z.string(),
  publishedAt: z.string(),
  url: z.string().nullable(),
  text: z.string().min(1),
  facts: z.array(goldFactSchema),
});

/** Reads every *.json gold article in `dir`, sorted by file name; a clear error names a bad file or a missing set. */
export function loadGold(dir = GOLD_DIR): GoldArticle[] {
  if (!existsSync(dir)) throw new Error(`gold set not found: ${dir} (the real set lives in ../shared/eval/real beside the repo)`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`no gold articles (*.json) in ${dir}`);
  return files.map((f) => {
    const file = path.join(dir, f);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const parsed = goldArticleSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${file}: not a gold article: ${z.prettifyError(parsed.error)}`);
    return parsed.data as GoldArticle;
  });
}

/** The named set's articles. */
export function loadGoldSet(name: GoldSetName): GoldArticle[] {
  return loadGold(GOLD_SETS[name]);
}

export interface EvalRun {
  score: ScoreResult;
  predicted: Map<string, PredFact[]>;
  rejected: number;
  ms: number;
}

/** Extract + ground every article (ids must be unique across `gold`), then score. */
export async function predict(extractor: Extractor, gold: GoldArticle[]): Promise<{ predicted: Map<string, PredFact[]>; rejected: number; ms: number }> {
  const predicted = new Map<string, PredFact[]>();
  let rejected = 0;
  const t0 = performance.now();
  for (const [i, a] of gold.entries()) {
    if (predicted.has(a.id)) throw new Error(`duplicate gold article id ${a.id}`);
    const input: ArticleInput = { id: i + 1, title: a.title, text: a.text, publishedAt: a.publishedAt, outlet: a.outlet, url: a.url };
    const g = groundFacts(a.text, (await extractor.extract(input)).facts, numbersIn);
    rejected += g.rejected.length;
    predicted.set(a.id, g.accepted);
  }
  return { predicted, rejected, ms: performance.now() - t0 };
}

export async function evaluate(extractor: Extractor, gold: GoldArticle[]): Promise<EvalRun> {
  const run = await predict(extractor, gold);
  return { ...run, score: scoreExtraction(gold, run.predicted) };
}
