/**
 * The field's vocabulary for the timeline search: words and phrases that reporters use for the same
 * thing ("laid off", "job cuts", "redundancies" are all layoffs) meet in one concept term.
 *
 * Index time: the pipeline function made by `vocabularyPipeline` runs inside lunr after the trimmer and before
 * the stop-word filter (which would drop the "off" of "laid off"), and adds a concept term ("=layoff")
 * beside the words it recognises. Query time: planQuery (search-shards.ts, run by the browser too)
 * hands the query's words to `queryConcepts`, which replaces the words of a recognised word or phrase
 * by a clause on its concept term. Both sides match with the same function (`matchConcepts`), so a
 * query meets exactly the facts whose text the index marked.
 *
 * Matching is on whole lower-cased words, listed form by form (no stemming, no regular expressions):
 * "laid" alone is not a layoff, and "layer" never meets "laid". Concept terms start with "=", which
 * the trimmer strips from any word a person types, so they cannot collide with a real word.
 *
 * Pure and browser-safe: no imports.
 */

export const CONCEPT_MARK = '=';

interface Concept {
  /** the concept term is CONCEPT_MARK + id */
  id: string;
  /** single words that mean the concept */
  words: string[];
  /** runs of adjacent words that mean it */
  phrases: string[][];
  /** a verb followed, within `within` words, by an object: "cut 20% of its workforce" */
  near?: { verbs: string[]; objects: string[]; within: number };
}

const CONCEPTS: Concept[] = [
  {
    id: 'layoff',
    words: ['layoff', 'layoffs', 'redundancy', 'redundancies'],
    phrases: [
      ['laid', 'off'],
      ['lay', 'off'],
      ['lays', 'off'],
      ['laying', 'off'],
      ['job', 'cuts'],
      ['job', 'cut'],
      ['jobs', 'cut'],
      ['job', 'losses'],
      ['cut', 'jobs'],
      ['cuts', 'jobs'],
      ['cutting', 'jobs'],
      ['made', 'redundant'],
    ],
    // "cut 210 jobs", "cut 20% of its workforce", "shed about 300 staff"
    near: {
      verbs: ['cut', 'cuts', 'cutting', 'slash', 'slashed', 'slashes', 'slashing', 'shed', 'sheds', 'shedding', 'eliminate', 'eliminated', 'eliminates', 'eliminating'],
      objects: ['job', 'jobs', 'staff', 'staffers', 'workforce', 'employees', 'workers', 'positions', 'roles'],
      within: 6,
    },
  },
  { id: 'valuation', words: ['valuation', 'valuations', 'valued', 'valuing'], phrases: [] },
  {
    id: 'ipo',
    words: ['ipo', 'ipos', 'listing', 'listings', 'float', 'floated', 'floats', 'flotation'],
    phrases: [
      ['went', 'public'],
      ['go', 'public'],
      ['goes', 'public'],
      ['going', 'public'],
      ['gone', 'public'],
      ['public', 'offering'],
    ],
  },
  {
    id: 'net_income',
    words: ['profit', 'profits', 'profitable', 'profitability'],
    phrases: [
      ['net', 'loss'],
      ['net', 'losses'],
      ['net', 'income'],
      ['net', 'profit'],
      ['net', 'earnings'],
    ],
  },
  { id: 'revenue', words: ['revenue', 'revenues', 'sales', 'turnover'], phrases: [] },
  {
    id: 'headcount',
    words: ['headcount', 'employees', 'employee', 'staff', 'staffers', 'workforce', 'workers', 'employs', 'employed'],
    phrases: [['head', 'count']],
  },
  {
    id: 'funding',
    words: ['funding', 'raise', 'raised', 'raises', 'raising', 'fundraise', 'fundraising', 'round', 'rounds'],
    phrases: [['funding', 'round']],
  },
];

