import { DOMParser } from 'linkedom';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { factsRss, siteUrl, xmlText, type RssFact } from '../../../src/lib/site/rss.ts';
import { siteEntries, SITEMAP_LIMIT, sitemapXml } from '../../../src/lib/site/sitemap.ts';

const base = new URL('https://facts.example.org/');

function fact(over: Partial<RssFact> = {}): RssFact {
  return {
    id: 'b298fbf7adaba9ad608e',
    company: 'klarna',
    companyName: 'Klarna',
    kind: 'valuation',
    value: 45_600_000_000,
    valueHigh: null,
    unit: 'USD',
    label: null,
    status: null,
    speaker: null,
    statement: 'In June 2021 Klarna was valued at $45.6 billion.',
    createdAt: '2025-05-14T12:30:00.000Z',
    articleId: 7,
    ...over,
  };
}

const parser = new Parser({ xml2js: { strict: true } });

describe('factsRss', () => {
  it('is RSS 2.0 a feed reader parses: title, evidence link, statement, guid, date', async () => {
    const feed = await parser.parseString(factsRss([fact(), fact({ id: 'q1', kind: 'quote', value: null, unit: null, speaker: 'Sebastian Siemiatkowski', articleId: null })], base));
    expect(feed.title).toBe('Factdesk: new facts');
    expect(feed.link).toBe('https://facts.example.org/');
    expect(feed.items).toHaveLength(2);
    const [v, q] = feed.items;
    expect(v!.title).toBe('Klarna, valuation: $45.6 billion');
    expect(v!.link).toBe('https://facts.example.org/articles/7/#fact-b298fbf7adaba9ad608e');
    expect(v!.content).toBe('In June 2021 Klarna was valued at $45.6 billion.');
    expect(v!.guid).toBe('b298fbf7adaba9ad608e');
    expect(v!.isoDate).toBe('2025-05-14T12:30:00.000Z');
    expect(q!.title).toBe('Klarna, quote from Sebastian Siemiatkowski');
    // No article holds the fact's evidence any more: the company page is the best link left.
    expect(q!.link).toBe('https://facts.example.org/companies/klarna/');
  });

  it('marks guids as ids, not links', () => {
    expect(factsRss([fact()], base)).toContain('<guid isPermaLink="false">b298fbf7adaba9ad608e</guid>');
  });

  it('carries hostile text as text: markup, CDATA ends, ampersands, control characters, lone surrogates', async () => {
    const evil = 'Evil <script>alert("x")</script> ]]> & co\u0000\u0007\u001b \uD800 ok 🚀';
    const xml = factsRss([fact({ companyName: evil, statement: evil, id: 'id<&>"\'' })], base);
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const feed = await parser.parseString(xml);
    const [item] = feed.items;
    const clean = 'Evil <script>alert("x")</script> ]]> & co  ok 🚀';
    expect(item!.content).toBe(clean);
    expect(item!.title).toBe(`${clean}, valuation: $45.6 billion`);
    expect(item!.guid).toBe('id<&>"\'');
    expect(item!.link).toBe("https://facts.example.org/articles/7/#fact-id%3C%26%3E%22'");
  });

  it('a strict parser does reject what escaping prevents (the check above can fail)', async () => {
    const broken = factsRss([fact()], base).replace('In June 2021', 'In June & 2021');
    await expect(parser.parseString(broken)).rejects.toThrow();
  });

  it('leaves out a pubDate that does not parse, and an empty feed is still valid', async () => {
    expect(factsRss([fact({ createdAt: 'not a date' })], base)).not.toContain('<pubDate>');
    const feed = await parser.parseString(factsRss([], base));
    expect(feed.items).toEqual([]);
  });
});

describe('siteUrl', () => {
  it('prefers Astro.site, then FACTDESK_SITE_URL, then the local default; http(s) only, with a trailing slash', () => {
    expect(siteUrl(new URL('https://a.example/x'), { FACTDESK_SITE_URL: 'https://b.example/' }).href).toBe('https://a.example/x/');
    expect(siteUrl(undefined, { FACTDESK_SITE_URL: 'https://b.example/desk?q=1#h' }).href).toBe('https://b.example/desk/');
    expect(siteUrl(undefined, { FACTDESK_SITE_URL: 'javascript:alert(1)' }).href).toBe('http://127.0.0.1:4321/');
    expect(siteUrl(undefined, { FACTDESK_SITE_URL: 'not a url' }).href).toBe('http://127.0.0.1:4321/');
    expect(siteUrl(undefined, {}).href).toBe('http://127.0.0.1:4321/');
  });
  it('keeps a base path when making links absolute', async () => {
    const feed = await parser.parseString(factsRss([fact()], new URL('https://b.example/desk/')));
    expect(feed.items[0]!.link).toBe('https://b.example/desk/articles/7/#fact-b298fbf7adaba9ad608e');
  });
});

describe('xmlText', () => {
  it('escapes the five XML specials and drops what XML 1.0 cannot hold, keeping tabs, newlines and emoji', () => {
    expect(xmlText(`a&b<c>d"e'f\tg\nh\u0001\uFFFE😀`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f\tg\nh😀');
  });
});

describe('sitemap', () => {
  const entries = siteEntries(
    [{ slug: 'klarna' }, { slug: 'n26' }],
    [
      { id: 3, lastmod: '2025-05-14T12:00:00.000Z' },
      { id: 9, lastmod: 'yesterday' },
    ],
  );

  it('lists the fixed pages, every company and every article as absolute URLs', () => {
    const xml = sitemapXml(entries, base);
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const locs = [...doc.querySelectorAll('url > loc')].map((l) => l.textContent);
    expect(locs).toEqual([
      'https://facts.example.org/',
      'https://facts.example.org/companies/',
      'https://facts.example.org/timeline/',
      'https://facts.example.org/search/',
      'https://facts.example.org/sources/',
      'https://facts.example.org/exports/',
      'https://facts.example.org/companies/klarna/',
      'https://facts.example.org/companies/n26/',
      'https://facts.example.org/articles/3/',
      'https://facts.example.org/articles/9/',
    ]);
    expect(xml).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    // A malformed date is left out rather than sent.
    expect([...doc.querySelectorAll('lastmod')].map((l) => l.textContent)).toEqual(['2025-05-14T12:00:00.000Z']);
  });

  it('escapes URLs and refuses more URLs than one sitemap may hold', () => {
    expect(sitemapXml([{ path: '/a?x=1&y=2' }], base)).toContain('<loc>https://facts.example.org/a?x=1&amp;y=2</loc>');
    const many = Array.from({ length: SITEMAP_LIMIT + 1 }, (_, i) => ({ path: `/articles/${i}/` }));
    expect(() => sitemapXml(many, base)).toThrow(RangeError);
  });
});
