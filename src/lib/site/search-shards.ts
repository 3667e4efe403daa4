/**
 * The timeline's search index, split so a browser downloads only what a query needs.
 *
 * One lunr index per (company, year) — a "shard" — holds the facts of that company dated in that
 * year (the date a fact is shown and sorted by: its period, else its article's publication day). A
 * small manifest lists the shards, and a term router maps every indexed term to the shards that hold
 * it, itself split by the term's first two characters. A query fetches the manifest, the router files
 * of its terms, then only the shards that can match, newest first; filters by company or date narrow
 * the shards before anything is fetched. One lunr index over all facts would be tens of megabytes at
 * 50k facts; this keeps the first result within a few hundred kB.
 *
 * Shards carry their index in a compact form (sorted terms + per-field lists of each record's terms,
 * see serializeIndex): lunr's own JSON repeats every field name for every term and is about three
 * times larger. Term weights are not kept: results are shown by date, never by score. The inverted
 * index is rebuilt from the lists when a shard is loaded.
 *
 * Indexed per fact: its statement, quote, speaker, kind ("net income"), label and value ("layoffs:
 * 210 people"), company name and source title. The field's vocabulary (search-vocabulary.ts) adds a
 * concept term beside the words that mean it, so "laid off", "job cuts" and a fact labelled layoffs
 * meet; planQuery maps the query's words to the same concepts.
 *
 * Pure and browser-safe (lunr only): the build writes the files with it, the timeline island and the
 * tests read them with it.
 */
import lunr from 'lunr';
import { periodSpan } from '../../shared/facts/periods.ts';
import { isConcept, queryConcepts, vocabularyPipeline } from './search-vocabulary.ts';

export const INDEX_VERSION = 3;

const jsonOf = new WeakMap<TimelineRecord, string>();

/**
 * A record's JSON, made once per record: a build hashes every record twice, into its shard's
 * fingerprint and its year page's (site-plan.ts), ~50k records at 10k articles.
 */
export function recordJson(r: TimelineRecord): string {
  let j = jsonOf.get(r);
  if (j === undefined) jsonOf.set(r, (j = JSON.stringify(r)));
  return j;
}

/** One fact as the timeline shows it; short keys because thousands travel in shard files. */
export interface TimelineRecord {
  /** fact id */
  i: string;
  /** company slug */
  c: string;
  /** kind */
  k: string;
  /** the period the fact is about (asOf) or null */
  o: string | null;
  /** the date shown and sorted by (YYYY-MM-DD): the period's last day, but never later than the first
   * source's publication day (a plan for 2026 reported in 2025 is dated when it was reported); without
   * a period, the publication day. See timelineDate. */
  d: string;
  /** display value ("Series C: USD 120 million", "paused") or null for quotes */
  v: string | null;
  /** the statement (evidence sentence) */
  t: string;
  /** quote and speaker (quote kind) */
  q: string | null;
  p: string | null;
  /** first source: article id, title, outlet, publication day — the same source as `t` */
  a: number | null;
  h: string | null;
  u: string | null;
  w: string | null;
  /** how many other sources state the fact, and how many of them are independent (not copies) */
  n?: number;
  x?: number;
  /** 1 when the first source is itself a copy (then every source is: originals are listed first) */
  y?: 1;
  /** corroboration (facts.corroboration): 'c' corroborated, 'd' disputed, absent single-source */
  b?: 'c' | 'd';
}

/** The date a fact is shown and sorted by: its period's end, capped at the day it was first reported.
 * A journalist reads "newest" as the newest reported figure: a forecast for 2026 or a full-year plan
 * made in May must not sit above what was reported in June, so a period still running when reported
 * is dated by its report (and flagged, see isAheadOfReport). A year reported after it ended keeps its
 * last day, so it sorts with the months it contains, above those that ended before it. */
export function timelineDate(asOf: string | null, published: string | null, fallback: string): string {
  const end = periodSpan(asOf)?.[1] ?? null;
  if (end && published) return end < published ? end : published;
  return end ?? published ?? fallback;
}

/** The period ran on for more than a month after the fact was first reported: a plan, target or
 * forecast ("revenue of $1.7bn for 2025", said in May). A month reported while it runs ("cuts 210 jobs
 * in March", on 18 March) is news of that month, not a forecast. */