// Lookups by a match's first word: the build runs matchConcepts over every word of 50k facts.
const WORD = new Map<string, string>();
const PHRASES = new Map<string, { concept: string; words: string[] }[]>();
const NEAR = new Map<string, { concept: string; objects: ReadonlySet<string>; within: number }[]>();
for (const c of CONCEPTS) {
  const concept = CONCEPT_MARK + c.id;
  for (const w of c.words) WORD.set(w, concept);
  for (const p of c.phrases) PHRASES.set(p[0]!, [...(PHRASES.get(p[0]!) ?? []), { concept, words: p }]);
  if (c.near) {
    const objects = new Set(c.near.objects);
    for (const v of c.near.verbs) NEAR.set(v, [...(NEAR.get(v) ?? []), { concept, objects, within: c.near.within }]);
  }
}

/** Every concept term there is. */
export const CONCEPT_TERMS: string[] = CONCEPTS.map((c) => CONCEPT_MARK + c.id);

export function isConcept(term: string): boolean {
  return term.startsWith(CONCEPT_MARK);
}

export interface ConceptMatch {
  concept: string;
  /** positions of the words that make the match (the intervening words of a "near" match are not) */
  words: number[];
}

/** Every concept match in a run of lower-cased, trimmed words, in order of their first word. */
export function matchConcepts(words: string[]): ConceptMatch[] {
  const out: ConceptMatch[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const single = WORD.get(w);
    if (single) out.push({ concept: single, words: [i] });
    for (const p of PHRASES.get(w) ?? []) {
      if (p.words.every((x, k) => words[i + k] === x)) out.push({ concept: p.concept, words: p.words.map((_, k) => i + k) });
    }
    for (const n of NEAR.get(w) ?? []) {
      const last = Math.min(words.length - 1, i + n.within);
      for (let j = i + 1; j <= last; j++) {
        if (n.objects.has(words[j]!)) {
          out.push({ concept: n.concept, words: [i, j] });
          break;
        }
      }
    }
  }
  return out;
}

/** Concept terms to add to the index at each word position: a match adds its term at its first word. */
export function conceptsAt(words: string[]): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const m of matchConcepts(words)) {
    const at = m.words[0]!;
    let s = out.get(at);
    if (!s) out.set(at, (s = new Set()));
    s.add(m.concept);
  }
  return out;
}

/**
 * The concepts of a query's words: each match claims its words (left to right, a longer match first
 * where two start at the same word), so "laid off" becomes one concept clause, not "laid" and a
 * concept. `words` are the query's words in order (null for a word that cannot be part of a match,
 * such as a wildcard or a word of another field).
 */
export function queryConcepts(words: (string | null)[]): ConceptMatch[] {
  const matches = matchConcepts(words.map((w) => w ?? '\u0000'))
    .sort((a, b) => a.words[0]! - b.words[0]! || b.words.length - a.words.length);
  const used = new Set<number>();
  const out: ConceptMatch[] = [];
  for (const m of matches) {
    if (m.words.some((i) => used.has(i) || words[i] === null)) continue;
    for (const i of m.words) used.add(i);
    out.push(m);
  }
  return out;
}

/** lunr's Token, as far as the pipeline needs it (this module imports nothing). */
export interface TokenLike {
  toString(): string;
  clone(fn?: (s: string) => string): TokenLike;
  metadata?: { fields?: string[] };
}

const memo = new WeakMap<object, Map<number, Set<string>>>();

/**
 * A lunr pipeline function that keeps each word and adds the concept terms that start at it, in the
 * fields `inFields` names (lunr puts the field in each token's metadata). lunr calls it once per word
 * with the whole word list; the matches are worked out once per list.
 */
export function vocabularyPipeline(inFields: ReadonlySet<string>) {
  return function vocabulary(token: TokenLike, i: number, tokens: TokenLike[]): TokenLike | TokenLike[] {
    const field = token.metadata?.fields?.[0];
    if (field === undefined || !inFields.has(field)) return token;
    let at = memo.get(tokens);
    if (!at) memo.set(tokens, (at = conceptsAt(tokens.map((t) => t.toString()))));
    const concepts = at.get(i);
    if (!concepts) return token;
    return [token, ...[...concepts].map((c) => token.clone(() => c))];
  };
}
