/**
 * A realistic Factdesk database for bench:site, from a seeded PRNG (same options → same database, so
 * runs compare): N articles of 400–900 words in paragraphs, published 2019–2026 by 20 outlets (one feed
 * each), about companies drawn Zipf-style (a few big names carry many facts, as in real coverage);
 * facts of every kind whose statement is a sentence of the source article and whose fact_sources
 * evidence is exactly text.slice(start, end); ~5% disputed (a rival value for the same company, kind
 * and period in another article), corroborated facts (the claim repeated by another outlet), ~1%
 * reprints (copy_of_id), summaries for articles and companies, one finished refresh and extract run.
 *
 * The vocabulary mixes real financial-news words with a generated long tail of pseudo-words (see
 * words.ts), so search indexes hold a realistic number of distinct terms. Quotes draw their rare words
 * from a reserved slice of that lexicon, which is how `terms.rare` is known to occur in only two facts
 * (and the two articles that state them).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { InStatement, InValue } from '@libsql/client';
import { openDb } from '../../db/client.ts';
import * as W from './words.ts';

export interface GenerateOptions {
  dir: string;
  articles: number;
  facts: number;
  companies: number;
  seed?: number;
}

export interface SearchTerms {
  /** A word in thousands of statements and most articles. */
  common: string;
  /** A big company (one-word name) and its slug, for `?q=<name>&company=<slug>`. */
  company: { name: string; slug: string };
  /** A speaker's surname with several quotes. */
  speaker: string;
  /** A word in exactly two quotes (two facts, two articles). */
  rare: string;
}

export interface GenerateResult {
  url: string;
  file: string;
  ms: number;
  counts: { articles: number; facts: number; factSources: number; companies: number; disputed: number; corroborated: number; copies: number; words: number };
  terms: SearchTerms;
}

// ── randomness ───────────────────────────────────────────────────────────────────────────────────