export function isAheadOfReport(r: Pick<TimelineRecord, 'o' | 'w'>): boolean {
  const end = periodSpan(r.o)?.[1];
  if (!end || !r.w) return false;
  const days = (Date.parse(end) - Date.parse(r.w.slice(0, 10))) / 86_400_000;
  return days > 31;
}

/** Indexed fields: record key (also the lunr field name, short because it is repeated in files), the
 * name a query may use (`speaker:ambrose`), and the boost. */
const FIELDS = [
  { key: 't', name: 'statement', boost: 1 },
  { key: 'q', name: 'quote', boost: 1 },
  { key: 'p', name: 'speaker', boost: 5 },
  { key: 'h', name: 'title', boost: 2 },
  { key: 'k', name: 'kind', boost: 1 },
  { key: 'v', name: 'label', boost: 1 },
  { key: 'c', name: 'company', boost: 1 },
] as const;
const FIELD_KEYS: string[] = FIELDS.map((f) => f.key);
const KEY_OF = new Map<string, string>(FIELDS.map((f) => [f.name, f.key]));
/** The fields that say what a fact is, where the vocabulary adds its concepts. Not the source's title:
 * a headline about job cuts would make every fact of that article a "layoff"; nor names. */
const CONCEPT_FIELDS: ReadonlySet<string> = new Set(['t', 'q', 'k', 'v']);

/** lunr.Index in compact form: terms in lunr's sorted order, and for each field, for each record
 * (the ref is the record's position), its term numbers ascending and delta-encoded ([3, 1, 4] = 3, 4, 8). */
export interface CompactIndex {
  t: string[];
  w: number[][][];
}

export interface Shard {
  v: number;
  records: TimelineRecord[];
  index: CompactIndex;
}

export interface Manifest {
  v: number;
  kinds: string[];
  /** [slug, name] */
  companies: [string, string][];
  /** [company index, year or "undated", fact count, file size in bytes]; its file is shardFile(slug, year).
   * Newest year first. */
  shards: [number, string, number, number][];
  /** Router files that exist, by term prefix (terms/<prefix>.json). */
  prefixes: string[];
}

/** term → shard numbers (indexes into manifest.shards), ascending and delta-encoded: [3, 1, 4] = 3, 4, 8. */
export type RouterFile = Record<string, number[]>;

export const UNDATED = 'undated';

/** The shard (and year page) a record belongs to: the year of the date it is shown with. */
export function yearOf(r: Pick<TimelineRecord, 'd'>): string {
  return /^(\d{4})/.exec(r.d)?.[1] ?? UNDATED;
}

export function shardFile(slug: string, year: string): string {
  return `${slug}.${year}.json`;
}

/** Router files are named by the first two characters of a term, folded to [a-z0-9_]. */
export function prefixOf(term: string): string {
  return term.slice(0, 2).replace(/[^a-z0-9]/g, '_').padEnd(2, '_');
}

// ── build side ───────────────────────────────────────────────────────────────────────────────────

/**
 * The order of the timeline everywhere: newest date first (timelineDate: period end, capped at the
 * report). On the same date, facts about a period that was over come before plans and forecasts
 * reported that day (ahead of their period, nearer ones first); of two periods ending the same day,
 * the longer one first: a full year counts as later than the months it contains, as periodKey orders
 * them ("2024" after "2024-12"), so in this newest-first list "2024 (full year)" sits just above
 * "Dec 2024" and above every earlier month of 2024. Then by id, so the order is total.
 */
export function byDateDesc(a: TimelineRecord, b: TimelineRecord): number {
  if (a.d !== b.d) return a.d < b.d ? 1 : -1;
  const sa = periodSpan(a.o);
  const sb = periodSpan(b.o);
  const ea = sa?.[1] ?? a.d;
  const eb = sb?.[1] ?? b.d;
  const aheadA = ea > a.d;
  const aheadB = eb > b.d;
  if (aheadA !== aheadB) return aheadA ? 1 : -1;
  if (ea !== eb) return ea < eb ? -1 : 1; // only ahead ones can differ here: the nearer period first
  const ba = sa?.[0] ?? ea;
  const bb = sb?.[0] ?? eb;
  if (ba !== bb) return ba < bb ? -1 : 1; // the earlier start is the longer period
  return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
}

