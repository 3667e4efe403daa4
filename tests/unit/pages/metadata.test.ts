import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../scrapers/pages/index.ts';
import { cleanAuthor, cleanTitle, normalizeLanguage } from '../../../scrapers/pages/metadata.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/pages');
const fixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');

const page = (head: string, body = '<p>Body text of the article.</p>', htmlAttrs = ''): string =>
  `<!doctype html><html ${htmlAttrs}><head>${head}</head><body>${body}</body></html>`;
const ld = (obj: unknown): string => `<script type="application/ld+json">${JSON.stringify(obj)}</script>`;
const URL_ = 'https://news.example/section/story';

describe('metadata of the full news fixture', () => {
  const a = extractArticle(fixture('news-article.html'), 'https://dailyledger.example/markets/rates-hold?ref=rss', { feedTitle: 'Ledger RSS' });
  it('reads every field from JSON-LD and meta tags', () => {
    expect(a.title).toBe('Central bank holds rates as inflation cools');
    expect(a.author).toBe('Jane Doe, Ravi Patel'); // JSON-LD array beats meta name=author
    expect(a.publishedAt).toBe('2025-05-14T07:30:00.000Z'); // JSON-LD beats article:published_time and <time>
    expect(a.modifiedAt).toBe('2025-05-14T10:00:00.000Z');
    expect(a.outlet).toBe('The Daily Ledger'); // og:site_name beats publisher and feed title
    expect(a.canonicalUrl).toBe('https://dailyledger.example/markets/central-bank-holds-rates'); // relative canonical resolved
    expect(a.language).toBe('en-GB'); // "en_gb" normalised
    expect(a.description).toBe('Policymakers kept the benchmark rate at 4.25% and signalled cuts later this year.');
    expect(a.paywalled).toBe(false);
    expect(a.flags).toEqual([]);
  });
});

describe('metadata of the byline-only blog post', () => {
  const a = extractArticle(fixture('byline-date.html'), 'https://notes.example/posts/credit', { feedTitle: 'Fintech Notes feed' });
  it('falls back to visible byline date, rel=author, <title> without suffix, feed title, og:locale', () => {
    expect(a.publishedAt?.slice(0, 10)).toBe('2025-05-14');
    expect(a.author).toBe('Maria Gonzalez');
    expect(a.title).toBe('Why small lenders are tightening credit');
    expect(a.outlet).toBe('Fintech Notes feed');
    expect(a.language).toBe('en-US');
    expect(a.canonicalUrl).toBeNull();
    expect(a.modifiedAt).toBeNull();
  });
});

describe('title', () => {
  it('prefers og:title, then JSON-LD headline, then <title>, then h1', () => {
    expect(extractArticle(page('<title>T | S</title><meta property="og:title" content="OG title here">' + ld({ '@type': 'NewsArticle', headline: 'LD headline' })), URL_).title).toBe('OG title here');
    expect(extractArticle(page('<title>Doc title | Site</title>' + ld({ '@type': 'NewsArticle', headline: 'LD headline' })), URL_).title).toBe('LD headline');
    expect(extractArticle(page('', '<h1>Only the h1</h1><p>text</p>'), URL_).title).toBe('Only the h1');
  });
  it('strips site suffixes and prefixes', () => {
    expect(cleanTitle('Rates hold steady | The Daily Ledger', 'The Daily Ledger', null, URL_)).toBe('Rates hold steady');
    expect(cleanTitle('Rates hold steady - Daily Ledger', 'The Daily Ledger', null, URL_)).toBe('Rates hold steady');
    expect(cleanTitle('Ledger: Rates hold steady', null, null, 'https://www.ledger.example/x')).toBe('Rates hold steady');
    expect(cleanTitle('Rates hold steady | Markets | Ledger', null, 'Rates hold steady', URL_)).toBe('Rates hold steady');
    expect(cleanTitle('Fed vs. markets - who blinks first?', null, null, URL_)).toBe('Fed vs. markets - who blinks first?');
  });
});

