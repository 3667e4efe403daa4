import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractMainText } from '../../../scrapers/pages/index.ts';
import { isBoilerplateName } from '../../../scrapers/pages/clean.ts';
import { htmlToText, stripRawBlocks } from '../../../scrapers/pages/html.ts';
import { postClean } from '../../../scrapers/pages/text.ts';
import type { Block } from '../../../scrapers/pages/html.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/pages');
const fixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');

/** Asserts that every needle occurs in `text`, in this order. */
function expectInOrder(text: string, needles: string[]): void {
  let pos = -1;
  for (const n of needles) {
    const i = text.indexOf(n, pos + 1);
    expect(i, `"${n}" missing or out of order`).toBeGreaterThan(pos);
    pos = i;
  }
}

describe('extractMainText on a full news page', () => {
  const text = extractMainText(fixture('news-article.html'), 'https://dailyledger.example/markets/rates-hold');

  it('keeps the article paragraphs, subheading, quote and list items in order', () => {
    expectInOrder(text, [
      'The central bank left its benchmark interest rate unchanged at 4.25 per cent',
      'Policymakers voted seven to two to hold',
      'Markets expect cuts in the autumn',
      'Traders in futures markets now price two cuts',
      '“We are not declaring victory, but the direction of travel is clear,”',
      'The bank also published new forecasts:',
      'Inflation is expected to fall to 2.4 per cent',
      'Growth is forecast at 0.9 per cent',
      'Economists said the decision left the door open',
    ]);
  });

  it('puts each block element in its own paragraph, separated by a blank line', () => {
    const paras = text.split('\n\n');
    expect(paras).toContain('Markets expect cuts in the autumn');
    expect(paras).toContain('Growth is forecast at 0.9 per cent, revised down from 1.1 per cent.');
    expect(paras.length).toBe(9);
    for (const p of paras) {
      expect(p).toBe(p.trim());
      expect(p).not.toMatch(/\s{2,}|\n/);
    }
  });

  it.each([
    'We use cookies',
    'Accept all cookies',
    'Companies', // nav
    'Home',
    'Share on Twitter',
    'Email this article',
    'Photo: Alex Smith',
    "The central bank's headquarters", // caption
    'Read more: Bond yields fall',
    'ALSO READ',
    'Pound slides as traders bet',
    'file photo, the governor speaks',
    '(Image: Getty)',
    'More from Markets',
    'Gold hits a record',
    'Bank shares slip',
    'Get the Morning Ledger',
    'Sign up for our free daily newsletter',
    'Most read',
    'Oil prices jump',
    'You may also like',
    'Housing market shows signs of recovery',
    'Comments (2)',
    'move along everyone',
    'Savers are losing out',
    'All rights reserved',
    'Privacy policy',
    'Interest rates',
    'By Jane Doe',
    'Monetary policy', // kicker
    'May 14, 2025', // visible dateline
    'Central bank holds rates as inflation cools', // headline repeated
    'SCRIPT TEXT',
    'window.dataLayer',
    'position: fixed',
  ])('drops boilerplate: %s', (needle) => {
    expect(text).not.toContain(needle);
  });

  it('contains no HTML', () => {
    expect(text).not.toMatch(/<\/?[a-z][^>]*>/i);
  });
});

describe('extractMainText on a blog post with a byline line', () => {
  const text = extractMainText(fixture('byline-date.html'), 'https://notes.example/posts/credit');
  it('keeps the three paragraphs in order', () => {
    expectInOrder(text, ['Small business lenders have quietly raised', 'The share of applications approved', 'Online lenders, which had expanded']);
    expect(text.split('\n\n')).toHaveLength(3);
  });
  it.each(['Published May 14, 2025', 'Maria Gonzalez', 'Related posts', 'buy now pay later', 'Tweet', 'Archive', 'Powered by'])('drops %s', (needle) => {
    expect(text).not.toContain(needle);
  });
});

describe('extractMainText on text separated by <br> inside divs (blog engines)', () => {
  const body = Array.from({ length: 4 }, (_, i) => `Line number ${i + 1} of the post carries enough words to count as real prose for the extractor, honestly.`).join('<br><br>\n');
  const html = `<html><body><div class="nav"><a href="/">Home</a></div><div class="post-body">${body}</div><div class="sidebar"><a href="/x">Popular post</a></div></body></html>`;
  it('splits paragraphs at <br>', () => {
    const text = extractMainText(html, 'https://blog.example/p');
    expect(text.split('\n\n')).toEqual([1, 2, 3, 4].map((i) => `Line number ${i} of the post carries enough words to count as real prose for the extractor, honestly.`));
  });
});

