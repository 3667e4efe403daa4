/**
 * Writes one collected article: new, new revision, or unchanged — plus its feed item's status and
 * its copy-of links — all or nothing (a transaction, or a savepoint of a batch's transaction), so a
 * crash never leaves half an article behind and a rerun never duplicates one.
 */
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { insertRows, writeTransaction, type Execute, type Query, type SqlValue } from '../db/bulk.ts';
import { isBusy } from '../db/busy.ts';
import type { Db } from '../db/client.ts';
import { groupCommit } from '../src/shared/group-commit.ts';
import { articleFingerprints, articleRevisions, articles, type Article } from '../db/schema.ts';
import { hamming } from './dedup/near-dup.ts';
import { chooseOriginal, figureSet, isCopy, LOOSE_DISTANCE, MIN_WORDS_FOR_COPY } from './dedup/copies.ts';
import { shingleSet } from './dedup/similarity.ts';
import { digestArticle, type ArticleDigest } from './digest.ts';
import { markItemDone } from './state.ts';

export { wordCount } from './digest.ts';

export interface CollectedArticle {
  /** Preferred identity first; every key that may already name this article (canonical, final URL, item URL). */
  keys: string[];
  url: string | null;
  feedId: number;
  guid: string;
  title: string | null;
  outlet: string | null;
  author: string | null;
  language: string | null;
  description: string | null;
  publishedAt: string | null;
  modifiedAt: string | null;
  text: string;
  textSource: 'page' | 'feed';
  paywalled: boolean;
  truncated: boolean;
  flags: string[];
  etag: string | null;
  lastModified: string | null;
  rawHtml: string | null;
  /** `digestArticle(text, rawHtml)` when a page worker already computed it; else computed here. */
  digest?: ArticleDigest;
}

/** Candidates checked per stored article; see linkCopies. */
const MAX_CANDIDATES = 50;

export type SaveOutcome = 'new' | 'copy' | 'revised' | 'unchanged';

/** A transaction of db.transaction, or a drizzle database bound to one (db/bulk.ts writeTransaction). */
type Tx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/** What saving needs to know of the stored article: everything but its text and extraction state. */
const STORED = {
  id: articles.id,
  key: articles.key,
  url: articles.url,
  title: articles.title,
  outlet: articles.outlet,
  author: articles.author,
  language: articles.language,
  description: articles.description,
  publishedAt: articles.publishedAt,
  contentHash: articles.contentHash,
  copyOfId: articles.copyOfId,
  revision: articles.revision,
  etag: articles.etag,
  lastModified: articles.lastModified,
};

type StoredRow = { [K in keyof typeof STORED]: (typeof STORED)[K]['_']['data'] | null } & { id: number; key: string; contentHash: string; revision: number };

async function findArticleByKeys(query: Query, keys: string[]): Promise<StoredRow | undefined> {
  if (keys.length === 0) return undefined;
  const names = Object.keys(STORED) as (keyof typeof STORED)[];
  const rows = (await query(`${STORED_SELECT}(${keys.map(() => '?').join(', ')})`, keys)).map((r) => {
    const o: Record<string, unknown> = {};
    names.forEach((n, i) => (o[n] = r[i]));
    return o as StoredRow;
  });
  // Prefer the first key's match: it is the most specific identity.
  for (const k of keys) {
    const hit = rows.find((r) => r.key === k);
    if (hit) return hit;
  }
  return undefined;
}

/** What a page fetch needs of a stored article: its id and validators (not its text). */
export async function findValidators(db: Db, key: string): Promise<Pick<Article, 'id' | 'etag' | 'lastModified'> | undefined> {
  const [row] = await db
    .select({ id: articles.id, etag: articles.etag, lastModified: articles.lastModified })
    .from(articles)
    .where(eq(articles.key, key));
  return row;
}

export interface SaveResult {
  outcome: SaveOutcome;
  articleId: number;
  copyOfId: number | null;
}

/** One article, in a transaction of its own. */
export function saveArticle(db: Db, itemId: number | null, a: CollectedArticle, now: Date = new Date()): Promise<SaveResult> {
  return writeTransaction(db, (tx, execute, query) => writeArticle({ tx, execute, query }, itemId, a, now));
}

/** One article to write in a batch (see saveArticles). */
export interface ArticleToSave {
  itemId: number | null;
  article: CollectedArticle;
  now: Date;
}

/** What became of one article of a batch: written, or refused on its own (the others still stand). */
export type BatchSaved = { ok: true; saved: SaveResult } | { ok: false; error: unknown };

