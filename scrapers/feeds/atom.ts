/** Atom 1.0 documents → RawFeed, with xml:base applied at every level (feed, entry, link). */
import { load, type CheerioAPI } from 'cheerio';
import { cleanLine, htmlToLine, htmlToText, normaliseWhitespace } from './html-text.ts';
import type { RawFeed, RawItem } from './types.ts';
import { childBase, feedBase, resolveHttpUrl, stripDoctype } from './xml-base.ts';
import { firstText, nodeAttr, nodeText, nodeTexts, parseXmlFeed, type LibItem, type XmlNode } from './xml-feed.ts';

/**
 * The alternate link: the first <link> with rel="alternate" or no rel, preferring an HTML type.
 * rel="self" (the entry's own feed URL), "enclosure", "edit", "related", "replies" never become the
 * article URL. A link's own xml:base applies on top of the entry's.
 */
function atomLink(nodes: readonly XmlNode[] | undefined, base: string | null, dropped: string[]): string | null {
  const alternates = (nodes ?? []).filter((n) => {
    const rel = nodeAttr(n, 'rel')?.toLowerCase() ?? 'alternate';
    return rel === 'alternate' || rel === 'http://www.iana.org/assignments/relation/alternate';
  });
  const isHtml = (n: XmlNode) => {
    const type = nodeAttr(n, 'type')?.toLowerCase();
    return !type || type.includes('html');
  };
  for (const n of [...alternates.filter(isHtml), ...alternates.filter((n) => !isHtml(n))]) {
    const href = nodeAttr(n, 'href');
    if (!href) continue;
    const url = resolveHttpUrl(href, childBase(base, nodeAttr(n, 'xml:base')));
    if (url) return url;
    dropped.push(href);
  }
  return null;
}

type TextConstruct = { kind: 'html' | 'text'; value: string } | null;

/**
 * Reads an Atom text construct (title, subtitle, summary, content). type="xhtml" content is read
 * from the document itself: xml2js groups child elements by name and reorders mixed content.
 */
function textConstruct(node: XmlNode | undefined, xhtml: () => string | null): TextConstruct {
  if (node === undefined) return null;
  if (nodeAttr(node, 'src')) return null; // out-of-line content: nothing to read here
  const type = (nodeAttr(node, 'type') ?? 'text').toLowerCase();
  if (type === 'xhtml') {
    const html = xhtml();
    return html ? { kind: 'html', value: html } : null;
  }
  const value = nodeText(node);
  if (value === null) return null;
  if (type === 'html' || type.endsWith('/html') || type.endsWith('+xml') || type.endsWith('/xml')) return { kind: 'html', value };
  if (type === 'text' || type.startsWith('text/')) return { kind: 'text', value };
  return null; // base64 media and other MIME types
}

const asLine = (t: TextConstruct): string | null => (t === null ? null : cleanLine(t.kind === 'html' ? htmlToLine(t.value) : t.value));
const asText = (t: TextConstruct): string | null => (t === null ? null : (t.kind === 'html' ? htmlToText(t.value) : normaliseWhitespace(t.value)) || null);

function authorName(nodes: readonly XmlNode[] | undefined): string | null {
  for (const n of nodes ?? []) {
    if (typeof n === 'string') continue;
    const names = (n as { name?: unknown }).name;
    if (Array.isArray(names)) {
      const name = cleanLine(nodeText(names[0] as XmlNode));
      if (name) return name;
    }
  }
  return null;
}

type Outline = ReturnType<ReturnType<CheerioAPI['root']>['children']>;

/** Lazily parsed copy of the document for type="xhtml" constructs (rare, so only loaded when met). */
function xhtmlReader(xml: string): (entry: number | null, element: string) => string | null {
  let doc: { $: CheerioAPI; feed: Outline; entries: Outline } | null = null;
  return (entry, element) => {
    if (!doc) {
      const $ = load(stripDoctype(xml), { xml: true });
      const feed = $.root().children().first();
      doc = { $, feed, entries: feed.children('entry') };
    }
    const scope = entry === null ? doc.feed : doc.entries.eq(entry - 1);
    const el = scope.children(element).first();
    const div = el.children().first();
    const html = (div.length && div[0]!.type === 'tag' && (div[0] as { name: string }).name.endsWith('div') ? div : el).html();
    return html?.trim() ? html.trim() : null;
  };
}

function atomEntry(
  position: number,
  item: LibItem,
  base: string | null,
  feedAuthor: string | null,
  xhtml: ReturnType<typeof xhtmlReader>,
  warnings: string[],
): RawItem {
  const entryBase = childBase(base, item['fd:attrs']?.['xml:base']);
  const dropped: string[] = [];
  const url = atomLink(item['fd:links'], entryBase, dropped);
  for (const d of dropped) warnings.push(`item ${position}: ignored link "${d.slice(0, 100)}" (not an http(s) URL)`);
  const content = textConstruct(item['fd:content']?.[0], () => xhtml(position, 'content'));
  const summary = textConstruct(item['fd:summary']?.[0], () => xhtml(position, 'summary'));
  const body = content ?? summary;
  const published = firstText(item['fd:published']);
  const updated = firstText(item['fd:updated']);
  return {
    position,
    guid: firstText(item['fd:id'])?.trim() ?? null,
    url,
    title: asLine(textConstruct(item['fd:title']?.[0], () => xhtml(position, 'title'))),
    author: authorName(item['fd:author']) ?? feedAuthor,
    // <published> is optional in Atom, <updated> is required: sort undated entries by their update.
    published: published ?? updated,
    updated,
    contentHtml: body?.kind === 'html' ? body.value : null,
    contentText: body?.kind === 'text' ? body.value : null,
    summary: asText(summary),
    categories: atomCategories(item),
  };
}

function atomCategories(item: LibItem): string[] {
  const out: string[] = [];
  for (const n of item['fd:category'] ?? []) {
    const t = cleanLine(nodeAttr(n, 'label') ?? nodeAttr(n, 'term') ?? nodeText(n));
    if (t && !out.includes(t)) out.push(t);
  }
  for (const t of nodeTexts(item['fd:subject'])) if (!out.includes(t)) out.push(t);
  return out;
}

export async function parseAtom(xml: string, feedUrl: string): Promise<RawFeed> {
  const lib = await parseXmlFeed(xml);
  const warnings = [...lib.warnings];
  const base = childBase(feedBase(feedUrl), lib['fd:rootAttrs']['xml:base']);
  const xhtml = xhtmlReader(xml);
  const feedAuthor = authorName(lib['fd:author']);
  return {
    format: 'atom',
    title: asLine(textConstruct(lib['fd:title']?.[0], () => xhtml(null, 'title'))),
    siteUrl: atomLink(lib['fd:links'], base, []),
    description: asLine(textConstruct(lib['fd:subtitle']?.[0], () => xhtml(null, 'subtitle'))),
    language: cleanLine(lib['fd:rootAttrs']['xml:lang']),
    ttlMinutes: null,
    items: lib.items.map(({ position, item }) => atomEntry(position, item, base, feedAuthor, xhtml, warnings)),
    warnings,
  };
}
