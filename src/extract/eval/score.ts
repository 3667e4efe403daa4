/**
 * Scores extracted facts against the hand-annotated gold set (tests/eval/articles/*.json).
 * Pure: no I/O. Used by bench/eval.ts and tests/unit/extract-eval/score.test.ts.
 *
 * Matching is per article, greedy and one-to-one (gold facts in order, each takes the first unused
 * prediction that matches). A pair matches when kind and company agree and:
 *  - numeric kinds: values within 1% relative (or both null) and units equal (case-insensitive);
 *  - ipo: status equal; value/unit only checked when the gold fact has a value;
 *  - quote: the last token of the gold speaker appears in the predicted speaker, and the quote
 *    texts overlap (token Jaccard ≥ 0.5, or one contains the other after normalising);
 *  - metric: value + unit (label not required).
 *
 * The headline counts the period too (period.ts): a pair of a non-quote kind matches only when the
 * predicted asOf names the gold period — a right value under a wrong period is a wrong row on the
 * fact sheet. Quotes carry no period of their own (gold asOf is null; the site dates them by the
 * article), so a quote is matched on speaker and words alone. The period-blind score is computed
 * beside it: the counted pairs plus, among what is left, pairs that agree on everything but the
 * period ("period" mismatches). So blind TP ≥ counted TP, and periodAccuracy = counted ÷ blind
 * matches of non-quote kinds. Every kept prediction is returned with its outcome, for calibration.
 */
import { FACT_KINDS, type CandidateFact, type FactKind, type IpoStatus } from '../types.ts';
import { periodMatches } from './period.ts';

export interface GoldFact {
  kind: FactKind;
  /** Company slug, lower-case ("klarna"). */
  company: string;
  value: number | null;
  valueHigh?: number | null;
  unit: string | null;
  direction?: 'increase' | 'decrease' | null;
  changePct?: number | null;
  approximate?: boolean;
  status?: IpoStatus | null;
  asOf: string | null;
  label?: string | null;
  speaker?: string | null;
  quote?: string | null;
  /** Exact sentence of the article text the fact is read from. */
  evidence: string;
  /** Other sentences repeating the same claim (optional, informational). */
  alsoIn?: string[];
  note?: string;
}

export interface GoldArticle {
  id: string;
  source: string;
  title: string;
  outlet: string;
  publishedAt: string;
  url: string | null;
  text: string;
  facts: GoldFact[];
}

/** Minimal predicted fact: what the scorer reads from a CandidateFact. */
export type PredFact = Pick<CandidateFact, 'kind' | 'company' | 'value' | 'unit' | 'asOf' | 'evidence'> &
  Partial<Pick<CandidateFact, 'companySlug' | 'status' | 'speaker' | 'quote' | 'valueHigh' | 'label' | 'confidence'>>;

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Mismatch {
  articleId: string;
  /** fp / fn: nothing matched; period: kind, company and value agree but the period does not. */
  type: 'fp' | 'fn' | 'period';
  kind: FactKind;
  company: string;
  value: number | null;
  unit: string | null;
  evidence: string;
  /** For period mismatches: gold vs predicted. */
  goldAsOf?: string | null;
  predAsOf?: string | null;
  speaker?: string | null;
  quote?: string | null;
  status?: string | null;
}

export type KindCounts = Counts & { gold: number; predicted: number };

export interface Table {
  perKind: Record<FactKind, KindCounts>;
  overall: KindCounts;
}

/** One kept prediction and whether it was right. */
export interface Outcome {
  articleId: string;
  fact: PredFact;
  /** Matched a gold fact, period counted (the headline). */
  tp: boolean;
  /** Matched a gold fact, period ignored. */
  blindTp: boolean;
}

/** The headline (`perKind`, `overall`) counts the period; `blind` ignores it. */
export interface ScoreResult extends Table {
  blind: Table;
  /** Share of period-blind matches (non-quote kinds) whose period also matches; 0 matched → 1. */
  periodAccuracy: number;
  periodMatched: number;
  periodCorrect: number;
  /** Share of those whose asOf string equals gold exactly (stricter than periodMatches). */
  asOfAccuracy: number;
  asOfCorrect: number;
  predictions: Outcome[];
  mismatches: Mismatch[];
}