/**
 * Several articles in ONE transaction, each inside a savepoint of its own: an article is still all
 * or nothing (its rows, its copy-of links and its item marked done), an article refused by the
 * database (a constraint, a value SQLite will not take) is rolled back alone and reported in its
 * place, and a crash before the commit leaves none of the batch — their items stay pending, and the
 * next run stores them once. What this saves over one transaction per article: a commit writes each
 * changed page to the WAL once for the batch (the articles, revisions and search-index pages that
 * consecutive articles share), and FTS5 flushes one segment per commit, not one per article.
 * Another process's lock (SQLITE_BUSY) is not an article's fault: it ends the batch, which
 * writeTransaction runs again whole.
 */
export async function saveArticles(db: Db, batch: ArticleToSave[]): Promise<BatchSaved[]> {
  return writeTransaction(db, async (tx, execute, query) => {
    const w: Writer = { tx, execute, query };
    const out: BatchSaved[] = [];
    for (const { itemId, article, now } of batch) {
      // The driver runs each statement synchronously and its promises resolve as microtasks, so a
      // whole batch would hold the event loop: worker threads that finished a page would wait for
      // their next one and fetches for their sockets. Let them in between articles.
      if (out.length) await new Promise((r) => setImmediate(r));
      await execute('savepoint article', []);
      try {
        out.push({ ok: true, saved: await writeArticle(w, itemId, article, now) });
        await execute('release savepoint article', []);
      } catch (error) {
        if (isBusy(error)) throw error;
        await execute('rollback to savepoint article', []);
        await execute('release savepoint article', []);
        out.push({ ok: false, error });
      }
    }
    return out;
  });
}

/** Articles written in one transaction at most (saveArticles); what arrives meanwhile waits for the next. */
export const SAVE_BATCH = 32;
/** How long a stored article may wait for others to share its transaction (see groupCommit). */
export const SAVE_LINGER_MS = 20;

/**
 * `saveArticle` for many concurrent callers (a refresh's page pipelines): articles handed in while
 * a batch is being written go together in the next one (src/shared/group-commit.ts); each caller
 * gets its own article's result, or its own error.
 */
export function articleWriter(db: Db, max = SAVE_BATCH, lingerMs = SAVE_LINGER_MS): (itemId: number | null, a: CollectedArticle, now: Date) => Promise<SaveResult> {
  const save = groupCommit((items: ArticleToSave[]) => saveArticles(db, items), max, { lingerMs });
  return async (itemId, article, now) => {
    const r = await save({ itemId, article, now });
    if (!r.ok) throw r.error;
    return r.saved;
  };
}

/**
 * A write transaction's two handles (db/bulk.ts): drizzle, and the driver's own execute and query
 * for the statements every stored article runs, where drizzle's query building cost more of the
 * main thread than SQLite's insert (bench:collect profile: ~0.5 ms an article).
 */
interface Writer {
  tx: Db;
  execute: Execute;
  query: Query;
}

/** The article row's columns as written for a new article, in the order of ARTICLE_INSERT's values. */
const NEW_ARTICLE_COLUMNS = [
  articles.key, articles.url, articles.feedId, articles.guid, articles.title, articles.outlet, articles.author, articles.language,
  articles.description, articles.publishedAt, articles.modifiedAt, articles.firstSeenAt, articles.fetchedAt, articles.text,
  articles.wordCount, articles.contentHash, articles.simhash, articles.paywalled, articles.truncated, articles.flags,
  articles.textSource, articles.etag, articles.lastModified,
];
const ARTICLE_INSERT = `insert into "articles" (${NEW_ARTICLE_COLUMNS.map((c) => `"${c.name}"`).join(', ')}) values (${NEW_ARTICLE_COLUMNS.map(() => '?').join(', ')}) returning "id"`;
const REVISION_COLUMNS = [articleRevisions.articleId, articleRevisions.revision, articleRevisions.fetchedAt, articleRevisions.title, articleRevisions.text, articleRevisions.contentHash, articleRevisions.rawHtml];
const FINGERPRINT_COLUMNS = [articleFingerprints.fp, articleFingerprints.articleId];
/** STORED's columns, in its order: the row a save compares against. */
const STORED_SELECT = `select ${Object.values(STORED).map((c) => `"${c.name}"`).join(', ')} from "articles" where "key" in `;

/**
 * Values as the driver binds them: a field left undefined (an optional metadata field a page did not
 * give) is NULL, as drizzle wrote it, where the driver would refuse the whole article.
 */
function defined(values: (SqlValue | undefined)[]): SqlValue[] {
  return values.map((v) => (v === undefined ? null : v));
}