/**
 * lunr's stemmer, memoised: thousands of shards stem the same words again and again (the builder
 * spends most of its time there). Only the build pipeline uses it; shards name the plain stemmer as
 * their search pipeline, so the browser never needs this one.
 */
const stems = new Map<string, string>();
function memoStemmer(token: lunr.Token): lunr.Token {
  return token.update((s) => {
    if (isConcept(s)) return s; // concept terms are not words
    let stem = stems.get(s);
    if (stem === undefined) stems.set(s, (stem = lunr.stemmer(new lunr.Token(s, {})).toString()));
    return stem;
  });
}
// What registerFunction does, without its "overwriting" warning: one lunr serves both the Astro
// build's bundle and the CLI's copy of this module, and each copy's function must carry the label.
(memoStemmer as unknown as { label: string }).label = 'memoStemmer';
(lunr.Pipeline as unknown as { registeredFunctions: Record<string, unknown> }).registeredFunctions.memoStemmer = memoStemmer;
// The vocabulary runs after the trimmer and before the stop-word filter, which would drop the "off" of
// "laid off". Registered under its label like lunr.Pipeline.registerFunction does (see above).
const vocabulary = vocabularyPipeline(CONCEPT_FIELDS) as unknown as lunr.PipelineFunction;
(vocabulary as unknown as { label: string }).label = 'factdeskVocabulary';
(lunr.Pipeline as unknown as { registeredFunctions: Record<string, unknown> }).registeredFunctions.factdeskVocabulary = vocabulary;

/** The text of each indexed field of a record. */
function document(r: TimelineRecord, n: number, companyName: string): Record<string, string> {
  return { n: String(n), t: r.t, q: r.q ?? '', p: r.p ?? '', h: r.h ?? '', k: r.k.replace(/_/g, ' '), v: r.v ?? '', c: companyName };
}

// lunr.tokenizer takes the token metadata as a second argument (the Builder passes the field name,
// which the vocabulary reads); @types/lunr leaves it out.
const tokenize = lunr.tokenizer as unknown as (text: string, metadata: object) => lunr.Token[];

/** The indexing pipeline of a shard: lunr's (trimmer, stop words, stemmer) with the vocabulary before
 * the stop-word filter and the memoised stemmer in place of lunr's. */
function indexPipeline(): lunr.Pipeline {
  const p = new lunr.Pipeline();
  p.add(lunr.trimmer, vocabulary, lunr.stopWordFilter, memoStemmer);
  return p;
}

/** One shard's index; companies are indexed by their names (slug → name), else by their slugs. */
export function buildShard(records: TimelineRecord[], companyNames: ReadonlyMap<string, string> = new Map()): Shard {
  return { v: INDEX_VERSION, records, index: compactIndex(records, companyNames) };
}

/**
 * The compact index straight from lunr's tokenizer and pipeline: what serializeIndex reads back out
 * of a built lunr.Index (each record's terms per field, terms in lunr's sorted order), without lunr's
 * Builder computing the term weights, vectors and token set that the compact form drops. The
 * timeline's build spends a fraction of the time (the unit tests check both give the same index).
 */
export function compactIndex(records: TimelineRecord[], companyNames: ReadonlyMap<string, string> = new Map()): CompactIndex {
  const pipeline = indexPipeline();
  const perField: Set<string>[][] = FIELD_KEYS.map(() => []);
  const all = new Set<string>();
  records.forEach((r, n) => {
    const doc = document(r, n, companyNames.get(r.c) ?? r.c);
    FIELD_KEYS.forEach((f, fn) => {
      const terms = new Set<string>();
      for (const t of pipeline.run(tokenize(doc[f]!, { fields: [f] }))) {
        const term = t.toString();
        terms.add(term);
        all.add(term);
      }
      perField[fn]![n] = terms;
    });
  });
  const sorted = [...all].sort();
  const number = new Map(sorted.map((t, i) => [t, i]));
  const w = perField.map((byRecord) =>
    Array.from({ length: records.length }, (_, n) =>
      [...(byRecord[n] ?? [])]
        .map((t) => number.get(t)!)
        .sort((a, b) => a - b)
        .map((t, i, xs) => (i === 0 ? t : t - xs[i - 1]!)),
    ),
  );
  return { t: sorted, w };
}

