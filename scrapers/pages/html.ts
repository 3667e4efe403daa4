/**
 * Low-level HTML helpers for page extraction: cheap linear pre-stripping of the raw string (scripts,
 * styles, comments), size and depth guards, linkedom parsing, and DOM → plain text with paragraphs.
 *
 * Everything here must survive hostile input: the collector fetches arbitrary pages, so a 15 MB page,
 * binary junk or a 100k-level nesting bomb must cost bounded time and never throw out of this module.
 */
import { parseHTML } from 'linkedom';

/** Raw HTML above this size (after stripping scripts/styles) is cut before DOM parsing. */
export const MAX_HTML_CHARS = 1_000_000;
/** Documents nested deeper than this are flattened (deeper subtrees replaced by their text). */
export const MAX_DEPTH = 100;

/** Elements whose content is never readable text. Removed from the raw string before parsing. */
const STRIP_BLOCKS = ['script', 'style', 'noscript', 'svg', 'template', 'iframe', 'object', 'canvas', 'math'];

/**
 * Removes `<tag …>…</tag>` blocks and `<!-- -->` comments in one linear pass (indexOf based, no
 * backtracking regex). JSON-LD scripts are kept because metadata and paywall detection read them.
 * An unclosed block swallows the rest of the document, like a browser would.
 */
export function stripRawBlocks(html: string): string {
  const lower = html.toLowerCase();
  const out: string[] = [];
  let pos = 0;
  const n = html.length;
  // Cache of the next occurrence of each opener so the scan stays linear even with many tags.
  const next = new Map<string, number>();
  const nextOf = (needle: string, from: number): number => {
    const cached = next.get(needle);
    if (cached !== undefined && (cached >= from || cached === -1)) return cached;
    const i = lower.indexOf(needle, from);
    next.set(needle, i);
    return i;
  };
  while (pos < n) {
    let best = -1;
    let bestTag = '';
    const c = nextOf('<!--', pos);
    if (c !== -1) {
      best = c;
      bestTag = '!--';
    }
    for (const tag of STRIP_BLOCKS) {
      let i = nextOf('<' + tag, pos);
      // Require a tag boundary: "<script>" or "<script " but not "<scripted>".
      while (i !== -1) {
        const ch = lower.charCodeAt(i + tag.length + 1);
        if (ch === 62 /* > */ || ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === 47 /* / */ || Number.isNaN(ch)) break;
        i = lower.indexOf('<' + tag, i + 1);
        next.set('<' + tag, i);
      }
      if (i !== -1 && (best === -1 || i < best)) {
        best = i;
        bestTag = tag;
      }
    }
    if (best === -1) break;
    out.push(html.slice(pos, best));
    if (bestTag === '!--') {
      const end = lower.indexOf('-->', best + 4);
      pos = end === -1 ? n : end + 3;
      continue;
    }
    const openEnd = lower.indexOf('>', best);
    if (openEnd === -1) {
      pos = n;
      break;
    }
    const closeNeedle = '</' + bestTag;
    const close = lower.indexOf(closeNeedle, openEnd);
    const end = close === -1 ? n : lower.indexOf('>', close);
    const blockEnd = end === -1 ? n : end + 1;
    if (bestTag === 'script' && /application\/(?:ld\+json|json\+ld)/.test(lower.slice(best, openEnd))) {
      out.push(html.slice(best, blockEnd));
    }
    pos = blockEnd;
  }
  if (pos < n) out.push(html.slice(pos));
  return out.join('');
}

/** Cheap sanity check: binary junk has many NULs / control chars; such input yields no text. */
export function looksLikeBinary(s: string): boolean {
  const sample = s.slice(0, 4096);
  if (!sample) return false;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
  }
  return bad / sample.length > 0.1;
}

/** Nesting depth above which raw tags are dropped before parsing (their text is kept). */
export const MAX_RAW_DEPTH = 150;
const VOID_TAGS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Tags HTML closes implicitly; sloppy pages leave them open, so they don't count towards depth. */
const IMPLIED_END = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'optgroup', 'thead', 'tbody', 'tfoot', 'colgroup', 'caption', 'rb', 'rt', 'rp', 'html', 'head', 'body']);
// The lookahead first checks that a ">" comes before the next "<" (one scan): without it, every place
// the tag name could end was retried with a scan to the end of an unclosed tag (quadratic).
const TAG_RE = /<(?=[^<>]*>)(\/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^<>]*?(\/?)>/g;

/**
 * linkedom's parser gets quadratic on pathologically deep documents (100k nested divs take seconds),
 * so nesting is bounded on the raw string: an approximate depth count over the tags, and tags that
 * would open deeper than `maxDepth` (and their matching closers) are dropped, keeping their text.
 */
