/**
 * Issue 6 bars for what a hostile (or merely old) publisher sends that is not an attack: legacy
 * charsets and broken dates. Both go through one real refresh (fetch → feed parse → page fetch →
 * extract → store) into a temp database, and are checked where they end up: the stored rows.
 *
 *  - latin-1, windows-1252 and Shift_JIS, labelled in the HTTP header only, the XML declaration only
 *    or a <meta> only: no U+FFFD anywhere, and ’ and € (0x92 and 0x80 in windows-1252) survive;
 *  - impossible, relative, zero and out-of-range dates become null: never a throw (no failure is
 *    recorded), never a rolled-over date, never an "Invalid Date" string.
 */
import type { ServerResponse } from 'node:http';
import iconv from 'iconv-lite';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFeeds } from '../../db/queries/feeds.ts';
import { articles, feedItems, feeds } from '../../db/schema.ts';
import { Fetcher } from '../../scrapers/http/fetcher.ts';
import { refresh, type RefreshReport } from '../../scrapers/refresh.ts';
import { startServer, type TestServer } from '../fixtures/hostile/server.ts';
import { articleParagraphs } from '../helpers/fake-outlet.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

const send = (type: string, body: string | Buffer) => (_req: unknown, res: ServerResponse) => void res.writeHead(200, { 'content-type': type }).end(body);
const enc = (text: string, charset: string): Buffer => iconv.encode(text, charset);

/** windows-1252 text: ’ is 0x92 and € is 0x80, the two bytes a latin-1 decoder turns into control characters. */
const EURO_TEXT = (who: string): string =>
  `${who}’s revenue rose to €5.1bn, the company said on Tuesday. Analysts at Société Générale called the quarter “strong”, ` +
  `citing card volumes in Zürich, Malmö and Kraków. The chief executive’s bonus of €2m was approved by the board after ` +
  `a long meeting; shareholders in Genève and Paris asked about the déjà vu of last year’s guidance cut, and the firm ` +
  `promised an update on costs, hiring and its plans for the Nordic market before the end of the year.`;
/** Japanese without spaces is one "word"; the Latin words keep the page above the collector's 30-word floor. */
const JA_TEXT = (lead: string): string =>
  `${lead}。楽天の売上高は前年同期比１２％増の５０００億円となった。 ` +
  'Rakuten said revenue rose 12 percent to 500 billion yen, driven by its fintech unit, card members and the bank, ' +
  'while the mobile business narrowed its loss for the quarter. 決済事業は好調だった。';

const rss = (decl: string, title: string, items: string) =>
  `<?xml version="1.0"${decl}?><rss version="2.0"><channel><title>${title}</title><link>http://news.example/</link>${items}</channel></rss>`;

let server: TestServer;
let db: TempDb;
let report: RefreshReport;

const CHARSET_FEEDS = ['/cs/latin1-header.xml', '/cs/cp1252-decl.xml', '/cs/sjis-decl.xml', '/cs/sjis-header.xml'];
const DATE_FEEDS = ['/dates/rss.xml', '/dates/atom.xml', '/dates/feed.json'];
const BAD_DATES = [
  'Thu, 31 Feb 2025',
  'Thu, 31 Feb 2025 10:00:00 GMT', // Date.parse rolls this over to 3 March
  'yesterday',
  '0000-00-00',
  '2025-13-45T99:99',
  '2025-02-29T10:00:00Z', // 2025 is no leap year
  'Mon, 32 Jan 2025 00:00:00 GMT',
  '1e20',
  'NaN',
  'Invalid Date',
  '',
];

