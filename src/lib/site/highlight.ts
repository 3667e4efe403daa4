/**
 * Article text cut into pieces for highlighting each fact's evidence. Evidence spans are offsets into
 * the stored text (JS string indices, UTF-16 units, as the extractor stored them); they can overlap,
 * nest, repeat (one sentence is the evidence of several facts) or run across a paragraph break.
 * HTML cannot nest overlapping marks, so the text is cut at every span boundary and every paragraph
 * break into non-overlapping segments, each knowing every fact that covers it. Pure data out: the
 * page renders it through Astro's escaping, never as an HTML string.
 */

export interface Span {
  start: number;
  end: number;
  factId: string;
}

export interface Segment {
  text: string;
  /** Facts whose evidence covers this piece, in the order their evidence first appears (empty: plain text). */
  factIds: string[];
  /** Facts whose evidence is seen here for the first time in the article: this piece carries id="fact-<id>". */
  anchorFor: string[];
  /** Facts whose run of evidence ends with this piece: a note linking to the fact follows it. */
  notesFor: string[];
}

/** Paragraphs as [start, end) offsets: blank-line separated, as the collector stores text. */
export function paragraphs(text: string): [number, number][] {
  const out: [number, number][] = [];
  const sep = /\n[ \t]*\n\s*/g;
  let at = 0;
  for (let m = sep.exec(text); m; m = sep.exec(text)) {
    if (m.index > at) out.push([at, m.index]);
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push([at, text.length]);
  return out;
}

/** Spans that fit the text; anything else (stale offsets, NaN, empty) is dropped rather than guessed at. */
function usable(text: string, spans: readonly Span[]): Span[] {
  return spans.filter(
    (s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= text.length && s.start < s.end,
  );
}

/**
 * Sweep over the sorted cut points keeping a count of open spans per fact (a fact may have two
 * overlapping spans of its own): O((spans + paragraphs) log spans), so a long article with hundreds
 * of facts costs nothing noticeable in a 10k-page build.
 */
export function segment(text: string, spans: readonly Span[]): Segment[][] {
  const valid = usable(text, spans).sort((a, b) => a.start - b.start || a.end - b.end);
  // Facts ranked by where their evidence first starts: the order factIds are listed in.
  const rank = new Map<string, number>();
  for (const s of valid) if (!rank.has(s.factId)) rank.set(s.factId, rank.size);

  const paras = paragraphs(text);
  const opens = new Map<number, string[]>();
  const closes = new Map<number, string[]>();
  const cuts = new Set<number>();
  for (const [ps, pe] of paras) cuts.add(ps).add(pe);
  for (const s of valid) {
    cuts.add(s.start).add(s.end);
    (opens.get(s.start) ?? opens.set(s.start, []).get(s.start)!).push(s.factId);
    (closes.get(s.end) ?? closes.set(s.end, []).get(s.end)!).push(s.factId);
  }
  const points = [...cuts].sort((a, b) => a - b);

  const open = new Map<string, number>();
  const result: Segment[][] = paras.map(() => []);
  const order: Segment[] = [];
  let p = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    for (const f of closes.get(a) ?? []) {
      const n = open.get(f)! - 1;
      if (n) open.set(f, n);
      else open.delete(f);
    }
    for (const f of opens.get(a) ?? []) open.set(f, (open.get(f) ?? 0) + 1);
    while (p < paras.length && paras[p]![1] <= a) p++;
    const para = paras[p];
    if (!para || para[0] > a) continue; // the blank lines between paragraphs are not shown
    const factIds = [...open.keys()].sort((x, y) => rank.get(x)! - rank.get(y)!);
    const segs = result[p]!;
    const prev = segs[segs.length - 1];
    // A cut that changes nothing visible (a fact's two spans meeting) would only split a mark in two.
    if (prev && sameIds(prev.factIds, factIds)) prev.text += text.slice(a, b);
    else {
      const seg: Segment = { text: text.slice(a, b), factIds, anchorFor: [], notesFor: [] };
      segs.push(seg);
      order.push(seg);
    }
  }

  const anchored = new Set<string>();
  order.forEach((seg, i) => {
    for (const f of seg.factIds) {
      if (!anchored.has(f)) {
        anchored.add(f);
        seg.anchorFor.push(f);
      }
      // A run of evidence continues into the next piece, even across a paragraph break.
      if (!order[i + 1]?.factIds.includes(f)) seg.notesFor.push(f);
    }
  });
  return result;
}

function sameIds(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