export function flattenDeepNesting(html: string, maxDepth = MAX_RAW_DEPTH): string {
  const scan = (rewrite: boolean): string | number => {
    let depth = 0;
    let max = 0;
    let dropped = 0;
    const out: string[] = [];
    let last = 0;
    TAG_RE.lastIndex = 0;
    for (let m = TAG_RE.exec(html); m; m = TAG_RE.exec(html)) {
      const tag = m[2]!.toLowerCase();
      if (VOID_TAGS.has(tag) || IMPLIED_END.has(tag) || m[3]) continue;
      let drop = false;
      if (m[1]) {
        if (dropped > 0) {
          dropped--;
          drop = true;
        } else if (depth > 0) depth--;
      } else if (depth >= maxDepth) {
        dropped++;
        drop = true;
      } else {
        depth++;
        if (depth > max) max = depth;
      }
      if (rewrite && drop) {
        out.push(html.slice(last, m.index));
        last = m.index + m[0].length;
      }
    }
    if (!rewrite) return max;
    out.push(html.slice(last));
    return out.join('');
  };
  return (scan(false) as number) < maxDepth ? html : (scan(true) as string);
}

/** Prepares a raw HTML string for parsing: strip non-text blocks, cap its size, bound nesting. */
export function prepareHtml(html: unknown): string {
  if (typeof html !== 'string' || !html) return '';
  if (looksLikeBinary(html)) return '';
  let s = stripRawBlocks(html);
  // Inline data: URIs (base64 images, fonts) can be megabytes; they carry no text.
  if (s.length > 200_000) s = s.replace(/(["'])data:[^"'\s]{500,}\1/g, '""');
  if (s.length > MAX_HTML_CHARS) s = s.slice(0, MAX_HTML_CHARS);
  return flattenDeepNesting(s);
}

/** Shell tags (`<!doctype>`, `<html>`, `<head>`, `<body>`, open or close) and `<script>` openers; stops at the next "<". */
const SHELL_SCAN_RE = /<(\/?)(!doctype|html|head|body|script)(?=[\s/>])[^<>]*>/gi;

interface ShellTag {
  start: number;
  end: number;
  /** e.g. "html", "/body", "!doctype". */
  name: string;
}

/** Shell tags outside scripts (JSON-LD articleBody often holds "<body><p>…" as a string). */
function shellTags(html: string): ShellTag[] {
  const out: ShellTag[] = [];
  let lower: string | null = null;
  SHELL_SCAN_RE.lastIndex = 0;
  for (let m = SHELL_SCAN_RE.exec(html); m; m = SHELL_SCAN_RE.exec(html)) {
    const name = m[2]!.toLowerCase();
    if (name === 'script') {
      if (m[1]) continue;
      lower ??= html.toLowerCase();
      const close = lower.indexOf('</script', SHELL_SCAN_RE.lastIndex);
      if (close === -1) break;
      SHELL_SCAN_RE.lastIndex = close + 8;
      continue;
    }
    out.push({ start: m.index, end: m.index + m[0].length, name: (m[1] ?? '') + name });
  }
  return out;
}

/**
 * Gives the parser one document shell. linkedom makes the first element it meets the document
 * element, so junk before `<html>` (a stray header dump, a text node, a `<div>`) leaves
 * `document.body` empty; and a second `<html>…</html>` (concatenated responses, CMS includes) is
 * parsed as a document nested in the body or dropped. So: everything before the first
 * `<!doctype>`/`<html>` goes, and every shell tag after the first `<body>` is removed, which merges
 * the later documents' content into the one body. A page without `<html>` is wrapped in a shell.
 */
export function normalizeShell(html: string): string {
  const tags = shellTags(html);
  const first = tags.find((t) => t.name === 'html' || t.name === '!doctype');
  if (!first) return `<!doctype html><html><head></head><body>${html}</body></html>`;
  const bodyAt = tags.findIndex((t) => t.name === 'body' && t.start > first.start);
  const extra = bodyAt === -1 ? [] : tags.slice(bodyAt + 1);
  // The final </body></html> are expected; anything else after <body> is a second shell.
  const repeated = extra.some((t) => t.name !== '/body' && t.name !== '/html') || extra.filter((t) => t.name === '/body').length > 1;
  if (!repeated) return first.start ? html.slice(first.start) : html;
  const parts: string[] = [html.slice(first.start, tags[bodyAt]!.end)];
  let pos = tags[bodyAt]!.end;
  for (const t of extra) {
    parts.push(html.slice(pos, t.start));
    pos = t.end;
  }
  parts.push(html.slice(pos));
  return parts.join('');
}

/** Parses prepared HTML with linkedom. Returns null instead of throwing. */
export function parseDocument(html: string): Document | null {
  try {
    const src = normalizeShell(html);
    const { document } = parseHTML(src);
    if (!document || !document.documentElement) return null;
    return document as unknown as Document;
  } catch {
    return null;
  }
}

/**
 * Iteratively measures nesting depth; subtrees below MAX_DEPTH are replaced by their plain text so
 * later recursive code (Readability walks ancestors, our own walkers) stays bounded.
 * Returns false when the document is unusable.
 */
export function guardDepth(doc: Document, maxDepth = MAX_DEPTH): boolean {
  const root = doc.documentElement;
  if (!root) return false;
  const stack: Array<[Element, number]> = [[root, 0]];
  const tooDeep: Element[] = [];
  while (stack.length) {
    const [el, d] = stack.pop()!;
    if (d >= maxDepth) {
      tooDeep.push(el);
      continue;
    }
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) stack.push([c, d + 1]);
  }
  for (const el of tooDeep) {
    const text = el.textContent ?? '';
    while (el.firstChild) el.removeChild(el.firstChild);
    el.textContent = text.slice(0, 100_000);
  }
  return true;
}

const BLOCK_TAGS = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr',
  'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul',
  'summary', 'caption', 'center', 'body', 'html', 'br',
]);
const CELL_TAGS = new Set(['td', 'th']);
/** Never text; <rt>/<rp> are ruby readings and their fallback parentheses (漢字 over かんじ): the base text is the text. */
const SKIP_TAGS = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head', 'title', 'button', 'select', 'option', 'input', 'textarea', 'rt', 'rp']);

