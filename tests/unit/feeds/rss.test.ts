import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../scrapers/feeds/parse.ts';
import { fixture } from './helpers.ts';

describe('RSS 0.91 (Netscape DOCTYPE)', async () => {
  const feed = await parseFeed(fixture('rss091.xml'), 'https://cafe-fintech.example/rss.xml');

  it('strips the plain DOCTYPE and decodes its HTML entities', () => {
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('Café Fintech Weekly');
    expect(feed.description).toBe('Old-school payments news & views');
    expect(feed.language).toBe('en-gb');
    expect(feed.siteUrl).toBe('https://cafe-fintech.example/');
    expect(feed.warnings).toEqual([]);
  });

  it('uses the link as guid and resolves relative links against the feed URL', () => {
    expect(feed.items.map((i) => [i.guid, i.url])).toEqual([
      ['https://cafe-fintech.example/2025/monzo-cafe', 'https://cafe-fintech.example/2025/monzo-cafe'],
      ['https://cafe-fintech.example/2025/starling-licence', 'https://cafe-fintech.example/2025/starling-licence'],
    ]);
    expect(feed.items[0]!.title).toBe('Monzo opens a café in Shoreditch');
    expect(feed.items[0]!.contentHtml).toBe('The bank says the café is <b>not</b> a branch.');
    expect(feed.items[0]!.contentText).toBe('The bank says the café is not a branch.');
    expect(feed.items[0]!.publishedAt).toBeNull();
  });
});

describe('RSS 2.0 with content:encoded and dc:creator', async () => {
  const feed = await parseFeed(fixture('rss2-content.xml'), 'https://ledger.example/feed/');
  const [klarna, revolut, stripe, wise] = feed.items;

  it('reads channel metadata including <ttl>', () => {
    expect(feed).toMatchObject({
      format: 'rss',
      title: 'Ledger & Line',
      siteUrl: 'https://ledger.example/',
      description: 'Fintech news, every weekday',
      language: 'en-us',
      ttlMinutes: 45,
    });
    expect(feed.items).toHaveLength(4);
  });

  it('decodes HTML-escaped titles to plain text', () => {
    expect(klarna!.title).toBe('Klarna & Affirm: the pay-later duel – part 2');
  });

  it('prefers content:encoded for the body and keeps the description as summary', () => {
    expect(klarna!.contentHtml).toContain('<p>Klarna and Affirm reported results this week.</p>');
    expect(klarna!.summary).toBe('Two pay-later giants, one market.');
  });

  it('strips script and style from contentText and keeps paragraphs apart', () => {
    expect(klarna!.contentText).toBe('Klarna and Affirm reported results this week.\n\nBoth grew & both lost money.');
  });

  it('reads dc:creator, the name in an RSS <author>, dates and unique categories', () => {
    expect(klarna!.author).toBe('Jane Doe');
    expect(revolut!.author).toBe('Sam Smith');
    expect(klarna!.publishedAt).toBe('2025-08-14T09:30:00.000Z');
    expect(revolut!.publishedAt).toBe('2025-08-13T16:05:00.000Z');
    expect(klarna!.updatedAt).toBeNull();
    expect(klarna!.categories).toEqual(['BNPL', 'Klarna']);
  });

  it('keeps guid isPermaLink="false" as guid and resolves relative links', () => {
    expect(klarna!.guid).toBe('ledger-4711');
    expect(klarna!.url).toBe('https://ledger.example/2025/08/klarna-affirm?utm_source=rss');
    expect(revolut!.url).toBe('https://ledger.example/2025/08/revolut-licence');
  });

  it('drops javascript: and data: links with a warning, falling back to a permalink guid', () => {
    expect(stripe!.url).toBe('https://ledger.example/2025/08/stripe-tender');
    expect(wise!.url).toBeNull();
    expect(wise!.guid).toBe('ledger-4714');
    expect(feed.warnings).toEqual([
      'item 3: ignored link "javascript:alert(document.cookie)" (not an http(s) URL)',
      'item 4: ignored link "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==" (not an http(s) URL)',
    ]);
  });
});

