import { describe, expect, it } from 'vitest';
import { paragraphs, segment, type Segment, type Span } from '../../../src/lib/site/highlight.ts';

/** A compact view of one paragraph: text pieces with their facts, "*" marking anchors and "^" notes. */
function view(para: Segment[]): string[] {
  return para.map((s) => {
    if (!s.factIds.length) return s.text;
    const ids = s.factIds.map((f) => `${s.anchorFor.includes(f) ? '*' : ''}${f}${s.notesFor.includes(f) ? '^' : ''}`);
    return `[${s.text}|${ids.join(',')}]`;
  });
}

function at(text: string, piece: string, factId: string, from = 0): Span {
  const start = text.indexOf(piece, from);
  if (start < 0) throw new Error(`"${piece}" not in text`);
  return { start, end: start + piece.length, factId };
}

describe('paragraphs', () => {
  it('splits on blank lines (with stray spaces) and keeps single line breaks inside a paragraph', () => {
    const t = 'One.\nStill one.\n\nTwo.\n  \n\nThree.';
    expect(paragraphs(t).map(([a, b]) => t.slice(a, b))).toEqual(['One.\nStill one.', 'Two.', 'Three.']);
  });
  it('ignores leading and trailing blank lines', () => {
    const t = '\n\nOnly.\n\n';
    expect(paragraphs(t).map(([a, b]) => t.slice(a, b))).toEqual(['Only.']);
    expect(paragraphs('')).toEqual([]);
  });
});

