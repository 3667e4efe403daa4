/**
 * Is this response an HTML page we can read an article from? Only HTML and XHTML are; a PDF, an
 * image, a zip or a JSON document is skipped with the reason, never parsed as HTML (linkedom would
 * happily turn "%PDF-1.4 1 0 obj…" into an "article").
 *
 * Two witnesses, because servers lie: the declared Content-Type, and the first bytes. The bytes win
 * when they name a binary format (a PDF served as text/html is still a PDF); a declared non-HTML type
 * is trusted (we do not turn application/pdf into HTML because its bytes look like text). Magic
 * numbers come from `file-type`, which knows a few hundred formats; it only runs when the body does
 * not start with "<" (after a BOM and whitespace), since no binary format it knows starts that way:
 * ordinary pages pay one byte check, not a sniff.
 */
import { fileTypeFromBuffer } from 'file-type';

export type PageKind =
  | { html: true }
  | {
      html: false;
      /** What the body is, e.g. "application/pdf" (sniffed) or the declared type. */
      type: string;
      /** One line for the item and the run's failures, e.g. "a PDF document (application/pdf) served as text/html". */
      reason: string;
    };

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
/** XML types an XHTML page is sometimes served as; accepted only when the root is <html>. */
const XML_TYPES = new Set(['application/xml', 'text/xml']);
/** file-type's answers that are markup, not a binary format: left to the declared type. */
const MARKUP_SNIFFS = new Set(['application/xml', 'text/xml', 'image/svg+xml', 'text/html']);
/** file-type needs at most this many leading bytes for the formats it detects from a buffer. */
const SNIFF_BYTES = 4100;

const NAMES: Record<string, string> = {
  'application/pdf': 'a PDF document',
  'application/zip': 'a zip archive',
  'application/json': 'a JSON document',
  'application/octet-stream': 'binary data',
};

function describeType(mime: string): string {
  const name = NAMES[mime] ?? (mime.startsWith('image/') ? 'an image' : mime.startsWith('video/') ? 'a video' : mime.startsWith('audio/') ? 'audio' : 'a file');
  return `${name} (${mime})`;
}

/** The media type of a Content-Type header, lower-cased, without parameters ("text/html; charset=x" → "text/html"). */
export function mediaType(contentType: string | null): string | null {
  const essence = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  return essence ? essence : null;
}

/**
 * Whether a response with this Content-Type can be a page at all, asked before its body is read: a
 * declared PDF or image cannot (a declared non-HTML type is trusted), so only its first bytes are
 * fetched — a 40 MB PDF is skipped as a PDF, not failed as too large.
 */
export function mayBeHtml(contentType: string | null): boolean {
  const declared = mediaType(contentType);
  return declared === null || HTML_TYPES.has(declared) || XML_TYPES.has(declared) || declared.endsWith('+xml');
}

/** Index of the first byte after a UTF-8/UTF-16 BOM and ASCII whitespace. */
function firstSignificantByte(body: Uint8Array): number {
  let i = 0;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) i = 3;
  else if ((body[0] === 0xfe && body[1] === 0xff) || (body[0] === 0xff && body[1] === 0xfe)) return 2;
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x09 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x0c)) i++;
  return i;
}

/**
 * WHATWG MIME sniffing's "binary data byte": control characters no text document contains. A
 * UTF-16 page (BOM) is full of NULs, so it is exempt.
 */
function hasBinaryBytes(body: Uint8Array): boolean {
  if ((body[0] === 0xfe && body[1] === 0xff) || (body[0] === 0xff && body[1] === 0xfe)) return false;
  const end = Math.min(body.length, 512);
  for (let i = 0; i < end; i++) {
    const b = body[i]!;
    if (b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f)) return true;
  }
  return false;
}

/** A body that is a JSON document (an API answer served as text/html): starts with { or [ and parses. */
function isJson(body: Uint8Array, start: number): boolean {
  if (body[start] !== 0x7b && body[start] !== 0x5b) return false;
  try {
    JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/** A binary format named by the body's first bytes, or null for text (markup or not). */
async function sniffBinary(body: Uint8Array, start: number): Promise<string | null> {
  // No binary format file-type knows starts with "<": ordinary pages skip the sniff.
  if (body.length === 0 || body[start] === 0x3c) return null;
  const sniffed = await fileTypeFromBuffer(body.subarray(0, SNIFF_BYTES));
  if (sniffed && !MARKUP_SNIFFS.has(sniffed.mime)) return sniffed.mime;
  return hasBinaryBytes(body) ? 'application/octet-stream' : null;
}

export async function classifyPage(contentType: string | null, body: Uint8Array): Promise<PageKind> {
  const declared = mediaType(contentType);
  const servedAs = declared ? `served as ${declared}` : 'served without a Content-Type';
  const start = firstSignificantByte(body);
  const markup = body[start] === 0x3c; // "<"

  const binary = await sniffBinary(body, start);
  if (binary) return { html: false, type: binary, reason: `${describeType(binary)} by its first bytes, ${servedAs}` };

  if (declared === null || HTML_TYPES.has(declared)) {
    if (!markup && isJson(body, start)) {
      return { html: false, type: 'application/json', reason: `a JSON document (application/json) by its content, ${servedAs}` };
    }
    // No type at all: only markup is worth parsing as a page.
    if (declared === null && !markup) {
      return { html: false, type: 'unknown', reason: `not HTML by its content, ${servedAs}` };
    }
    return { html: true };
  }
  if ((XML_TYPES.has(declared) || declared.endsWith('+xml')) && isXhtml(body)) return { html: true };
  return { html: false, type: declared, reason: `${describeType(declared)} by its Content-Type` };
}

/**
 * The text a feed gave for an item, checked the same way before it becomes an article: a PDF pasted
 * into content:encoded ("%PDF-1.4 1 0 obj…") is a file, not an article. Only its first bytes are looked at.
 */
export async function feedTextKind(text: string): Promise<PageKind> {
  const body = Buffer.from(text.slice(0, SNIFF_BYTES), 'utf8');
  const binary = await sniffBinary(body, firstSignificantByte(body));
  return binary ? { html: false, type: binary, reason: `${describeType(binary)} by its first bytes` } : { html: true };
}

/** An XML document whose root element is <html> (XHTML served as application/xml). */
function isXhtml(body: Uint8Array): boolean {
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 2048)).toString('latin1');
  // The root is the first tag that is not a declaration, processing instruction, comment or doctype.
  for (let i = head.indexOf('<'); i !== -1; i = head.indexOf('<', i + 1)) {
    const next = head[i + 1];
    if (next !== '?' && next !== '!') return /^<html[\s>]/i.test(head.slice(i, i + 6));
  }
  return false;
}
