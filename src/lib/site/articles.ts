/**
 * Build-time data for the article pages. What a page shows besides the text (metadata, summary,
 * evidence spans, facts, copies) is read in a few whole-table queries once per build and grouped in
 * memory (articleIndex): 10k article pages each querying their facts, summary and copies would be 40k
 * round trips, while these few scans take well under a second at that size. The texts, which are
 * most of the bytes, are read only for the pages being rendered, a batch at a time (articlePage), so
 * a build that renders 200 changed pages of a 10k-article site reads 200 texts. The index without
 * the texts is also what the build fingerprints to find the pages that changed (site-plan.ts).
 */
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { articles, summaries } from '../../../db/schema.ts';
import { shared } from './build-scope.ts';
import { allFacts, currentSources, type CurrentSource, type FactRow } from './queries.ts';
import { readBulk } from '../../../db/bulk-read.ts';

/** A current fact (as every site page reads it) with one of its evidence spans in this article. */
export type ArticleFact = FactRow & { factId: string; start: number; end: number; partial: boolean };

export interface ArticleLink {
  id: number;
  title: string | null;
  outlet: string | null;
  publishedAt: string | null;
}

export interface ArticleMeta {
  id: number;
  url: string | null;
  title: string | null;
  outlet: string | null;
  author: string | null;
  publishedAt: string | null;
  modifiedAt: string | null;
  wordCount: number;
  paywalled: boolean;
  truncated: boolean;
  revision: number;
  textSource: string;
}

export interface ArticlePageData {
  article: ArticleMeta & { text: string };
  summary: string | null;
  copyOf: ArticleLink | null;
  copiedBy: ArticleLink[];
  facts: ArticleFact[];
}

/** An article page without its text: the text is stood for by its hash (written with it by the store). */
export interface ArticleEntry {
  meta: ArticleMeta;
  contentHash: string;
  summary: string | null;
  copyOf: ArticleLink | null;
  copiedBy: ArticleLink[];
  facts: ArticleFact[];
}

export interface ArticleIndex {
  /** By id, ascending. */
  entries: Map<number, ArticleEntry>;
}

/** Every article's page data but its text, read once per build. */
export function articleIndex(db: Db): Promise<ArticleIndex> {
  return shared('articleIndex', db, () => loadIndex(db));
}

async function loadIndex(db: Db): Promise<ArticleIndex> {
  const rows = await readBulk<ArticleMeta & { copyOfId: number | null; contentHash: string }>(db, {
    columns: {
      id: ['id', 'int'],
      url: ['url', 'text'],
      title: ['title', 'text'],
      outlet: ['outlet', 'text'],
      author: ['author', 'text'],
      publishedAt: ['published_at', 'text'],
      modifiedAt: ['modified_at', 'text'],
      wordCount: ['word_count', 'int'],
      paywalled: ['paywalled', 'bool'],
      truncated: ['truncated', 'bool'],
      revision: ['revision', 'int'],
      textSource: ['text_source', 'text'],
      copyOfId: ['copy_of_id', 'int'],
      contentHash: ['content_hash', 'text'],
    },
    from: 'from articles',
    chunkBy: { rowid: 'id', table: 'articles' },
    orderBy: ['id'],
  });
  const sums = await db
    .select({ articleId: summaries.articleId, text: summaries.text })
    .from(summaries)
    .where(and(eq(summaries.subject, 'article'), isNotNull(summaries.articleId)));
  // Evidence of the current revision only: that is the text the page shows (the build's one read of
  // every current source). The facts themselves come from its one read of all current facts
  // (retracted ones are not in it).
  // Grouped by article, then each article's few in page order: sorting all 56k (at 10k articles)
  // by article first cost ~50 ms more for the same lists.
  const byArticle = new Map<number, CurrentSource[]>();
  for (const s of await currentSources(db)) {
    const list = byArticle.get(s.articleId);
    if (list) list.push(s);
    else byArticle.set(s.articleId, [s]);
  }
  const inPageOrder = (a: CurrentSource, b: CurrentSource) => a.start - b.start || a.end - b.end || (a.factId < b.factId ? -1 : a.factId > b.factId ? 1 : 0);
  const factById = new Map((await allFacts(db)).map((f) => [f.id, f]));

  const summaryOf = new Map(sums.map((s) => [s.articleId!, s.text]));
  const factsOf = new Map<number, ArticleFact[]>();
  for (const [articleId, sources] of byArticle) {
    if (sources.length > 1) sources.sort(inPageOrder);
    const list: ArticleFact[] = [];
    for (const { factId, start, end, partial } of sources) {
      const fact = factById.get(factId);
      if (!fact) continue; // retracted
      list.push({ ...pageFact(fact), factId, start, end, partial });
    }
    if (list.length) factsOf.set(articleId, list);
  }
  const link = (a: (typeof rows)[number]): ArticleLink => ({ id: a.id, title: a.title, outlet: a.outlet, publishedAt: a.publishedAt });
  const byId = new Map(rows.map((a) => [a.id, a]));
  const copies = new Map<number, ArticleLink[]>();
  for (const a of rows) {
    if (a.copyOfId === null) continue;
    const list = copies.get(a.copyOfId);
    if (list) list.push(link(a));
    else copies.set(a.copyOfId, [link(a)]);
  }
  const entries = new Map<number, ArticleEntry>();
  for (const { copyOfId, contentHash, ...meta } of rows) {
    const original = copyOfId !== null ? byId.get(copyOfId) : undefined;
    entries.set(meta.id, {
      meta,
      contentHash,
      summary: summaryOf.get(meta.id) ?? null,
      copyOf: original ? link(original) : null,
      copiedBy: copies.get(meta.id) ?? [],
      facts: factsOf.get(meta.id) ?? [],
    });
  }
  return { entries };
}