export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|(?<!-)-+$/g, '');
}

function companyMatches(gold: GoldFact, pred: PredFact): boolean {
  const g = gold.company.toLowerCase();
  if (pred.companySlug && pred.companySlug.toLowerCase() === g) return true;
  return slugify(pred.company ?? '') === g;
}

export function valuesMatch(a: number | null | undefined, b: number | null | undefined): boolean {
  if (a == null || b == null) return a == null && b == null;
  if (a === b) return true;
  if (Math.sign(a) !== Math.sign(b)) return false;
  return Math.abs(a - b) <= 0.01 * Math.max(Math.abs(a), Math.abs(b));
}

function unitsMatch(a: string | null | undefined, b: string | null | undefined): boolean {
  return (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
}

export function normaliseQuote(s: string): string {
  return s
    .toLowerCase()
    .replace(/[‘’‚‛′`]/g, "'")
    .replace(/[“”„‟″«»"]/g, '')
    .replace(/[—–]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s'.,;:!?-]+|(?<![\s'.,;:!?-])[\s'.,;:!?-]+$/g, '')
    .trim();
}

function tokens(s: string): Set<string> {
  return new Set(normaliseQuote(s).match(/[a-z0-9']+/g) ?? []);
}

export function quoteOverlap(a: string, b: string): boolean {
  const na = normaliseQuote(a);
  const nb = normaliseQuote(b);
  if (!na || !nb) return false;
  if (na.includes(nb) || nb.includes(na)) return true;
  const ta = tokens(a);
  const tb = tokens(b);
  let inter = 0;
  for (const t of ta) if (tb.has(t)) inter++;
  const union = ta.size + tb.size - inter;
  return union > 0 && inter / union >= 0.5;
}

export function speakerMatches(gold: string | null | undefined, pred: string | null | undefined): boolean {
  if (!gold || !pred) return false;
  const last = normaliseQuote(gold).split(/\s+/).pop() ?? '';
  if (!last) return false;
  const words = normaliseQuote(pred).split(/[^a-z0-9'-]+/);
  return words.includes(last) || normaliseQuote(pred).includes(last);
}

/** Kind, company and value agree (the period is not looked at). */
export function factsMatch(gold: GoldFact, pred: PredFact): boolean {
  if (gold.kind !== pred.kind) return false;
  if (!companyMatches(gold, pred)) return false;
  switch (gold.kind) {
    case 'quote':
      return speakerMatches(gold.speaker, pred.speaker) && quoteOverlap(gold.quote ?? '', pred.quote ?? '');
    case 'ipo':
      if ((gold.status ?? null) !== (pred.status ?? null)) return false;
      if (gold.value == null) return true;
      return valuesMatch(gold.value, pred.value) && unitsMatch(gold.unit, pred.unit);
    default:
      return valuesMatch(gold.value, pred.value) && unitsMatch(gold.unit, pred.unit);
  }
}

function counts(tp: number, fp: number, fn: number): Counts {
  const precision = tp + fp === 0 ? (fn === 0 ? 1 : 0) : tp / (tp + fp);
  const recall = tp + fn === 0 ? (fp === 0 ? 1 : 0) : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

/** Kind, company, value and — for every kind but quote — the period agree. */
export function factsMatchWithPeriod(gold: GoldFact, pred: PredFact): boolean {
  return factsMatch(gold, pred) && (gold.kind === 'quote' || periodMatches(gold.asOf, pred.asOf));
}

type Raw = Record<FactKind, { tp: number; gold: number; predicted: number }>;

const emptyRaw = (): Raw =>
  Object.fromEntries(FACT_KINDS.map((k) => [k, { tp: 0, gold: 0, predicted: 0 }])) as Raw;

function table(raw: Raw): Table {
  const perKind = Object.fromEntries(
    FACT_KINDS.map((k) => {
      const r = raw[k];
      return [k, { ...counts(r.tp, r.predicted - r.tp, r.gold - r.tp), gold: r.gold, predicted: r.predicted }];
    }),
  ) as Table['perKind'];
  const sum = (f: 'tp' | 'gold' | 'predicted'): number => FACT_KINDS.reduce((s, k) => s + raw[k][f], 0);
  const tp = sum('tp');
  return { perKind, overall: { ...counts(tp, sum('predicted') - tp, sum('gold') - tp), gold: sum('gold'), predicted: sum('predicted') } };
}

/** Greedy one-to-one: each gold fact (in order) takes the first unused prediction `match` accepts. */
function pairUp(golds: GoldFact[], preds: PredFact[], goldUsed: boolean[], predUsed: boolean[], match: (g: GoldFact, p: PredFact) => boolean): [number, number][] {
  const pairs: [number, number][] = [];
  golds.forEach((g, gi) => {
    if (goldUsed[gi]) return;
    const pi = preds.findIndex((p, j) => !predUsed[j] && match(g, p));
    if (pi < 0) return;
    goldUsed[gi] = true;
    predUsed[pi] = true;
    pairs.push([gi, pi]);
  });
  return pairs;
}

export function scoreExtraction(gold: GoldArticle[], predicted: Map<string, ReadonlyArray<PredFact>>): ScoreResult {
  const counted = emptyRaw();
  const blind = emptyRaw();
  const mismatches: Mismatch[] = [];
  const predictions: Outcome[] = [];
  let periodMatched = 0;
  let periodCorrect = 0;
  let asOfCorrect = 0;
  for (const art of gold) {
    const preds = (predicted.get(art.id) ?? []).filter((p) => counted[p.kind] !== undefined);
    for (const p of preds) {
      counted[p.kind].predicted++;
      blind[p.kind].predicted++;
    }
    for (const g of art.facts) {
      counted[g.kind].gold++;
      blind[g.kind].gold++;
    }
    const goldUsed = new Array<boolean>(art.facts.length).fill(false);
    const predUsed = new Array<boolean>(preds.length).fill(false);
    const right = pairUp(art.facts, preds, goldUsed, predUsed, factsMatchWithPeriod);
    const wrongPeriod = pairUp(art.facts, preds, goldUsed, predUsed, factsMatch);
    const tpPred = new Set(right.map(([, pi]) => pi));
    const blindPred = new Set([...right, ...wrongPeriod].map(([, pi]) => pi));
    for (const [gi, pi] of right) {
      const g = art.facts[gi]!;
      counted[g.kind].tp++;
      blind[g.kind].tp++;
      if (g.kind === 'quote') continue;
      periodMatched++;
      periodCorrect++;
      if ((g.asOf ?? null) === (preds[pi]!.asOf ?? null)) asOfCorrect++;
    }
    for (const [gi, pi] of wrongPeriod) {
      const g = art.facts[gi]!;
      blind[g.kind].tp++;
      periodMatched++;
      mismatches.push({ articleId: art.id, type: 'period', kind: g.kind, company: g.company, value: g.value, unit: g.unit, evidence: g.evidence, goldAsOf: g.asOf, predAsOf: preds[pi]!.asOf ?? null });
    }
    art.facts.forEach((g, gi) => {
      if (!goldUsed[gi]) mismatches.push({ articleId: art.id, type: 'fn', kind: g.kind, company: g.company, value: g.value, unit: g.unit, evidence: g.evidence, speaker: g.speaker ?? null, quote: g.quote ?? null, status: g.status ?? null });
    });
    preds.forEach((p, pi) => {
      predictions.push({ articleId: art.id, fact: p, tp: tpPred.has(pi), blindTp: blindPred.has(pi) });
      if (!predUsed[pi]) mismatches.push({ articleId: art.id, type: 'fp', kind: p.kind, company: p.companySlug ?? slugify(p.company ?? ''), value: p.value, unit: p.unit, evidence: p.evidence, speaker: p.speaker ?? null, quote: p.quote ?? null, status: p.status ?? null });
    });
  }
  return {
    ...table(counted),
    blind: table(blind),
    periodAccuracy: periodMatched === 0 ? 1 : periodCorrect / periodMatched,
    periodMatched,
    periodCorrect,
    asOfAccuracy: periodMatched === 0 ? 1 : asOfCorrect / periodMatched,
    asOfCorrect,
    predictions,
    mismatches,
  };
}