describe('RSS 1.0 (RDF)', async () => {
  const feed = await parseFeed(fixture('rdf.xml'), 'https://regwatch.example/rss');

  it('reads channel and items with Dublin Core fields', () => {
    expect(feed).toMatchObject({ format: 'rdf', title: 'RegWatch', siteUrl: 'https://regwatch.example/', language: 'de' });
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({
      guid: 'https://regwatch.example/2025/mica-guidance',
      url: 'https://regwatch.example/2025/mica-guidance',
      title: 'ESMA publishes MiCA guidance',
      author: 'Lena Vogel',
      publishedAt: '2025-07-01T06:15:00.000Z',
      contentText: 'New guidance for crypto-asset service providers.',
      categories: ['MiCA', 'Crypto'],
    });
    expect(feed.items[1]!.publishedAt).toBe('2025-06-27T00:00:00.000Z');
  });
});

describe('duplicate guids', async () => {
  const feed = await parseFeed(fixture('duplicate-guids.xml'), 'https://dupes.example/rss');

  it('keys a guid reused for different links by guid + link, drops true repeats, and says so', () => {
    expect(feed.items.map((i) => [i.title, i.guid])).toEqual([
      ['First copy', 'same-guid|https://dupes.example/a'],
      ['Second copy', 'same-guid|https://dupes.example/a-again'],
      ['Other', 'other-guid'],
      ['Link as guid', 'https://dupes.example/b'],
    ]);
    expect(feed.warnings).toEqual(['item 5: dropped, duplicate guid "https://dupes.example/b" (the first one is kept)']);
    expect(feed.notices).toEqual([{ code: 'duplicate-guid', message: '2 items share GUID "same-guid" across 2 links; kept by link' }]);
  });

  it('keeps 9,999 items sharing one GUID up to maxItems, each under its own key, with notices for both', async () => {
    const items = Array.from(
      { length: 9999 },
      (_, i) => `<item><title>Story ${i}</title><link>https://dupes.example/s/${i}</link><guid isPermaLink="false">one-guid</guid></item>`,
    ).join('');
    const big = await parseFeed(`<?xml version="1.0"?><rss version="2.0"><channel><title>Dupes</title>${items}</channel></rss>`, 'https://dupes.example/rss');
    expect(big.items).toHaveLength(1000);
    expect(new Set(big.items.map((i) => i.guid)).size).toBe(1000);
    expect(big.items[999]!.url).toBe('https://dupes.example/s/999');
    expect(big.notices.map((n) => n.message)).toEqual([
      '9999 items share GUID "one-guid" across 9999 links; kept by link',
      '9999 items, kept the first 1000 (maxItems)',
    ]);
  });
});

describe('items without links', async () => {
  const feed = await parseFeed(fixture('no-links.xml'), 'https://nolinks.example/rss');

  it('keeps items with a guid or a title (url null), hashing title + date when there is no guid', () => {
    expect(feed.items.map((i) => [i.guid.replace(/^hash:[0-9a-f]{40}$/, 'hash'), i.url, i.title])).toEqual([
      ['nl-1', null, 'Has only a guid and a title'],
      ['hash', null, 'Has only a title'],
      ['nl-4', null, null],
    ]);
    expect(feed.items[0]!.contentText).toBe('Body one.');
  });

  it('drops an item with nothing to identify it', () => {
    expect(feed.warnings).toEqual(['item 3: dropped, no guid, link or title']);
  });

  it('hashes deterministically, and differently for a different date', async () => {
    const again = await parseFeed(fixture('no-links.xml'), 'https://nolinks.example/rss');
    expect(again.items[1]!.guid).toBe(feed.items[1]!.guid);
    const otherDate = await parseFeed(fixture('no-links.xml').replace('01 Aug 2025', '02 Aug 2025'), 'https://nolinks.example/rss');
    expect(otherDate.items[1]!.guid).not.toBe(feed.items[1]!.guid);
  });
});

