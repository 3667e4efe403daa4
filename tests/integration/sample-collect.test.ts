/**
 * End to end on the bundled sample outlet: import its OPML, refresh with private networks refused
 * (the sample's origin is the one exception), and check every article against content/sample/expected.json.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFeeds } from '../../db/queries/feeds.ts';
import { articles } from '../../db/schema.ts';
import { parseOpml } from '../../scrapers/feeds/opml.ts';
import { Fetcher } from '../../scrapers/http/fetcher.ts';
import { refresh, type RefreshReport } from '../../scrapers/refresh.ts';
import { sampleOpmlUrl, startSampleServer } from '../../src/sample/server.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

interface Expected {
  path: string;
  outlet: string;
  title: string;
  author: string | null;
  publishedDate: string;
  language: string;
  paywalled: boolean;
  copyOf: string | null;
  mustContain: string[];
  mustNotContain: string[];
}
const expected = JSON.parse(readFileSync(new URL('../../content/sample/expected.json', import.meta.url), 'utf8')) as {
  articles: Expected[];
};

let server: Awaited<ReturnType<typeof startSampleServer>>;
let db: TempDb;
let report: RefreshReport;
let rows: (typeof articles.$inferSelect)[];

beforeAll(async () => {
  server = await startSampleServer({ port: 0 });
  db = await tempDb();
  const opml = parseOpml(await (await fetch(sampleOpmlUrl(server.origin))).text());
  await addFeeds(db.db, opml.feeds);
  const fetcher = new Fetcher({ allowPrivateNetworks: false, allowedOrigins: [server.origin] });
  try {
    report = await refresh({ db: db.db, fetcher });
  } finally {
    await fetcher.close();
  }
  rows = await db.db.select().from(articles);
});
afterAll(async () => {
  await server.close();
  db.cleanup();
});

const byPath = (p: string) => rows.find((r) => r.url && new URL(r.url).pathname === p);

describe('the bundled sample', () => {
  it('is collected without failures, one article per page', () => {
    expect(report.failures).toEqual([]);
    expect(rows).toHaveLength(expected.articles.length);
  });

  for (const e of expected.articles) {
    it(`${e.path}: clean text and metadata`, () => {
      const a = byPath(e.path);
      expect(a, `article ${e.path} stored`).toBeDefined();
      expect(a!.title).toBe(e.title);
      expect(a!.outlet).toBe(e.outlet);
      expect(a!.author).toBe(e.author);
      expect(a!.publishedAt?.slice(0, 10)).toBe(e.publishedDate);
      expect(a!.language?.toLowerCase().startsWith(e.language.toLowerCase())).toBe(true);
      expect(a!.paywalled).toBe(e.paywalled);
      for (const s of e.mustContain) expect(a!.text).toContain(s);
      for (const s of e.mustNotContain) expect(a!.text).not.toContain(s);
      expect(a!.text).not.toContain('\uFFFD');
      if (e.copyOf) expect(a!.copyOfId).toBe(byPath(e.copyOf)!.id);
      else expect(a!.copyOfId).toBeNull();
    });
  }

  it('a second refresh of the unchanged sample stores nothing new', async () => {
    const fetcher = new Fetcher({ allowPrivateNetworks: false, allowedOrigins: [server.origin] });
    try {
      const again = await refresh({ db: db.db, fetcher, all: true });
      expect(again.failures).toEqual([]);
      expect(again.stats.articlesNew + again.stats.articlesCopies + again.stats.articlesRevised).toBe(0);
      expect(await db.db.select().from(articles)).toHaveLength(rows.length);
    } finally {
      await fetcher.close();
    }
  });

  it('refuses the sample host when it is not the allowed origin', async () => {
    const fetcher = new Fetcher({ allowPrivateNetworks: false, allowedOrigins: [] });
    try {
      await expect(fetcher.fetch(sampleOpmlUrl(server.origin))).rejects.toMatchObject({ code: 'blocked-address' });
    } finally {
      await fetcher.close();
    }
  });
});
