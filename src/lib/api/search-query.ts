/**
 * Turns what a person typed into a safe FTS5 MATCH expression. FTS5 has its own query language
 * (AND/OR/NOT/NEAR, column filters `title:`, `^`, parentheses, `+`, `-`, `*`), and a stray quote or
 * bracket is a syntax error, so user text is never passed through: it is re-built from what we keep.
 *
 * Kept: words (runs of letters, digits and combining marks — what the unicode61 tokenizer indexes),
 * "quoted phrases", and a trailing * for a prefix search (on words of two or more characters; a
 * one-letter prefix would expand to most of the index). Words joined by punctuation ("buy-now",
 * "3.4") become a phrase, which is how the tokenizer saw them in the text. Bare AND/OR/NOT/NEAR are
 * dropped. Every term is emitted as a double-quoted string, which FTS5 reads literally.
 *
 * Returns null when nothing searchable remains.
 */

export const MAX_TERMS = 12;
const MAX_WORD = 64;
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const OPERATORS = new Set(['AND', 'OR', 'NOT', 'NEAR']);

interface Term {
  words: string[];
  prefix: boolean;
}

function term(text: string, prefix: boolean, quoted: boolean): Term | null {
  // Inside quotes AND is just a word; outside, upper-case operators are FTS5 syntax and go.
  const words = (text.match(WORD) ?? []).filter((w) => w.length <= MAX_WORD && (quoted || !OPERATORS.has(w)));
  if (words.length === 0) return null;
  return { words, prefix: prefix && words[words.length - 1]!.length >= 2 };
}

export function parseSearchTerms(input: string): Term[] {
  const terms: Term[] = [];
  const s = input.normalize('NFC');
  let i = 0;
  while (i < s.length && terms.length < MAX_TERMS) {
    const c = s[i]!;
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    let t: Term | null;
    if (c === '"') {
      const close = s.indexOf('"', i + 1);
      const end = close === -1 ? s.length : close;
      const prefix = close !== -1 && s[close + 1] === '*';
      t = term(s.slice(i + 1, end), prefix, true);
      i = close === -1 ? s.length : close + 1 + (prefix ? 1 : 0);
    } else {
      let end = i;
      while (end < s.length && !/\s/u.test(s[end]!) && s[end] !== '"') end++;
      const chunk = s.slice(i, end);
      t = term(chunk, chunk.endsWith('*'), false);
      i = end;
    }
    if (t) terms.push(t);
  }
  return terms;
}

export function toFtsQuery(input: string): string | null {
  const terms = parseSearchTerms(input);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t.words.join(' ')}"${t.prefix ? '*' : ''}`).join(' ');
}
