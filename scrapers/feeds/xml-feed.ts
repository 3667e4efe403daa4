/**
 * RSS, RDF and Atom documents through rss-parser, checked with zod at the edge.
 *
 * rss-parser parses the XML (xml2js/sax) and finds the channel, items and entries. Its mapped
 * fields lose what we need (link rel, content type, isPermaLink, xml:base) and some inputs make it
 * throw for the whole feed (an Atom <published> it cannot parse, a <link> without attributes), so
 * we ask it for the raw element nodes through `customFields`, patch those two crashes in small
 * hooks, and let the format adapters (rss.ts, atom.ts) read the nodes.
 */
import Parser from 'rss-parser';
import { z } from 'zod';
import { cleanLine } from './html-text.ts';
import { FeedParseError } from './types.ts';
import { stripDoctype } from './xml-base.ts';

const keep = { keepArray: true };

/** Item-level elements copied as raw xml2js nodes (arrays), under our own "fd:" keys. */
const ITEM_FIELDS = [
  ['$', 'fd:attrs', keep],
  ['link', 'fd:links', keep],
  ['guid', 'fd:guid', keep],
  ['id', 'fd:id', keep],
  ['title', 'fd:title', keep],
  ['content', 'fd:content', keep],
  ['summary', 'fd:summary', keep],
  ['description', 'fd:description', keep],
  ['content:encoded', 'fd:encoded', keep],
  ['category', 'fd:category', keep],
  ['dc:subject', 'fd:subject', keep],
  ['author', 'fd:author', keep],
  ['dc:creator', 'fd:creator', keep],
  ['pubDate', 'fd:pubDate', keep],
  ['dc:date', 'fd:dcDate', keep],
  ['fd:published', 'fd:published', keep],
  ['fd:updated', 'fd:updated', keep],
] as const;

const FEED_FIELDS = [
  ['$', 'fd:attrs', keep],
  ['link', 'fd:links', keep],
  ['title', 'fd:title', keep],
  ['description', 'fd:description', keep],
  ['subtitle', 'fd:subtitle', keep],
  ['language', 'fd:language', keep],
  ['dc:language', 'fd:dcLanguage', keep],
  ['ttl', 'fd:ttl', keep],
  ['author', 'fd:author', keep],
] as const;

// ---- the edge: what we accept from rss-parser -------------------------------------------------

const Attrs = z.record(z.string(), z.string());
/** An xml2js element: plain text, or an object with text `_`, attributes `$` and child arrays. */
const XmlNode = z.union([z.string(), z.looseObject({ _: z.string().optional(), $: Attrs.optional() })]);
export type XmlNode = z.infer<typeof XmlNode>;
const Nodes = z.array(XmlNode).optional().catch(undefined);

export const LibItem = z.object({
  'fd:attrs': Attrs.optional().catch(undefined),
  'fd:links': Nodes,
  'fd:guid': Nodes,
  'fd:id': Nodes,
  'fd:title': Nodes,
  'fd:content': Nodes,
  'fd:summary': Nodes,
  'fd:description': Nodes,
  'fd:encoded': Nodes,
  'fd:category': Nodes,
  'fd:subject': Nodes,
  'fd:author': Nodes,
  'fd:creator': Nodes,
  'fd:pubDate': Nodes,
  'fd:dcDate': Nodes,
  'fd:published': Nodes,
  'fd:updated': Nodes,
  'rdf:about': z.string().optional().catch(undefined),
  /** rss-parser's own rendering of <description>, used when it holds child elements instead of text. */
  content: z.unknown().optional(),
});
export type LibItem = z.infer<typeof LibItem>;

const LibFeedShape = z.object({
  items: z.array(z.unknown()).catch([]),
  'fd:rootAttrs': Attrs.catch({}),
  'fd:attrs': Attrs.optional().catch(undefined),
  'fd:links': Nodes,
  'fd:title': Nodes,
  'fd:description': Nodes,
  'fd:subtitle': Nodes,
  'fd:language': Nodes,
  'fd:dcLanguage': Nodes,
  'fd:ttl': Nodes,
  'fd:author': Nodes,
});

