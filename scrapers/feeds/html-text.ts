/** Plain text from the HTML fragments feeds carry (descriptions, content:encoded, escaped titles). */
import { load } from 'cheerio';

/** Minimal view of the domhandler nodes cheerio builds (its node types are not re-exported). */
interface DomNode {
  type: string;
  name?: string;
  data?: string;
  children?: DomNode[];
}

/** Never part of the readable text. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'head', 'title', 'select']);

/** Elements that start a new paragraph. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hgroup', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'ul',
]);

/** Single line break (table rows and <br>); cells are separated by a space. */
const LINE = new Set(['br', 'tr']);

function walk(node: DomNode, out: string[]): void {
  if (node.type === 'text') {
    out.push((node.data ?? '').replace(/\s+/g, ' '));
    return;
  }
  if (node.type === 'comment' || node.type === 'directive') return;
  const name = node.name?.toLowerCase();
  if (name && SKIP.has(name)) return;
  const sep = name && BLOCK.has(name) ? '\n\n' : name && LINE.has(name) ? '\n' : name === 'td' || name === 'th' ? ' ' : '';
  if (sep) out.push(sep);
  for (const child of node.children ?? []) walk(child, out);
  if (sep) out.push(sep);
}

/** Collapses spaces, trims lines, and keeps at most one blank line between paragraphs. */
export function normaliseWhitespace(text: string): string {
  return text
    .replace(/[^\S\n]+/g, ' ')
    .replace(/(?<! ) *\n */g, '\n') // starts at a run's first space: a long run without a newline is scanned once
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Readable text of an HTML fragment: entities decoded, tags dropped, script/style (and other
 * non-text elements) removed, paragraphs separated by a blank line, other whitespace collapsed.
 */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return normaliseWhitespace(html.replace(/\s+/g, ' '));
  const $ = load(html, null, false);
  const out: string[] = [];
  for (const node of $.root().toArray() as unknown as DomNode[]) walk(node, out);
  return normaliseWhitespace(out.join(''));
}

/** One-line plain text (titles, authors): HTML decoded and stripped, all whitespace collapsed. */
export function htmlToLine(html: string): string {
  return htmlToText(html).replace(/\s+/g, ' ').trim();
}

/** Collapses all whitespace to single spaces; null for empty results. */
export function cleanLine(text: string | null | undefined): string | null {
  const t = text?.replace(/\s+/g, ' ').trim();
  return t ? t : null;
}