/** The body of saveArticle, on a transaction someone else opened and will commit. */
async function writeArticle(w: Writer, itemId: number | null, a: CollectedArticle, now: Date): Promise<SaveResult> {
  const { tx } = w;
  const d = a.digest ?? digestArticle(a.text, a.rawHtml);
  const { contentHash: hash, simhash: sig, fingerprints: fps, wordCount: words } = d;
  const fetchedAt = now.toISOString();
  // A worker's gzip arrives as a plain Uint8Array (structured clone); the blob column takes a Buffer.
  const raw = d.rawGzip ? Buffer.from(d.rawGzip.buffer, d.rawGzip.byteOffset, d.rawGzip.byteLength) : null;

  // What this fetch says about the text, written the same way for a new article and a revision.
  const content = {
    fetchedAt,
    text: a.text,
    wordCount: words,
    contentHash: hash,
    simhash: sig,
    paywalled: a.paywalled,
    truncated: a.truncated,
    flags: JSON.stringify(a.flags),
    textSource: a.textSource,
    etag: a.etag,
    lastModified: a.lastModified,
  };
  const revisionRow = (articleId: number, revision: number): SqlValue[] => defined([articleId, revision, fetchedAt, a.title, a.text, hash, raw]);

  const existing = await findArticleByKeys(w.query, a.keys);
  let articleId: number;
  let outcome: SaveOutcome;

  if (existing && existing.contentHash === hash) {
    // Same text: nothing to store. Only remember new validators so the next GET can be conditional.
    articleId = existing.id;
    outcome = 'unchanged';
    if ((a.etag && a.etag !== existing.etag) || (a.lastModified && a.lastModified !== existing.lastModified)) {
      await tx
        .update(articles)
        .set({ etag: a.etag ?? existing.etag, lastModified: a.lastModified ?? existing.lastModified })
        .where(eq(articles.id, existing.id));
    }
  } else if (existing) {
    const revision = existing.revision + 1;
    await insertRows(w.execute, articleRevisions, REVISION_COLUMNS, [revisionRow(existing.id, revision)]);
    await tx
      .update(articles)
      .set({
        ...content,
        url: a.url ?? existing.url,
        title: a.title ?? existing.title,
        outlet: a.outlet ?? existing.outlet,
        author: a.author ?? existing.author,
        language: a.language ?? existing.language,
        description: a.description ?? existing.description,
        // The first publication date stays: a correction does not make an article newer.
        publishedAt: existing.publishedAt ?? a.publishedAt,
        modifiedAt: a.modifiedAt ?? fetchedAt,
        revision,
        extractionStatus: 'pending',
      })
      .where(eq(articles.id, existing.id));
    articleId = existing.id;
    outcome = 'revised';
  } else {
    const [row] = await w.query(ARTICLE_INSERT, defined([
      a.keys[0] ?? null, a.url, a.feedId, a.guid, a.title, a.outlet, a.author, a.language, a.description, a.publishedAt, a.modifiedAt,
      fetchedAt, fetchedAt, a.text, words, hash, sig, a.paywalled, a.truncated, content.flags, a.textSource, a.etag, a.lastModified,
    ]));
    articleId = Number(row![0]);
    await insertRows(w.execute, articleRevisions, REVISION_COLUMNS, [revisionRow(articleId, 1)]);
    outcome = 'new';
  }

  let copyOfId: number | null = existing?.copyOfId ?? null;
  if (outcome !== 'unchanged') {
    if (outcome === 'revised') await tx.delete(articleFingerprints).where(eq(articleFingerprints.articleId, articleId));
    if (fps.length === 0) throw new Error('an article to store has no fingerprints'); // digestArticle always gives one
    await insertRows(w.execute, articleFingerprints, FINGERPRINT_COLUMNS, fps.map((fp) => [fp, articleId]));
    // The row as just written: no need to read it back.
    const self: StoredText = {
      id: articleId,
      key: existing?.key ?? a.keys[0]!,
      publishedAt: existing ? (existing.publishedAt ?? a.publishedAt) : a.publishedAt,
      text: a.text,
      contentHash: hash,
      simhash: sig,
      wordCount: words,
      copyOfId,
    };
    copyOfId = await linkCopies(tx, self, fps);
    if (outcome === 'new' && copyOfId !== null) outcome = 'copy';
  }

  if (itemId !== null) await markItemDone(tx, itemId, articleId, now);
  return { outcome, articleId, copyOfId };
}

/** What the copy check needs of the article being stored. */
type StoredText = Pick<Article, 'id' | 'key' | 'publishedAt' | 'text' | 'contentHash' | 'simhash' | 'wordCount' | 'copyOfId'>;

/**
 * Articles that may repeat `self`: same content hash, a shared paragraph, or a shared simhash band
 * with the fingerprints within LOOSE_DISTANCE bits (a band alone matches ~1/256 of all articles, so
 * it is only a hint). Only these few have their text loaded for the shingle comparison.
 */
