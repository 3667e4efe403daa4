import { describe, expect, it } from 'vitest';
import { detectFeedFormat, FeedParseError, parseFeed } from '../../../scrapers/feeds/parse.ts';
import { readProlog, stripDoctype } from '../../../scrapers/feeds/xml-base.ts';
import { fixture } from './helpers.ts';

describe('DOCTYPE with entity declarations', () => {
  it('refuses a billion-laughs document before any parser sees it', async () => {
    const err = await parseFeed(fixture('billion-laughs.xml'), 'https://evil.example/rss').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedParseError);
    expect((err as Error).message).toBe('feed: DOCTYPE declares entities (XML entity expansion / XXE); refusing to parse');
  });

  it('refuses an external entity (XXE)', async () => {
    await expect(parseFeed(fixture('xxe.xml'), 'https://evil.example/atom')).rejects.toThrow(/^feed: DOCTYPE declares entities/);
  });

  it('strips a DOCTYPE without entities, including one with quoted ">" and an empty internal subset', () => {
    expect(stripDoctype('<?xml version="1.0"?><!DOCTYPE rss SYSTEM "x>y.dtd" []><rss/>')).toBe('<?xml version="1.0"?><rss/>');
    expect(() => stripDoctype('<!DOCTYPE rss [ <!entity a "b"> ]><rss/>')).toThrow(FeedParseError);
    expect(() => stripDoctype('<!DOCTYPE rss [ <!ENTITY a "b"')).toThrow(/unterminated DOCTYPE/);
  });
});

describe('detectFeedFormat', () => {
  it.each([
    ['<?xml version="1.0"?>\n<!-- c --><rss version="2.0"><channel/></rss>', 'rss'],
    ['\uFEFF  <rss version="0.91"/>', 'rss'],
    ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', 'rdf'],
    ['<?xml-stylesheet href="s.xsl"?><feed xmlns="http://www.w3.org/2005/Atom"/>', 'atom'],
    ['{"items": [], "version": "https://jsonfeed.org/version/1.1"}', 'json'],
    ['{"version": "http:\\/\\/jsonfeed.org\\/version\\/1"}', 'json'],
    ['<html><body/></html>', null],
    ['{"version": "1.0"}', null],
    ['just text', null],
    ['', null],
  ])('%j → %s', (text, expected) => {
    expect(detectFeedFormat(text)).toBe(expected);
  });

  it('readProlog finds the root after PIs, comments and a DOCTYPE', () => {
    expect(readProlog('<?xml version="1.0"?><!--x--><!DOCTYPE a [<!ELEMENT a ANY>]>\n<a:b/>')).toMatchObject({ root: 'a:b' });
  });
});

describe('not a feed / unparseable', () => {
  it('throws FeedParseError for an HTML page', async () => {
    await expect(parseFeed(fixture('not-a-feed.html'), 'https://x.example/')).rejects.toThrow(/^feed: not a feed/);
  });

  it('throws FeedParseError for broken XML that escaping "&" cannot fix', async () => {
    const err = await parseFeed('<rss version="2.0"><channel><title>x</channel></rss>', 'https://x.example/rss').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedParseError);
    expect((err as Error).message).toMatch(/^feed: invalid XML: /);
  });

  it('throws FeedParseError for <rss> without a channel', async () => {
    await expect(parseFeed('<rss version="2.0"></rss>', 'https://x.example/rss')).rejects.toThrow(FeedParseError);
  });

  it('parses an empty channel to an empty feed', async () => {
    const feed = await parseFeed('<rss version="2.0"><channel></channel></rss>', 'https://x.example/rss');
    expect(feed.items).toEqual([]);
    expect(feed.title).toBeNull();
  });

  it('tolerates an unusable feed URL: relative links become null', async () => {
    const feed = await parseFeed('<rss version="2.0"><channel><item><title>t</title><link>/a</link></item></channel></rss>', 'not a url');
    expect(feed.items[0]!.url).toBeNull();
  });
});
