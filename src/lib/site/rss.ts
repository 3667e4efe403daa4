/**
 * RSS 2.0 feed of the newest facts (/facts.xml), so a researcher can follow new facts in any feed
 * reader. Pure: facts and the site's base URL in, XML text out. Every string comes from articles we
 * do not control, so all text is XML-escaped and characters XML 1.0 cannot carry are dropped.
 */
import { formatValue, kindLabel } from './format.ts';
import type { FactRow } from './queries.ts';

/** A fact as the site reads it, plus the article its link points into (its evidence anchor), or
 * null: then the company page. */
export type RssFact = Pick<
  FactRow,
  'id' | 'company' | 'companyName' | 'kind' | 'value' | 'valueHigh' | 'unit' | 'label' | 'status' | 'speaker' | 'statement' | 'createdAt'
> & { articleId: number | null };

export const DEFAULT_SITE_URL = 'http://127.0.0.1:4321/';

/**
 * The absolute base for links in feeds and the sitemap: Astro's `site` when configured, else
 * FACTDESK_SITE_URL, else the local default. Only http(s); a trailing slash so paths resolve under it.
 */
export function siteUrl(site: URL | undefined, env: Record<string, string | undefined> = process.env): URL {
  for (const candidate of [site?.href, env.FACTDESK_SITE_URL]) {
    if (!candidate) continue;
    let u: URL;
    try {
      u = new URL(candidate);
    } catch {
      continue;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') continue;
    u.search = '';
    u.hash = '';
    if (!u.pathname.endsWith('/')) u.pathname += '/';
    return u;
  }
  return new URL(DEFAULT_SITE_URL);
}

/** A site path ("/articles/3/#fact-x") as an absolute URL under the base, keeping the base's own path. */
export function absolute(base: URL, sitePath: string): string {
  return new URL(sitePath.replace(/^\/+/, ''), base).href;
}

// XML 1.0 allows tab, LF, CR and U+0020 upwards, minus lone surrogates and U+FFFE/U+FFFF.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlText(s: string): string {
  return s.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => XML_ESC[c]!);
}

/** RFC 822 date as RSS wants it; null for a time that does not parse. */
export function rfc822(iso: string): string | null {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t).toUTCString();
}

export function factTitle(f: RssFact): string {
  const what =
    f.kind === 'quote'
      ? `quote from ${f.speaker ?? 'an unnamed speaker'}`
      : `${f.kind === 'metric' ? (f.label ?? 'metric') : kindLabel(f.kind)}${f.status ? ` ${f.status}` : ''}${f.value !== null ? `: ${formatValue(f.value, f.unit, f.valueHigh)}` : ''}`;
  return `${f.companyName}, ${what}`;
}

export function factLink(f: RssFact): string {
  return f.articleId !== null ? `/articles/${f.articleId}/#fact-${encodeURIComponent(f.id)}` : `/companies/${encodeURIComponent(f.company)}/`;
}

export function factsRss(facts: readonly RssFact[], base: URL, now: Date = new Date()): string {
  const home = absolute(base, '/');
  const items = facts.map((f) => {
    const date = rfc822(f.createdAt);
    return [
      '<item>',
      `<title>${xmlText(factTitle(f))}</title>`,
      `<link>${xmlText(absolute(base, factLink(f)))}</link>`,
      `<description>${xmlText(f.statement)}</description>`,
      `<category>${xmlText(kindLabel(f.kind))}</category>`,
      `<guid isPermaLink="false">${xmlText(f.id)}</guid>`,
      date ? `<pubDate>${date}</pubDate>` : '',
      '</item>',
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    '<title>Factdesk: new facts</title>',
    `<link>${xmlText(home)}</link>`,
    `<atom:link href="${xmlText(absolute(base, '/facts.xml'))}" rel="self" type="application/rss+xml"/>`,
    '<description>Facts newly read from fintech news (valuations, headcount, funding, IPOs, quotes), each linking to its evidence.</description>',
    '<language>en</language>',
    `<lastBuildDate>${now.toUTCString()}</lastBuildDate>`,
    ...items,
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}
