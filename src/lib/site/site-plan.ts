/**
 * Every page of the site, with a fingerprint of the data it shows: what `factdesk build` compares with
 * the previous release's to render only the pages whose data changed (src/cli/site-build/). The
 * fingerprints are hashes of the database rows each page is made of, read in the build's few
 * whole-table queries (build-scope.ts), so any change reaches the pages that show it — whichever
 * stage or hand made it — and nothing else: a new article re-renders its own page, the pages of the
 * articles whose facts it corroborates, its companies' fact sheets and the timeline pages of its year.
 *
 * Pages that summarise the whole site (home, lists, the sitemap, the RSS feed) have no fingerprint:
 * they are rendered on every build, which costs a few of the thousands of pages.
 *
 * Those pages and the timeline's (its years, /timeline/ and the facts feed, which names each fact's
 * first source) can be planned apart (wholeSitePlan): the timeline's are the only pages made from the
 * timeline records, and neither kind needs the per-page fingerprints, so the build has them rendered
 * by the thread that writes the timeline index from those same records
 * (src/cli/site-build/outputs-worker.ts) while the main thread plans and renders the rest; the main
 * thread then builds no timeline record and reads no sitemap entry.
 */
import { hash } from 'node:crypto';
import type { Db } from '../../../db/client.ts';
import { companies as companyTable, summaries } from '../../../db/schema.ts';
import { and, eq, isNotNull } from 'drizzle-orm';
import { articleIndex, type ArticleEntry } from './articles.ts';
import { articleHref, companyHref } from './links.ts';
import { allFacts, listCompanies, sourcesByFactId } from './queries.ts';
import { SORTED_VIEWS, sortPath } from './companies-sort.ts';
import { isRouteSlug } from './static-exports.ts';
import { timelineCompanies, timelineRecords } from './timeline.ts';
import { splitByYear, yearHref } from './timeline-pages.ts';
import { recordJson } from './search-shards.ts';
import { sitemapEntries, sitemapPartPath, sitemapParts } from './sitemap.ts';

export interface PlannedPage {
  /** Site path, as the router answers it ("/articles/3/", "/facts.xml"). */
  path: string;
  /** Where it is written under the client folder ("articles/3/index.html"). */
  file: string;
  /** Hash of what the page shows; null for the pages rendered on every build. */
  fp: string | null;
  /** The article a page shows, for the search index. */
  articleId?: number;
}

export interface SitePlan {
  pages: PlannedPage[];
  /** Article id → hash of what article search indexes of its page (title, outlet, date, text). */
  search: Map<number, string>;
  /** Company slug → hash of its facts and their sources: its fact sheet and its exports. */
  companies: Map<string, string>;
  /** What the build should say it left out. */
  warnings: string[];
  /** Each current fact's fingerprints, for the next build (knownFacts). */
  facts: FactFingerprints;
}

export interface SitePlanOptions {
  /**
   * Plan the pages of wholeSitePlan too (default true). False when they are planned and rendered
   * elsewhere: the plan then holds only the pages with a fingerprint of their own (articles and
   * fact sheets) and reads no timeline record and no sitemap entry.
   */
  wholeSite?: boolean;
  /** Fact fingerprints a previous build made, still true for every fact not in `changed` (factFingerprints). */
  knownFacts?: KnownFacts;
}

export type FactFingerprints = Map<string, { page: string; full: string }>;
export interface KnownFacts {
  fps: FactFingerprints;
  changed: ReadonlySet<string>;
}

/**
 * A short, stable hash of JSON-able parts. One-shot `crypto.hash` over the joined parts: the same
 * digest as feeding them to a Hash one by one, without a Hash object per call (the plan makes ~6 per
 * article and fact; ~30% less time per fingerprint measured).
 */
export function fingerprint(...parts: unknown[]): string {
  let s = '';
  for (const p of parts) s += (p instanceof Json ? p.text : (JSON.stringify(p) ?? 'undefined')) + '\u0000';
  return hash('sha256', s, 'base64url').slice(0, 22);
}

