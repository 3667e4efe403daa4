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
 * asOf is scored separately: accuracy over matched pairs of non-quote kinds.
 */
import { FACT_KINDS, type CandidateFact, type FactKind, type IpoStatus } from '../types.ts';

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
  Partial<Pick<CandidateFact, 'companySlug' | 'status' | 'speaker' | 'quote' | 'valueHigh' | 'label'>>;

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
  type: 'fp' | 'fn' | 'asOf';
  kind: FactKind;
  company: string;
  value: number | null;
  unit: string | null;
  evidence: string;
  /** For asOf mismatches: gold vs predicted. */
  goldAsOf?: string | null;
  predAsOf?: string | null;
  speaker?: string | null;
  quote?: string | null;
  status?: string | null;
}

export interface ScoreResult {
  perKind: Record<FactKind, Counts & { gold: number; predicted: number }>;
  overall: Counts & { gold: number; predicted: number };
  /** Share of matched non-quote pairs whose asOf equals gold (NaN-free: 0 matched → 1). */
  asOfAccuracy: number;
  asOfMatched: number;
  asOfCorrect: number;
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

export function scoreExtraction(gold: GoldArticle[], predicted: Map<string, ReadonlyArray<PredFact>>): ScoreResult {
  const raw = Object.fromEntries(FACT_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0, gold: 0, predicted: 0 }])) as Record<
    FactKind,
    { tp: number; fp: number; fn: number; gold: number; predicted: number }
  >;
  const mismatches: Mismatch[] = [];
  let asOfMatched = 0;
  let asOfCorrect = 0;
  for (const art of gold) {
    const preds = [...(predicted.get(art.id) ?? [])];
    const used = new Array<boolean>(preds.length).fill(false);
    for (const p of preds) if (raw[p.kind]) raw[p.kind].predicted++;
    for (const g of art.facts) {
      raw[g.kind].gold++;
      const i = preds.findIndex((p, j) => !used[j] && factsMatch(g, p));
      if (i < 0) {
        raw[g.kind].fn++;
        mismatches.push({ articleId: art.id, type: 'fn', kind: g.kind, company: g.company, value: g.value, unit: g.unit, evidence: g.evidence, speaker: g.speaker ?? null, quote: g.quote ?? null, status: g.status ?? null });
        continue;
      }
      used[i] = true;
      raw[g.kind].tp++;
      const p = preds[i]!;
      if (g.kind !== 'quote') {
        asOfMatched++;
        if ((g.asOf ?? null) === (p.asOf ?? null)) asOfCorrect++;
        else mismatches.push({ articleId: art.id, type: 'asOf', kind: g.kind, company: g.company, value: g.value, unit: g.unit, evidence: g.evidence, goldAsOf: g.asOf, predAsOf: p.asOf ?? null });
      }
    }
    preds.forEach((p, j) => {
      if (used[j] || !raw[p.kind]) return;
      raw[p.kind].fp++;
      mismatches.push({ articleId: art.id, type: 'fp', kind: p.kind, company: p.companySlug ?? slugify(p.company ?? ''), value: p.value, unit: p.unit, evidence: p.evidence, speaker: p.speaker ?? null, quote: p.quote ?? null, status: p.status ?? null });
    });
  }
  const perKind = Object.fromEntries(
    FACT_KINDS.map((k) => [k, { ...counts(raw[k].tp, raw[k].fp, raw[k].fn), gold: raw[k].gold, predicted: raw[k].predicted }]),
  ) as ScoreResult['perKind'];
  const sum = (f: 'tp' | 'fp' | 'fn' | 'gold' | 'predicted'): number => FACT_KINDS.reduce((s, k) => s + raw[k][f], 0);
  return {
    perKind,
    overall: { ...counts(sum('tp'), sum('fp'), sum('fn')), gold: sum('gold'), predicted: sum('predicted') },
    asOfAccuracy: asOfMatched === 0 ? 1 : asOfCorrect / asOfMatched,
    asOfMatched,
    asOfCorrect,
    mismatches,
  };
}