/** The same index built by lunr itself (kept to check compactIndex against: see the unit tests). */
export function buildShardWithLunr(records: TimelineRecord[], companyNames: ReadonlyMap<string, string> = new Map()): Shard {
  const index = lunr(function (this: lunr.Builder) {
    this.pipeline.before(lunr.stopWordFilter, vocabulary);
    this.pipeline.after(lunr.stemmer, memoStemmer);
    this.pipeline.remove(lunr.stemmer);
    this.ref('n');
    for (const f of FIELDS) this.field(f.key, { boost: f.boost });
    records.forEach((r, n) => this.add(document(r, n, companyNames.get(r.c) ?? r.c)));
  });
  return { v: INDEX_VERSION, records, index: serializeIndex(index, records.length) };
}

/** lunr.Index → CompactIndex: which terms each record's field holds; weights are dropped. */
export function serializeIndex(index: lunr.Index, docs: number): CompactIndex {
  const json = index.toJSON() as unknown as {
    invertedIndex: [string, { _index: number }][];
    fieldVectors: [string, number[]][];
  };
  const terms = json.invertedIndex.map(([t]) => t);
  // lunr numbers terms in insertion order; renumber them by sorted position.
  const renumber = new Map(json.invertedIndex.map(([, p], n) => [p._index, n]));
  const vectors = new Map(json.fieldVectors);
  const w = FIELD_KEYS.map((f) =>
    Array.from({ length: docs }, (_, n) => {
      const el = vectors.get(`${f}/${n}`) ?? [];
      const terms: number[] = [];
      for (let i = 0; i < el.length; i += 2) terms.push(renumber.get(el[i]!)!);
      return terms.sort((a, b) => a - b).map((t, i, all) => (i === 0 ? t : t - all[i - 1]!));
    }),
  );
  return { t: terms, w };
}

/** CompactIndex → lunr.Index: the inverted index is exactly the (term, field, record) triples of the
 * lists; every term weighs 1 (lunr needs vectors to score, the timeline never shows the score). */
export function loadIndex(x: CompactIndex): lunr.Index {
  const postings = x.t.map((_, n) => {
    const p: Record<string, unknown> = { _index: n };
    for (const f of FIELD_KEYS) p[f] = {};
    return p as Record<string, Record<string, object>> & { _index: number };
  });
  const fieldVectors: [string, number[]][] = [];
  FIELD_KEYS.forEach((f, fn) => {
    (x.w[fn] ?? []).forEach((deltas, ref) => {
      const vector: number[] = [];
      let t = 0;
      for (const d of deltas) {
        vector.push((t += d), 1);
        postings[t]![f]![String(ref)] = {};
      }
      fieldVectors.push([`${f}/${ref}`, vector]);
    });
  });
  return lunr.Index.load({
    version: lunr.version,
    fields: FIELD_KEYS,
    fieldVectors,
    invertedIndex: x.t.map((t, n) => [t, postings[n]]),
    pipeline: ['stemmer'],
  });
}

export interface ShardGroup {
  slug: string;
  year: string;
  /** newest first */
  records: TimelineRecord[];
}

/** Records grouped by (company, year): newest year first, and within a year the shard with the newest
 * fact first, so results fetched in this order arrive roughly newest first. */
export function groupShards(records: TimelineRecord[]): ShardGroup[] {
  const groups = new Map<string, ShardGroup>();
  for (const r of records) {
    const year = yearOf(r);
    const key = `${r.c}\u0000${year}`;
    const g = groups.get(key);
    if (g) g.records.push(r);
    else groups.set(key, { slug: r.c, year, records: [r] });
  }
  const rank = (y: string) => (y === UNDATED ? '0000' : y);
  const newest = (g: ShardGroup) => g.records[0]!.d;
  return [...groups.values()]
    .map((g) => ({ ...g, records: g.records.sort(byDateDesc) }))
    .sort(
      (a, b) =>
        rank(b.year).localeCompare(rank(a.year)) ||
        newest(b).localeCompare(newest(a)) ||
        b.records.length - a.records.length ||
        a.slug.localeCompare(b.slug),
    );
}

/** Collects term → shard numbers while shards are built one at a time, so they need not stay in memory. */
export class RouterBuilder {
  private readonly terms = new Map<string, number[]>();

