import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../scrapers/feeds/parse.ts';
import { fixture } from './helpers.ts';

describe('Atom with xml:base at feed, entry and link level', async () => {
  const feed = await parseFeed(fixture('atom-xmlbase.xml'), 'https://blog.example/atom.xml');
  const [adyen, rates, relative, selfOnly] = feed.items;

  it('reads feed metadata; the html title is decoded, xml:lang is the language', () => {
    expect(feed).toMatchObject({
      format: 'atom',
      title: 'Payments <Blog>',
      description: 'Notes on money movement',
      language: 'en',
      ttlMinutes: null,
    });
    expect(feed.siteUrl).toBe('https://blog.example/news/');
  });

  it('resolves a relative entry xml:base against the feed xml:base, and prefers rel=alternate over self/enclosure', () => {
    expect(adyen!.url).toBe('https://blog.example/news/2025/adyen-guidance.html');
  });

  it('resolves a link xml:base against an absolute entry xml:base', () => {
    expect(rates!.url).toBe('https://other.example/mirror/loans/sme-rates');
  });

  it('resolves a link without rel against the feed xml:base', () => {
    expect(relative!.url).toBe('https://blog.example/news/three.html');
  });

  it('never uses rel=self as the article URL and survives a <link> without attributes', () => {
    expect(selfOnly!.url).toBeNull();
    expect(selfOnly!.guid).toBe('tag:blog.example,2025:4');
  });

  it('uses <id> as guid, entry or inherited feed author, label/term categories', () => {
    expect(feed.items.map((i) => i.guid)).toEqual(['tag:blog.example,2025:1', 'tag:blog.example,2025:2', 'tag:blog.example,2025:3', 'tag:blog.example,2025:4']);
    expect(adyen!.author).toBe('Ana Silva');
    expect(rates!.author).toBe('Payments Desk');
    expect(adyen!.categories).toEqual(['Payments', 'adyen']);
  });

  it('reads html, xhtml (in document order) and text content; summary is plain text', () => {
    expect(adyen!.contentHtml).toBe('<p>Adyen <a href="q2.html">raised</a> its guidance.</p>');
    expect(adyen!.contentText).toBe('Adyen raised its guidance.');
    expect(adyen!.summary).toBe('Adyen lifts its outlook.');
    expect(rates!.contentHtml).toBe('<p>Lenders <b>cut</b> rates for small firms.</p><p>Second paragraph.</p>');
    expect(rates!.contentText).toBe('Lenders cut rates for small firms.\n\nSecond paragraph.');
    expect(relative!.contentHtml).toBeNull();
    expect(relative!.contentText).toBe('Plain text content & more.');
    expect(selfOnly!.contentHtml).toBe('<p>Summary only.</p>');
    expect(selfOnly!.summary).toBe('Summary only.');
  });

  it('keeps a type="text" title literally (no tag stripping)', () => {
    expect(rates!.title).toBe('Rates < 5% for SMEs');
  });

  it('falls back to <updated> for entries without <published>', () => {
    expect(adyen!.publishedAt).toBe('2025-08-14T08:00:00.000Z');
    expect(adyen!.updatedAt).toBe('2025-08-14T09:00:00.000Z');
    expect(rates!.publishedAt).toBe('2025-08-13T12:00:00.000Z');
  });

  it('turns a broken <published> into null with a warning instead of losing the feed', () => {
    expect(relative!.publishedAt).toBeNull();
    expect(relative!.updatedAt).toBe('2025-08-12T12:00:00.000Z');
    expect(feed.warnings).toEqual(['item 3 ("tag:blog.example,2025:3"): unparseable or implausible publication date "32 Foo 2025", set to null']);
  });

  it('without any xml:base resolves against the feed URL', async () => {
    const plain = fixture('atom-xmlbase.xml').replace(/ xml:base="[^"]*"/g, '');
    const f = await parseFeed(plain, 'https://feeds.example/blog/atom.xml');
    expect(f.items.map((i) => i.url)).toEqual([
      'https://feeds.example/blog/adyen-guidance.html',
      'https://feeds.example/blog/sme-rates',
      'https://feeds.example/blog/three.html',
      null,
    ]);
  });
});