/** The fact as the article page has always received it: the columns of FactRow, no more. */
function pageFact(f: FactRow): FactRow {
  const { id, kind, value, valueHigh, unit, asOf, label, status, speaker, quote, statement, corroboration, createdAt, company, companyName, conflictsWith } = f;
  return { id, kind, value, valueHigh, unit, asOf, label, status, speaker, quote, statement, corroboration, createdAt, company, companyName, conflictsWith };
}

function page(e: ArticleEntry, text: string): ArticlePageData {
  return { article: { ...e.meta, text }, summary: e.summary, copyOf: e.copyOf, copiedBy: e.copiedBy, facts: e.facts };
}

/**
 * One article's page, or null when there is no such article. Texts are read in batches: the pages
 * a renderer asks for at the same time are served by one query.
 */
export async function articlePage(db: Db, id: number): Promise<ArticlePageData | null> {
  const e = (await articleIndex(db)).entries.get(id);
  if (!e) return null;
  const text = await textLoader(db).load(id);
  return text === undefined ? null : page(e, text);
}

/** Every article with what its page shows (tests and small sites: all texts in memory). */
export function articlePages(db: Db): Promise<ArticlePageData[]> {
  return shared('articlePages', db, async () => {
    const { entries } = await articleIndex(db);
    const texts = new Map((await db.select({ id: articles.id, text: articles.text }).from(articles)).map((r) => [r.id, r.text]));
    return [...entries.values()].flatMap((e) => (texts.has(e.meta.id) ? [page(e, texts.get(e.meta.id)!)] : []));
  });
}

/** Collects the ids asked for in one turn of the event loop and reads their texts in one query. */
class TextLoader {
  private pending = new Map<number, { resolve: (t: string | undefined) => void; reject: (e: unknown) => void }[]>();
  private scheduled = false;
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  load(id: number): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(id);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(id, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    const ids = [...batch.keys()];
    try {
      const texts = new Map<number, string>();
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await this.db.select({ id: articles.id, text: articles.text }).from(articles).where(inArray(articles.id, ids.slice(i, i + 500)));
        for (const r of rows) texts.set(r.id, r.text);
      }
      for (const [id, waiting] of batch) for (const w of waiting) w.resolve(texts.get(id));
    } catch (err) {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(err);
    }
  }
}

const loaders = new WeakMap<Db, TextLoader>();
function textLoader(db: Db): TextLoader {
  let l = loaders.get(db);
  if (!l) loaders.set(db, (l = new TextLoader(db)));
  return l;
}
