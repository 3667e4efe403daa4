/**
 * The timeline's search index, split so a browser downloads only what a query needs.
 *
 * One lunr index per (company, year) — a "shard" — holds the facts of that company in that year
 * ("undated" when the fact has no period). A small manifest lists the shards, and a term router maps
 * every indexed term to the shards that contain it, itself split by the term's first two letters. A
 * query fetches the manifest, the router files for its terms, then only the shards that can match,
 * newest first; filters by company or year narrow the shards before anything is fetched. A single
 * lunr index over all facts would be megabytes (../shared/design/stack.md measured 16 MB gzipped for
 * 10k articles); this keeps the first result within a few hundred kB at 50k facts.
 *
 * Pure and browser-safe (lunr only): the build writes the files with it, the timeline island and the
 * tests read them with it.
 */
import lunr from 'lunr';

export const INDEX_VERSION = 1;

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
  /** sortable date: the period's end, else the source's publication day (YYYY-MM-DD…) */
  d: string;
  /** display value ("USD 6.7 billion", "700 people") or null for quotes */
  v: string | null;
  /** the statement (evidence sentence) */
  t: string;
  /** quote and speaker (quote kind) */
  q: string | null;
  p: string | null;
  /** first source: article id, title, outlet, publication date */
  a: number | null;
  h: string | null;
  u: string | null;
  w: string | null;
}

export interface Shard {
  v: number;
  records: TimelineRecord[];
  index: object;
}

export interface Manifest {
  v: number;
  kinds: string[];
  /** [slug, name] */
  companies: [string, string][];
  /** [company index, year or "undated", fact count]; a shard's file is shardFile(slug, year). */
  shards: [number, string, number][];
  /** Router files that exist, by term prefix. */
  prefixes: string[];
}

/** term → shard numbers (indexes into manifest.shards) */
export type RouterFile = Record<string, number[]>;

export const UNDATED = 'undated';

export function yearOf(r: Pick<TimelineRecord, 'o' | 'd'>): string {
  const y = /^(\d{4})/.exec(r.o ?? '')?.[1];
  return y ?? UNDATED;
}

export function shardFile(slug: string, year: string): string {
  return `${slug}.${year}.json`;
}

/** Router files are named by the first two characters of a term, folded to [a-z0-9_]. */
export function prefixOf(term: string): string {
  return term.slice(0, 2).replace(/[^a-z0-9]/g, '_').padEnd(2, '_');
}

const FIELDS = ['t', 'q', 'p', 'h'] as const;

/** The terms lunr indexes for a piece of text (tokenizer + the default index pipeline). */
export function indexTerms(text: string): string[] {
  const pipeline = new lunr.Pipeline();
  pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
  return pipeline.run(lunr.tokenizer(text)).map((t) => t.toString()).filter(Boolean);
}

export function buildShard(records: TimelineRecord[]): Shard {
  const index = lunr(function (this: lunr.Builder) {
    this.ref('n');
    this.field('t');
    this.field('q');
    this.field('p', { boost: 5 });
    this.field('h', { boost: 2 });
    records.forEach((r, n) => this.add({ n: String(n), t: r.t, q: r.q ?? '', p: r.p ?? '', h: r.h ?? '' }));
  });
  return { v: INDEX_VERSION, records, index: index.toJSON() };
}

export interface BuiltIndex {
  manifest: Manifest;
  /** file name → shard */
  shards: Map<string, Shard>;
  /** prefix → router file */
  router: Map<string, RouterFile>;
}

