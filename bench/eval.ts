/**
 * Fact-extraction evaluation on the annotated gold sets.
 *
 *   npx tsx bench/eval.ts [--set written|real|all] [--verbose] [--only <article-id>] [--min-f1 0.5]
 *                         [--suggest-floors] [--extractor rules]
 *
 * Sets: "written" = tests/eval/articles (sample outlet + hand-written), "real" = ../shared/eval/real
 * (published articles); "all" (default) scores each, then both together. For each: a per-kind table
 * whose headline P/R/F1 counts the period (src/extract/eval/period.ts) with the period-blind F1 beside
 * it, period accuracy, and the calibration of `confidence` (share right per confidence band).
 * --verbose lists false positives/negatives and period misses per article; --suggest-floors prints
 * floors for tests/eval/floors.json from today's values. Exit 1 when a scored set's headline F1 is
 * under --min-f1 (default 0), 2 on setup errors (a missing set, a bad gold file).
 */
import { createRulesExtractor } from '../src/extract/rules/index.ts';
import { calibration } from '../src/extract/eval/calibration.ts';
import { suggestFloors } from '../src/extract/eval/floors.ts';
import { loadGoldSet, predict, type GoldSetName } from '../src/extract/eval/run.ts';
import { scoreExtraction, type GoldArticle, type Mismatch, type PredFact, type ScoreResult } from '../src/extract/eval/score.ts';
import { FACT_KINDS } from '../src/extract/types.ts';
import { record } from './lib/report.ts';

function arg(name: string): string | null {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? null) : null;
}

const pct = (x: number): string => (100 * x).toFixed(1).padStart(5);
const n = (x: number, w = 5): string => String(x).padStart(w);

function describe(m: Mismatch): string {
  const what =
    m.kind === 'quote'
      ? `${m.speaker ?? '?'}: “${(m.quote ?? '').slice(0, 70)}”`
      : m.kind === 'ipo'
        ? `status=${m.status ?? '?'}${m.value != null ? ` ${m.value} ${m.unit}` : ''}`
        : `${m.value} ${m.unit ?? ''}`;
  const period = m.type === 'period' ? `  period gold=${m.goldAsOf} pred=${m.predAsOf}` : '';
  const type = m.type === 'period' ? 'PER' : m.type.toUpperCase();
  return `    ${type.padEnd(4)} ${m.kind.padEnd(16)} ${m.company.padEnd(14)} ${what}${period}\n         ← ${m.evidence.slice(0, 140)}`;
}

function printTable(title: string, s: ScoreResult): void {
  console.log(`\n== ${title}`);
  console.log('                             period counted          |  period-blind');
  console.log('kind              gold  pred    TP      P      R     F1 |    TP      P      R     F1');
  const row = (name: string, c: ScoreResult['overall'], b: ScoreResult['overall']): string =>
    `${name.padEnd(16)} ${n(c.gold)} ${n(c.predicted)} ${n(c.tp)}  ${pct(c.precision)}  ${pct(c.recall)}  ${pct(c.f1)} | ${n(b.tp)}  ${pct(b.precision)}  ${pct(b.recall)}  ${pct(b.f1)}`;
  for (const k of FACT_KINDS) {
    const c = s.perKind[k];
    if (c.gold === 0 && c.predicted === 0) continue;
    console.log(row(k, c, s.blind.perKind[k]));
  }
  console.log('-'.repeat(87));
  console.log(row('overall', s.overall, s.blind.overall));
  console.log(`period accuracy (period-blind matches, non-quote): ${pct(s.periodAccuracy)}%  (${s.periodCorrect}/${s.periodMatched}); asOf exactly equal ${pct(s.asOfAccuracy)}%`);
}

function printCalibration(s: ScoreResult): void {
  console.log('calibration (kept facts by confidence; right = TP, period counted)');
  for (const b of calibration(s.predictions)) {
    const share = b.precision == null ? '    –' : pct(b.precision);
    console.log(`  ${b.label.padEnd(8)} ${n(b.facts)} facts  ${share}% right`);
  }
}

const GOALS: Record<GoldSetName | 'all', { goal: string; ok: (s: ScoreResult) => boolean } | null> = {
  written: { goal: 'F1 ≥ 0.90, period counted (issue 11)', ok: (s) => s.overall.f1 >= 0.9 },
  real: { goal: 'F1 ≥ 0.85 with P ≥ 0.92, period counted (issue 11)', ok: (s) => s.overall.f1 >= 0.85 && s.overall.precision >= 0.92 },
  all: null,
};

