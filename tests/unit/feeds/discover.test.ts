import { describe, expect, it } from 'vitest';
import { discoverFeeds } from '../../../scrapers/feeds/discover.ts';

describe('discoverFeeds', () => {
  it('finds RSS, Atom and JSON feeds announced by a page, resolved and de-duplicated', () => {
    const html = `<html><head>
      <link rel="alternate" type="application/rss+xml" title="Main" href="/feed.xml">
      <link rel="Alternate" type="application/atom+xml" href="https://example.com/atom.xml">
      <link rel="alternate" type="application/feed+json" href="feed.json">
      <link rel="alternate" type="application/rss+xml" href="/feed.xml">
      <link rel="alternate" hreflang="de" href="/de/">
      <link rel="stylesheet" type="text/css" href="/s.css">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head></html>`;
    expect(discoverFeeds(html, 'https://example.com/news/')).toEqual([
      { url: 'https://example.com/feed.xml', title: 'Main', type: 'application/rss+xml' },
      { url: 'https://example.com/atom.xml', title: null, type: 'application/atom+xml' },
      { url: 'https://example.com/news/feed.json', title: null, type: 'application/feed+json' },
    ]);
  });
  it('returns nothing for a page without feeds or for garbage', () => {
    expect(discoverFeeds('<p>no head</p>', 'https://example.com/')).toEqual([]);
    expect(discoverFeeds('\u0000\u0001', 'https://example.com/')).toEqual([]);
  });
});
