import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../scrapers/pages/index.ts';
import { isPaywallName, jsonLdNotFree, truncationFlags } from '../../../scrapers/pages/paywall.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/pages');
const fixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');
const feedText = 'The Berlin-based neobank has raised €200m in a funding round that values the company well below its peak. '.repeat(8);

describe('paywalled teaser page', () => {
  const a = extractArticle(fixture('paywalled.html'), 'https://finanzblatt.example/neobank-funding', { feedContentText: feedText });
  it('flags JSON-LD, marker, text and truncation', () => {
    expect(a.paywalled).toBe(true);
    expect(a.truncated).toBe(true);
    expect(a.flags).toEqual(['jsonld-not-free', 'paywall-marker', 'paywall-text', 'shorter-than-feed', 'teaser-ellipsis']);
  });
  it('keeps the teaser but not the paywall box', () => {
    expect(a.text).toMatch(/^The Berlin-based neobank has raised €200m/);
    expect(a.text).not.toContain('Subscribe');
    expect(a.text).not.toContain('Already a subscriber');
  });
  it('still reads metadata', () => {
    expect(a.author).toBe('Klaus Weber');
    expect(a.outlet).toBe('Finanzblatt');
    expect(a.language).toBe('de-DE');
    expect(a.publishedAt).toBe('2025-03-02T07:15:00.000Z');
  });
});

describe('free article', () => {
  it('has no paywall flags and is not truncated against a shorter feed summary', () => {
    const a = extractArticle(fixture('news-article.html'), 'https://dailyledger.example/x', { feedContentText: 'The central bank left its rate unchanged.' });
    expect(a.paywalled).toBe(false);
    expect(a.truncated).toBe(false);
    expect(a.flags).toEqual([]);
  });
  it('is truncated when the page text is much shorter than the feed text', () => {
    const a = extractArticle(fixture('news-article.html'), 'https://dailyledger.example/x', { feedContentText: 'word '.repeat(1000) });
    expect(a.truncated).toBe(true);
    expect(a.flags).toEqual(['shorter-than-feed']);
    expect(a.paywalled).toBe(false);
  });
});

describe('jsonLdNotFree', () => {
  it('accepts boolean false and "False"/"false" strings, also in hasPart', () => {
    expect(jsonLdNotFree([{ isAccessibleForFree: false }])).toBe(true);
    expect(jsonLdNotFree([{ isAccessibleForFree: 'False' }])).toBe(true);
    expect(jsonLdNotFree([{ '@type': 'NewsArticle', hasPart: [{ isAccessibleForFree: 'false' }] }])).toBe(true);
    expect(jsonLdNotFree([{ isAccessibleForFree: true }, { isAccessibleForFree: 'True' }])).toBe(false);
    expect(jsonLdNotFree([{ hasPart: { isAccessibleForFree: 'yes' } }])).toBe(false);
  });
});

describe('markers', () => {
  it('isPaywallName matches paywall vocabulary only', () => {
    for (const n of ['paywall', 'article-paywall__box', 'subscriber-only', 'meteredContent', 'premium-content', 'regwall']) expect(isPaywallName(n), n).toBe(true);
    for (const n of ['truth-o-meter', 'parameter', 'subscribe-button', 'premium', 'wall-street']) expect(isPaywallName(n), n).toBe(false);
  });
  it('detects paywall sentences in short elements only', () => {
    const prose = '<p>' + 'Regular article sentence about markets and prices. '.repeat(5) + '</p>';
    const withBox = extractArticle(`<html><body>${prose}<div><p>This article is for subscribers only.</p></div></body></html>`, 'https://x.example/');
    expect(withBox.flags).toContain('paywall-text');
    const mention = extractArticle(`<html><body><p>${'Long paragraph that merely mentions that some outlets say subscribe to continue reading in their boxes, which is common. '.repeat(4)}</p></body></html>`, 'https://x.example/');
    expect(mention.flags).not.toContain('paywall-text');
  });
});

describe('truncationFlags', () => {
  it('compares with the feed text and looks for a teaser ellipsis', () => {
    expect(truncationFlags('a'.repeat(100), 'b'.repeat(300))).toEqual(['shorter-than-feed']);
    expect(truncationFlags('a'.repeat(200), 'b'.repeat(300))).toEqual([]);
    expect(truncationFlags('short text', 'too short feed')).toEqual([]);
    expect(truncationFlags('It ends like this [...]', null)).toEqual(['teaser-ellipsis']);
    expect(truncationFlags('It ends like this.', null)).toEqual([]);
  });
});