beforeAll(async () => {
  let origin = '';
  const item = (i: number, title: string, date: string, extra = '') =>
    `<item><title>${title}</title><link>${origin}/dates/p${i}.html</link><guid>d${i}</guid><pubDate>${date}</pubDate>${extra}</item>`;
  const datePage = (i: number): string => {
    const bad = BAD_DATES[i % BAD_DATES.length]!;
    const ldDate = i % 3 === 0 ? '1e20' : JSON.stringify(bad); // a number far past any Date
    return (
      `<!doctype html><html lang="en"><head><title>Date story ${i}</title>` +
      `<meta property="article:published_time" content="${bad}"><meta property="article:modified_time" content="${bad}">` +
      `<meta name="date" content="${bad}"><script type="application/ld+json">{"@type":"NewsArticle","headline":"Date story ${i}","datePublished":${ldDate},"dateModified":${ldDate}}</script>` +
      `</head><body><article><h1>Date story ${i}</h1><p class="byline">Published <time datetime="${bad}">${bad}</time></p>` +
      `${articleParagraphs(1000 + i, 3).map((p) => `<p>${p}</p>`).join('')}</article></body></html>`
    );
  };
  const page = (title: string, body: string, head = '') =>
    `<!doctype html><html><head>${head}<title>${title}</title></head><body><article><h1>${title}</h1><p>${body}</p><p>${body}</p></article></body></html>`;

  const routes: Record<string, (req: unknown, res: ServerResponse) => void> = {
    // Charset named only by the HTTP header; "ISO-8859-1" means windows-1252 (WHATWG), as in browsers.
    '/cs/latin1-header.xml': (req, res) =>
      send('application/rss+xml; charset=ISO-8859-1', enc(rss('', 'Café Zürich’s €5m round', `<item><title>Crédit Mutuel’s €1bn deal</title><link>${origin}/cs/cp1252-header.html</link><description>${EURO_TEXT('Crédit Mutuel')}</description></item>`), 'windows-1252'))(req, res),
    // Only the XML declaration.
    '/cs/cp1252-decl.xml': (req, res) =>
      send('application/rss+xml', enc(rss(' encoding="windows-1252"', 'Société Générale’s €2bn', `<item><title>Société Générale’s €2bn buyback</title><link>${origin}/cs/latin1-meta.html</link></item>`), 'windows-1252'))(req, res),
    '/cs/sjis-decl.xml': (req, res) =>
      send('text/xml', enc(rss(' encoding="Shift_JIS"', '決算速報', `<item><title>楽天、売上高が１２％増</title><link>${origin}/cs/sjis-header.html</link></item>`), 'shift_jis'))(req, res),
    // Only the header, while the declaration names no encoding (which alone would mean UTF-8).
    '/cs/sjis-header.xml': (req, res) =>
      send('application/rss+xml; charset=Shift_JIS', enc(rss('', '金融ニュース', `<item><title>三井住友、デジタル銀行を開業</title><link>${origin}/cs/sjis-meta.html</link></item>`), 'shift_jis'))(req, res),
    '/cs/cp1252-header.html': (req, res) => send('text/html; charset=windows-1252', enc(page('Crédit Mutuel’s €1bn deal', EURO_TEXT('Crédit Mutuel')), 'windows-1252'))(req, res),
    '/cs/latin1-meta.html': (req, res) =>
      send('text/html', enc(page('Société Générale’s €2bn buyback', EURO_TEXT('Société Générale'), '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'), 'windows-1252'))(req, res),
    '/cs/sjis-header.html': (req, res) => send('text/html; charset=Shift_JIS', enc(page('楽天、売上高が１２％増', JA_TEXT('楽天決算')), 'shift_jis'))(req, res),
    '/cs/sjis-meta.html': (req, res) => send('text/html', enc(page('三井住友、デジタル銀行を開業', JA_TEXT('三井住友'), '<meta charset="Shift_JIS">'), 'shift_jis'))(req, res),

    '/dates/rss.xml': (req, res) =>
      send('application/rss+xml; charset=utf-8', rss(' encoding="utf-8"', 'Dates', BAD_DATES.map((d, i) => item(i, `RSS date ${i}`, d, `<dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">${d}</dc:date>`)).join('')))(req, res),
    '/dates/atom.xml': (req, res) =>
      send(
        'application/atom+xml',
        `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom dates</title><id>urn:x</id>${BAD_DATES.map(
          (d, i) => `<entry><id>urn:a${i}</id><title>Atom date ${i}</title><link href="${origin}/dates/p${i + 20}.html"/><published>${d}</published><updated>${d}</updated></entry>`,
        ).join('')}</feed>`,
      )(req, res),
    '/dates/feed.json': (req, res) =>
      send(
        'application/feed+json',
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'JSON dates',
          items: [1e20, -1e20, Number.MAX_VALUE, 0, ...BAD_DATES].map((d, i) => ({
            id: `j${i}`,
            url: `${origin}/dates/p${i + 40}.html`,
            title: `JSON date ${i}`,
            date_published: d,
            date_modified: d,
          })),
        }),
      )(req, res),
  };
  for (let i = 0; i < 60; i++) routes[`/dates/p${i}.html`] = (req, res) => send('text/html; charset=utf-8', datePage(i))(req, res);
  server = await startServer(routes);
  origin = server.origin;

  db = await tempDb();
  await addFeeds(db.db, [...CHARSET_FEEDS, ...DATE_FEEDS].map((p) => ({ url: origin + p })));
  const fetcher = new Fetcher({ allowPrivateNetworks: false, allowedOrigins: [origin] });
  try {
    report = await refresh({ db: db.db, fetcher });
  } finally {
    await fetcher.close();
  }
}, 60_000);