async function main(): Promise<void> {
  const extractorName = arg('--extractor') ?? 'rules';
  const verbose = process.argv.includes('--verbose');
  const minF1 = Number(arg('--min-f1') ?? '0');
  const only = arg('--only');
  const setArg = arg('--set') ?? 'all';
  if (setArg !== 'written' && setArg !== 'real' && setArg !== 'all') throw new Error(`--set must be written, real or all (got "${setArg}")`);
  const names: GoldSetName[] = setArg === 'all' ? ['written', 'real'] : [setArg];
  if (extractorName !== 'rules') throw new Error(`unknown extractor "${extractorName}" (available: rules)`);
  const extractor = createRulesExtractor();

  const sets: { name: GoldSetName; gold: GoldArticle[] }[] = names
    .map((name) => ({ name, gold: loadGoldSet(name).filter((a) => !only || a.id === only) }))
    .filter((s) => !only || s.gold.length > 0);
  if (sets.length === 0) throw new Error(only ? `no gold article with id "${only}" in set ${setArg}` : 'no gold articles found');

  const predicted = new Map<string, PredFact[]>();
  const scored: { name: GoldSetName | 'all'; gold: GoldArticle[]; score: ScoreResult }[] = [];
  for (const { name, gold } of sets) {
    const run = await predict(extractor, gold);
    for (const [id, facts] of run.predicted) predicted.set(id, facts);
    const score = scoreExtraction(gold, run.predicted);
    scored.push({ name, gold, score });
    const label = name === 'written' ? 'tests/eval/articles' : '../shared/eval/real';
    printTable(`${name} — ${label}: ${gold.length} articles, extractor ${extractor.name} (${run.ms.toFixed(0)} ms), grounding applied (${run.rejected} rejected)`, score);
    if (name === 'written') {
      // The sample-outlet articles may have been looked at while writing the rules; the hand-written
      // ones measure generalisation within the set.
      for (const [sub, subset] of [
        ['sample outlet', gold.filter((a) => a.id.startsWith('sample-'))],
        ['hand-written', gold.filter((a) => !a.id.startsWith('sample-'))],
      ] as const) {
        if (subset.length === 0 || subset.length === gold.length) continue;
        const r = scoreExtraction(subset, predicted);
        console.log(`  ${sub.padEnd(14)} ${n(subset.length, 3)} articles  P ${pct(r.overall.precision)}  R ${pct(r.overall.recall)}  F1 ${pct(r.overall.f1)}  (period-blind F1 ${pct(r.blind.overall.f1)})`);
      }
    }
    printCalibration(score);
  }
  if (sets.length > 1) {
    const gold = sets.flatMap((s) => s.gold);
    const score = scoreExtraction(gold, predicted);
    scored.push({ name: 'all', gold, score });
    printTable(`all — both sets together: ${gold.length} articles`, score);
    printCalibration(score);
  }

  for (const { name, gold, score: s } of scored) {
    const g = GOALS[name];
    if (!g || only) continue;
    const o = s.overall;
    record({
      bench: 'eval',
      measure: `fact extraction, ${name} set: ${gold.length} articles (${o.gold} facts)`,
      value: `F1 ${o.f1.toFixed(3)} (P ${o.precision.toFixed(3)}, R ${o.recall.toFixed(3)}), period-blind F1 ${s.blind.overall.f1.toFixed(3)}`,
      goal: g.goal,
      ok: g.ok(s),
    });
    const top = calibration(s.predictions).find((b) => b.label === '≥ 0.8')!;
    if (name === 'real')
      record({
        bench: 'eval',
        measure: `real set: facts with confidence ≥ 0.8 that are right`,
        value: top.precision == null ? 'none ≥ 0.8' : `${(100 * top.precision).toFixed(1)}% of ${top.facts}`,
        goal: '≥ 95% (issue 11)',
        ok: top.precision != null && top.precision >= 0.95,
      });
  }

  if (process.argv.includes('--suggest-floors')) {
    const floors = Object.fromEntries(scored.filter((s) => s.name !== 'all').map((s) => [s.name, suggestFloors(s.score)]));
    console.log(`\nsuggested floors (today minus margins; paste into tests/eval/floors.json):\n${JSON.stringify(floors, null, 2)}`);
  }

  if (verbose) {
    for (const { name, gold, score: s } of scored) {
      if (name === 'all') continue;
      for (const a of gold) {
        const ms = s.mismatches.filter((m) => m.articleId === a.id);
        if (ms.length === 0) continue;
        console.log(`\n${a.id}`);
        for (const m of ms) console.log(describe(m));
      }
    }
  }
  for (const { name, score: s } of scored) {
    if (s.overall.f1 < minF1) {
      console.error(`\n${name}: F1 (period counted) ${s.overall.f1.toFixed(3)} < --min-f1 ${minF1}`);
      process.exitCode = 1;
    }
  }
}

main().catch((err: unknown) => {
  console.error(`eval: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
});