/** Groups records into shards and builds the manifest and the term router. */
export function buildIndex(records: TimelineRecord[], companyNames: Map<string, string>, kinds: string[]): BuiltIndex {
  const groups = new Map<string, TimelineRecord[]>();
  for (const r of records) {
    const key = `${r.c}\u0000${yearOf(r)}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const slugs = [...new Set(records.map((r) => r.c))].sort();
  const companyIdx = new Map(slugs.map((s, i) => [s, i]));
  const manifest: Manifest = {
    v: INDEX_VERSION,
    kinds,
    companies: slugs.map((s) => [s, companyNames.get(s) ?? s]),
    shards: [],
    prefixes: [],
  };
  const shards = new Map<string, Shard>();
  const routes = new Map<string, Map<string, Set<number>>>();
  const keys = [...groups.keys()].sort();
  for (const key of keys) {
    const [slug, year] = key.split('\u0000') as [string, string];
    // Newest first inside a shard, so results render in order without re-sorting much.
    const recs = groups.get(key)!.sort((a, b) => b.d.localeCompare(a.d) || a.i.localeCompare(b.i));
    const n = manifest.shards.length;
    manifest.shards.push([companyIdx.get(slug)!, year, recs.length]);
    shards.set(shardFile(slug, year), buildShard(recs));
    for (const r of recs) {
      for (const f of FIELDS) {
        const text = r[f];
        if (!text) continue;
        for (const term of indexTerms(text)) {
          const p = prefixOf(term);
          let m = routes.get(p);
          if (!m) routes.set(p, (m = new Map()));
          let s = m.get(term);
          if (!s) m.set(term, (s = new Set()));
          s.add(n);
        }
      }
    }
  }
  const router = new Map<string, RouterFile>();
  for (const [p, m] of [...routes.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const file: RouterFile = {};
    for (const [term, set] of m) file[term] = [...set].sort((a, b) => a - b);
    router.set(p, file);
    manifest.prefixes.push(p);
  }
  return { manifest, shards, router };
}

// ── query side (browser and tests) ──────────────────────────────────────────────────────────────

export interface Filters {
  company?: string;
  kind?: string;
  /** inclusive YYYY-MM-DD bounds on the record's date */
  from?: string;
  to?: string;
}

/**
 * Words of a query as lunr will search them (stemmed), for routing. Field prefixes ("p:ambrose"),
 * presence markers (+/-) and wildcards are lunr syntax; excluded terms (-x) cannot route.
 */
export function queryTerms(q: string): { term: string; prefix: boolean }[] {
  const out: { term: string; prefix: boolean }[] = [];
  for (const raw of q.split(/\s+/)) {
    if (!raw || raw.startsWith('-')) continue;
    const word = raw.replace(/^\+/, '').replace(/^[a-z]+:/i, '');
    const wildcard = /\*$/.test(word);
    const clean = word.replace(/[*~^]\d*/g, '').toLowerCase();
    for (const tok of lunr.tokenizer(clean)) {
      const t = lunr.trimmer(tok);
      if (!t || !t.toString()) continue;
      const s = wildcard ? t.toString() : lunr.stemmer(t).toString();
      if (s) out.push({ term: s, prefix: wildcard });
    }
  }
  return out;
}

/** lunr's query syntax, or — when the text is not valid syntax — the same words as plain terms. */
export function parseQuery(index: lunr.Index, q: string): { hits: lunr.Index.Result[]; relaxed: boolean } {
  try {
    return { hits: index.search(q), relaxed: false };
  } catch (err) {
    if (!(err instanceof lunr.QueryParseError)) throw err;
    const words = q.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (!words.length) return { hits: [], relaxed: true };
    const hits = index.query((query) => {
      for (const w of words) query.term(lunr.tokenizer(w.toLowerCase()), {});
    });
    return { hits, relaxed: true };
  }
}

const loaded = new WeakMap<Shard, lunr.Index>();

export function matchesFilters(r: TimelineRecord, f: Filters): boolean {
  if (f.company && r.c !== f.company) return false;
  if (f.kind && r.k !== f.kind) return false;
  if (f.from && r.d.slice(0, 10) < f.from) return false;
  if (f.to && r.d.slice(0, f.to.length) > f.to) return false;
  return true;
}

/** Records of a shard that match the query (ranked) and filters; without a query, all that match. */
export function searchShard(shard: Shard, q: string, filters: Filters = {}): { records: TimelineRecord[]; relaxed: boolean } {
  if (!q.trim()) return { records: shard.records.filter((r) => matchesFilters(r, filters)), relaxed: false };
  let index = loaded.get(shard);
  if (!index) loaded.set(shard, (index = lunr.Index.load(shard.index)));
  const { hits, relaxed } = parseQuery(index, q);
  const records = hits.map((h) => shard.records[Number(h.ref)]).filter((r): r is TimelineRecord => !!r && matchesFilters(r, filters));
  return { records, relaxed };
}

/** Shard numbers that can hold results, most promising first: newest year, then most query terms. */
export function candidateShards(
  manifest: Manifest,
  filters: Filters,
  routed: Map<number, number> | null,
): number[] {
  const fromYear = filters.from?.slice(0, 4);
  const toYear = filters.to?.slice(0, 4);
  const company = filters.company ? manifest.companies.findIndex(([s]) => s === filters.company) : -1;
  if (filters.company && company < 0) return [];
  const out: number[] = [];
  manifest.shards.forEach(([c, year], n) => {
    if (company >= 0 && c !== company) return;
    if (year === UNDATED ? Boolean(fromYear || toYear) : (fromYear && year < fromYear) || (toYear && year > toYear)) return;
    if (routed && !routed.has(n)) return;
    out.push(n);
  });
  const yearRank = (n: number) => (manifest.shards[n]![1] === UNDATED ? '0000' : manifest.shards[n]![1]);
  return out.sort(
    (a, b) =>
      (routed ? routed.get(b)! - routed.get(a)! : 0) ||
      yearRank(b).localeCompare(yearRank(a)) ||
      manifest.shards[b]![2] - manifest.shards[a]![2],
  );
}

/** For routed queries: shard number → how many query terms it holds. */
export function routeTerms(terms: { term: string; prefix: boolean }[], files: Map<string, RouterFile>): Map<number, number> {
  const count = new Map<number, number>();
  for (const { term, prefix } of terms) {
    const file = files.get(prefixOf(term));
    if (!file) continue;
    const shards = new Set<number>();
    if (prefix) {
      for (const [t, ns] of Object.entries(file)) if (t.startsWith(term)) ns.forEach((n) => shards.add(n));
    } else file[term]?.forEach((n) => shards.add(n));
    for (const n of shards) count.set(n, (count.get(n) ?? 0) + 1);
  }
  return count;
}
