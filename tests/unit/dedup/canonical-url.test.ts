import { describe, expect, it } from 'vitest';
import { canonicalUrl, cleanUrl, isTrackingParam, urlKey } from '../../../scrapers/dedup/canonical-url.ts';

describe('canonicalUrl', () => {
  it.each([
    ['HTTP://News.Example.COM/Markets/Klarna-IPO', 'https://news.example.com/Markets/Klarna-IPO'],
    ['http://news.example.com:80/a', 'https://news.example.com/a'],
    ['http://news.example.com:443/a', 'https://news.example.com/a'],
    ['https://news.example.com:443/a', 'https://news.example.com/a'],
    ['https://news.example.com:8443/a', 'https://news.example.com:8443/a'],
    ['https://news.example.com/a#comments', 'https://news.example.com/a'],
    ['https://news.example.com/a?', 'https://news.example.com/a'],
    ['https://news.example.com', 'https://news.example.com/'],
    ['https://user:secret@news.example.com/a', 'https://news.example.com/a'],
    ['https://news.example.com./a', 'https://news.example.com/a'],
    ['  https://news.example.com/a  ', 'https://news.example.com/a'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it('drops tracking parameters (any case) and sorts the rest by name', () => {
    expect(
      canonicalUrl(
        'https://news.example.com/story?z=9&utm_source=nl&UTM_Medium=email&fbclid=abc&gclid=1&dclid=2&msclkid=3&mc_cid=4&mc_eid=5&igshid=6&_hsenc=7&_hsmi=8&ref=tw&ref_src=twsrc&cmpid=x&ocid=y&sr_share=z&a=1',
      ),
    ).toBe('https://news.example.com/story?a=1&z=9');
    expect(canonicalUrl('https://news.example.com/?utm_campaign=x')).toBe('https://news.example.com/');
  });

  it('keeps repeated parameters in their order and their original encoding', () => {
    expect(canonicalUrl('https://x.example/s?tag=b&q=a+b%2Fc&tag=a')).toBe('https://x.example/s?q=a+b%2Fc&tag=b&tag=a');
  });

  it('leaves the path alone: case, trailing slash, index.html, double slashes', () => {
    expect(canonicalUrl('https://x.example/News//2025/Index.html')).toBe('https://x.example/News//2025/Index.html');
    expect(canonicalUrl('https://x.example/a/')).not.toBe(canonicalUrl('https://x.example/a'));
  });

  it('resolves against a base', () => {
    expect(canonicalUrl('../b?utm_source=x&k=1', 'http://x.example/a/c/')).toBe('https://x.example/a/b?k=1');
  });

  it.each(['javascript:alert(1)', 'data:text/html,hi', 'file:///etc/passwd', 'mailto:a@b.c', 'ftp://x.example/a', 'not a url', '/relative/without/base', ''])(
    'returns null for %j',
    (input) => {
      expect(canonicalUrl(input)).toBeNull();
    },
  );
});

describe('urlKey', () => {
  it('is the same for http/https, tracking, order and fragment variants', () => {
    const key = urlKey('https://news.example.com/a?b=2&a=1');
    expect(key).toBe('news.example.com/a?a=1&b=2');
    expect(urlKey('http://NEWS.example.com:80/a?a=1&utm_source=x&b=2#top')).toBe(key);
    expect(urlKey('https://news.example.com/a?a=1')).not.toBe(key);
    expect(urlKey('mailto:x@y.z')).toBeNull();
  });
});

describe('isTrackingParam', () => {
  it('knows prefixes and exact names, and leaves real parameters alone', () => {
    expect(isTrackingParam('utm_content')).toBe(true);
    expect(isTrackingParam('pk_campaign')).toBe(true);
    expect(isTrackingParam('FBCLID')).toBe(true);
    expect(isTrackingParam('id')).toBe(false);
    expect(isTrackingParam('page')).toBe(false);
    expect(isTrackingParam('reference')).toBe(false);
  });
});

describe('cleanUrl', () => {
  it('drops trackers and fragments but keeps the scheme, so the URL stays fetchable', () => {
    expect(cleanUrl('http://Example.com:80/a/b.html?utm_source=rss&b=2&a=1#top')).toBe('http://example.com/a/b.html?a=1&b=2');
    expect(cleanUrl('https://example.com:443/x')).toBe('https://example.com/x');
    expect(cleanUrl('javascript:alert(1)')).toBeNull();
  });
});
