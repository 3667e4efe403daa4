import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { escapeXmlAttr, escapeXmlText, OpmlParseError, parseOpml, toOpml, type OpmlFeedInput } from '../../../scrapers/feeds/opml.ts';
import { fixture } from './helpers.ts';

describe('parseOpml', () => {
  const opml = parseOpml(fixture('subscriptions.opml'));

  it('reads the head title with entities decoded', () => {
    expect(opml.title).toBe('My fintech & banking feeds');
  });

  it('flattens nested outlines with the folder path as category, skipping outlines without xmlUrl and duplicate URLs', () => {
    expect(opml.feeds).toEqual([
      { url: 'https://top.example/feed.xml', title: 'Top-level feed', siteUrl: 'https://top.example/', category: null },
      { url: 'https://ledger.example/feed/', title: 'Ledger & Line', siteUrl: 'https://ledger.example/', category: 'Fintech / Payments' },
      { url: 'https://blog.example/news/atom.xml', title: 'Adyen blog', siteUrl: null, category: 'Fintech / Payments' },
      { url: 'https://regwatch.example/rss', title: 'RegWatch', siteUrl: null, category: 'Fintech' },
      { url: 'https://nameless.example/feed', title: null, siteUrl: null, category: 'Banking / Neo' },
    ]);
  });

  it('rejects documents that are not OPML, and entity declarations', () => {
    expect(() => parseOpml('<rss version="2.0"/>')).toThrow(OpmlParseError);
    expect(() => parseOpml('<opml version="2.0"><head/></opml>')).toThrow(/^opml: no <body>/);
    expect(() => parseOpml('<!DOCTYPE opml [<!ENTITY x "y">]><opml><body/></opml>')).toThrow(/^opml: DOCTYPE declares entities/);
  });
});

describe('XML escaping', () => {
  it('escapes markup, quotes and whitespace that attribute normalisation would eat', () => {
    expect(escapeXmlAttr('a&b<c>"d"\te\nf\rg')).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#9;e&#10;f&#13;g');
    expect(escapeXmlText('a&b<c>"d"')).toBe('a&amp;b&lt;c&gt;"d"');
  });
  it('removes characters XML 1.0 cannot carry, keeping valid surrogate pairs', () => {
    expect(escapeXmlAttr('x\u0000y\u001Fz\uFFFE😀\uD800')).toBe('xyz😀');
  });
});

describe('toOpml', () => {
  const feeds: OpmlFeedInput[] = [
    { url: 'https://a.example/feed?x=1&y=2', title: 'A & "B" <C>', siteUrl: 'https://a.example/', category: 'Fintech / Payments' },
    { url: 'https://b.example/rss', title: null, siteUrl: null, category: null },
    { url: 'https://c.example/atom', title: 'C\u0001 feed', siteUrl: null, category: 'Regulation' },
    { url: 'https://d.example/rss', title: 'D', category: 'Fintech' },
    { url: 'https://a.example/feed?x=1&y=2', title: 'duplicate', category: null },
  ];
  const xml = toOpml(feeds, 'Factdesk & friends');

  it('is well-formed OPML 2.0 with escaped attributes and no invalid characters', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')).toBe(true);
    expect(xml).toContain('<title>Factdesk &amp; friends</title>');
    expect(xml).toContain('text="A &amp; &quot;B&quot; &lt;C&gt;"');
    expect(xml).toContain('xmlUrl="https://a.example/feed?x=1&amp;y=2"');
    expect(xml).not.toContain('\u0001');
    const $ = load(xml, { xml: true });
    expect($('opml > body > outline').length).toBe(3); // b (uncategorised), Fintech, Regulation
  });

  it('groups by category: uncategorised first, folders nested on " / " in first-seen order', () => {
    const $ = load(xml, { xml: true });
    const top = $('opml > body > outline').toArray().map((el) => $(el).attr('text'));
    expect(top).toEqual(['https://b.example/rss', 'Fintech', 'Regulation']);
    expect($('outline[text="Fintech"] > outline[text="Payments"] > outline').attr('xmlUrl')).toBe('https://a.example/feed?x=1&y=2');
  });

  it('round-trips through parseOpml (duplicates dropped, control characters removed)', () => {
    const back = parseOpml(xml);
    expect(back.title).toBe('Factdesk & friends');
    expect(back.feeds).toEqual([
      { url: 'https://b.example/rss', title: null, siteUrl: null, category: null },
      { url: 'https://d.example/rss', title: 'D', siteUrl: null, category: 'Fintech' },
      { url: 'https://a.example/feed?x=1&y=2', title: 'A & "B" <C>', siteUrl: 'https://a.example/', category: 'Fintech / Payments' },
      { url: 'https://c.example/atom', title: 'C feed', siteUrl: null, category: 'Regulation' },
    ]);
  });

  it('round-trips the fixture: parse → write → parse gives the same feeds', () => {
    const first = parseOpml(fixture('subscriptions.opml'));
    const second = parseOpml(toOpml(first.feeds, first.title ?? undefined));
    expect(second.title).toBe(first.title);
    expect([...second.feeds].sort((a, b) => a.url.localeCompare(b.url))).toEqual([...first.feeds].sort((a, b) => a.url.localeCompare(b.url)));
  });

  it('is deterministic', () => {
    expect(toOpml(feeds, 'Factdesk & friends')).toBe(xml);
  });
});