/** A part given to fingerprint() as its JSON already: hashed as that text, the same digest as the value. */
export class Json {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** Where a site path is written: directories get an index.html, files (".xml") keep their name. */
export function pageFile(sitePath: string): string {
  const rel = sitePath.replace(/^\/+/, '');
  if (rel === '') return 'index.html';
  return rel.endsWith('/') ? `${rel}index.html` : rel;
}

/** The pages written on every build, in the order they are rendered (the timeline's: timelinePaths). */
export function fixedPaths(): string[] {
  return ['/', '/companies/', ...SORTED_VIEWS.map(sortPath), '/sources/', '/exports/', '/sitemap.xml'];
}

/** The timeline's pages written on every build: its front page and the facts feed. */
export function timelinePaths(): string[] {
  return ['/timeline/', '/facts.xml'];
}

/** The timeline's pages: those rendered on every build, then one per year page with its fingerprint. */
export async function timelinePlan(db: Db): Promise<PlannedPage[]> {
  const [records, names] = await Promise.all([timelineRecords(db), timelineCompanies(db)]);
  const pages: PlannedPage[] = timelinePaths().map((p) => ({ path: p, file: pageFile(p), fp: null }));
  for (const y of splitByYear(records)) {
    const p = yearHref(y.year, y.page);
    const shown = [...new Set(y.records.map((r) => r.c))].sort().map((s) => [s, names.get(s) ?? null]);
    // The records' JSON as the timeline index made it for the shards' fingerprints (recordJson).
    const records = new Json(`[${y.records.map(recordJson).join(',')}]`);
    pages.push({ path: p, file: pageFile(p), fp: fingerprint('year', y.year, y.page, y.pages, records, shown) });
  }
  return pages;
}

/**
 * The pages rendered on every build that no timeline record goes into: fixedPaths, and the sitemap's
 * parts past one sitemap's worth of URLs. Any thread of a build with the shared reads can render them
 * (the build shares them out between its two: src/cli/site-build/page-queue.ts).
 */
export async function fixedPlan(db: Db): Promise<PlannedPage[]> {
  const urls = await sitemapEntries(db);
  const pages: PlannedPage[] = fixedPaths().map((p) => ({ path: p, file: pageFile(p), fp: null }));
  // Past one sitemap's worth of URLs, /sitemap.xml is an index of files rendered on every build like it.
  const parts = sitemapParts(urls.length);
  for (let n = 1; parts > 1 && n <= parts; n++) pages.push({ path: sitemapPartPath(n), file: pageFile(sitemapPartPath(n)), fp: null });
  return pages;
}

/**
 * The pages rendered on every build (fixedPlan), then the timeline's (timelinePlan): the pages made
 * from the whole site rather than from rows a fingerprint can name.
 */
export async function wholeSitePlan(db: Db): Promise<PlannedPage[]> {
  const [fixed, timeline] = await Promise.all([fixedPlan(db), timelinePlan(db)]);
  return [...fixed, ...timeline];
}

export async function sitePlan(db: Db, opts: SitePlanOptions = {}): Promise<SitePlan> {
  const [index, listed, facts, whole] = await Promise.all([articleIndex(db), listCompanies(db), factFingerprints(db, opts.knownFacts), opts.wholeSite === false ? [] : wholeSitePlan(db)]);
  const byCompany = await companyFingerprints(db, facts);
  const pages: PlannedPage[] = [];
  const warnings: string[] = [];
  for (const c of listed) {
    // An empty or odd slug (left by an older version for a non-Latin name) cannot be a route: that
    // company gets no page, the build says so, and the rest is built.
    if (!isRouteSlug(c.slug)) {
      warnings.push(`skipping the page of company "${c.name}": its slug ${JSON.stringify(c.slug)} cannot be a URL (left by a version before slugs were transliterated)`);
      continue;
    }
    const p = companyHref(c.slug);
    pages.push({ path: p, file: pageFile(p), fp: byCompany.get(c.slug) ?? fingerprint(null) });
  }
  const search = new Map<number, string>();
  for (const e of index.entries.values()) {
    const p = articleHref(e.meta.id);
    // The facts by what the page shows of them (pageFp), the rest of the entry as it is.
    const shown = e.facts.map((f) => [facts.get(f.id)?.page ?? null, f.start, f.end, f.partial]);
    pages.push({ path: p, file: pageFile(p), fp: fingerprint('article', e.meta, e.contentHash, e.summary, e.copyOf, e.copiedBy, shown), articleId: e.meta.id });
    search.set(e.meta.id, searchFingerprint(e));
  }
  return { pages: [...whole, ...pages], search, companies: byCompany, warnings, facts };
}

/** What pagefind reads of an article page: the body's title, text and the outlet and date meta. */
export function searchFingerprint(e: ArticleEntry): string {
  return fingerprint('search', e.meta.title, e.meta.outlet, e.meta.publishedAt, e.contentHash);
}

/**
 * Two hashes per current fact: `page`, of the columns the pages show (FactRow), and `full`, of every
 * column (the exports carry extractor, confidence and the rest too). Hashed once per fact, so the
 * pages that show a fact hash its hash, not its text again. With `known`, a fact not changed since
 * the build that hashed it keeps its hashes (a fact's hashes are of its row alone): a rebuild at 10k
 * hashes a few hundred facts instead of 50k (~0.25 s).
 */
export async function factFingerprints(db: Db, known?: KnownFacts): Promise<FactFingerprints> {
  const out: FactFingerprints = new Map();
  for (const f of await allFacts(db)) {
    const had = known && !known.changed.has(f.id) ? known.fps.get(f.id) : undefined;
    if (had) {
      out.set(f.id, had);
      continue;
    }
    const page = fingerprint([f.id, f.kind, f.value, f.valueHigh, f.unit, f.asOf, f.label, f.status, f.speaker, f.quote, f.statement, f.corroboration, f.createdAt, f.company, f.companyName, f.conflictsWith]);
    out.set(f.id, { page, full: fingerprint(page, [f.direction, f.changePct, f.approximate, f.extractor, f.confidence, f.updatedAt]) });
  }
  return out;
}

/**
 * Per company: its row, its brief, and each current fact (every column) with its current sources and
 * the article fields the fact sheet and the exports show of them (the url of the original for a copy
 * included). Read from the build's shared reads.
 */
export async function companyFingerprints(db: Db, facts?: FactFingerprints): Promise<Map<string, string>> {
  const [fps, rows, sources, index, cos, briefs] = await Promise.all([
    facts ?? factFingerprints(db),
    allFacts(db),
    sourcesByFactId(db),
    articleIndex(db),
    db.select().from(companyTable),
    db
      .select({ companyId: summaries.companyId, text: summaries.text })
      .from(summaries)
      .where(and(eq(summaries.subject, 'company'), isNotNull(summaries.companyId))),
  ]);
  const parts = new Map<string, unknown[]>();
  for (const f of rows) {
    const src = (sources.get(f.id) ?? []).map((s) => [s.articleId, s.title, s.outlet, s.url, s.publishedAt, s.evidence, s.start, s.end, s.partial, s.copyOfId, s.copyOfId === null ? null : (index.entries.get(s.copyOfId)?.meta.url ?? null)]);
    const list = parts.get(f.company);
    const item = [fps.get(f.id)!.full, src];
    if (list) list.push(item);
    else parts.set(f.company, [item]);
  }
  const briefOf = new Map(briefs.map((b) => [b.companyId!, b.text]));
  const out = new Map<string, string>();
  for (const c of cos) {
    const mine = parts.get(c.slug);
    if (!mine) continue;
    out.set(c.slug, fingerprint('company', c, briefOf.get(c.id) ?? null, mine));
  }
  return out;
}
