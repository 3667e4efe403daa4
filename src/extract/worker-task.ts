/**
 * What runs inside an extraction worker thread (src/extract/worker.ts): the CPU-bound part of one
 * article — the rules extractor and/or the grounding check. Kept in a thread so the main event loop
 * stays free to time it out and to answer SIGTERM, however long hostile text makes it take.
 */
import { cpuTask } from '../shared/cpu-task.ts';
import { groundFacts, type GroundingResult } from './ground.ts';
import { numbersIn } from './normalise/numbers.ts';
import { createRulesExtractor } from './rules/index.ts';
import type { ArticleInput, CandidateFact, ExtractionResult, Extractor } from './types.ts';

export type ExtractTask =
  /** The built-in rules extractor (default company registry) followed by grounding. */
  | { op: 'rules'; article: ArticleInput }
  /** Grounding only, for facts proposed elsewhere (the LLM extractor runs on the main thread: it waits on I/O). */
  | { op: 'ground'; text: string; facts: CandidateFact[] }
  /**
   * Starts a thread and loads the registry, so no article's budget pays for that. With `ready`, a
   * counter the warm-up tasks share, each waits (up to a second) until all `of` have loaded: the
   * pool then hands each warm-up task to a thread of its own.
   */
  | { op: 'warm'; ready?: Int32Array; of?: number };

export interface TaskResult {
  /** Present for op 'rules'. */
  result?: ExtractionResult;
  grounding: GroundingResult;
}

let rules: Extractor | null = null;

async function run(task: ExtractTask): Promise<TaskResult> {
  if (task.op === 'warm') {
    rules ??= createRulesExtractor();
    if (task.ready && task.of) {
      Atomics.add(task.ready, 0, 1);
      Atomics.notify(task.ready, 0);
      const deadline = Date.now() + 1000;
      for (let n = Atomics.load(task.ready, 0); n < task.of && Date.now() < deadline; n = Atomics.load(task.ready, 0)) Atomics.wait(task.ready, 0, n, deadline - Date.now());
    } else await new Promise((r) => setTimeout(r, 100)); // stay busy a moment, so another task takes another thread
    return { grounding: { accepted: [], rejected: [] } };
  }
  if (task.op === 'ground') return { grounding: groundFacts(task.text, task.facts, numbersIn) };
  rules ??= createRulesExtractor();
  const result = await rules.extract(task.article);
  return { result, grounding: groundFacts(task.article.text, result.facts, numbersIn) };
}

export default cpuTask(run);