/** Normalises whitespace inside one paragraph. */
/** Whitespace collapsed, without the Unicode work (for counting characters). */
function collapseSpace(s: string): string {
  return s.replace(/[\s\u00a0\u200b\u2028\u2029\ufeff\u00ad]+/g, ' ').trim();
}

export function normalizeSpace(s: string): string {
  // Soft hyphens are invisible hyphenation hints inside words ("Finanz\u00admarkt"): removing them
  // rejoins the word. NFC makes a decomposed "e\u0301" the same text (and hash) as "é".
  return s.replace(/\u00ad/g, '').replace(/[\s\u00a0\u200b\u2028\u2029\ufeff]+/g, ' ').trim().normalize('NFC');
}

/** One output paragraph with the facts the post-cleaning rules need. */
export interface Block {
  text: string;
  /** Characters of `text` that sit inside links. */
  linkChars: number;
  /** Local name of the block element that produced the paragraph (p, li, h2, div, …). */
  tag: string;
  /** True when the paragraph comes from inside a heading. */
  heading: boolean;
  /** True when the paragraph sits inside a blockquote (quotes, embedded posts). */
  quote: boolean;
}

const HEADING_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * Converts a DOM subtree to paragraphs: block elements (p, headings, li, blockquote, div, br, …)
 * become paragraph boundaries, whitespace inside paragraphs is collapsed. Iterative walk, so deep
 * documents cannot overflow the stack.
 */
export function nodeToBlocks(root: Node): Block[] {
  const blocks: Block[] = [];
  let cur: string[] = [];
  let curLink = 0;
  let linkDepth = 0;
  let headingDepth = 0;
  let quoteDepth = 0;
  const tagStack: string[] = ['div'];
  let curHeading = false;
  const flush = (): void => {
    if (!cur.length) return;
    const raw = cur.join('');
    const t = normalizeSpace(raw);
    if (t) {
      blocks.push({ text: t, linkChars: Math.min(curLink, t.length), tag: tagStack[tagStack.length - 1] ?? 'div', heading: curHeading, quote: quoteDepth > 0 });
    }
    cur = [];
    curLink = 0;
    curHeading = false;
  };
  // Stack entries: nodes to visit, or exit markers (number) run after an element's children.
  const EXIT_BLOCK = 1, EXIT_LINK = 2, EXIT_HEADING = 4, EXIT_QUOTE = 8;
  const stack: Array<Node | number> = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (typeof node === 'number') {
      if (node & EXIT_LINK) linkDepth--;
      if (node & EXIT_BLOCK) {
        flush();
        tagStack.pop();
      }
      if (node & EXIT_HEADING) headingDepth--;
      if (node & EXIT_QUOTE) quoteDepth--;
      continue;
    }
    if (node.nodeType === 3) {
      const v = node.nodeValue ?? '';
      cur.push(v);
      if (linkDepth > 0) curLink += collapseSpace(v).length;
      if (headingDepth > 0 && v.trim()) curHeading = true;
      continue;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) continue;
    const tag = ((node as Element).localName || '').toLowerCase();
    if (SKIP_TAGS.has(tag)) continue;
    let exit = 0;
    if (tag === 'br' || tag === 'hr') {
      flush();
      continue;
    }
    if (BLOCK_TAGS.has(tag)) {
      flush();
      tagStack.push(tag);
      exit |= EXIT_BLOCK;
    } else if (CELL_TAGS.has(tag)) {
      cur.push(' ');
    }
    if (tag === 'a') {
      linkDepth++;
      exit |= EXIT_LINK;
    }
    if (HEADING_TAGS.has(tag)) {
      headingDepth++;
      exit |= EXIT_HEADING;
    }
    if (tag === 'blockquote') {
      quoteDepth++;
      exit |= EXIT_QUOTE;
    }
    if (exit) stack.push(exit);
    const kids = node.childNodes;
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i];
      if (k) stack.push(k);
    }
  }
  flush();
  return blocks;
}

export function nodeToParagraphs(root: Node): string[] {
  return nodeToBlocks(root).map((b) => b.text);
}

export function nodeToText(root: Node): string {
  return nodeToParagraphs(root).join('\n\n');
}

/** Parses an HTML fragment and returns its text with paragraph breaks (used for peer output). */
export function htmlToText(html: string): string {
  const doc = parseDocument(prepareHtml(html));
  if (!doc || !doc.body) return '';
  return nodeToText(doc.body);
}