  add(shardNo: number, index: CompactIndex): void {
    for (const t of index.t) {
      const list = this.terms.get(t);
      if (list) list.push(shardNo);
      else this.terms.set(t, [shardNo]);
    }
  }

  /** prefix → router file, shard numbers delta-encoded (shards are added in ascending order). */
  files(): Map<string, RouterFile> {
    const out = new Map<string, RouterFile>();
    for (const t of [...this.terms.keys()].sort()) {
      const p = prefixOf(t);
      let file = out.get(p);
      if (!file) out.set(p, (file = {}));
      const ns = this.terms.get(t)!;
      file[t] = ns.map((n, i) => (i === 0 ? n : n - ns[i - 1]!));
    }
    return out;
  }
}

export interface BuiltIndex {
  manifest: Manifest;
  /** file name → shard JSON */
  shards: Map<string, string>;
  /** prefix → router file */
  router: Map<string, RouterFile>;
}

/** A shard kept from the previous build: its terms (for the router) and its size in bytes. */
export interface ReusedShard {
  terms: string[];
  bytes: number;
}

/**
 * Groups records into shards and builds each, handing its JSON to `emit` as soon as it is built (the
 * build writes it to disk and forgets it), then returns the manifest and the router. `reuse` may
 * answer for a group whose shard file the previous build already wrote as it would be now: that shard
 * is not built again, only routed (shard numbers are positions in this manifest, so the router and the
 * manifest are always written whole).
 */
export function buildIndex(
  records: TimelineRecord[],
  companyNames: Map<string, string>,
  kinds: string[],
  emit: (file: string, json: string, terms: string[]) => void,
  reuse?: (group: ShardGroup, file: string) => ReusedShard | null,
): Omit<BuiltIndex, 'shards'> {
  const groups = groupShards(records);
  const slugs = [...new Set(groups.map((g) => g.slug))].sort();
  const companyIdx = new Map(slugs.map((s, i) => [s, i]));
  const manifest: Manifest = {
    v: INDEX_VERSION,
    kinds,
    companies: slugs.map((s) => [s, companyNames.get(s) ?? s]),
    shards: [],
    prefixes: [],
  };
  const router = new RouterBuilder();
  for (const g of groups) {
    const file = shardFile(g.slug, g.year);
    const kept = reuse?.(g, file);
    if (kept) {
      router.add(manifest.shards.length, { t: kept.terms, w: [] });
      manifest.shards.push([companyIdx.get(g.slug)!, g.year, g.records.length, kept.bytes]);
      continue;
    }
    const shard = buildShard(g.records, companyNames);
    const json = JSON.stringify(shard);
    router.add(manifest.shards.length, shard.index);
    manifest.shards.push([companyIdx.get(g.slug)!, g.year, g.records.length, utf8Length(json)]);
    emit(file, json, shard.index.t);
  }
  const files = router.files();
  manifest.prefixes = [...files.keys()];
  return { manifest, router: files };
}