describe('segment', () => {
  it('returns plain paragraphs when there is no evidence', () => {
    expect(segment('A.\n\nB.', []).map(view)).toEqual([['A.'], ['B.']]);
  });

  it('marks one span with its anchor and note', () => {
    const t = 'Klarna grew. Revenue rose 17%. Done.';
    expect(segment(t, [at(t, 'Revenue rose 17%.', 'f1')]).map(view)).toEqual([
      ['Klarna grew. ', '[Revenue rose 17%.|*f1^]', ' Done.'],
    ]);
  });

  it('splits crossing spans into pieces that each know every fact covering them', () => {
    const t = 'aaaa bbbb cccc';
    const spans = [at(t, 'aaaa bbbb', 'A'), at(t, 'bbbb cccc', 'B')];
    expect(segment(t, spans).map(view)).toEqual([['[aaaa |*A]', '[bbbb|A^,*B]', '[ cccc|B^]']]);
  });

  it('handles nesting: the outer fact keeps its anchor on its first piece, the inner one gets its own', () => {
    const t = 'The valuation fell to $6.7 billion last year.';
    const spans = [at(t, t, 'outer'), at(t, '$6.7 billion', 'inner')];
    expect(segment(t, spans).map(view)).toEqual([
      ['[The valuation fell to |*outer]', '[$6.7 billion|outer,*inner^]', '[ last year.|outer^]'],
    ]);
  });

  it('gives every fact of a shared sentence an anchor on the same piece', () => {
    const t = 'Revenue rose 17% to $701 million.';
    const spans = [at(t, t, 'rev'), at(t, t, 'growth'), at(t, t, 'rev')];
    const [para] = segment(t, spans);
    expect(para).toHaveLength(1);
    // Ties keep the order the spans came in.
    expect(para![0]).toEqual({ text: t, factIds: ['rev', 'growth'], anchorFor: ['rev', 'growth'], notesFor: ['rev', 'growth'] });
  });

  it('anchors only the first piece of a fact that is evidenced twice, with a note after each run', () => {
    const t = 'Cut 700 jobs. Other news. Cut 700 jobs again.';
    const spans = [at(t, 'Cut 700 jobs', 'f'), at(t, 'Cut 700 jobs', 'f', 5)];
    expect(segment(t, spans).map(view)).toEqual([['[Cut 700 jobs|*f^]', '. Other news. ', '[Cut 700 jobs|f^]', ' again.']]);
  });

  it('merges a fact’s own touching or overlapping spans instead of splitting its mark', () => {
    const t = 'abcdefghij';
    const spans = [{ start: 0, end: 5, factId: 'f' }, { start: 5, end: 8, factId: 'f' }, { start: 2, end: 6, factId: 'f' }];
    expect(segment(t, spans).map(view)).toEqual([['[abcdefgh|*f^]', 'ij']]);
  });

  it('keeps a span that ends exactly at the end of the text', () => {
    const t = 'Intro.\n\nKlarna has 3,000 employees';
    const [, p2] = segment(t, [at(t, '3,000 employees', 'h')]);
    expect(view(p2!)).toEqual(['Klarna has ', '[3,000 employees|*h^]']);
  });

  it('carries a span across a paragraph break without marking the blank lines, note at its very end', () => {
    const t = 'First ends here.\n\nSecond starts here. Tail.';
    const span = { start: t.indexOf('ends'), end: t.indexOf(' Tail'), factId: 'x' };
    const out = segment(t, [span]).map(view);
    expect(out).toEqual([['First ', '[ends here.|*x]'], ['[Second starts here.|x^]', ' Tail.']]);
    expect(out.flat().join('')).not.toContain('\n');
  });

  it('ignores spans outside the text or malformed, and keeps the good ones', () => {
    const t = 'Short text.';
    const spans: Span[] = [
      { start: 0, end: 99, factId: 'past-end' },
      { start: -1, end: 3, factId: 'negative' },
      { start: 4, end: 4, factId: 'empty' },
      { start: 6, end: 2, factId: 'reversed' },
      { start: Number.NaN, end: 3, factId: 'nan' },
      { start: 1.5, end: 3, factId: 'fraction' },
      { start: 6, end: 10, factId: 'ok' },
    ];
    expect(segment(t, spans).map(view)).toEqual([['Short ', '[text|*ok^]', '.']]);
  });

  it('uses JS string indices, so offsets around emoji and astral characters stay aligned', () => {
    const t = 'Klarna 🚀 grew 𝟏𝟕% and 👩‍💻 staff fell.';
    const spans = [at(t, '🚀 grew 𝟏𝟕%', 'a'), at(t, '👩‍💻 staff', 'b')];
    const out = segment(t, spans);
    expect(view(out[0]!)).toEqual(['Klarna ', '[🚀 grew 𝟏𝟕%|*a^]', ' and ', '[👩‍💻 staff|*b^]', ' fell.']);
    expect(out[0]!.map((s) => s.text).join('')).toBe(t);
  });

  it('keeps every character exactly once and the right facts on it (random spans)', () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let round = 0; round < 300; round++) {
      const words = Array.from({ length: 5 + rnd(40) }, (_, i) => (rnd(6) === 0 ? '\n\n' : rnd(9) === 0 ? '😀' : `w${i} `));
      const text = words.join('');
      const spans: Span[] = Array.from({ length: rnd(8) }, () => {
        const s = rnd(text.length + 2) - 1;
        return { start: s, end: s + rnd(25), factId: `f${rnd(5)}` };
      });
      const out = segment(text, spans);
      const paras = paragraphs(text);
      expect(out).toHaveLength(paras.length);
      const valid = spans.filter((s) => s.start >= 0 && s.end <= text.length && s.start < s.end);
      const anchors: string[] = [];
      const seen = new Set<string>();
      out.forEach((segs, p) => {
        const [ps, pe] = paras[p]!;
        expect(segs.map((s) => s.text).join('')).toBe(text.slice(ps, pe));
        let pos = ps;
        for (const seg of segs) {
          expect(seg.text.length).toBeGreaterThan(0);
          for (let k = 0; k < seg.text.length; k++, pos++) {
            const covering = new Set(valid.filter((s) => s.start <= pos && pos < s.end).map((s) => s.factId));
            expect(new Set(seg.factIds)).toEqual(covering);
          }
          for (const f of seg.anchorFor) {
            expect(seen.has(f)).toBe(false); // the anchor is on the first piece of the fact
            anchors.push(f);
          }
          for (const f of seg.factIds) seen.add(f);
          expect(seg.notesFor.every((f) => seg.factIds.includes(f))).toBe(true);
        }
      });
      expect(anchors.sort()).toEqual([...new Set(valid.map((s) => s.factId))].sort());
    }
  });
});
