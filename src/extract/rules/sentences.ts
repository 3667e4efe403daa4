/**
 * Sentence splitting with character offsets into the text. Robust to abbreviations ("Mr.", "U.S.",
 * "Inc."), decimals ("$1.2bn"), initials ("J. Smith") and closing quotes ("…,” he said. “Next.”).
 */
export interface Sentence {
  text: string;
  start: number;
  end: number;
  /** Paragraph index (paragraphs are separated by blank lines). */
  para: number;
  /** Index of the sentence in the article. */
  index: number;
}

const ABBREV = new Set(
  [
    'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'inc', 'ltd', 'corp', 'co', 'plc', 'llc', 'bros',
    'vs', 'etc', 'no', 'nos', 'approx', 'est', 'dept', 'gov', 'gen', 'sen', 'rep', 'rev', 'hon', 'sgt', 'capt',
    'lt', 'col', 'maj', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
    'fig', 'ave', 'blvd', 'cf', 'al', 'ft', 'op', 'vol', 'pp',
  ],
);
// Abbreviations that usually do not end a sentence even before a capital.
const NEVER_END = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'st', 'gen', 'sen', 'rep', 'rev', 'hon', 'sgt', 'capt', 'lt', 'col', 'maj', 'no', 'nos', 'vs', 'cf', 'fig', 'op', 'vol', 'pp']);

// Starts only at the first mark of a run: retrying inside a long run of "!!!!…" rescans it (quadratic).
const BOUNDARY_RE = /(?<![.!?…])[.!?…]+["'”’)\]]*(?=\s)/g;

/** Splits `text` into sentences; text.slice(s.start, s.end) === s.text for every sentence. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const paraRe = /\S(?:[\s\S]*?\S)?(?=\s*\n\s*\n|\s*$)/g;
  let para = 0;
  for (let pm = paraRe.exec(text); pm; pm = paraRe.exec(text)) {
    splitParagraph(text, pm.index, pm.index + pm[0].length, para, out);
    para++;
  }
  return out;
}

function splitParagraph(text: string, pStart: number, pEnd: number, para: number, out: Sentence[]): void {
  const p = text.slice(pStart, pEnd);
  let sStart = 0;
  BOUNDARY_RE.lastIndex = 0;
  // Single newlines inside a paragraph end a line-like sentence when the line has no final punctuation
  // but the next starts with a capital (lists, headings) — handled by treating "\n" as a boundary.
  const cuts: number[] = [];
  for (let m = BOUNDARY_RE.exec(p); m; m = BOUNDARY_RE.exec(p)) {
    const endPunct = m.index + m[0].length;
    if (isBoundary(p, m.index, endPunct)) cuts.push(endPunct);
  }
  for (let i = p.indexOf('\n'); i >= 0; i = p.indexOf('\n', i + 1)) cuts.push(i);
  cuts.sort((a, b) => a - b);
  for (const c of cuts) {
    if (c <= sStart) continue;
    push(text, pStart + sStart, pStart + c, para, out);
    sStart = c;
  }
  push(text, pStart + sStart, pEnd, para, out);
}

function push(text: string, s: number, e: number, para: number, out: Sentence[]): void {
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  if (e > s) out.push({ text: text.slice(s, e), start: s, end: e, para, index: out.length });
}

function isBoundary(p: string, punctAt: number, after: number): boolean {
  const ch = p[punctAt]!;
  // Next visible character.
  let j = after;
  while (j < p.length && /\s/.test(p[j]!)) j++;
  if (j >= p.length) return true;
  const next = p[j]!;
  const nextWord = /^[\p{L}\p{N}'’]+/u.exec(p.slice(j))?.[0] ?? '';
  const closedQuote = /["”’]/.test(p.slice(punctAt, after));
  if (ch !== '.') {
    // "?”/"!” followed by a lowercase attribution ("…?” she asked.") is one sentence.
    return !/\p{Ll}/u.test(next);
  }
  // Closing quote then "he said": the quote and its attribution stay together.
  if (/\p{Ll}/u.test(next)) return false;
  if (closedQuote) return true;
  // The word before the period.
  let k = punctAt;
  while (k > 0 && /[\p{L}.&]/u.test(p[k - 1]!)) k--;
  const word = p.slice(k, punctAt);
  const lw = word.toLowerCase().replace(/\./g, '');
  if (NEVER_END.has(lw) && !word.includes('.')) return /["“(]/.test(next) ? false : false;
  if (/^\p{Lu}$/u.test(word)) return false; // initials: "J. Smith"
  if (/^(?:\p{L}\.)+\p{L}?$/u.test(word)) {
    // Dotted acronyms "U.S." end a sentence only if a typical sentence starter follows.
    return /^(?:The|A|An|It|He|She|They|We|In|On|But|And|This|That|Its|Their|Shares|However)$/.test(nextWord);
  }
  if (ABBREV.has(lw)) {
    if (lw === 'inc' || lw === 'ltd' || lw === 'corp' || lw === 'co' || lw === 'plc' || lw === 'llc' || lw === 'etc')
      return /^(?:The|A|An|It|He|She|They|We|In|On|But|And|This|That|Its|Their|Shares|However)$/.test(nextWord) || /["“]/.test(next);
    if (/^(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)$/.test(lw)) return !/^\d/.test(next);
    return false;
  }
  if (/^\d/.test(next) && /\d$/.test(p.slice(0, punctAt))) return true;
  return /[\p{Lu}\p{N}"“‘'(\[]/u.test(next);
}

/** The sentence containing offset `pos`, by binary search. */
export function sentenceAt(sentences: Sentence[], pos: number): Sentence | null {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sentences[mid]!;
    if (pos < s.start) hi = mid - 1;
    else if (pos >= s.end) lo = mid + 1;
    else return s;
  }
  return null;
}