export interface LibFeed extends Omit<z.infer<typeof LibFeedShape>, 'items'> {
  /** Valid items with their 1-based position in the document. */
  items: { position: number; item: LibItem }[];
  warnings: string[];
}

// ---- xml2js node helpers ----------------------------------------------------------------------

export function nodeText(node: XmlNode | undefined): string | null {
  if (node === undefined) return null;
  const t = typeof node === 'string' ? node : node._;
  return typeof t === 'string' && t.trim() ? t : null;
}

export function nodeAttr(node: XmlNode | undefined, name: string): string | null {
  if (node === undefined || typeof node === 'string') return null;
  const v = node.$?.[name];
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/** Text of the first node that has any. */
export function firstText(nodes: readonly XmlNode[] | undefined): string | null {
  for (const n of nodes ?? []) {
    const t = nodeText(n);
    if (t !== null) return t;
  }
  return null;
}

/** Texts of category-like nodes (RSS <category>, dc:subject), without duplicates. */
export function nodeTexts(...lists: (readonly XmlNode[] | undefined)[]): string[] {
  const out: string[] = [];
  for (const nodes of lists) {
    for (const n of nodes ?? []) {
      const t = cleanLine(nodeText(n));
      if (t && !out.includes(t)) out.push(t);
    }
  }
  return out;
}

// ---- rss-parser with hooks --------------------------------------------------------------------

type XmlObj = Record<string, unknown>;
type Build = (xmlObj: XmlObj) => XmlObj;
type Hookable = Record<'buildAtomFeed' | 'buildRSS2' | 'buildRSS0_9' | 'buildRSS1', Build>;

const hasAttrs = (l: unknown): boolean => typeof l === 'object' && l !== null && '$' in l;

/**
 * rss-parser calls `new Date(published).toISOString()` on Atom entries, which throws for an
 * unparseable date and loses the whole feed, and reads `link.$.rel` on every <link>, which throws
 * for a <link> without attributes. Hand it entries whose dates live under our own keys (we parse
 * them later, with a warning per bad date) and only links that have attributes.
 */
function defuseAtom(xmlObj: XmlObj): XmlObj {
  const feed = xmlObj.feed;
  if (typeof feed !== 'object' || feed === null) return xmlObj;
  const f = { ...(feed as XmlObj) };
  if (Array.isArray(f.link)) f.link = f.link.filter(hasAttrs);
  if (Array.isArray(f.entry)) {
    f.entry = f.entry.map((entry: unknown) => {
      if (typeof entry !== 'object' || entry === null) return entry;
      const { published, updated, link, ...rest } = entry as XmlObj;
      const e: XmlObj = { ...rest, 'fd:published': published, 'fd:updated': updated };
      if (Array.isArray(link)) e.link = link.filter(hasAttrs);
      return e;
    });
  }
  return { ...xmlObj, feed: f };
}

function createParser(): Parser {
  const parser = new Parser({
    defaultRSS: 2, // <rss> without a version attribute: read it as 2.0
    // rss-parser's typings only allow plain keys; the [from, to, {keepArray}] form is documented in its README.
    customFields: { item: ITEM_FIELDS as never, feed: FEED_FIELDS as never },
  });
  const hooks = parser as unknown as Hookable;
  const roots = { buildAtomFeed: 'feed', buildRSS2: 'rss', buildRSS0_9: 'rss', buildRSS1: 'rdf:RDF' } as const;
  for (const [method, rootKey] of Object.entries(roots) as [keyof Hookable, string][]) {
    const original = hooks[method].bind(parser);
    hooks[method] = (xmlObj) => {
      const root = xmlObj[rootKey] as { $?: unknown } | undefined;
      const feed = original(method === 'buildAtomFeed' ? defuseAtom(xmlObj) : xmlObj);
      // xml:base (and xml:lang) on the root element; channel-level attributes come via customFields.
      feed['fd:rootAttrs'] = root?.$ ?? {};
      return feed;
    };
  }
  return parser;
}

const parser = createParser();

/** `&` not starting an entity or character reference: the most common way real feeds break XML. */
const BARE_AMPERSAND = /&(?!(?:[A-Za-z][\w.-]*|#\d+|#x[\da-fA-F]+);)/g;

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
}

/**
 * Deepest element nesting we hand to rss-parser. It re-serialises element content recursively (the
 * xml2js Builder, for a <description> holding markup) and overflows the stack from about 5,000
 * levels; the overflow surfaced as "invalid XML: Maximum call stack size exceeded", and an overflow
 * is no error to rely on being caught. Real feeds nest a few dozen levels at most.
 */
export const MAX_XML_DEPTH = 1000;

/**
 * True when elements nest deeper than `max`. One linear pass over the tags: comments, CDATA, PIs and
 * declarations are skipped, quoted attribute values may hold ">", self-closing tags do not nest.
 * Unbalanced or truncated XML just stops the count; the parser reports it.
 */
export function nestsDeeperThan(xml: string, max: number): boolean {
  let depth = 0;
  for (let i = xml.indexOf('<'); i !== -1; i = xml.indexOf('<', i)) {
    const next = xml.charCodeAt(i + 1);
    if (next === 33 /* ! */ || next === 63 /* ? */) {
      const close = xml.startsWith('<!--', i) ? '-->' : xml.startsWith('<![CDATA[', i) ? ']]>' : '>';
      const end = xml.indexOf(close, i + 2);
      if (end === -1) return false;
      i = end + close.length;
      continue;
    }
    TAG_REST.lastIndex = i + 1;
    if (!TAG_REST.test(xml)) return false;
    const end = TAG_REST.lastIndex; // just past the ">"
    if (next === 47 /* / */) depth--;
    else if (xml.charCodeAt(end - 2) !== 47 /* / */ && ++depth > max) return true;
    i = end;
  }
  return false;
}

/** The rest of a tag up to its ">", skipping quoted attribute values (unrolled loop, no overlapping alternatives: linear). */
const TAG_REST = /[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>/y;

/**
 * Parses an RSS/RDF/Atom document. Throws FeedParseError for entity declarations (see
 * stripDoctype), nesting deeper than MAX_XML_DEPTH and XML that stays broken after escaping stray
 * ampersands (tried once, with a warning).
 */
export async function parseXmlFeed(xml: string): Promise<LibFeed> {
  const text = stripDoctype(xml.replace(/^\uFEFF/, ''));
  if (nestsDeeperThan(text, MAX_XML_DEPTH)) {
    throw new FeedParseError(`feed: elements nested deeper than ${MAX_XML_DEPTH} levels; refusing to parse`);
  }
  const warnings: string[] = [];
  let out: unknown;
  try {
    out = await parser.parseString(text);
  } catch (err) {
    const repaired = text.replace(BARE_AMPERSAND, '&amp;');
    if (repaired === text) throw new FeedParseError(`feed: invalid XML: ${firstLine(err)}`, { cause: err });
    try {
      out = await parser.parseString(repaired);
      warnings.push('feed: escaped stray "&" characters to make the XML parseable');
    } catch {
      throw new FeedParseError(`feed: invalid XML: ${firstLine(err)}`, { cause: err });
    }
  }
  const feed = LibFeedShape.safeParse(out);
  if (!feed.success) throw new FeedParseError('feed: unexpected parser output', { cause: feed.error });
  const items: LibFeed['items'] = [];
  feed.data.items.forEach((raw, i) => {
    const item = LibItem.safeParse(raw);
    if (item.success) items.push({ position: i + 1, item: item.data });
    else warnings.push(`item ${i + 1}: dropped, unreadable structure`);
  });
  return { ...feed.data, items, warnings };
}