describe('embedded posts', () => {
  it('keeps the text of an embedded tweet inside a "social" wrapper', () => {
    const prose = '<p>' + 'The governor defended the campaign in a long statement on Monday, saying that it had worked as intended. '.repeat(3) + '</p>';
    const tweet = '<div class="social-media-embed"><blockquote class="twitter-tweet"><p>Yes this is real and the state spent half a million dollars on it <a href="https://t.co/x">https://t.co/x</a></p>— Some Person (@someone) <a href="https://twitter.com/x">November 18, 2019</a></blockquote></div>';
    const text = extractMainText(`<html><body><article>${prose}${tweet}${prose}</article></body></html>`, 'https://x.example/');
    expect(text).toContain('Yes this is real and the state spent half a million dollars on it');
  });
});

describe('postClean rules', () => {
  const b = (text: string, extra: Partial<Block> = {}): Block => ({ text, linkChars: 0, tag: 'p', heading: false, quote: false, ...extra });
  const prose = (n: number): Block => b(`Paragraph ${n} of the story has enough words in it to be a real paragraph of prose, long enough to count, and it ends with a full stop.`);

  it('drops a recirculation heading and the link list after it, but keeps later prose', () => {
    const out = postClean(
      [prose(1), b('More from Markets', { heading: true }), b('Link one headline', { linkChars: 17, tag: 'li' }), b('Link two headline', { linkChars: 17, tag: 'li' }), prose(2)],
      [],
    ).map((x) => x.text);
    expect(out).toEqual([prose(1).text, prose(2).text]);
  });

  it('drops a short trailing caption cluster but keeps a long trailing list', () => {
    const captions = postClean([prose(1), b('Jane Roe | Getty Images'), b('Image 2 of 5')], []).map((x) => x.text);
    expect(captions).toEqual([prose(1).text]);
    const dates = Array.from({ length: 6 }, (_, i) => b(`June ${i + 1} -- Some Arena, Springfield`));
    expect(postClean([prose(1), ...dates], [])).toHaveLength(7);
  });

  it('removes the repeated headline and a byline above the first paragraph', () => {
    const out = postClean([b('Stocks rally on trade hopes'), b('By John Smith'), prose(1)], ['Stocks rally on trade hopes | Site']).map((x) => x.text);
    expect(out).toEqual([prose(1).text]);
  });

  it('keeps a short one-sentence lede that holds a date, and drops the datelines above it', () => {
    const lede = 'Norvale Bank agreed on 3 November to buy a rival card issuer for £410 million in cash, its first deal in a decade.';
    const out = postClean([b('Published 4 November 2025, 07:15 GMT'), b('Updated on November 4, 2025 at 9:40 a.m. after the bank confirmed the price.'), b(lede), prose(1)], []).map((x) => x.text);
    expect(out).toEqual([lede, prose(1).text]);
  });

  it('keeps headings made of links and bare URL lines', () => {
    const out = postClean([prose(1), b('Logitech MX Master 3 Mouse', { heading: true, linkChars: 26 }), b('http://amzn.to/abc', { linkChars: 18 }), prose(2)], []);
    expect(out).toHaveLength(4);
  });
});

describe('helpers', () => {
  it('isBoilerplateName matches boilerplate vocabulary, not article containers', () => {
    for (const n of ['share-bar', 'relatedArticles', 'newsletter_signup', 'cookie-consent', 'post-meta', 'sidebar', 'ad-slot', 'byline']) {
      expect(isBoilerplateName(n), n).toBe(true);
    }
    for (const n of ['article-body', 'content', 'story', 'entry-content', 'paragraph', 'social-media-embed', 'headline']) {
      expect(isBoilerplateName(n), n).toBe(false);
    }
  });

  it('stripRawBlocks removes scripts, styles and comments but keeps JSON-LD', () => {
    const out = stripRawBlocks('<p>a</p><script>x()</script><!-- c --><style>p{}</style><scripted>keep</scripted><script type="application/ld+json">{"a":1}</script><SCRIPT>y</SCRIPT>');
    expect(out).toBe('<p>a</p><scripted>keep</scripted><script type="application/ld+json">{"a":1}</script>');
  });

  it('htmlToText keeps paragraph breaks', () => {
    expect(htmlToText('<h2>Title</h2><p>One  two\n three</p><ul><li>a</li><li>b</li></ul>')).toBe('Title\n\nOne two three\n\na\n\nb');
  });
});
