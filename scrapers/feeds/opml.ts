/**
 * OPML subscription lists: read (nested outlines flattened, folders become a category path) and
 * write (OPML 2.0, grouped by category). parseOpml(toOpml(x)) gives x back, minus duplicates.
 */
import { load, type CheerioAPI } from 'cheerio';
import { FeedParseError } from './types.ts';
import { localName, readProlog, stripDoctype } from './xml-base.ts';

export interface OpmlFeed {
  /** xmlUrl as written (trimmed); not checked for scheme, callers decide what they can fetch. */
  url: string;
  title: string | null;
  siteUrl: string | null;
  /** Folder path of the enclosing outlines, joined with CATEGORY_SEPARATOR ("Fintech / Payments"). */
  category: string | null;
}

export interface Opml {
  title: string | null;
  feeds: OpmlFeed[];
}

export interface OpmlFeedInput {
  url: string;
  title?: string | null;
  siteUrl?: string | null;
  category?: string | null;
}

/** Joins nested folder names into one category, and splits it again when writing. */
export const CATEGORY_SEPARATOR = ' / ';

/** Not OPML, or unreadable. Messages start with "opml: ". */
export class OpmlParseError extends Error {
  override name = 'OpmlParseError';
}

/** A selection of elements (cheerio does not re-export domhandler's Element type). */
type Outline = ReturnType<ReturnType<CheerioAPI['root']>['children']>;

/** Attribute lookup ignoring case: exporters write xmlUrl, xmlurl and XMLURL. */
function attr(el: Outline, name: string): string | null {
  const attribs = (el[0] as { attribs?: Record<string, string> } | undefined)?.attribs ?? {};
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(attribs)) if (k.toLowerCase() === want && v.trim()) return v.trim();
  return null;
}

function outlines($: CheerioAPI, parent: Outline): Outline[] {
  return parent
    .children()
    .toArray()
    .filter((el) => (el as { name?: string }).name?.toLowerCase() === 'outline')
    .map((el) => $(el));
}

/** Identity for duplicate detection: the parsed URL when it parses (host case, default port), else the text. */
function urlIdentity(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/** OPML 2.0 `category` attribute ("/Finance/Fintech,/Other"): first entry as a path. */
function categoryAttr(value: string | null): string | null {
  const first = value?.split(',')[0]?.split('/').map((s) => s.trim()).filter(Boolean);
  return first && first.length ? first.join(CATEGORY_SEPARATOR) : null;
}

export function parseOpml(xml: string): Opml {
  let text: string;
  try {
    const { root } = readProlog(xml);
    if (!root || localName(root).toLowerCase() !== 'opml') throw new OpmlParseError('opml: not an OPML document (no <opml> root)');
    text = stripDoctype(xml.replace(/^\uFEFF/, ''));
  } catch (err) {
    if (err instanceof FeedParseError) throw new OpmlParseError(err.message.replace(/^feed: /, 'opml: '), { cause: err });
    throw err;
  }
  const $ = load(text, { xml: true });
  const root = $.root().children().first();
  const body = root.children().filter((_, el) => (el as { name?: string }).name?.toLowerCase() === 'body').first();
  if (!body.length) throw new OpmlParseError('opml: no <body>');
  const headTitle = root.children('head').children('title').first().text().replace(/\s+/g, ' ').trim();

  const feeds: OpmlFeed[] = [];
  const seen = new Set<string>();
  const visit = (el: Outline, path: string[]): void => {
    const label = attr(el, 'title') ?? attr(el, 'text');
    const url = attr(el, 'xmlUrl');
    if (url) {
      const key = urlIdentity(url);
      if (!seen.has(key)) {
        seen.add(key);
        // Exporters fill the required text attribute with the URL when a feed has no name.
        const title = attr(el, 'title') ?? (attr(el, 'text') !== url ? attr(el, 'text') : null);
        feeds.push({
          url,
          title: title?.replace(/\s+/g, ' ') ?? null,
          siteUrl: attr(el, 'htmlUrl'),
          category: path.length ? path.join(CATEGORY_SEPARATOR) : categoryAttr(attr(el, 'category')),
        });
      }
    }
    const childPath = label ? [...path, label.replace(/\s+/g, ' ')] : path;
    for (const child of outlines($, el)) visit(child, url ? path : childPath);
  };
  for (const el of outlines($, body)) visit(el, []);
  return { title: headTitle || null, feeds };
}

// ---- writing ------------------------------------------------------------------------------------

/** Characters XML 1.0 cannot carry at all (control characters, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes for a double-quoted attribute; tabs and newlines as references so parsers keep them. */
const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

export function escapeXmlAttr(value: string): string {
  return value.replace(INVALID_XML, '').replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c]!);
}

export function escapeXmlText(value: string): string {
  return value.replace(INVALID_XML, '').replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

interface Folder {
  feeds: OpmlFeedInput[];
  folders: Map<string, Folder>;
}

const newFolder = (): Folder => ({ feeds: [], folders: new Map() });

function feedOutline(f: OpmlFeedInput): string {
  const title = f.title?.trim() || null;
  const attrs = [`type="rss"`, `text="${escapeXmlAttr(title ?? f.url)}"`];
  if (title) attrs.push(`title="${escapeXmlAttr(title)}"`);
  attrs.push(`xmlUrl="${escapeXmlAttr(f.url)}"`);
  if (f.siteUrl?.trim()) attrs.push(`htmlUrl="${escapeXmlAttr(f.siteUrl.trim())}"`);
  return `<outline ${attrs.join(' ')}/>`;
}

function renderFolder(folder: Folder, indent: string, out: string[]): void {
  for (const f of folder.feeds) out.push(indent + feedOutline(f));
  for (const [name, sub] of folder.folders) {
    const n = escapeXmlAttr(name);
    out.push(`${indent}<outline text="${n}" title="${n}">`);
    renderFolder(sub, indent + '  ', out);
    out.push(`${indent}</outline>`);
  }
}

/**
 * OPML 2.0 with one folder outline per category (nested on CATEGORY_SEPARATOR); uncategorised feeds
 * first, then folders in order of first appearance. Duplicate URLs are written once. No dateCreated,
 * so the same list always gives the same bytes.
 */
export function toOpml(feeds: readonly OpmlFeedInput[], title: string = 'Factdesk feeds'): string {
  const root = newFolder();
  const seen = new Set<string>();
  for (const f of feeds) {
    const key = urlIdentity(f.url.trim());
    if (!f.url.trim() || seen.has(key)) continue;
    seen.add(key);
    let folder = root;
    for (const part of (f.category ?? '').split(CATEGORY_SEPARATOR).map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean)) {
      let sub = folder.folders.get(part);
      if (!sub) folder.folders.set(part, (sub = newFolder()));
      folder = sub;
    }
    folder.feeds.push({ ...f, url: f.url.trim() });
  }
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeXmlText(title)}</title>`,
    '  </head>',
    '  <body>',
  ];
  renderFolder(root, '    ', out);
  out.push('  </body>', '</opml>', '');
  return out.join('\n');
}