/** The whole index in memory: for tests and small sites. */
export function buildIndexInMemory(records: TimelineRecord[], companyNames: Map<string, string>, kinds: string[]): BuiltIndex {
  const shards = new Map<string, string>();
  const rest = buildIndex(records, companyNames, kinds, (file, json) => shards.set(file, json));
  return { ...rest, shards };
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

// ── query side (browser and tests) ──────────────────────────────────────────────────────────────

export interface Filters {
  company?: string;
  kind?: string;
  /** inclusive YYYY-MM-DD bounds on the record's date */
  from?: string;
  to?: string;
}

/** A lunr query clause as the parser leaves it (@types/lunr omits presence and makes editDistance required). */
export interface Clause {
  term: string;
  fields: string[];
  boost: number;
  usePipeline: boolean;
  wildcard: number;
  presence: lunr.Query.presence;
  editDistance?: number;
}

export interface QueryPlan {
  /** lunr clauses over the short field names; empty when the query has no searchable words. */
  clauses: Clause[];
  /** The text was not valid lunr syntax, so its words were searched as plain terms. */
  relaxed: boolean;
}

const P = lunr.Query.presence;
const W = lunr.Query.wildcard;

// lunr ships its query parser but @types/lunr does not declare it.
const QueryParser = (lunr as unknown as { QueryParser: new (q: string, query: lunr.Query) => { parse(): lunr.Query } }).QueryParser;

/** The term as the index holds it, or null for stop words and punctuation (which the index dropped). */
function indexable(term: string): string | null {
  const tok = lunr.trimmer(new lunr.Token(term, {}));
  if (!tok || !tok.toString()) return null;
  // stopWordFilter returns undefined for a stop word (its type says otherwise).
  return (lunr.stopWordFilter(tok) as lunr.Token | undefined) ? tok.toString() : null;
}

/**
 * Parses a query with lunr's syntax (`speaker:ambrose`, `ipo -paused`, `klar*`, `klarna~1`) and makes
 * every word required: results are sorted by date, not score, so a word that only ranks would only
 * add noise. Invalid syntax (a lone `:`, `title:`) falls back to the plain words, flagged `relaxed`.
 */
export function planQuery(q: string): QueryPlan {
  let parsed: Clause[];
  let relaxed = false;
  try {
    const query = new lunr.Query([...KEY_OF.keys()]);
    new QueryParser(q, query).parse();
    parsed = query.clauses as unknown as Clause[];
  } catch (err) {
    if (!(err instanceof lunr.QueryParseError)) throw err;
    relaxed = true;
    // The words as the indexer would cut them, with lunr's operators read as spaces.
    parsed = lunr.tokenizer(q.replace(/[:^~+*]/g, ' ')).map((tok) => ({
      term: tok.toString(),
      fields: [...KEY_OF.keys()],
      boost: 1,
      usePipeline: true,
      wildcard: W.NONE,
      presence: P.OPTIONAL,
    }));
  }
  const concepts = conceptClauses(parsed);
  const clauses: Clause[] = [];
  for (const [n, c] of parsed.entries()) {
    const concept = concepts.get(n);
    if (concept !== undefined) {
      // The first word of a recognised word or phrase stands for it; its other words are part of it.
      if (concept) clauses.push({ term: concept, fields: c.fields.map((f) => KEY_OF.get(f) ?? f), boost: c.boost, usePipeline: false, wildcard: W.NONE, presence: c.presence === P.PROHIBITED ? P.PROHIBITED : P.REQUIRED });
      continue;
    }
    let term = c.term;
    if (c.usePipeline) {
      const t = indexable(term);
      if (t === null) continue;
      term = t;
    } else if (!term.replace(/\*/g, '')) continue; // a bare "*" matches everything: no constraint
    clauses.push({
      ...c,
      term,
      fields: c.fields.map((f) => KEY_OF.get(f) ?? f),
      presence: c.presence === P.PROHIBITED ? P.PROHIBITED : P.REQUIRED,
    });
  }
  return { clauses, relaxed };
}

/**
 * The query's words that make a concept of the vocabulary (search-vocabulary.ts): clause position →
 * the concept term for a match's first word, '' for its other words. A phrase counts only within a
 * run of plain words with the same fields and presence ("-laid off" excludes layoffs; "laid -off" is
 * not the phrase).
 */
function conceptClauses(parsed: Clause[]): Map<number, string> {
  const out = new Map<number, string>();
  // A word restricted to fields without concepts (title:, speaker:) is searched as the word itself.
  const plain = (c: Clause) => c.usePipeline && !c.editDistance && c.wildcard === W.NONE && c.fields.some((f) => CONCEPT_FIELDS.has(KEY_OF.get(f) ?? f));
  const sameRun = (a: Clause, b: Clause) => (a.presence === P.PROHIBITED) === (b.presence === P.PROHIBITED) && a.fields.join() === b.fields.join();
  let start = 0;
  while (start < parsed.length) {
    let end = start + 1;
    while (end < parsed.length && sameRun(parsed[start]!, parsed[end]!)) end++;
    const run = parsed.slice(start, end);
    const words = run.map((c) => (plain(c) ? (lunr.trimmer(new lunr.Token(c.term, {})) as lunr.Token).toString() : null));
    for (const m of queryConcepts(words)) {
      m.words.forEach((i, k) => out.set(start + i, k === 0 ? m.concept : ''));
    }
    start = end;
  }
  return out;
}

const loaded = new WeakMap<Shard, lunr.Index>();

export function matchesFilters(r: TimelineRecord, f: Filters, company?: string): boolean {
  if (f.company && (company ?? r.c) !== f.company) return false;
  if (f.kind && r.k !== f.kind) return false;
  if (f.from && r.d < f.from) return false;
  if (f.to && r.d > f.to) return false;
  return true;
}

/** Records of a shard that match the query (lunr rank order) and the filters; without a query, all that
 * match the filters. */
export function searchShard(shard: Shard, query: string | QueryPlan, filters: Filters = {}): { records: TimelineRecord[]; relaxed: boolean } {
  const plan = typeof query === 'string' ? planQuery(query) : query;
  if (!plan.clauses.length) return { records: shard.records.filter((r) => matchesFilters(r, filters)), relaxed: plan.relaxed };
  let index = loaded.get(shard);
  if (!index) loaded.set(shard, (index = loadIndex(shard.index)));
  // lunr rewrites clause.term while it runs: hand it copies.
  const hits = index.query((q) => {
    for (const c of plan.clauses) q.clause({ ...c, fields: [...c.fields] } as unknown as lunr.Query.Clause);
  });
  const records = hits
    .map((h) => shard.records[Number(h.ref)])
    .filter((r): r is TimelineRecord => !!r && matchesFilters(r, filters));
  return { records, relaxed: plan.relaxed };
}

/** Router files a query needs: the prefixes of its routable required terms. */
export function routerPrefixes(plan: QueryPlan): string[] {
  const out = new Set<string>();
  for (const c of plan.clauses) {
    const r = routable(c);
    if (r) out.add(prefixOf(r.term));
  }
  return [...out];
}

/** A required clause the router can answer: an exact term, or a trailing wildcard with at least two
 * leading characters (router files are per two-character prefix). Fuzzy and leading wildcards cannot. */
function routable(c: Clause): { term: string; prefix: boolean } | null {
  if (c.presence !== P.REQUIRED || (c.editDistance ?? 0) > 0) return null;
  if (isConcept(c.term)) return { term: c.term, prefix: false };
  if (!c.usePipeline) {
    const m = /^([^*]+)\*+$/.exec(c.term);
    return m && m[1]!.length >= 2 ? { term: m[1]!, prefix: true } : null;
  }
  const stemmed = lunr.stemmer(new lunr.Token(c.term, {})).toString();
  return stemmed ? { term: stemmed, prefix: false } : null;
}

/** Shards holding every routable required term, or null when no term can be routed (search them all).
 * `files` holds the router files named by routerPrefixes; a missing file means no shard has such terms. */
export function routeQuery(plan: QueryPlan, files: Map<string, RouterFile>): Set<number> | null {
  return intersectRoutes(plan.clauses.map(routable).filter((r) => r !== null), files);
}

function intersectRoutes(terms: { term: string; prefix: boolean }[], files: Map<string, RouterFile>): Set<number> | null {
  let result = null as Set<number> | null;
  for (const r of terms) {
    const file = files.get(prefixOf(r.term)) ?? {};
    const shards = new Set<number>();
    const addAll = (deltas: number[]) => {
      let n = 0;
      for (const d of deltas) shards.add((n += d));
    };
    if (r.prefix) {
      for (const [t, deltas] of Object.entries(file)) if (t.startsWith(r.term)) addAll(deltas);
    } else if (Object.hasOwn(file, r.term)) addAll(file[r.term]!);
    result = result === null ? shards : new Set([...result].filter((n) => shards.has(n)));
  }
  return result;
}

/** Shard numbers that can hold results, in manifest order (newest first, see groupShards). */
export function candidateShards(manifest: Manifest, filters: Filters, routed: { has(n: number): boolean } | null): number[] {
  const fromYear = filters.from?.slice(0, 4);
  const toYear = filters.to?.slice(0, 4);
  const company = filters.company ? manifest.companies.findIndex(([s]) => s === filters.company) : -1;
  if (filters.company && company < 0) return [];
  const out: number[] = [];
  manifest.shards.forEach(([c, year], n) => {
    if (company >= 0 && c !== company) return;
    if (year !== UNDATED && ((fromYear && year < fromYear) || (toYear && year > toYear))) return;
    if (routed && !routed.has(n)) return;
    out.push(n);
  });
  return out;
}
