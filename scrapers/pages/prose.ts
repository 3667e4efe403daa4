/**
 * Where a page's prose is. One pass over the body finds the "text units" — a <p>/<pre>, or an
 * element's own direct text — and gives:
 *   - score: Readability-style container scores (a unit's length to its parent, half to its
 *     grandparent), whose best element is the article's core container;
 *   - prose: for every element, the characters of prose beneath it (units of a sentence or more,
 *     mostly not links).
 * Pre-cleaning uses `prose` to spare named containers that hold the article (a "widget" that is the
 * blog post, a "teaser-text" lead), and region.ts uses it to see an article split across siblings.
 */

/** A unit shorter than this is furniture (labels, dates, buttons), not prose. */
export const MIN_PROSE_UNIT = 50;
const SENTENCE_MARK = /[.!?…。！？;:,，、]/;

export interface ProseScan {
  /** The best-scored container: the element whose own paragraphs hold the most text. */
  core: Element;
  /** The same, scored by prose units only: where the sentences are, whatever the lists around them. */
  proseCore: Element;
  /** Prose characters beneath each element (elements without prose are absent). */
  prose: Map<Element, number>;
  /** Prose units (paragraphs) beneath each element. */
  units: Map<Element, number>;
}

function linkChars(el: Element): number {
  let n = 0;
  for (const a of Array.from(el.getElementsByTagName('a'))) n += (a.textContent ?? '').trim().length;
  return n;
}

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;

/** Elements whose content is never page text (JSON-LD scripts are kept in the document for metadata). */
const NOT_TEXT = new Set(['script', 'style', 'template', 'noscript', 'textarea', 'select', 'svg']);

/** Hidden by attribute or inline style (schema.org copies of the article, collapsed menus). */
export function isHidden(el: Element): boolean {
  return el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true' || HIDDEN_STYLE.test(el.getAttribute('style') ?? '');
}

/** `skip`: elements whose subtrees do not count (e.g. comment sections on a news page). */
export function scanProse(body: Element, skip?: (el: Element) => boolean): ProseScan {
  const scores = new Map<Element, number>();
  const proseScores = new Map<Element, number>();
  const prose = new Map<Element, number>();
  const units = new Map<Element, number>();
  // Text nobody sees is not the article (a display:none schema.org block often repeats it whole).
  const hidden = new Set<Element>();
  const add = (m: Map<Element, number>, el: Element | null, v: number): void => {
    if (el) m.set(el, (m.get(el) ?? 0) + v);
  };
  for (const el of Array.from(body.querySelectorAll('*'))) {
    if ((el.parentElement && hidden.has(el.parentElement)) || NOT_TEXT.has(el.localName) || isHidden(el) || skip?.(el)) {
      hidden.add(el);
      continue;
    }
    let own = 0;
    let text = '';
    const whole = el.localName === 'p' || el.localName === 'pre';
    if (whole) {
      text = (el.textContent ?? '').trim();
      own = text.length;
    } else {
      for (let c = el.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) {
          const v = (c.nodeValue ?? '').trim();
          own += v.length;
          if (text.length < 400) text += v + ' ';
        }
      }
    }
    if (own < 25) continue;
    const parent = el.parentElement;
    add(scores, parent, own);
    add(scores, parent?.parentElement ?? null, own / 2);
    if (own >= MIN_PROSE_UNIT && SENTENCE_MARK.test(text) && (!whole || linkChars(el) < own * 0.3)) {
      for (let a: Element | null = el; a && a !== body.parentElement; a = a.parentElement) {
        add(prose, a, own);
        add(units, a, 1);
      }
      add(proseScores, parent, own);
      add(proseScores, parent?.parentElement ?? null, own / 2);
    }
  }
  return { core: best(scores, body), proseCore: best(proseScores, body), prose, units };
}

function best(scores: Map<Element, number>, fallback: Element): Element {
  let top = fallback;
  let max = 0;
  for (const [el, v] of scores) {
    if (v > max) {
      max = v;
      top = el;
    }
  }
  return top;
}

/** Characters of text inside links under `el` over its text length (0 for an empty element). */
export function linkDensityOf(el: Element): number {
  const len = (el.textContent ?? '').trim().length;
  return len ? linkChars(el) / len : 0;
}