afterAll(async () => {
  db?.cleanup();
  await server?.close();
});

it('the refresh records no failure at all: nothing threw, nothing was refused', () => {
  expect(report.failures).toEqual([]);
  expect(report.stats).toMatchObject({ feedsFetched: CHARSET_FEEDS.length + DATE_FEEDS.length, feedsFailed: 0, pagesFailed: 0 });
});

describe('charsets, through fetch + feed parse + page extract + store', () => {
  const fields = (row: Record<string, unknown>): string => JSON.stringify(row);

  it('feed titles decode from the header, the XML declaration, either alone', async () => {
    const rows = await db.db.select().from(feeds);
    const title = (p: string) => rows.find((f) => f.url === server.origin + p)?.title;
    expect(title('/cs/latin1-header.xml')).toBe('Café Zürich’s €5m round');
    expect(title('/cs/cp1252-decl.xml')).toBe('Société Générale’s €2bn');
    expect(title('/cs/sjis-decl.xml')).toBe('決算速報');
    expect(title('/cs/sjis-header.xml')).toBe('金融ニュース');
  });

  it('articles keep ’, € and Japanese from header-only and meta-only pages', async () => {
    const rows = await db.db.select().from(articles);
    const byPath = (p: string) => {
      const row = rows.find((a) => a.url === server.origin + p);
      if (!row) throw new Error(`no article stored for ${p}`);
      return row;
    };
    const cp1252 = byPath('/cs/cp1252-header.html');
    expect(cp1252.title).toBe('Crédit Mutuel’s €1bn deal');
    expect(cp1252.text).toContain('Crédit Mutuel’s revenue rose to €5.1bn');
    expect(cp1252.text).toContain('“strong”');
    const latin1 = byPath('/cs/latin1-meta.html');
    expect(latin1.title).toBe('Société Générale’s €2bn buyback');
    expect(latin1.text).toContain('bonus of €2m');
    const sjis = byPath('/cs/sjis-header.html');
    expect(sjis.title).toBe('楽天、売上高が１２％増');
    expect(sjis.text).toContain('楽天の売上高は前年同期比１２％増の５０００億円となった');
    const sjisMeta = byPath('/cs/sjis-meta.html');
    expect(sjisMeta.title).toBe('三井住友、デジタル銀行を開業');
    expect(sjisMeta.text).toContain('決済事業は好調だった');
    for (const row of [cp1252, latin1, sjis, sjisMeta]) expect(row.textSource, row.url ?? '').toBe('page');
  });

  it('no U+FFFD anywhere: feeds, items, articles', async () => {
    const all = [...(await db.db.select().from(feeds)), ...(await db.db.select().from(feedItems)), ...(await db.db.select().from(articles))];
    for (const row of all) expect(fields(row), fields(row).slice(0, 200)).not.toContain('\uFFFD');
  });
});

describe('bad dates, through fetch + feed parse + page extract + store', () => {
  it('every bad date became null in feed items and articles', async () => {
    const feedIds = (await db.db.select().from(feeds)).filter((f) => DATE_FEEDS.some((p) => f.url.endsWith(p))).map((f) => f.id);
    const items = await db.db.select().from(feedItems).where(inArray(feedItems.feedId, feedIds));
    expect(items.length).toBe(3 * BAD_DATES.length + 4); // RSS, Atom, JSON Feed (+4 numeric dates)
    for (const i of items) expect({ guid: i.guid, publishedAt: i.publishedAt, updatedAt: i.updatedAt }).toEqual({ guid: i.guid, publishedAt: null, updatedAt: null });

    const stored = await db.db.select().from(articles).where(inArray(articles.feedId, feedIds));
    expect(stored.length).toBe(items.length);
    for (const a of stored) {
      expect(a.textSource, a.url ?? '').toBe('page'); // the pages were read, so their bad dates were seen
      expect({ url: a.url, publishedAt: a.publishedAt, modifiedAt: a.modifiedAt }).toEqual({ url: a.url, publishedAt: null, modifiedAt: null });
    }
  });

  it('no "Invalid Date" (or NaN) string stored in any date column', async () => {
    const bad = await db.db.all<{ n: number }>(
      sql`select count(*) as n from (
        select published_at as d from feed_items union all select updated_at from feed_items
        union all select published_at from articles union all select modified_at from articles
      ) where d like '%Invalid%' or d like '%NaN%'`,
    );
    expect(bad[0]?.n).toBe(0);
  });
});