async function copyCandidates(tx: Tx, self: StoredText, fps: string[]) {
  // One statement, two indexed lookups (an OR across the two would make SQLite scan every article):
  // fingerprint hits, each with its article's simhash read from articles_id_simhash_idx — the table
  // row is as large as the article's text, and a band hits ~1/256 of all rows — and, with fp null,
  // the articles with the same content hash.
  const hits = await tx.all<{ articleId: number; fp: string | null; simhash: string }>(sql`
    select f.article_id as articleId, f.fp as fp, a.simhash as simhash
    from ${articleFingerprints} f join ${articles} a indexed by articles_id_simhash_idx on a.id = f.article_id
    where f.fp in ${fps} and f.article_id <> ${self.id}
    union all
    select id, null, simhash from ${articles} where content_hash = ${self.contentHash} and id <> ${self.id}`);
  const sameText = hits.filter((h) => h.fp === null).map((h) => h.articleId);
  const byParagraph = new Set(hits.filter((h) => h.fp?.startsWith('p:')).map((h) => h.articleId));
  const near = hits.filter((h) => h.fp !== null && !byParagraph.has(h.articleId) && hamming(h.simhash, self.simhash) <= LOOSE_DISTANCE).map((h) => h.articleId);
  const ids = [...new Set([...sameText, ...byParagraph, ...near])];
  if (ids.length === 0) return [];
  return tx
    .select({
      id: articles.id,
      key: articles.key,
      text: articles.text,
      contentHash: articles.contentHash,
      publishedAt: articles.publishedAt,
      wordCount: articles.wordCount,
      copyOfId: articles.copyOfId,
    })
    .from(articles)
    .where(inArray(articles.id, ids))
    // A stock paragraph (a disclaimer an outlet appends everywhere) can match many articles; the
    // most recent ones are where a reprint's original is.
    .orderBy(desc(articles.id))
    .limit(MAX_CANDIDATES);
}

/**
 * Finds the article's near-duplicates (same content hash, or candidates sharing a simhash band or a
 * paragraph fingerprint, confirmed by shingle similarity) and points every member of the group at the earliest one.
 * Returns the article's own copy-of id (null when it is the original or has no copies).
 */
async function linkCopies(tx: Tx, self: StoredText, fps: string[]): Promise<number | null> {
  const articleId = self.id;
  if (self.wordCount < MIN_WORDS_FOR_COPY) {
    if (self.copyOfId !== null) await tx.update(articles).set({ copyOfId: null }).where(eq(articles.id, articleId));
    return null;
  }
  const candidates = await copyCandidates(tx, self, fps);
  // Most articles have no candidate at all: their shingles are not worth computing.
  const selfShingles = candidates.length ? shingleSet(self.text) : new Set<string>();
  const selfFigures = candidates.length ? figureSet(self.text) : new Set<string>();
  const matches = candidates.filter((c) =>
    isCopy(
      { contentHash: self.contentHash, wordCount: self.wordCount, shingles: selfShingles, figures: selfFigures },
      { contentHash: c.contentHash, wordCount: c.wordCount, shingles: shingleSet(c.text), figures: figureSet(c.text) },
    ),
  );
  if (matches.length === 0) {
    if (self.copyOfId !== null) await tx.update(articles).set({ copyOfId: null }).where(eq(articles.id, articleId));
    // Articles that pointed at this one may no longer match it after a revision; leave them: they
    // still repeat the text they were stored with, and the earliest-original rule is about that text.
    return null;
  }
  // Include the originals the matches already point to, so the whole group shares one root.
  const rootIds = [...new Set(matches.map((m) => m.copyOfId).filter((x): x is number => x !== null && x !== articleId))];
  const roots = rootIds.length
    ? await tx
        .select({ id: articles.id, key: articles.key, publishedAt: articles.publishedAt })
        .from(articles)
        .where(inArray(articles.id, rootIds))
    : [];
  const group = [
    { id: self.id, key: self.key, publishedAt: self.publishedAt },
    ...matches.map((m) => ({ id: m.id, key: m.key, publishedAt: m.publishedAt })),
    ...roots,
  ];
  const original = chooseOriginal(group);
  const ids = [...new Set(group.map((g) => g.id))];
  await tx
    .update(articles)
    .set({ copyOfId: sql`case when ${articles.id} = ${original.id} then null else ${original.id} end` })
    .where(inArray(articles.id, ids));
  // Anything that pointed at a member that is now itself a copy moves to the group's original.
  await tx
    .update(articles)
    .set({ copyOfId: original.id })
    .where(and(inArray(articles.copyOfId, ids.filter((i) => i !== original.id)), ne(articles.id, original.id)));
  return original.id === articleId ? null : original.id;
}
