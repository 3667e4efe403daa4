/**
 * Splits a long article into chunks of whole paragraphs that fit the model's context. Every chunk is
 * an exact substring of the text (with its offset), so evidence the model copies from a chunk is
 * also found in the article.
 */

export interface Chunk {
  text: string;
  /** Offset of the chunk in the article text. */
  start: number;
}

/** Rough token estimate used for chunking and the budget: 4 characters a token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export const DEFAULT_CHUNK_TOKENS = 6000;

/** Splits at blank lines, then sentence ends, then spaces, into pieces of at most maxChars. */
function pieces(text: string, maxChars: number): Chunk[] {
  const out: Chunk[] = [];
  const paras = /[^\n]+(?:\n(?![^\S\n]*\n)[^\n]*)*/g; // runs of non-blank lines
  for (const m of text.matchAll(paras)) {
    const p = m[0];
    if (!p.trim()) continue;
    if (p.length <= maxChars) {
      out.push({ text: p, start: m.index });
      continue;
    }
    // A paragraph too long on its own: cut at the last sentence end (or space) before the limit.
    let from = 0;
    while (from < p.length) {
      let to = Math.min(p.length, from + maxChars);
      if (to < p.length) {
        const window = p.slice(from, to);
        const sentence = Math.max(window.lastIndexOf('. '), window.lastIndexOf('? '), window.lastIndexOf('! '));
        const space = window.lastIndexOf(' ');
        if (sentence > maxChars / 4) to = from + sentence + 2;
        else if (space > maxChars / 4) to = from + space + 1;
      }
      out.push({ text: p.slice(from, to), start: m.index + from });
      from = to;
    }
  }
  return out;
}

/**
 * Packs paragraphs greedily into chunks of at most `maxTokens` (estimated). A chunk's text runs from
 * its first paragraph to the end of its last one in the original string.
 */
export function chunkText(text: string, maxTokens = DEFAULT_CHUNK_TOKENS): Chunk[] {
  const maxChars = Math.max(200, maxTokens * 4);
  if (text.length <= maxChars) return text.trim() ? [{ text, start: 0 }] : [];
  const chunks: Chunk[] = [];
  let cur: { start: number; end: number } | null = null;
  for (const p of pieces(text, maxChars)) {
    const end = p.start + p.text.length;
    if (cur && end - cur.start <= maxChars) {
      cur.end = end;
      continue;
    }
    if (cur) chunks.push({ text: text.slice(cur.start, cur.end), start: cur.start });
    cur = { start: p.start, end };
  }
  if (cur) chunks.push({ text: text.slice(cur.start, cur.end), start: cur.start });
  return chunks;
}