export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Samples ranks 0..n-1 with probability ∝ 1/(rank+1)^s. */
function zipf(n: number, s: number, rnd: () => number): () => number {
  const cum = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cum[i] = acc += 1 / Math.pow(i + 1, s);
  return () => {
    const x = rnd() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

// ── generator ────────────────────────────────────────────────────────────────────────────────────

interface Person {
  name: string;
  surname: string;
  role: string;
}
interface Company {
  id: number;
  slug: string;
  name: string;
  size: number;
  people: Person[];
  city: string;
}
interface Art {
  id: number;
  pub: Date;
  outlet: number;
  primary: number;
  secondary: number;
  copyOf: number | null;
  /** Sentences that must appear in the text, with the fact sources they carry. */
  claims: { sentence: string; facts: number[] }[];
  text?: string;
  words?: number;
}
interface Fact {
  id: string;
  company: number;
  kind: string;
  value: number | null;
  valueHigh: number | null;
  unit: string | null;
  direction: string | null;
  changePct: number | null;
  approximate: boolean;
  label: string | null;
  status: string | null;
  asOf: string | null;
  speaker: string | null;
  quote: string | null;
  statement: string;
  extractor: string;
  confidence: number;
  disputed: boolean;
  outlets: Set<number>;
  articles: Set<number>;
  createdAt: string;
}

const KIND_WEIGHTS: [string, number][] = [
  ['headcount', 8],
  ['workforce_change', 7],
  ['valuation', 7],
  ['funding', 9],
  ['ipo', 4],
  ['revenue', 14],
  ['net_income', 10],
  ['credit_losses', 5],
  ['users', 8],
  ['metric', 14],
  ['quote', 14],
];
const DISPUTABLE = new Set(['headcount', 'workforce_change', 'valuation', 'funding', 'revenue', 'net_income', 'credit_losses', 'users']);
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ORDINAL = ['first', 'second', 'third', 'fourth'];
const CURRENCIES: [string, string][] = [
  ['USD', '$'],
  ['USD', '$'],
  ['USD', '$'],
  ['EUR', '€'],
  ['GBP', '£'],
  ['SEK', 'SEK '],
];
const CORROBORATION_PREFIXES = ['As reported earlier, ', 'According to filings, ', 'People familiar with the matter confirmed that ', 'Separately, ', 'A company spokesperson confirmed that '];
const START = Date.UTC(2019, 0, 1);
const END = Date.UTC(2026, 10, 15);
/** Lexicon words [LEX_QUOTE_FROM, LEX_SIZE) occur only in quotes. */
const LEX_SIZE = 30_000;
const LEX_QUOTE_FROM = 26_000;

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pad = (n: number) => String(n).padStart(2, '0');

export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const t0 = performance.now();
  const rnd = mulberry32(opts.seed ?? 20261123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const between = (a: number, b: number) => a + rnd() * (b - a);
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(rnd() * 16).toString(16);
    return s;
  };

  // Lexicon of pseudo-words, Zipf-weighted (the tail of real vocabularies).
  const onsets = ['b', 'br', 'c', 'ch', 'd', 'dr', 'f', 'fl', 'g', 'gr', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'pl', 'pr', 'r', 's', 'sh', 'st', 't', 'tr', 'v', 'w', 'z', 'qu', 'sk'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'io', 'ei'];
  const codas = ['', '', 'n', 'r', 'l', 's', 'st', 'nd', 'rk', 'm', 't', 'x', 'ng'];
  const real = new Set([...W.NOUNS, ...W.VERBS, ...W.ADJECTIVES, ...W.ADVERBS].map((w) => w.toLowerCase()));
  const lexicon: string[] = [];
  const seenLex = new Set<string>();
  while (lexicon.length < LEX_SIZE) {
    const syl = 2 + Math.floor(rnd() * 2);
    let w = '';
    for (let i = 0; i < syl; i++) w += pick(onsets) + pick(vowels) + (i === syl - 1 ? pick(codas) : '');
    if (w.length < 5 || seenLex.has(w) || real.has(w)) continue;
    seenLex.add(w);
    lexicon.push(w);
  }
  const lexZipf = zipf(LEX_QUOTE_FROM, 1.0, rnd);
  const lex = () => lexicon[lexZipf()]!;
  const quoteLexUses = new Uint16Array(LEX_SIZE - LEX_QUOTE_FROM);
  const nounZ = zipf(W.NOUNS.length, 0.9, rnd);
  const verbZ = zipf(W.VERBS.length, 0.9, rnd);
  const adjZ = zipf(W.ADJECTIVES.length, 0.9, rnd);
  const noun = () => W.NOUNS[nounZ()]!;
  const verb = () => W.VERBS[verbZ()]!;
  const adj = () => W.ADJECTIVES[adjZ()]!;

  // Companies: unique names, sizes falling with rank.
  const companies: Company[] = [];
  const slugs = new Set<string>();
  const bases = new Set<string>();
  while (companies.length < opts.companies) {
    const base = pick(W.NAME_HEADS) + pick(W.NAME_TAILS);
    const name = (base + (companies.length < 20 ? '' : pick(W.NAME_SUFFIXES))).replace(/^./, (c) => c.toUpperCase());
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    // One company per base name ("Novara" and "Novara Bank" would be confusing), while names last.
    if (slugs.has(slug) || (bases.has(base) && bases.size < 700)) continue;
    slugs.add(slug);
    bases.add(base);
    const r = companies.length + 1;
    const people: Person[] = [];
    const usedRoles = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const surname = pick(W.SURNAMES);
      let role = pick(W.ROLES);
      while (usedRoles.has(role)) role = pick(W.ROLES);
      usedRoles.add(role);
      people.push({ name: `${pick(W.FIRST_NAMES)} ${surname}`, surname, role });
    }
    companies.push({ id: r, slug, name, size: 1 / Math.pow(r, 0.7), people, city: pick(W.CITIES) });
  }
  const companyZ = zipf(companies.length, 0.8, rnd);

  // Articles: publication dates sorted so ids follow time, as a collector would store them.
  const pubs = Array.from({ length: opts.articles }, () => START + rnd() * (END - START)).sort((a, b) => a - b);
  const arts: Art[] = pubs.map((p, i) => {
    const primary = companyZ();
    let secondary = companyZ();
    if (secondary === primary) secondary = (primary + 1 + Math.floor(rnd() * (companies.length - 1))) % companies.length;
    const copyOf = i > 10 && rnd() < 0.01 ? Math.floor(rnd() * i) : null;
    return { id: i + 1, pub: new Date(p), outlet: Math.floor(rnd() * W.OUTLETS.length), primary, secondary, copyOf, claims: [] };
  });
  for (const a of arts) if (a.copyOf !== null && arts[a.copyOf]!.copyOf !== null) a.copyOf = null;
  const originals = arts.filter((a) => a.copyOf === null);

  // ── claims ──
  function money(v: number, cur: [string, string]): string {
    const [, sym] = cur;
    const a = Math.abs(v);
    const s = a >= 1e9 ? `${(a / 1e9).toFixed(1).replace(/\.0$/, '')} billion` : a >= 1e6 ? `${Math.round(a / 1e6)} million` : int(a);
    return `${sym}${s}`;
  }
  /** A round amount near `scale`: 2–3 significant figures, as reported. */
  function amount(scale: number): number {
    const v = scale * between(0.05, 2);
    if (v >= 1e9) return Math.round(v / 1e8) * 1e8;
    if (v >= 1e6) return Math.round(v / 1e6) * 1e6;
    return Math.max(1, Math.round(v / 10) * 10);
  }
  type Period = { asOf: string; phrase: string };
  function period(kind: string, pub: Date): Period {
    const Y = pub.getUTCFullYear();
    const M = pub.getUTCMonth();
    const D = pub.getUTCDate();
    const q = Math.floor(M / 3);
    const r = rnd();
    const month = { asOf: `${Y}-${pad(M + 1)}`, phrase: `in ${MONTHS[M]} ${Y}` };
    const day = { asOf: `${Y}-${pad(M + 1)}-${pad(D)}`, phrase: `on ${MONTHS[M]} ${D}, ${Y}` };
    const prevQ = q === 0 ? { asOf: `${Y - 1}-Q4`, phrase: `in the fourth quarter of ${Y - 1}` } : { asOf: `${Y}-Q${q}`, phrase: `in the ${ORDINAL[q - 1]} quarter of ${Y}` };
    const lastYear = { asOf: `${Y - 1}`, phrase: `for ${Y - 1}` };
    switch (kind) {
      case 'headcount':
        return r < 0.5 ? { asOf: `${Y - 1}`, phrase: `at the end of ${Y - 1}` } : { asOf: month.asOf, phrase: `as of ${MONTHS[M]} ${Y}` };
      case 'workforce_change':
      case 'ipo':
      case 'users':
        return month;
      case 'valuation':
      case 'funding':
        return r < 0.6 ? day : month;
      case 'revenue':
      case 'net_income':
      case 'credit_losses':
        return r < 0.65 ? prevQ : r < 0.85 ? lastYear : { asOf: `${M < 6 ? Y - 1 : Y}-H${M < 6 ? 2 : 1}`, phrase: `in the ${M < 6 ? 'second' : 'first'} half of ${M < 6 ? Y - 1 : Y}` };
      default:
        return r < 0.5 ? { asOf: `${Y - 1}`, phrase: `in ${Y - 1}` } : month;
    }
  }

  interface Draft extends Omit<Fact, 'id' | 'disputed' | 'outlets' | 'articles' | 'createdAt' | 'extractor' | 'confidence'> {
    /** Same claim with another value (for disputes). */
    rival?: () => Omit<Draft, 'rival'>;
  }
  function draft(kind: string, c: Company, pub: Date): Draft {
    const co = c.name;
    const base = { kind, value: null, valueHigh: null, unit: null, direction: null, changePct: null, approximate: false, label: null, status: null, asOf: null, speaker: null, quote: null } as Omit<Draft, 'statement'>;
    const p = period(kind, pub);
    const cur = pick(CURRENCIES);
    const pct = Math.round(between(2, 60));
    switch (kind) {
      case 'headcount': {
        const mk = (n: number): Omit<Draft, 'rival'> => ({ ...base, value: n, unit: 'people', approximate: true, asOf: p.asOf, statement: `${co} employed about ${int(n)} people ${p.phrase}, according to its annual report.` });
        const n = Math.round((100 + 25_000 * c.size * between(0.3, 1.5)) / 10) * 10;
        return { ...mk(n), rival: () => mk(Math.round(n * between(1.1, 1.4) / 10) * 10) };
      }
      case 'workforce_change': {
        const n = Math.max(10, Math.round((2000 * c.size * between(0.1, 1.5)) / 5) * 5);
        const cut = rnd() < 0.7;
        const mk = (v: number): Omit<Draft, 'rival'> =>
          cut
            ? { ...base, value: v, unit: 'people', direction: 'decrease', changePct: pct % 30 || 5, label: 'layoffs', asOf: p.asOf, statement: `${co} cut ${int(v)} jobs, or ${pct % 30 || 5}% of its workforce, ${p.phrase}.` }
            : { ...base, value: v, unit: 'people', direction: 'increase', label: 'hiring', asOf: p.asOf, statement: `${co} plans to hire ${int(v)} people ${p.phrase} as it expands in ${pick(W.CITIES)}.` };
        return { ...mk(n), rival: () => mk(Math.round(n * 1.5)) };
      }
      case 'valuation': {
        const v = amount(4e10 * c.size);
        const mk = (x: number): Omit<Draft, 'rival'> => ({ ...base, value: x, unit: cur[0], asOf: p.asOf, statement: `${co} was valued at ${money(x, cur)} ${p.phrase} in a round led by ${pick(W.INVESTORS)}.` });
        return { ...mk(v), rival: () => mk(amount(4e10 * c.size)) };
      }
      case 'funding': {
        const v = amount(5e8 * c.size + 5e6);
        const series = pick(['A', 'B', 'C', 'D', 'E']);
        const mk = (x: number): Omit<Draft, 'rival'> => ({ ...base, value: x, unit: cur[0], asOf: p.asOf, statement: `${co} raised ${money(x, cur)} in a Series ${series} round led by ${pick(W.INVESTORS)} ${p.phrase}.` });
        return { ...mk(v), rival: () => mk(amount(5e8 * c.size + 5e6)) };
      }
      case 'ipo': {
        const status = pick(['planned', 'filed', 'paused', 'priced', 'listed', 'withdrawn'] as const);
        const ex = pick(W.EXCHANGES);
        const v = amount(3e10 * c.size);
        const text: Record<typeof status, string> = {
          planned: `${co} is preparing an initial public offering on ${ex}, executives said ${p.phrase}.`,
          filed: `${co} filed for an initial public offering on ${ex} ${p.phrase}.`,
          paused: `${co} paused its plans for a stock market listing ${p.phrase}, citing volatile markets.`,
          priced: `${co} priced its IPO ${p.phrase}, valuing the company at ${money(v, ['USD', '$'])}.`,
          listed: `${co} began trading on ${ex} ${p.phrase} at a valuation of ${money(v, ['USD', '$'])}.`,
          withdrawn: `${co} withdrew its IPO filing ${p.phrase}.`,
        };
        const valued = status === 'priced' || status === 'listed';
        return { ...base, status, value: valued ? v : null, unit: valued ? 'USD' : null, asOf: p.asOf, statement: text[status] };
      }
      case 'revenue': {
        const up = rnd() < 0.75;
        const mk = (x: number): Omit<Draft, 'rival'> => ({ ...base, value: x, unit: cur[0], direction: up ? 'increase' : 'decrease', changePct: pct, asOf: p.asOf, statement: `${co} said revenue ${up ? 'rose' : 'fell'} ${pct}% to ${money(x, cur)} ${p.phrase}.` });
        const v = amount(3e9 * c.size + 2e6);
        return { ...mk(v), rival: () => mk(amount(3e9 * c.size + 2e6)) };
      }
      case 'net_income': {
        const loss = rnd() < 0.55;
        const mk = (x: number): Omit<Draft, 'rival'> => ({ ...base, value: loss ? -x : x, unit: cur[0], asOf: p.asOf, statement: `${co} reported a net ${loss ? 'loss' : 'profit'} of ${money(x, cur)} ${p.phrase}.` });
        const v = amount(4e8 * c.size + 1e6);
        return { ...mk(v), rival: () => mk(amount(4e8 * c.size + 1e6)) };
      }
      case 'credit_losses': {
        const mk = (x: number): Omit<Draft, 'rival'> => ({ ...base, value: x, unit: cur[0], asOf: p.asOf, statement: `${co} set aside ${money(x, cur)} for credit losses ${p.phrase}, as more borrowers fell behind on payments.` });
        const v = amount(2e8 * c.size + 1e6);
        return { ...mk(v), rival: () => mk(amount(2e8 * c.size + 1e6)) };
      }
      case 'users': {
        const mk = (x: number): Omit<Draft, 'rival'> => ({ ...base, value: x, unit: 'users', approximate: true, asOf: p.asOf, statement: `${co} said it had more than ${x >= 1e6 ? `${(x / 1e6).toFixed(1).replace(/\.0$/, '')} million` : int(x)} users ${p.phrase}.` });
        const v = amount(1e8 * c.size + 1e4);
        return { ...mk(v), rival: () => mk(amount(1e8 * c.size + 1e4)) };
      }
      case 'metric': {
        const m = pick(W.METRICS);
        const v = amount(m.scale * (0.2 + c.size));
        const shown = m.unit === 'USD' ? money(v, ['USD', '$']) : `${v >= 1e6 ? `${(v / 1e6).toFixed(1).replace(/\.0$/, '')} million` : int(v)} ${m.unit}`;
        return { ...base, value: v, unit: m.unit, label: m.label, asOf: p.asOf, statement: `${co} ${m.verb} ${shown} ${p.phrase}, ${pick(['the company said', 'it said in a statement', 'according to a presentation to investors', 'its annual report shows'])}.` };
      }
      default: {
        const who = pick(c.people);
        const rare = Math.floor(rnd() * (LEX_SIZE - LEX_QUOTE_FROM));
        quoteLexUses[rare]!++;
        const words = [
          pick(['We are building', 'Our focus is', 'Nobody expected', 'We will keep investing in', 'The next year is about', 'Customers want', 'We see real demand for']),
          `${adj()} ${noun()}`,
          pick(['for', 'across', 'without', 'beyond', 'with']),
          `${lex()} ${noun()}`,
          pick(['and', 'while keeping', 'not just']),
          `${lexicon[LEX_QUOTE_FROM + rare]} ${noun()}`,
        ].join(' ');
        const asOf = rnd() < 0.3 ? `${pub.getUTCFullYear()}-${pad(pub.getUTCMonth() + 1)}-${pad(pub.getUTCDate())}` : null;
        return { ...base, speaker: who.name, quote: words, asOf, statement: `“${words},” said ${who.name}, ${who.role} of ${co}.` };
      }
    }
  }

  const facts: Fact[] = [];
  const byKey = new Map<string, number>();
  const kindTotal = KIND_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const pickKind = () => {
    let x = rnd() * kindTotal;
    for (const [k, w] of KIND_WEIGHTS) if ((x -= w) < 0) return k;
    return 'metric';
  };
  const extractors = ['rules/1', 'rules/1', 'llm:gpt-4o-mini/prompt-3'];
  /** Another outlet's article from around the same time (within ~±200 articles), for repeats and rivals. */
  const otherArticle = (not: Art): Art => {
    for (let tries = 0; ; tries++) {
      const i = tries < 50 ? not.id - 1 + Math.round((rnd() - 0.5) * 400) : Math.floor(rnd() * arts.length);
      const b = arts[Math.min(arts.length - 1, Math.max(0, i))]!;
      if (b !== not && b.copyOf === null && b.outlet !== not.outlet) return b;
    }
  };
  const add = (d: Omit<Draft, 'rival'>, a: Art, companyIdx: number): Fact => {
    const { kind, value, valueHigh, unit, direction, changePct, approximate, label, status, asOf, speaker, quote, statement } = d;
    const id = createHash('sha256').update(`${companyIdx}|${facts.length}|${statement}`).digest('hex').slice(0, 20);
    const f: Fact = {
      id, company: companyIdx, kind, value, valueHigh, unit, direction, changePct, approximate, label, status, asOf, speaker, quote, statement,
      extractor: pick(extractors), confidence: Math.round(between(0.6, 0.99) * 100) / 100, disputed: false,
      outlets: new Set([a.outlet]), articles: new Set([a.id]), createdAt: new Date(a.pub.getTime() + 3_600_000).toISOString(),
    };
    facts.push(f);
    a.claims.push({ sentence: statement, facts: [facts.length - 1] });
    return f;
  };
  const repeat = (fi: number, a: Art) => {
    const f = facts[fi]!;
    if (f.articles.has(a.id) || f.articles.size >= 4) return false;
    f.articles.add(a.id);
    f.outlets.add(a.outlet);
    a.claims.push({ sentence: pick(CORROBORATION_PREFIXES) + f.statement, facts: [fi] });
    return true;
  };
  while (facts.length < opts.facts) {
    const a = pick(originals);
    const ci = rnd() < 0.75 ? a.primary : a.secondary;
    const kind = pickKind();
    const d = draft(kind, companies[ci]!, a.pub);
    const { rival, ...claim } = d;
    if (DISPUTABLE.has(kind)) {
      const key = `${ci}|${kind}|${claim.asOf}|${claim.direction ?? ''}`;
      const known = byKey.get(key);
      if (known !== undefined) {
        // Another article reporting a claim already known: a second source, not a new fact.
        if (rnd() < 0.5) repeat(known, a);
        continue;
      }
      byKey.set(key, facts.length);
    }
    const f = add(claim, a, ci);
    if (rival && rnd() < 0.04 && facts.length < opts.facts) {
      const g = add(rival(), otherArticle(a), ci);
      f.disputed = g.disputed = true;
    } else if (rnd() < 0.06) repeat(facts.length - 1, otherArticle(a));
  }

  // ── texts ──
  const filler = (c: Company): string => {
    const co = c.name;
    switch (Math.floor(rnd() * 8)) {
      case 0:
        return `${cap(adj())} ${noun()} at ${co} ${verb()} ${pick(W.ADVERBS)} ${pick(W.CONNECTORS)} ${noun()} ${verb()} ${lex()} ${noun()} and ${lex()} ${noun()}.`;
      case 1:
        return `Analysts in ${pick(W.CITIES)} ${verb()} that ${adj()} ${noun()} could reach ${int(amount(1e4))} ${noun()} by ${2020 + Math.floor(rnd() * 9)}, ${pick(W.CONNECTORS)} ${lex()} ${noun()} ${verb()} ${pick(W.ADVERBS)}.`;
      case 2:
        return `The ${noun()} ${verb()} ${Math.round(between(1, 40))}% ${pick(W.CONNECTORS)} ${lex()} ${lex()} ${noun()} in ${pick(W.CITIES)} ${verb()} ${pick(W.ADVERBS)}.`;
      case 3: {
        const p = pick(c.people);
        return `${p.name}, who ${verb()} the ${noun()} ${noun()} ${pick(['last year', 'in the spring', 'before the pandemic', 'after the merger'])}, ${verb()} the ${lex()} ${noun()} ${pick(['was', 'remains', 'looks'])} ${adj()}.`;
      }
      case 4:
        return `In ${c.city}, ${co} ${verb()} its ${adj()} ${noun()} with ${lex()}, ${lex()} and ${lex()} ${noun()}, ${pick(['people familiar with the plans said', 'a filing shows', 'documents seen by reporters show', 'the company confirmed'])}.`;
      case 5:
        return `${cap(lex())} ${noun()} ${verb()} ${adj()} ${lex()} ${noun()} ${pick(['for', 'among', 'across', 'within'])} ${lex()} ${noun()} ${pick(W.CONNECTORS)} ${adj()} ${noun()} ${verb()} ${pick(W.ADVERBS)}.`;
      case 6:
        return `${pick(['Regulators', 'Investors', 'Rivals', 'Customers', 'Critics', 'Lenders'])} ${verb()} ${pick(['the', 'its', 'a'])} ${adj()} ${noun()}, ${pick(['arguing', 'noting', 'warning'])} that ${lex()} ${noun()} ${pick(['could', 'would', 'might'])} ${pick(['weigh on', 'support', 'reshape', 'slow'])} ${noun()} ${pick(['next year', 'this quarter', 'in the long run', 'for years'])}.`;
      default:
        return `${cap(noun())} ${pick(['remains', 'is', 'was'])} ${adj()} ${pick(['for', 'at', 'across'])} ${co}, which ${verb()} ${adj()} ${noun()} ${pick(['and', 'but', 'while it'])} ${verb()} ${lex()} ${noun()} ${pick(['this year', 'last quarter', 'since its launch', 'in recent months'])}.`;
    }
  };
  const wc = (s: string) => s.split(/\s+/).filter(Boolean).length;
  interface SourceRow {
    fact: number;
    article: number;
    start: number;
    end: number;
    evidence: string;
  }
  const sourceRows: SourceRow[] = [];
  let totalWords = 0;
  for (const a of arts) {
    if (a.copyOf !== null) {
      a.text = arts[a.copyOf]!.text!;
      a.words = arts[a.copyOf]!.words!;
      totalWords += a.words;
      continue;
    }
    const c = companies[a.primary]!;
    const c2 = companies[a.secondary]!;
    const target = Math.round(between(400, 900)) - a.claims.reduce((s, x) => s + wc(x.sentence), 0);
    const paras: { s: string; claim?: number }[][] = [[{ s: `${c.name} ${pick(W.HEADLINE_VERBS)} ${pick(W.HEADLINE_OBJECTS)} ${pick(W.CONNECTORS)} ${adj()} ${noun()} ${verb()} ${pick(W.ADVERBS)}, ${pick(['the company said on ' + ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'][a.id % 5], 'executives told investors', 'according to people close to the matter'])}.` }]];
    let words = wc(paras[0]![0]!.s);
    while (words < target) {
      const para: { s: string }[] = [];
      const n = 3 + Math.floor(rnd() * 3);
      for (let i = 0; i < n && words < target; i++) {
        const s = filler(rnd() < 0.7 ? c : c2);
        para.push({ s });
        words += wc(s);
      }
      paras.push(para);
    }
    a.claims.forEach((cl, i) => {
      const p = paras[Math.floor(rnd() * paras.length)]!;
      p.splice(Math.floor(rnd() * (p.length + 1)), 0, { s: cl.sentence, claim: i });
    });
    let text = '';
    paras.forEach((p, pi) => {
      if (pi) text += '\n\n';
      p.forEach((x, si) => {
        if (si) text += ' ';
        if (x.claim !== undefined) {
          const start = text.length;
          for (const fi of a.claims[x.claim]!.facts) sourceRows.push({ fact: fi, article: a.id, start, end: start + x.s.length, evidence: x.s });
        }
        text += x.s;
      });
    });
    a.text = text;
    a.words = wc(text);
    totalWords += a.words;
  }
  // The invariant the article pages and evidence links rely on.
  for (const s of sourceRows) if (arts[s.article - 1]!.text!.slice(s.start, s.end) !== s.evidence) throw new Error(`evidence mismatch in article ${s.article}`);

  // Pick the search terms from what was generated.
  const factsOf = new Map<number, number>();
  for (const f of facts) factsOf.set(f.company, (factsOf.get(f.company) ?? 0) + 1);
  const bigOneWord = [...factsOf.entries()].sort((x, y) => y[1] - x[1]).map(([ci]) => companies[ci]!).find((c) => !c.name.includes(' '))!;
  const quotesBy = new Map<string, number>();
  for (const f of facts) if (f.speaker) quotesBy.set(f.speaker.split(' ').pop()!, (quotesBy.get(f.speaker.split(' ').pop()!) ?? 0) + 1);
  const speakers = [...quotesBy.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
  const speaker = speakers[Math.min(speakers.length - 1, 5)]?.[0] ?? 'Andersson';
  let rareIdx = quoteLexUses.findIndex((n) => n === 2);
  if (rareIdx < 0) rareIdx = quoteLexUses.findIndex((n) => n > 0);
  const terms: SearchTerms = { common: 'revenue', company: { name: bigOneWord.name, slug: bigOneWord.slug }, speaker, rare: lexicon[LEX_QUOTE_FROM + Math.max(0, rareIdx)]! };

  // ── write ──
  // Multi-row inserts, many per transaction: preparing one statement per row was most of the time.
  type Row = InValue[];
  const rows = {
    feeds: [] as Row[],
    companies: [] as Row[],
    articles: [] as Row[],
    revisions: [] as Row[],
    summaries: [] as Row[],
    facts: [] as Row[],
    sources: [] as Row[],
    runs: [] as Row[],
  };
  const now = new Date(END).toISOString();
  W.OUTLETS.forEach((o, i) => {
    rows.feeds.push([i + 1, `https://${o.domain}/feed.xml`, o.name, `https://${o.domain}/`, 'fintech', 'rss', 60, now, i === 7 ? '2026-11-10T06:00:00.000Z' : now, new Date(END + 3_600_000).toISOString(), i === 7 ? 3 : 0, i === 7 ? 'HTTP 503' : null, i === 7 ? now : null, '2019-01-01T00:00:00.000Z']);
  });
  for (const c of companies) rows.companies.push([c.id, c.slug, c.name, '[]', c.id <= 30 ? c.slug.slice(0, 4).toUpperCase() : null, c.id <= 100 ? 'registry' : 'text', '2019-01-01T00:00:00.000Z']);
  for (const a of arts) {
    const o = W.OUTLETS[a.outlet]!;
    const c = companies[a.primary]!;
    const title = `${c.name} ${pick(W.HEADLINE_VERBS)} ${pick(W.HEADLINE_OBJECTS)}${rnd() < 0.3 ? ` ${pick(W.CONNECTORS)} ${lex()} ${noun()} ${verb()}` : ''}`;
    const iso = a.pub.toISOString();
    const fetched = new Date(a.pub.getTime() + 1_800_000).toISOString();
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
    const u = `https://${o.domain}/${a.pub.getUTCFullYear()}/${pad(a.pub.getUTCMonth() + 1)}/${slug}-${a.id}`;
    const text = a.text!;
    const hash = createHash('sha256').update(text).digest('hex');
    const paywalled = rnd() < 0.05;
    rows.articles.push([a.id, u, u, a.outlet + 1, u, title, o.name, `${pick(W.FIRST_NAMES)} ${pick(W.SURNAMES)}`, 'en', text.slice(0, text.indexOf('.') + 1), iso, fetched, fetched, text, a.words!, hash, hex(16), a.copyOf === null ? null : a.copyOf + 1, paywalled ? 1 : 0, 0, paywalled ? '["paywall-marker"]' : '[]', 'page', 1, 'done', fetched]);
    rows.revisions.push([a.id, 1, fetched, title, text, hash]);
    if (a.copyOf === null) {
      rows.summaries.push(['article', a.id, null, `${c.name} ${pick(W.HEADLINE_VERBS)} ${pick(W.HEADLINE_OBJECTS)}. ${cap(noun())} ${verb()} ${pick(W.ADVERBS)} ${pick(W.CONNECTORS)} ${adj()} ${noun()} ${verb()}.`, 'llm:gpt-4o-mini/prompt-3', fetched]);
    }
  }
  let disputed = 0;
  let corroborated = 0;
  for (const f of facts) {
    const corr = f.disputed ? 'disputed' : f.outlets.size >= 2 ? 'corroborated' : 'single-source';
    if (corr === 'disputed') disputed++;
    else if (corr === 'corroborated') corroborated++;
    rows.facts.push([f.id, companies[f.company]!.id, f.kind, f.value, f.valueHigh, f.unit, f.direction, f.changePct, f.approximate ? 1 : 0, f.label, f.status, f.asOf, f.speaker, f.quote, f.statement, f.extractor, f.confidence, corr, 0, f.createdAt, f.createdAt]);
  }
  for (const x of sourceRows) {
    const f = facts[x.fact]!;
    rows.sources.push([f.id, x.article, 1, x.evidence, x.start, x.end, 0, f.extractor]);
  }
  for (const [ci, n] of factsOf) {
    const c = companies[ci]!;
    rows.summaries.push(['company', null, c.id, `${c.name} is a ${c.city}-based fintech company covered in ${n} facts. Its ${noun()} and ${noun()} ${verb()} ${pick(W.ADVERBS)} ${pick(W.CONNECTORS)} ${adj()} ${noun()} ${verb()}.`, 'llm:gpt-4o-mini/prompt-3', now]);
  }
  rows.runs.push(['refresh', 'finished', 'bench', 1, '2026-11-15T05:00:00.000Z', '2026-11-15T05:03:12.000Z', JSON.stringify({ feeds: W.OUTLETS.length, items: 240, newArticles: 31, revisions: 2, copies: 1, unchanged: 19, failures: 1 })]);
  rows.runs.push(['extract', 'finished', 'bench', 1, '2026-11-15T05:03:13.000Z', '2026-11-15T05:04:40.000Z', JSON.stringify({ articles: 31, facts: 140 })]);

  const file = path.join(opts.dir, 'site-bench.db');
  const url = `file:${file}`;
  const { client, close } = await openDb(url);
  try {
    /** `per` rows per statement, 50 statements per transaction. */
    const insert = async (head: string, list: Row[], per: number) => {
      const stmts: InStatement[] = [];
      for (let i = 0; i < list.length; i += per) {
        const chunk = list.slice(i, i + per);
        stmts.push({ sql: `${head} values ${chunk.map((r) => `(${r.map(() => '?').join(',')})`).join(',')}`, args: chunk.flat() });
      }
      for (let i = 0; i < stmts.length; i += 50) await client.batch(stmts.slice(i, i + 50), 'write');
    };
    await insert('insert into feeds (id, url, title, site_url, category, format, ttl_minutes, last_fetched_at, last_success_at, next_fetch_at, error_count, last_error, last_error_at, created_at)', rows.feeds, 100);
    await insert('insert into companies (id, slug, name, aliases, ticker, origin, created_at)', rows.companies, 200);
    await insert('insert into articles (id, key, url, feed_id, guid, title, outlet, author, language, description, published_at, first_seen_at, fetched_at, text, word_count, content_hash, simhash, copy_of_id, paywalled, truncated, flags, text_source, revision, extraction_status, extracted_at)', rows.articles, 20);
    await insert('insert into article_revisions (article_id, revision, fetched_at, title, text, content_hash)', rows.revisions, 40);
    await insert('insert into summaries (subject, article_id, company_id, text, extractor, created_at)', rows.summaries, 200);
    await insert('insert into facts (id, company_id, kind, value, value_high, unit, direction, change_pct, approximate, label, status, as_of, speaker, quote, statement, extractor, confidence, corroboration, retracted, created_at, updated_at)', rows.facts, 100);
    await insert('insert into fact_sources (fact_id, article_id, revision, evidence, start, "end", partial, extractor)', rows.sources, 200);
    await insert('insert into runs (kind, status, worker, pid, started_at, finished_at, stats)', rows.runs, 10);
    await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    return {
      url,
      file,
      ms: performance.now() - t0,
      counts: { articles: arts.length, facts: facts.length, factSources: sourceRows.length, companies: companies.length, disputed, corroborated, copies: arts.length - originals.length, words: totalWords },
      terms,
    };
  } finally {
    close();
  }
}