describe('author', () => {
  it('reads JSON-LD author as string, object and array', () => {
    expect(extractArticle(page(ld({ '@type': 'Article', author: 'By Sam Lee' })), URL_).author).toBe('Sam Lee');
    expect(extractArticle(page(ld({ '@type': 'Article', author: { '@type': 'Person', name: 'Sam Lee' } })), URL_).author).toBe('Sam Lee');
    expect(extractArticle(page(ld([{ '@type': 'BlogPosting', author: [{ name: 'A One' }, { name: 'B Two' }, 'https://x.example/c'] }])), URL_).author).toBe('A One, B Two');
  });
  it('falls back to meta author, article:author, rel=author and byline elements', () => {
    expect(extractArticle(page('<meta name="author" content="Meta Person">'), URL_).author).toBe('Meta Person');
    expect(extractArticle(page('<meta property="article:author" content="Prop Person">'), URL_).author).toBe('Prop Person');
    expect(extractArticle(page('<meta property="article:author" content="https://facebook.com/someone">', '<p>x</p>'), URL_).author).toBeNull();
    expect(extractArticle(page('', '<a rel="author" href="/a">Link Person</a><p>x</p>'), URL_).author).toBe('Link Person');
    expect(extractArticle(page('', '<div class="article-byline">By Byline Person | Updated May 2, 2025</div><p>x</p>'), URL_).author).toBe('Byline Person');
  });
  it('ignores comment form "author" fields', () => {
    expect(extractArticle(page('', '<p>x</p><form id="commentform"><label for="author">Name (required)</label><input id="author"></form>'), URL_).author).toBeNull();
  });
  it('cleanAuthor cuts handles, dates and read times', () => {
    expect(cleanAuthor('Bryan DeArdo @BryanDeArdo Nov 18, 2019 at 9:24 pm ET • 2 min read')).toBe('Bryan DeArdo');
    expect(cleanAuthor('By Jane Doe, Reuters')).toBe('Jane Doe, Reuters');
  });
});

describe('dates', () => {
  it('follows the priority JSON-LD > meta > itemprop > <time> > visible byline', () => {
    const jsonld = ld({ '@type': 'NewsArticle', datePublished: '2025-01-01T10:00:00Z' });
    const meta = '<meta property="article:published_time" content="2025-02-02T10:00:00Z">';
    const itemprop = '<meta itemprop="datePublished" content="2025-03-03T10:00:00Z">';
    const time = '<time datetime="2025-04-04T10:00:00Z">April 4</time>';
    const byline = '<p class="dateline">Published May 5, 2025</p>';
    expect(extractArticle(page(jsonld + meta, time + byline), URL_).publishedAt).toBe('2025-01-01T10:00:00.000Z');
    expect(extractArticle(page(meta + itemprop, time + byline), URL_).publishedAt).toBe('2025-02-02T10:00:00.000Z');
    expect(extractArticle(page(itemprop, time + byline), URL_).publishedAt).toBe('2025-03-03T10:00:00.000Z');
    expect(extractArticle(page('', time + byline), URL_).publishedAt).toBe('2025-04-04T10:00:00.000Z');
    expect(extractArticle(page('', byline), URL_).publishedAt?.slice(0, 10)).toBe('2025-05-05');
    expect(extractArticle(page('', '<p>No date anywhere here.</p>'), URL_).publishedAt).toBeNull();
  });
  it('reads parsely and Dublin Core dates, and modified dates', () => {
    expect(extractArticle(page('<meta name="parsely-pub-date" content="2024-06-01T08:00:00Z">'), URL_).publishedAt).toBe('2024-06-01T08:00:00.000Z');
    expect(extractArticle(page('<meta name="DC.date.issued" content="2024-06-02">'), URL_).publishedAt).toBe('2024-06-02T00:00:00.000Z');
    expect(extractArticle(page('<meta property="article:modified_time" content="2024-06-03T08:00:00Z">'), URL_).modifiedAt).toBe('2024-06-03T08:00:00.000Z');
  });
});

describe('outlet, canonical, language', () => {
  it('outlet: og:site_name, then JSON-LD publisher, then feed title', () => {
    expect(extractArticle(page(ld({ '@type': 'NewsArticle', publisher: { name: 'Pub Name' } })), URL_, { feedTitle: 'Feed' }).outlet).toBe('Pub Name');
    expect(extractArticle(page(''), URL_, { feedTitle: ' Feed ' }).outlet).toBe('Feed');
    expect(extractArticle(page(''), URL_).outlet).toBeNull();
  });
  it('canonical: link rel=canonical, else og:url, resolved; non-http ignored', () => {
    expect(extractArticle(page('<link rel="canonical" href="../other?id=1">'), URL_).canonicalUrl).toBe('https://news.example/other?id=1');
    expect(extractArticle(page('<meta property="og:url" content="//cdn.news.example/a">'), URL_).canonicalUrl).toBe('https://cdn.news.example/a');
    expect(extractArticle(page('<link rel="canonical" href="javascript:void(0)">'), URL_).canonicalUrl).toBeNull();
  });
  it('language: html lang, og:locale, content-language; normalised', () => {
    expect(extractArticle(page('', '<p>x</p>', 'lang="PT_br"'), URL_).language).toBe('pt-BR');
    expect(extractArticle(page('<meta http-equiv="Content-Language" content="fr">'), URL_).language).toBe('fr');
    expect(normalizeLanguage('zh-hant-tw')).toBe('zh-Hant-TW');
    expect(normalizeLanguage('EN')).toBe('en');
    expect(normalizeLanguage('not a language tag 123')).toBeNull();
  });
});
