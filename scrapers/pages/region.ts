/**
 * The article's region when it is split across sibling blocks.
 *
 * Readability keeps one container (plus a few high-scoring siblings). Page builders (Elementor,
 * Drupal panels, TYPO3 content elements), multi-column layouts, recipe and product pages and forum
 * threads put one article into many sibling blocks: a text widget, a heading widget, another text
 * widget in the next column. Starting at the core container, this climbs the tree and, at each
 * level, takes in the siblings that hold comparable prose (and the blocks between them, such as
 * subheadings), so the region is the run of blocks that together carry the article.
 */
import { classWords } from './clean.ts';
import { linkDensityOf } from './prose.ts';

/** How far above the core the region may grow. */
const MAX_CLIMB = 8;
/** A sibling is comparable when its prose is at least this share of the region's so far... */
const COMPARABLE_SHARE = 0.15;
/** ...and at least this many characters (one real paragraph). */
const MIN_SIBLING_PROSE = 120;

/** A standfirst sits this close above the core: in the article's header, beside its body. */
const LEAD_LEVELS = 3;
const MIN_LEAD = 50;
/** Class words that name a lead or standfirst, in the vocabularies of several languages' CMSs. */
const LEAD_WORDS = new Set(['lead', 'lede', 'standfirst', 'dek', 'intro', 'summary', 'teaser', 'excerpt', 'subtitle', 'subheadline', 'sapo', 'chapeau', 'chapo', 'entradilla', 'occhiello', 'catenaccio', 'vorspann', 'anriss']);

function looksLikeLead(el: Element, proseOf: (el: Element) => number): boolean {
  if (proseOf(el) < MIN_LEAD || linkDensityOf(el) >= 0.3) return false;
  const tag = el.localName;
  if (tag === 'header' || tag === 'hgroup') return true;
  return classWords(`${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`).some((w) => LEAD_WORDS.has(w));
}

export interface Region {
  /** The article's lead (standfirst) block just above the core, when there is one. */
  lead: Element | null;
  /** Elements, in document order, whose subtrees make the article. */
  parts: Element[];
  /** Prose characters in the region. */
  prose: number;
  /** Prose characters of the core alone. */
  coreProse: number;
}

export function articleRegion(core: Element, prose: Map<Element, number>, body: Element): Region {
  const proseOf = (el: Element): number => prose.get(el) ?? 0;
  const coreProse = proseOf(core);
  let parts: Element[] = [core];
  let total = coreProse;
  let node = core;
  let lead: Element | null = null;
  for (let level = 0; level < MAX_CLIMB && node !== body; level++) {
    const parent = node.parentElement;
    if (!parent) break;
    const kids = Array.from(parent.children);
    const at = kids.indexOf(node);
    if (!lead && level < LEAD_LEVELS) {
      for (let i = at - 1; i >= Math.max(0, at - 3) && !lead; i--) if (looksLikeLead(kids[i]!, proseOf)) lead = kids[i]!;
    }
    const comparable = (el: Element): boolean => {
      const p = proseOf(el);
      if (p < MIN_SIBLING_PROSE || p < total * COMPARABLE_SHARE) return false;
      const len = (el.textContent ?? '').trim().length;
      // Mostly prose, few links: teaser lists and link blocks with blurbs are not the article.
      return p >= len * 0.6 && linkDensityOf(el) < 0.2;
    };
    // Walk outwards: comparable siblings extend the run, blocks without prose (subheadings, images)
    // are taken when a comparable one follows, and prose that is not comparable (a sidebar blurb,
    // a teaser) ends the run on that side.
    const extend = (step: number): number => {
      let edge = at;
      for (let i = at + step; i >= 0 && i < kids.length; i += step) {
        const k = kids[i]!;
        if (comparable(k)) edge = i;
        else if (proseOf(k) > 0) break;
      }
      return edge;
    };
    const lo = extend(-1);
    const hi = extend(1);
    if (lo < at || hi > at) {
      const left = kids.slice(lo, at);
      const right = kids.slice(at + 1, hi + 1);
      parts = [...left, ...parts, ...right];
      total = parts.reduce((s, el) => s + proseOf(el), 0);
    }
    node = parent;
  }
  return { lead, parts, prose: total, coreProse };
}
