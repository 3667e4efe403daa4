/**
 * XML plumbing shared by the feed and OPML parsers: reading the prolog (to find the root element and
 * the DOCTYPE), refusing entity declarations, and resolving links against xml:base.
 */
import { FeedParseError } from './types.ts';

export interface Prolog {
  /** Qualified name of the root element ("rss", "rdf:RDF", "feed"), or null if none was found. */
  root: string | null;
  /** The DOCTYPE declaration as written, with its position, if any. */
  doctype: { text: string; start: number; end: number } | null;
}

/** Finds the end (exclusive) of a DOCTYPE starting at `start`, honouring quotes and the [internal subset]. */
function doctypeEnd(text: string, start: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start + 2; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === '>' && depth === 0) return i + 1;
  }
  return -1;
}

/** Skips the BOM, XML declaration, processing instructions, comments and DOCTYPE before the root element. */
export function readProlog(text: string): Prolog {
  let doctype: Prolog['doctype'] = null;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) break;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end < 0) break;
      i = end + 3;
    } else if (text.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
      const end = doctypeEnd(text, i);
      if (end < 0) throw new FeedParseError('feed: unterminated DOCTYPE');
      doctype = { text: text.slice(i, end), start: i, end };
      i = end;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 200));
      return { root: m ? m[1]! : null, doctype };
    }
  }
  return { root: null, doctype };
}

/**
 * Returns the XML with its DOCTYPE removed, or throws when the DOCTYPE declares entities.
 *
 * Why: an internal DTD subset is how XML bombs work. "Billion laughs" nests entity references
 * until a few hundred bytes expand to gigabytes; external entities (`<!ENTITY x SYSTEM
 * "file:///etc/passwd">`, XXE) make a parser read local files or fetch URLs from inside our network.
 * sax (under rss-parser) and htmlparser2 do not expand DTD entities today, but that is a property of
 * their current versions, not a promise; no real news feed needs its own entities, so we refuse
 * them outright with a clear error and hand parsers documents without any DTD at all. Plain
 * DOCTYPEs (the Netscape RSS 0.91 one is common) are only stripped: the HTML entities they
 * introduce (&eacute;, &nbsp;) are known to sax anyway.
 */
export function stripDoctype(text: string): string {
  const { doctype } = readProlog(text);
  if (!doctype) return text;
  if (/<!ENTITY/i.test(doctype.text)) {
    throw new FeedParseError('feed: DOCTYPE declares entities (XML entity expansion / XXE); refusing to parse');
  }
  return text.slice(0, doctype.start) + text.slice(doctype.end);
}

/** Local part of a qualified name: "rdf:RDF" → "RDF". */
export function localName(qname: string): string {
  return qname.slice(qname.indexOf(':') + 1);
}

/**
 * Effective base URL after an element's xml:base: a relative xml:base resolves against the parent
 * base (ultimately the feed URL). An unusable xml:base leaves the parent base in force.
 */
export function childBase(parentBase: string | null, xmlBase: string | null | undefined): string | null {
  const attr = xmlBase?.trim();
  if (!attr) return parentBase;
  try {
    return new URL(attr, parentBase ?? undefined).href;
  } catch {
    return parentBase;
  }
}

/** Absolute http(s) URL for `href` against `base`, or null (empty, unparseable, javascript:, data:, file:, …). */
export function resolveHttpUrl(href: string | null | undefined, base: string | null): string | null {
  const h = href?.trim();
  if (!h) return null;
  let u: URL;
  try {
    u = new URL(h, base ?? undefined);
  } catch {
    return null;
  }
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
}

/** The feed URL itself as a base, when it is an absolute http(s) URL. */
export function feedBase(feedUrl: string): string | null {
  return resolveHttpUrl(feedUrl, null);
}
