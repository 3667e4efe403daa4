/**
 * An item whose page keeps failing for a retryable reason (a 502) is tried again on later runs, up to
 * MAX_ITEM_ATTEMPTS runs. On the last try the feed's own text is kept when it is an article (flagged
 * page-unavailable and truncated); otherwise the item ends failed. After that no run asks for it again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { addFeeds } from '../../db/queries/feeds.ts';
import { articles, feedItems } from '../../db/schema.ts';
import { Fetcher } from '../../scrapers/http/fetcher.ts';
import { refresh } from '../../scrapers/refresh.ts';
import { MAX_ITEM_ATTEMPTS } from '../../scrapers/state.ts';
import { startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let db: TempDb;
let outlet: FakeOutlet | undefined;
let fetcher: Fetcher;

beforeEach(async () => {
  db = await tempDb();
  fetcher = new Fetcher({ allowPrivateNetworks: true, totalTimeoutMs: 5000, maxRetryWaitMs: 1000 });
});
afterEach(async () => {
  await fetcher.close();
  await outlet?.close();
  outlet = undefined;
  db.cleanup();
});

const longText =
  'The payments company said on Tuesday that it had cut its workforce by a fifth over the year, ' +
  'closing two offices and moving its card business to a partner bank, while its chief executive ' +
  'told staff in a memo that hiring would resume once the lending unit returned to profit next spring.';

describe('refresh retries', () => {
  it(`tries a failing page on ${MAX_ITEM_ATTEMPTS} runs, then keeps the feed's text or marks the item failed, and stops asking`, async () => {
    outlet = await startFakeOutlet({
      feeds: 1,
      perFeed: 0,
      extraItems: [
        { path: '/down/long.html', title: 'Long', guid: 'long', contentHtml: `<p>${longText}</p>` },
        { path: '/down/short.html', title: 'Short', guid: 'short', contentHtml: '<p>A short teaser.</p>' },
      ],
      intercept(req, res) {
        if (!req.url?.startsWith('/down/')) return false;
        res.writeHead(502).end('bad gateway');
        return true;
      },
    });
    await addFeeds(db.db, [{ url: outlet.feedUrl(0) }]);
    const item = async (guid: string) => (await db.db.select().from(feedItems).where(eq(feedItems.guid, guid)))[0]!;

    for (let run = 1; run < MAX_ITEM_ATTEMPTS; run++) {
      const r = await refresh({ db: db.db, fetcher });
      expect(r.stats.pagesFailed).toBe(2);
      expect(r.failures.filter((f) => f.code === 'http-status').map((f) => f.url).sort()).toEqual([
        `${outlet.origin}/down/long.html`,
        `${outlet.origin}/down/short.html`,
      ]);
      expect(await item('long')).toMatchObject({ status: 'pending', attempts: run });
      expect(await item('short')).toMatchObject({ status: 'pending', attempts: run });
      expect(await db.db.select().from(articles)).toEqual([]);
    }

    const last = await refresh({ db: db.db, fetcher });
    expect(last.stats).toMatchObject({ pagesFailed: 2, articlesNew: 1, articlesFromFeedText: 1 });
    const rows = await db.db.select().from(articles).orderBy(asc(articles.id));
    expect(rows.map((a) => ({ title: a.title, text: a.text, textSource: a.textSource, truncated: a.truncated, flags: JSON.parse(a.flags) }))).toEqual([
      { title: 'Long', text: longText, textSource: 'feed', truncated: true, flags: ['feed-text-only', 'page-unavailable'] },
    ]);
    expect(await item('long')).toMatchObject({ status: 'done', articleId: rows[0]!.id, lastError: null });
    expect(await item('short')).toMatchObject({ status: 'failed', attempts: MAX_ITEM_ATTEMPTS });
    expect((await item('short')).lastError).toMatch(/502/);

    const asked = outlet.hits.get('/down/short.html');
    const after = await refresh({ db: db.db, fetcher });
    expect(after.stats).toMatchObject({ pagesFetched: 0, pagesFailed: 0, articlesNew: 0 });
    expect(outlet.hits.get('/down/short.html')).toBe(asked);
    expect(outlet.hits.get('/down/long.html')).toBe(asked);
  });
});
