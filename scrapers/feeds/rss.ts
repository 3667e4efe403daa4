/** RSS 0.9x / 2.0 and RSS 0.90 / 1.0 (RDF) documents → RawFeed. */
import { cleanLine, htmlToLine, htmlToText } from './html-text.ts';
import type { RawFeed, RawItem } from './types.ts';
import { childBase, feedBase, resolveHttpUrl } from './xml-base.ts';
import { firstText, nodeAttr, nodeText, nodeTexts, parseXmlFeed, type LibItem, type XmlNode } from './xml-feed.ts';

/** "jane@example.com (Jane Doe)" → "Jane Doe": RSS <author> is an e-mail address, often with the name in parentheses. */
export function cleanAuthor(raw: string | null): string | null {
  const line = cleanLine(raw);
  if (!line) return null;
  const m = /^[^\s@]+@[^\s(]+\s*\((.+)\)$/.exec(line);
  return cleanLine(m ? m[1] : line);
}

/**
 * The first usable link: RSS <link> text, or the href of an Atom-namespaced <link> (rel alternate
 * or none) that some RSS feeds put in the default namespace. `dropped` collects unusable values.
 */
function rssLink(nodes: readonly XmlNode[] | undefined, base: string | null, dropped: string[]): string | null {
  for (const n of nodes ?? []) {
    const rel = nodeAttr(n, 'rel')?.toLowerCase();
    const href = nodeText(n) ?? (!rel || rel === 'alternate' ? nodeAttr(n, 'href') : null);
    if (!href) continue;
    const url = resolveHttpUrl(href, childBase(base, nodeAttr(n, 'xml:base')));
    if (url) return url;
    dropped.push(href.trim());
  }
  return null;
}

function rssItem(position: number, item: LibItem, base: string | null, rdf: boolean, warnings: string[]): RawItem {
  const itemBase = childBase(base, item['fd:attrs']?.['xml:base']);
  const dropped: string[] = [];
  let url = rssLink(item['fd:links'], itemBase, dropped);

  const guidNode = item['fd:guid']?.[0];
  const about = item['rdf:about']?.trim() || null;
  const guid = nodeText(guidNode)?.trim() ?? (rdf ? about : null);
  // RSS 2.0: a <guid> is a permalink unless isPermaLink="false"; RDF items are named by rdf:about.
  const permalink = guidNode !== undefined ? nodeAttr(guidNode, 'isPermaLink')?.toLowerCase() !== 'false' : rdf;
  if (!url && guid && permalink) url = resolveHttpUrl(guid, null);
  for (const d of dropped) warnings.push(`item ${position}: ignored link "${d.slice(0, 100)}" (not an http(s) URL)`);

  const description = firstText(item['fd:description']) ?? (typeof item.content === 'string' ? item.content : null);
  const encoded = firstText(item['fd:encoded']);
  const title = firstText(item['fd:title']);
  return {
    position,
    guid,
    url,
    // RSS titles are plain text by the spec, but publishers entity-escape HTML in them all the time.
    title: title === null ? null : cleanLine(htmlToLine(title)),
    author: cleanAuthor(firstText(item['fd:creator']) ?? firstText(item['fd:author'])),
    published: firstText(item['fd:pubDate']) ?? firstText(item['fd:dcDate']),
    updated: null,
    contentHtml: encoded ?? description,
    contentText: null,
    summary: description === null ? null : htmlToText(description) || null,
    categories: nodeTexts(item['fd:category'], item['fd:subject']),
  };
}

export async function parseRss(xml: string, feedUrl: string, format: 'rss' | 'rdf'): Promise<RawFeed> {
  const lib = await parseXmlFeed(xml);
  const warnings = [...lib.warnings];
  const rootBase = childBase(feedBase(feedUrl), lib['fd:rootAttrs']['xml:base']);
  const channelBase = childBase(rootBase, lib['fd:attrs']?.['xml:base']);

  const ttlText = firstText(lib['fd:ttl'])?.trim() ?? null;
  let ttlMinutes: number | null = null;
  if (ttlText !== null) {
    if (/^\d{1,7}$/.test(ttlText) && Number(ttlText) > 0) ttlMinutes = Number(ttlText);
    else warnings.push(`feed: ignored invalid <ttl> "${ttlText.slice(0, 40)}"`);
  }
  const title = firstText(lib['fd:title']);
  const description = firstText(lib['fd:description']);
  return {
    format,
    title: title === null ? null : cleanLine(htmlToLine(title)),
    siteUrl: rssLink(lib['fd:links'], channelBase, []),
    description: description === null ? null : cleanLine(htmlToLine(description)),
    language: cleanLine(firstText(lib['fd:language']) ?? firstText(lib['fd:dcLanguage']) ?? lib['fd:rootAttrs']['xml:lang']),
    ttlMinutes,
    items: lib.items.map(({ position, item }) => rssItem(position, item, channelBase, format === 'rdf', warnings)),
    warnings,
  };
}
