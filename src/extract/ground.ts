/**
 * Grounding: the gate every proposed fact passes before it is stored, whichever extractor made it.
 * A fact is kept only if (1) its evidence is found in the stored article text — exactly, or after
 * normalising whitespace, quote marks and dashes, in which case the exact original span is kept —
 * and (2) its value visibly appears in that evidence (digits or words, at the stated scale).
 */
import type { NumberMention } from './normalise/numbers.ts';
import type { CandidateFact } from './types.ts';

export type { NumberMention };

export type NumberFinder = (text: string) => NumberMention[];

export interface GroundedFact extends CandidateFact {
  /** Exact substring of the article text at [start, end). */
  evidence: string;
  start: number;
  end: number;
}

export type RejectReason = 'evidence-not-found' | 'value-not-in-evidence' | 'quote-not-in-evidence' | 'empty-evidence';

export interface GroundingResult {
  accepted: GroundedFact[];
  rejected: { fact: CandidateFact; reason: RejectReason }[];
}

/** Characters that differ between what a model copies and what a page printed. */
const FOLD: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u2033': '"', '\u00ab': '"', '\u00bb': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
  '\u00a0': ' ', '\u2009': ' ', '\u202f': ' ', '\u2026': '...',
};

/**
 * Normalised text plus, for every normalised character, the index of the original character it
 * came from — so a match in the normalised text maps back to an exact original span.
 */
export function foldWithMap(text: string): { folded: string; map: number[] } {
  let folded = '';
  const map: number[] = [];
  let lastSpace = true;
  for (let i = 0; i < text.length; i++) {
    let ch = FOLD[text[i]!] ?? text[i]!;
    if (/\s/.test(ch)) {
      if (lastSpace) continue;
      ch = ' ';
      lastSpace = true;
    } else lastSpace = false;
    for (const c of ch.toLowerCase()) {
      folded += c;
      map.push(i);
    }
  }
  return { folded, map };
}

function fold(s: string): string {
  return foldWithMap(s).folded.trim();
}

/** Finds `evidence` in `text`: exact (nearest to a hint), else normalised, mapped back to the exact span. */
export function locate(
  text: string,
  evidence: string,
  hint?: { start?: number; end?: number },
  folded?: { folded: string; map: number[] },
): { start: number; end: number } | null {
  const ev = evidence.trim();
  if (!ev) return null;
  if (hint?.start !== undefined && hint.end !== undefined && text.slice(hint.start, hint.end) === evidence && evidence === ev) {
    return { start: hint.start, end: hint.end };
  }
  let best = -1;
  for (let i = text.indexOf(ev); i !== -1; i = text.indexOf(ev, i + 1)) {
    if (best === -1 || Math.abs(i - (hint?.start ?? 0)) < Math.abs(best - (hint?.start ?? 0))) best = i;
    if (hint?.start === undefined) break;
  }
  if (best !== -1) return { start: best, end: best + ev.length };
  const f = folded ?? foldWithMap(text);
  const needle = fold(ev);
  if (!needle) return null;
  const at = f.folded.indexOf(needle);
  if (at === -1) return null;
  const start = f.map[at]!;
  const end = f.map[at + needle.length - 1]! + 1;
  return { start, end };
}

const close = (a: number, b: number) => {
  if (a === b) return true;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale > 0 && Math.abs(a - b) / scale <= 0.005;
};

/** Whether the fact's number(s) appear in its evidence. Facts without a value pass (an IPO status, a quote). */
export function valueAppears(fact: CandidateFact, evidence: string, findNumbers: NumberFinder): boolean {
  const wanted = [fact.value, fact.valueHigh].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (wanted.length === 0) return true;
  const mentions = findNumbers(evidence);
  return wanted.every((w) => mentions.some((m) => close(Math.abs(m.value), Math.abs(w))));
}

function quoteAppears(fact: CandidateFact, evidence: string): boolean {
  if (!fact.quote) return true;
  const ev = fold(evidence);
  const q = fold(fact.quote).replace(/^["']+|(?<!["'])["']+$/g, '').trim();
  if (!q) return false;
  if (ev.includes(q)) return true;
  // Split quotes ("First part," he said. "Second part.") are given joined; accept when every
  // word of the quote is in the evidence in order.
  const words = q.match(/[\p{L}\p{N}']+/gu) ?? [];
  let pos = 0;
  for (const w of words) {
    const i = ev.indexOf(w, pos);
    if (i === -1) return false;
    pos = i + w.length;
  }
  return words.length > 0;
}

export function groundFacts(text: string, candidates: CandidateFact[], findNumbers: NumberFinder): GroundingResult {
  const accepted: GroundedFact[] = [];
  const rejected: GroundingResult['rejected'] = [];
  let folded: { folded: string; map: number[] } | undefined;
  for (const fact of candidates) {
    if (!fact.evidence?.trim()) {
      rejected.push({ fact, reason: 'empty-evidence' });
      continue;
    }
    let span = locate(text, fact.evidence, fact, undefined === folded ? undefined : folded);
    if (!span) {
      folded ??= foldWithMap(text);
      span = locate(text, fact.evidence, fact, folded);
    }
    if (!span) {
      rejected.push({ fact, reason: 'evidence-not-found' });
      continue;
    }
    const evidence = text.slice(span.start, span.end);
    if (fact.kind === 'quote' ? !quoteAppears(fact, evidence) : !valueAppears(fact, evidence, findNumbers)) {
      rejected.push({ fact, reason: fact.kind === 'quote' ? 'quote-not-in-evidence' : 'value-not-in-evidence' });
      continue;
    }
    accepted.push({ ...fact, evidence, start: span.start, end: span.end });
  }
  return { accepted, rejected };
}