describe('broken dates', async () => {
  const feed = await parseFeed(fixture('broken-dates.xml'), 'https://dates.example/rss');

  it('turns impossible, relative, rolled-over and far-future dates into null, never throwing', () => {
    expect(feed.items.map((i) => [i.guid, i.publishedAt])).toEqual([
      ['d1', null],
      ['d2', null],
      ['d3', null],
      ['d4', '2025-08-01T10:00:00.000Z'],
      ['d5', null],
      ['d6', null],
    ]);
  });

  it('warns once per bad date, but not for an empty one', () => {
    expect(feed.warnings).toHaveLength(4);
    expect(feed.warnings[0]).toBe('item 1 ("d1"): unparseable or implausible publication date "32 Foo 2025", set to null');
    expect(feed.warnings[1]).toContain('"yesterday"');
    expect(feed.warnings[2]).toContain('"2025-02-30T10:00:00Z"');
    expect(feed.warnings[3]).toContain('2125');
  });
});

describe('recoverable XML errors and limits', () => {
  it('escapes stray ampersands once, with a warning', async () => {
    const feed = await parseFeed(fixture('stray-ampersand.xml'), 'https://att.example/rss');
    expect(feed.title).toBe('AT&T Business News');
    expect(feed.items[0]!.title).toBe('Q&A with the CFO & CEO');
    expect(feed.items[0]!.url).toBe('https://att.example/news?id=1&page=2');
    expect(feed.warnings).toEqual(['feed: escaped stray "&" characters to make the XML parseable']);
  });

  it('caps the items at maxItems (default 1000) with a warning', async () => {
    const items = Array.from({ length: 1005 }, (_, i) => `<item><title>Item ${i}</title><guid>g${i}</guid></item>`).join('');
    const xml = `<rss version="2.0"><channel><title>Big</title>${items}</channel></rss>`;
    const capped = await parseFeed(xml, 'https://big.example/rss');
    expect(capped.items).toHaveLength(1000);
    expect(capped.items.at(-1)!.guid).toBe('g999');
    expect(capped.warnings).toEqual(['feed: 1005 items, kept the first 1000 (maxItems)']);
    const small = await parseFeed(xml, 'https://big.example/rss', { maxItems: 3 });
    expect(small.items.map((i) => i.guid)).toEqual(['g0', 'g1', 'g2']);
  });

  it('bounds the warning list', async () => {
    const items = Array.from({ length: 150 }, (_, i) => `<item><title>T${i}</title><guid>g${i}</guid><pubDate>garbage ${i}</pubDate></item>`).join('');
    const feed = await parseFeed(`<rss version="2.0"><channel>${items}</channel></rss>`, 'https://w.example/rss');
    expect(feed.items).toHaveLength(150);
    expect(feed.warnings).toHaveLength(101);
    expect(feed.warnings.at(-1)).toBe('… and 50 more warnings');
  });

  it('reads <rss> without a version as RSS 2.0 and ignores an invalid <ttl>', async () => {
    const feed = await parseFeed('<rss><channel><title>x</title><ttl>soon</ttl><item><title>a</title></item></channel></rss>', 'https://v.example/rss');
    expect(feed.items.map((i) => i.title)).toEqual(['a']);
    expect(feed.ttlMinutes).toBeNull();
    expect(feed.warnings).toEqual(['feed: ignored invalid <ttl> "soon"']);
  });

  it('applies xml:base on RSS channels and items', async () => {
    const xml = `<rss version="2.0" xml:base="https://cdn.example/root/"><channel xml:base="news/"><title>b</title>
      <item xml:base="2025/"><title>a</title><link>story.html</link></item></channel></rss>`;
    const feed = await parseFeed(xml, 'https://origin.example/rss');
    expect(feed.items[0]!.url).toBe('https://cdn.example/root/news/2025/story.html');
  });
});
