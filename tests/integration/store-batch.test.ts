/**
 * Collected articles written several to a transaction (saveArticles, and articleWriter on top of it
 * as a refresh uses it) store exactly what writing them one at a time stores — copies found within
 * the batch included — and an article the database refuses is rolled back alone: the rest of its
 * batch stands, its own item stays pending, and no row of it is left behind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { articleFingerprints, articleRevisions, articles, feedItems } from '../../db/schema.ts';
import { addFeeds } from '../../db/queries/feeds.ts';
import { articleWriter, saveArticle, saveArticles, type ArticleToSave, type CollectedArticle } from '../../scrapers/store.ts';
import { digestArticle } from '../../scrapers/digest.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let a: TempDb;
let b: TempDb;
beforeEach(async () => {
  a = await tempDb();
  b = await tempDb();
});
afterEach(() => {
  a.cleanup();
  b.cleanup();
});

/** A different story for each i: no two share a paragraph or most of their words. */
const SUBJECTS = ['a Berlin lender', 'a Lisbon payments firm', 'a Warsaw broker', 'a Dublin insurer', 'a Madrid neobank'];
const ACTIONS = ['cut support jobs', 'raised a funding round', 'opened a trading desk', 'settled a lawsuit', 'won a banking licence'];
const PLACES = ['across the Nordics', 'in three Asian markets', 'before its listing', 'after a regulator review', 'at its annual meeting'];
function story(i: number): string {
  return [
    `Shares in ${SUBJECTS[i]} moved after it ${ACTIONS[i]} ${PLACES[i]}, people with knowledge of story ${i} said.`,
    `Figures for case ${i * 7919} show ${100 + i * 37} staff and ${i + 2} offices affected by the plan of ${SUBJECTS[i]}.`,
    `Analysts covering ${SUBJECTS[i]} expect ${ACTIONS[i]} to weigh on margins ${PLACES[i]} this year, note ${i}.`,
  ].join('\n\n');
}

function article(i: number, over: Partial<CollectedArticle> = {}): CollectedArticle {
  const key = `https://outlet${i}.example/story-${i}`;
  return {
    keys: [key], url: key, feedId: 1, guid: key, title: `Story ${i}`, outlet: `Outlet ${i}`, author: null, language: 'en', description: null,
    publishedAt: `2025-03-0${i + 1}T08:00:00Z`, modifiedAt: null, text: story(i), textSource: 'page',
    paywalled: false, truncated: false, flags: [], etag: null, lastModified: null, rawHtml: null, ...over,
  };
}

/** Five articles: 0 and 3 print the same text (3 is a reprint of 0), 1 is revised by 4 (same URL, new text). */
function five(): CollectedArticle[] {
  return [
    article(0),
    article(1),
    article(2),
    article(3, { text: article(0).text }),
    article(4, { keys: article(1).keys, url: article(1).url, guid: article(1).guid, text: `${article(1).text}\n\nCorrection: the cuts are 150 jobs.` }),
  ];
}

async function withItems(db: TempDb, n: number): Promise<number[]> {
  await addFeeds(db.db, [{ url: 'https://feeds.example/rss' }]);
  const rows = await db.db
    .insert(feedItems)
    .values(Array.from({ length: n }, (_, i) => ({ feedId: 1, guid: `g${i}`, url: `https://outlet${i}.example/story-${i}`, itemHash: `h${i}` })))
    .returning({ id: feedItems.id });
  return rows.map((r) => r.id);
}

async function stored(db: TempDb) {
  return {
    articles: await db.db
      .select({ key: articles.key, title: articles.title, revision: articles.revision, copyOfId: articles.copyOfId, text: articles.text })
      .from(articles)
      .orderBy(asc(articles.id)),
    revisions: (await db.db.select({ articleId: articleRevisions.articleId, revision: articleRevisions.revision }).from(articleRevisions)).length,
    fingerprints: (await db.db.select({ fp: articleFingerprints.fp }).from(articleFingerprints)).length,
    items: await db.db.select({ status: feedItems.status, articleId: feedItems.articleId }).from(feedItems).orderBy(asc(feedItems.id)),
  };
}

const NOW = new Date('2025-03-10T12:00:00Z');

describe('saveArticles', () => {
  it('stores a batch as saving its articles one by one does: new, copy, revision, items done', async () => {
    const items = await withItems(a, 5);
    await withItems(b, 5);
    const list = five();
    const one: string[] = [];
    for (const [i, x] of list.entries()) one.push((await saveArticle(a.db, items[i]!, x, NOW)).outcome);
    const batch = await saveArticles(b.db, list.map((x, i): ArticleToSave => ({ itemId: items[i]!, article: x, now: NOW })));

    expect(batch.map((r) => (r.ok ? r.saved.outcome : 'refused'))).toEqual(one);
    expect(one).toEqual(['new', 'new', 'new', 'copy', 'revised']);
    const [sa, sb] = [await stored(a), await stored(b)];
    expect(sb).toEqual(sa);
    // The reprint found its original within the same transaction.
    expect(sb.articles[3]!.copyOfId).not.toBeNull();
    expect(sb.items.every((i) => i.status === 'done')).toBe(true);
  });

  it('rolls back an article the database refuses on its own; the rest of the batch stands', async () => {
    const items = await withItems(b, 5);
    const list = five().slice(0, 4);
    // No key: the articles table refuses the row (key is NOT NULL) after nothing else of it was written.
    list[1] = article(1, { keys: [] });
    // Refused half-way: its article and revision rows are written before its fingerprints fail
    // (no rows to insert); the savepoint takes those back.
    list[2] = article(2, { digest: { ...digestArticle(story(2), null), fingerprints: [] } });
    const out = await saveArticles(b.db, list.map((x, i): ArticleToSave => ({ itemId: items[i]!, article: x, now: NOW })));

    expect(out.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(String(((out[1] as { error: Error }).error.cause as Error | undefined)?.message ?? (out[1] as { error: Error }).error)).toMatch(/NOT NULL/i);
    const s = await stored(b);
    expect(s.articles.map((x) => x.key)).toEqual([0, 3].map((i) => `https://outlet${i}.example/story-${i}`));
    expect(s.revisions).toBe(2);
    expect(s.items.map((i) => i.status)).toEqual(['done', 'pending', 'pending', 'done', 'pending']);
  });
});

describe('articleWriter', () => {
  it('gives each concurrent caller its own result, or its own error, from shared transactions', async () => {
    const items = await withItems(b, 4);
    const write = articleWriter(b.db, 8, 5);
    const list = five().slice(0, 4);
    list[2] = article(2, { keys: [] });
    const settled = await Promise.allSettled(list.map((x, i) => write(items[i]!, x, NOW)));

    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value.outcome : null))).toEqual(['new', 'new', null, 'copy']);
    const ids = settled.map((s) => (s.status === 'fulfilled' ? s.value.articleId : null));
    const rows = await b.db.select({ id: articles.id, key: articles.key }).from(articles).where(eq(articles.id, ids[3]!));
    expect(rows[0]!.key).toBe('https://outlet3.example/story-3');
    expect((await stored(b)).items.map((i) => i.status)).toEqual(['done', 'done', 'pending', 'done']);
  });
});
