/**
 * Writes one collected article: new, new revision, or unchanged — plus its feed item's status and
 * its copy-of links — in ONE transaction, so a crash never leaves half an article behind and a
 * rerun never duplicates one.
 */
import { gzipSync } from 'node:zlib';
import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { articleFingerprints, articleRevisions, articles, type Article } from '../db/schema.ts';
import { contentHash } from './dedup/hash.ts';
import { hamming, simhash, simhashBands } from './dedup/near-dup.ts';
import { CANDIDATE_DISTANCE, chooseOriginal, figureSet, isCopy, LOOSE_DISTANCE, MIN_WORDS_FOR_COPY } from './dedup/copies.ts';
import { paragraphFingerprints, shingleSet } from './dedup/similarity.ts';
import { markItemDone } from './state.ts';

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
}

/** Candidates checked per stored article; see linkCopies. */
const MAX_CANDIDATES = 50;

export type SaveOutcome = 'new' | 'copy' | 'revised' | 'unchanged';

export function wordCount(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export async function findArticleByKeys(db: Db | Tx, keys: string[]): Promise<Article | undefined> {
  if (keys.length === 0) return undefined;
  const rows = await db.select().from(articles).where(inArray(articles.key, keys));
  // Prefer the first key's match: it is the most specific identity.
  for (const k of keys) {
    const hit = rows.find((r) => r.key === k);
    if (hit) return hit;
  }
  return undefined;
}

export async function saveArticle(
  db: Db,
  itemId: number | null,
  a: CollectedArticle,
  now: Date = new Date(),
): Promise<{ outcome: SaveOutcome; articleId: number; copyOfId: number | null }> {
  const hash = contentHash(a.text);
  const sig = simhash(a.text);
  const fps = [...simhashBands(sig, CANDIDATE_DISTANCE), ...paragraphFingerprints(a.text)];
  const words = wordCount(a.text);
  const fetchedAt = now.toISOString();
  const raw = a.rawHtml ? gzipSync(Buffer.from(a.rawHtml, 'utf8')) : null;

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
  const revisionRow = (articleId: number, revision: number) => ({
    articleId,
    revision,
    fetchedAt,
    title: a.title,
    text: a.text,
    contentHash: hash,
    rawHtml: raw,
  });

  return db.transaction(async (tx) => {
    const existing = await findArticleByKeys(tx, a.keys);
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
      await tx.insert(articleRevisions).values(revisionRow(existing.id, revision));
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
      const [row] = await tx
        .insert(articles)
        .values({
          ...content,
          key: a.keys[0]!,
          url: a.url,
          feedId: a.feedId,
          guid: a.guid,
          title: a.title,
          outlet: a.outlet,
          author: a.author,
          language: a.language,
          description: a.description,
          publishedAt: a.publishedAt,
          modifiedAt: a.modifiedAt,
          firstSeenAt: fetchedAt,
        })
        .returning({ id: articles.id });
      articleId = row!.id;
      await tx.insert(articleRevisions).values(revisionRow(articleId, 1));
      outcome = 'new';
    }

    let copyOfId: number | null = existing?.copyOfId ?? null;
    if (outcome !== 'unchanged') {
      await tx.delete(articleFingerprints).where(eq(articleFingerprints.articleId, articleId));
      await tx.insert(articleFingerprints).values(fps.map((fp) => ({ fp, articleId })));
      copyOfId = await linkCopies(tx, articleId, fps);
      if (outcome === 'new' && copyOfId !== null) outcome = 'copy';
    }

    if (itemId !== null) await markItemDone(tx, itemId, articleId, now);
    return { outcome, articleId, copyOfId };
  });
}

/**
 * Articles that may repeat `self`: same content hash, a shared paragraph, or a shared simhash band
 * with the fingerprints within LOOSE_DISTANCE bits (a band alone matches ~1/256 of all articles, so
 * it is only a hint). Only these few have their text loaded for the shingle comparison.
 */
async function copyCandidates(tx: Tx, self: Article, fps: string[]) {
  const hits = await tx
    .select({ articleId: articleFingerprints.articleId, fp: articleFingerprints.fp })
    .from(articleFingerprints)
    .where(and(inArray(articleFingerprints.fp, fps), ne(articleFingerprints.articleId, self.id)));
  const byParagraph = new Set(hits.filter((h) => h.fp.startsWith('p:')).map((h) => h.articleId));
  const byBand = [...new Set(hits.filter((h) => !byParagraph.has(h.articleId)).map((h) => h.articleId))];
  const near = byBand.length
    ? (
        await tx
          .select({ id: articles.id, simhash: articles.simhash })
          .from(articles)
          .where(inArray(articles.id, byBand))
      )
        .filter((r) => hamming(r.simhash, self.simhash) <= LOOSE_DISTANCE)
        .map((r) => r.id)
    : [];
  // Separate indexed lookups: an OR across two columns would make SQLite scan every article.
  const sameText = await tx
    .select({ id: articles.id })
    .from(articles)
    .where(and(eq(articles.contentHash, self.contentHash), ne(articles.id, self.id)));
  const ids = [...new Set([...sameText.map((r) => r.id), ...byParagraph, ...near])];
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
async function linkCopies(tx: Tx, articleId: number, fps: string[]): Promise<number | null> {
  const [self] = await tx.select().from(articles).where(eq(articles.id, articleId));
  if (!self) return null;
  if (self.wordCount < MIN_WORDS_FOR_COPY) {
    if (self.copyOfId !== null) await tx.update(articles).set({ copyOfId: null }).where(eq(articles.id, articleId));
    return null;
  }
  const candidates = await copyCandidates(tx, self, fps);
  const selfShingles = shingleSet(self.text);
  const selfFigures = figureSet(self.text);
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
