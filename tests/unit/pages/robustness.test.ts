import { describe, expect, it } from 'vitest';
import { extractArticle, extractMainText } from '../../../scrapers/pages/index.ts';
import { flattenDeepNesting } from '../../../scrapers/pages/html.ts';

const URL_ = 'https://x.example/a';
const timed = <T>(fn: () => T): { value: T; ms: number } => {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
};

describe('garbage input never throws', () => {
  it.each([
    ['empty string', ''],
    ['whitespace', '   \n\t '],
    ['plain text', 'just some text without any markup at all'],
    ['binary junk', Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919 + 13) % 256)).toString('latin1')],
    ['NUL bytes', '\u0000'.repeat(10_000)],
    ['unclosed tags', '<html><body><div><p><span><a href="'],
    ['broken JSON-LD', '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script><p>x</p>'],
    ['many unclosed scripts', '<script>'.repeat(50_000)],
    ['many unclosed comments', '<!--'.repeat(50_000)],
  ])('%s', (_name, html) => {
    const a = extractArticle(html, URL_);
    expect(typeof a.text).toBe('string');
    expect(Array.isArray(a.flags)).toBe(true);
    expect(typeof extractMainText(html, URL_)).toBe('string');
  });

  it('returns empty text for binary junk and empty input', () => {
    expect(extractMainText('', URL_)).toBe('');
    expect(extractMainText('\u0000\u0001\u0002'.repeat(1000), URL_)).toBe('');
    expect(extractArticle('', URL_, { feedTitle: 'Feed' })).toMatchObject({ text: '', outlet: 'Feed', title: null });
  });

  it('tolerates non-string input and a bad URL', () => {
    expect(extractMainText(undefined as unknown as string, URL_)).toBe('');
    expect(extractArticle(42 as unknown as string, 'not a url').text).toBe('');
    expect(extractArticle('<link rel="canonical" href="/x"><p>hi</p>', 'not a url').canonicalUrl).toBeNull();
  });
});

describe('bounded work', () => {
  it('handles 100k-level nesting quickly and keeps the text', () => {
    const html = '<html><body>' + '<div>'.repeat(100_000) + 'deep text' + '</div>'.repeat(100_000) + '</body></html>';
    const { value, ms } = timed(() => extractMainText(html, URL_));
    expect(value).toContain('deep text');
    expect(ms).toBeLessThan(3000);
  });

  it('handles 100k unclosed nested elements', () => {
    const { value, ms } = timed(() => extractMainText('<div><span>'.repeat(100_000) + 'tail', URL_));
    expect(typeof value).toBe('string');
    expect(ms).toBeLessThan(3000);
  });

  it('handles a 15 MB page', () => {
    const para = '<p>' + 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod. '.repeat(8) + '</p>';
    const html = '<html><body><article>' + para.repeat(Math.ceil(15_000_000 / para.length)) + '</article></body></html>';
    expect(html.length).toBeGreaterThan(15_000_000);
    const { value, ms } = timed(() => extractArticle(html, URL_));
    expect(value.text.startsWith('Lorem ipsum')).toBe(true);
    expect(ms).toBeLessThan(5000);
  });

  it('keeps the article when a huge inline script precedes it', () => {
    const html = '<html><head><script>' + 'x'.repeat(5_000_000) + '</script></head><body><p>' + 'Real paragraph text after the script. '.repeat(10) + '</p></body></html>';
    expect(extractMainText(html, URL_)).toContain('Real paragraph text after the script.');
  });

  it('flattenDeepNesting leaves normal documents untouched and drops only excess tags', () => {
    const normal = '<div><p>a</p><div><b>b</b></div></div>';
    expect(flattenDeepNesting(normal)).toBe(normal);
    const deep = '<i>'.repeat(10) + 'x' + '</i>'.repeat(10);
    expect(flattenDeepNesting(deep, 3)).toBe('<i><i><i>x</i></i></i>');
  });
});
