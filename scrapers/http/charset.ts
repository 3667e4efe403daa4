/**
 * Bytes → text with the right character set. Publishers still serve windows-1252, ISO-8859-x and
 * Shift_JIS pages, often labelled in only one place, so we look where browsers look, in browser order:
 * byte-order mark, HTTP Content-Type, XML declaration, <meta> in the first 4 KB. Only when nobody says
 * anything do we sniff: valid UTF-8 is UTF-8, anything else is windows-1252 (the web's legacy default).
 *
 * Labels are resolved with the WHATWG Encoding Standard table, which is why "iso-8859-1", "latin1" and
 * "us-ascii" decode as windows-1252 (0x92 → ’, 0x80 → €) as they do in every browser. Decoding goes
 * through iconv-lite because Node's TextDecoder treats windows-1252 as latin1 on small-ICU builds.
 */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export type BodyKind = 'html' | 'xml' | 'json' | 'text';
export type CharsetSource = 'bom' | 'header' | 'xml-declaration' | 'meta' | 'sniffed';

export interface DecodedBody {
  text: string;
  /** WHATWG name of the encoding used, e.g. "utf-8", "windows-1252", "shift_jis". */
  charset: string;
  source: CharsetSource;
}

/** How far into the body we look for an XML declaration or a <meta> charset. */
const PRESCAN_BYTES = 4096;

