/**
 * Feeds that repeat themselves, through a real refresh (outlet on 127.0.0.1, libSQL file), counting
 * the requests the outlet sees: one link listed by 50 items is fetched once, and items reusing one
 * GUID for different links are all kept, with a warning recorded on the run.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq, like } from 'drizzle-orm';
import { addFeeds } from '../../db/queries/feeds.ts';
import { articles, feedItems, runFailures } from '../../db/schema.ts';
import { Fetcher } from '../../scrapers/http/fetcher.ts';
import { refresh } from '../../scrapers/refresh.ts';
import { startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let db: TempDb;
let outlet: FakeOutlet | undefined;
let fetcher: Fetcher;

beforeEach(async () => {
  db = await tempDb();
  fetcher = new Fetcher({ allowPrivateNetworks: true, totalTimeoutMs: 5000, maxRetryWaitMs: 3000 });
});
afterEach(async () => {
  await fetcher.close();
  await outlet?.close();
  outlet = undefined;
  db.cleanup();
});

describe('refresh of repetitive feeds', () => {
  it('fetches a page listed by 50 items (across two feeds, with tracking parameters) once, and all 50 items point at its article', async () => {
    const shared = (i: number, feed: number) => ({ feed, path: `/f0/a0.html${i % 2 ? `?utm_source=item${i}` : ''}`, title: `Same story, item ${i}` });
    outlet = await startFakeOutlet({
      feeds: 1,
      perFeed: 1,
      extraItems: [...Array.from({ length: 40 }, (_, i) => shared(i, 1)), ...Array.from({ length: 10 }, (_, i) => shared(40 + i, 2))],
    });
    await addFeeds(db.db, [{ url: outlet.feedUrl(1) }, { url: outlet.feedUrl(2) }]);

    const r = await refresh({ db: db.db, fetcher, concurrency: 16 });
    expect(r.failures).toEqual([]);
    expect(outlet.hits.get('/f0/a0.html')).toBe(1);
    expect(r.stats.pagesFetched).toBe(1);
    expect(r.stats.articlesNew).toBe(1);
    expect(r.stats.articlesUnchanged).toBe(49);

    const [article, ...others] = await db.db.select().from(articles);
    expect(others).toEqual([]);
    expect(article!.text.split('\n\n')).toEqual(outlet.articles[0]!.paragraphs);
    const items = await db.db.select().from(feedItems);
    expect(items).toHaveLength(50);
    expect(new Set(items.map((i) => `${i.status} ${i.articleId}`))).toEqual(new Set([`done ${article!.id}`]));
  });

  it('keeps every item of a GUID reused for 30 links, stores the right article for each, and records the warning', async () => {
    const perFeed = 30;
    outlet = await startFakeOutlet({
      feeds: 1,
      perFeed,
      // Feed 1 lists feed 0's pages under one GUID, plus two exact repeats of its first item.
      extraItems: [
        ...Array.from({ length: perFeed }, (_, i) => ({ feed: 1, guid: 'same-guid', path: `/f0/a${i}.html`, title: `Reused ${i}` })),
        { feed: 1, guid: 'same-guid', path: '/f0/a0.html', title: 'Reused 0' },
        { feed: 1, guid: 'same-guid', path: '/f0/a0.html', title: 'Reused 0' },
      ],
    });
    await addFeeds(db.db, [{ url: outlet.feedUrl(1) }]);

    const r = await refresh({ db: db.db, fetcher, concurrency: 16 });
    expect(r.failures).toEqual([
      expect.objectContaining({
        scope: 'feed',
        code: 'duplicate-guid',
        message: `${outlet.feedUrl(1)}: 32 items share GUID "same-guid" across 30 links; kept by link`,
      }),
    ]);
    const recorded = await db.db.select().from(runFailures).where(eq(runFailures.runId, r.runId));
    expect(recorded.map((f) => f.code)).toEqual(['duplicate-guid']);

    expect(r.stats.articlesNew).toBe(perFeed);
    const rows = await db.db.select().from(articles).orderBy(asc(articles.id));
    expect(rows).toHaveLength(perFeed);
    for (const a of outlet.articles) {
      const row = rows.find((x) => x.url?.endsWith(a.path));
      expect(row, a.path).toBeDefined();
      expect(row!.text.split('\n\n')).toEqual(a.paragraphs);
      expect(outlet.hits.get(a.path), a.path).toBe(1);
    }
    const items = await db.db.select().from(feedItems).where(like(feedItems.guid, 'same-guid|%'));
    expect(items).toHaveLength(perFeed);
    expect(items.every((i) => i.status === 'done')).toBe(true);
  });
});