/** WHATWG encoding name → [iconv-lite codec, labels]. Encodings iconv-lite lacks are left out (fall through). */
const ENCODINGS: Record<string, readonly [codec: string, labels: readonly string[]]> = {
  'utf-8': ['utf-8', ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']],
  ibm866: ['cp866', ['866', 'cp866', 'csibm866', 'ibm866']],
  'iso-8859-2': ['iso-8859-2', ['csisolatin2', 'iso-8859-2', 'iso-ir-101', 'iso8859-2', 'iso88592', 'iso_8859-2', 'iso_8859-2:1987', 'l2', 'latin2']],
  'iso-8859-3': ['iso-8859-3', ['csisolatin3', 'iso-8859-3', 'iso-ir-109', 'iso8859-3', 'iso88593', 'iso_8859-3', 'iso_8859-3:1988', 'l3', 'latin3']],
  'iso-8859-4': ['iso-8859-4', ['csisolatin4', 'iso-8859-4', 'iso-ir-110', 'iso8859-4', 'iso88594', 'iso_8859-4', 'iso_8859-4:1988', 'l4', 'latin4']],
  'iso-8859-5': ['iso-8859-5', ['csisolatincyrillic', 'cyrillic', 'iso-8859-5', 'iso-ir-144', 'iso8859-5', 'iso88595', 'iso_8859-5', 'iso_8859-5:1988']],
  'iso-8859-6': ['iso-8859-6', ['arabic', 'asmo-708', 'csiso88596e', 'csiso88596i', 'csisolatinarabic', 'ecma-114', 'iso-8859-6', 'iso-8859-6-e', 'iso-8859-6-i', 'iso-ir-127', 'iso8859-6', 'iso88596', 'iso_8859-6', 'iso_8859-6:1987']],
  'iso-8859-7': ['iso-8859-7', ['csisolatingreek', 'ecma-118', 'elot_928', 'greek', 'greek8', 'iso-8859-7', 'iso-ir-126', 'iso8859-7', 'iso88597', 'iso_8859-7', 'iso_8859-7:1987', 'sun_eu_greek']],
  'iso-8859-8': ['iso-8859-8', ['csiso88598e', 'csisolatinhebrew', 'hebrew', 'iso-8859-8', 'iso-8859-8-e', 'iso-ir-138', 'iso8859-8', 'iso88598', 'iso_8859-8', 'iso_8859-8:1988', 'visual']],
  'iso-8859-8-i': ['iso-8859-8', ['csiso88598i', 'iso-8859-8-i', 'logical']],
  'iso-8859-10': ['iso-8859-10', ['csisolatin6', 'iso-8859-10', 'iso-ir-157', 'iso8859-10', 'iso885910', 'l6', 'latin6']],
  'iso-8859-13': ['iso-8859-13', ['iso-8859-13', 'iso8859-13', 'iso885913']],
  'iso-8859-14': ['iso-8859-14', ['iso-8859-14', 'iso8859-14', 'iso885914']],
  'iso-8859-15': ['iso-8859-15', ['csisolatin9', 'iso-8859-15', 'iso8859-15', 'iso885915', 'iso_8859-15', 'l9']],
  'iso-8859-16': ['iso-8859-16', ['iso-8859-16']],
  'koi8-r': ['koi8-r', ['cskoi8r', 'koi', 'koi8', 'koi8-r', 'koi8_r']],
  'koi8-u': ['koi8-u', ['koi8-ru', 'koi8-u']],
  macintosh: ['macintosh', ['csmacintosh', 'mac', 'macintosh', 'x-mac-roman']],
  'windows-874': ['windows-874', ['dos-874', 'iso-8859-11', 'iso8859-11', 'iso885911', 'tis-620', 'windows-874']],
  'windows-1250': ['windows-1250', ['cp1250', 'windows-1250', 'x-cp1250']],
  'windows-1251': ['windows-1251', ['cp1251', 'windows-1251', 'x-cp1251']],
  'windows-1252': ['windows-1252', ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1', 'iso-ir-100', 'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii', 'windows-1252', 'x-cp1252']],
  'windows-1253': ['windows-1253', ['cp1253', 'windows-1253', 'x-cp1253']],
  'windows-1254': ['windows-1254', ['cp1254', 'csisolatin5', 'iso-8859-9', 'iso-ir-148', 'iso8859-9', 'iso88599', 'iso_8859-9', 'iso_8859-9:1989', 'l5', 'latin5', 'windows-1254', 'x-cp1254']],
  'windows-1255': ['windows-1255', ['cp1255', 'windows-1255', 'x-cp1255']],
  'windows-1256': ['windows-1256', ['cp1256', 'windows-1256', 'x-cp1256']],
  'windows-1257': ['windows-1257', ['cp1257', 'windows-1257', 'x-cp1257']],
  'windows-1258': ['windows-1258', ['cp1258', 'windows-1258', 'x-cp1258']],
  'x-mac-cyrillic': ['maccyrillic', ['x-mac-cyrillic', 'x-mac-ukrainian']],
  gbk: ['gbk', ['chinese', 'csgb2312', 'csiso58gb231280', 'gb2312', 'gb_2312', 'gb_2312-80', 'gbk', 'iso-ir-58', 'x-gbk']],
  gb18030: ['gb18030', ['gb18030']],
  big5: ['big5hkscs', ['big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5']],
  'euc-jp': ['euc-jp', ['cseucpkdfmtjapanese', 'euc-jp', 'x-euc-jp']],
  shift_jis: ['shift_jis', ['csshiftjis', 'ms932', 'ms_kanji', 'shift-jis', 'shift_jis', 'sjis', 'windows-31j', 'x-sjis']],
  'euc-kr': ['cp949', ['cseuckr', 'csksc56011987', 'euc-kr', 'iso-ir-149', 'korean', 'ks_c_5601-1987', 'ks_c_5601-1989', 'ksc5601', 'ksc_5601', 'windows-949']],
  'utf-16be': ['utf-16be', ['unicodefffe', 'utf-16be']],
  'utf-16le': ['utf-16le', ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le']],
};

const LABELS: ReadonlyMap<string, string> = new Map(
  Object.entries(ENCODINGS).flatMap(([name, [, labels]]) => labels.map((label) => [label, name] as const)),
);

/**
 * The WHATWG encoding name for a label ("Latin1" → "windows-1252", "x-sjis" → "shift_jis"), or null
 * when the label is unknown or names an encoding we cannot decode, so the caller tries the next source.
 */
export function normalizeCharset(label: string | null | undefined): string | null {
  if (label == null) return null;
  const key = label.trim().replace(/^["']|["']$/g, '').trim().toLowerCase();
  return LABELS.get(key) ?? null;
}

/** The charset parameter of a Content-Type header value, as written (not normalised). */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*("([^"]*)"|[^;\s]*)/i.exec(contentType);
  if (!match) return null;
  return (match[2] ?? match[1] ?? '').trim() || null;
}

export function decodeBody(body: Buffer | Uint8Array, contentType: string | null | undefined, kind: BodyKind): DecodedBody {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const found = detect(bytes, contentType, kind);
  return { text: decodeWith(bytes, found.charset), ...found };
}

function detect(bytes: Buffer, contentType: string | null | undefined, kind: BodyKind): Omit<DecodedBody, 'text'> {
  const bom = charsetFromBom(bytes);
  if (bom) return { charset: bom, source: 'bom' };

  const header = normalizeCharset(charsetFromContentType(contentType));
  if (header) return { charset: header, source: 'header' };

  if (kind === 'xml' || kind === 'html') {
    const head = bytes.subarray(0, PRESCAN_BYTES).toString('latin1');
    const declared = inDocumentCharset(xmlDeclarationEncoding(head));
    if (declared) return { charset: declared, source: 'xml-declaration' };
    if (kind === 'html') {
      const meta = metaCharset(head);
      if (meta) return { charset: meta, source: 'meta' };
    }
  }

  return { charset: isUtf8(bytes) ? 'utf-8' : 'windows-1252', source: 'sniffed' };
}

function charsetFromBom(bytes: Buffer): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return null;
}

/**
 * A label found inside the document itself. We only got this far by reading the bytes as ASCII, so
 * the document cannot really be UTF-16: browsers then use UTF-8, and so do we.
 */
function inDocumentCharset(label: string | null): string | null {
  const name = normalizeCharset(label);
  return name === 'utf-16le' || name === 'utf-16be' ? 'utf-8' : name;
}

function xmlDeclarationEncoding(head: string): string | null {
  const decl = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']+)["']/.exec(head);
  return decl?.[1] ?? null;
}

/** The HTML prescan, simplified: the first <meta charset> or <meta http-equiv=content-type> with a known label. */
function metaCharset(head: string): string | null {
  const withoutComments = head.replace(/<!--[\s\S]*?(-->|$)/g, '');
  for (const tag of withoutComments.matchAll(/<meta\b([^>]*)>?/gi)) {
    const attrs = parseAttributes(tag[1] ?? '');
    let label = attrs.get('charset') ?? null;
    if (label === null && attrs.get('http-equiv')?.toLowerCase() === 'content-type') {
      label = /charset\s*=\s*["']?([^"';\s]+)/i.exec(attrs.get('content') ?? '')?.[1] ?? null;
    }
    const name = inDocumentCharset(label);
    if (name) return name;
  }
  return null;
}

function parseAttributes(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of source.matchAll(/([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    const name = (m[1] ?? '').toLowerCase();
    // The first occurrence of an attribute wins, as in the HTML parser.
    if (!attrs.has(name)) attrs.set(name, m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

function decodeWith(bytes: Buffer, charset: string): string {
  const codec = ENCODINGS[charset]?.[0] ?? 'windows-1252';
  const text = iconv.decode(bytes, codec);
  // iconv-lite strips a BOM for the Unicode codecs; be sure for every path (e.g. a UTF-8 BOM under a header label).
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
