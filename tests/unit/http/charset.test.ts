import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeBody, normalizeCharset } from '../../../scrapers/http/charset.ts';

const cp1252 = (s: string): Buffer => iconv.encode(s, 'windows-1252');
const sjis = (s: string): Buffer => iconv.encode(s, 'shift_jis');

describe('normalizeCharset', () => {
  it.each([
    ['UTF-8', 'utf-8'],
    ['utf8', 'utf-8'],
    ['latin1', 'windows-1252'],
    ['ISO-8859-1', 'windows-1252'],
    ['us-ascii', 'windows-1252'],
    ['"windows-1252"', 'windows-1252'],
    ['x-sjis', 'shift_jis'],
    ['Shift-JIS', 'shift_jis'],
    ['windows-31j', 'shift_jis'],
    ['gb2312', 'gbk'],
    ['ks_c_5601-1987', 'euc-kr'],
    ['iso-8859-15', 'iso-8859-15'],
    [' koi8-r ', 'koi8-r'],
  ])('%s → %s', (label, expected) => {
    expect(normalizeCharset(label)).toBe(expected);
  });

  it('returns null for unknown or missing labels', () => {
    expect(normalizeCharset('klingon')).toBeNull();
    expect(normalizeCharset('utf-7')).toBeNull();
    expect(normalizeCharset('')).toBeNull();
    expect(normalizeCharset(null)).toBeNull();
  });
});

describe('charsetFromContentType', () => {
  it('reads plain and quoted parameters', () => {
    expect(charsetFromContentType('text/html; charset=ISO-8859-1')).toBe('ISO-8859-1');
    expect(charsetFromContentType('text/html;charset="utf-8"; foo=bar')).toBe('utf-8');
    expect(charsetFromContentType('text/html')).toBeNull();
    expect(charsetFromContentType(null)).toBeNull();
  });
});

describe('decodeBody', () => {
  const quote = 'It’s €5 — “fine”';

  it('BOM wins over a contradicting header and is stripped from the text', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(quote, 'utf8')]);
    const out = decodeBody(body, 'text/html; charset=windows-1252', 'html');
    expect(out).toMatchObject({ charset: 'utf-8', source: 'bom', text: quote });
    expect(out.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('decodes UTF-16LE and UTF-16BE by BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('<p>ü€</p>', 'utf-16le')]);
    expect(decodeBody(le, null, 'html')).toMatchObject({ charset: 'utf-16le', source: 'bom', text: '<p>ü€</p>' });
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode('<p>ü€</p>', 'utf-16be')]);
    expect(decodeBody(be, null, 'html')).toMatchObject({ charset: 'utf-16be', source: 'bom', text: '<p>ü€</p>' });
  });

  it('maps the HTTP label ISO-8859-1 to windows-1252 so 0x92 and 0x80 become ’ and €', () => {
    const body = Buffer.from([0x49, 0x74, 0x92, 0x73, 0x20, 0x80, 0x35]); // It’s €5
    const out = decodeBody(body, 'text/html; charset=ISO-8859-1', 'html');
    expect(out).toMatchObject({ charset: 'windows-1252', source: 'header', text: 'It’s €5' });
  });

  it('header beats meta and XML declaration', () => {
    const html = `<?xml version="1.0" encoding="shift_jis"?><html><head><meta charset="koi8-r"></head><body>${quote}</body></html>`;
    const out = decodeBody(cp1252(html), 'text/html; charset=windows-1252', 'html');
    expect(out.source).toBe('header');
    expect(out.text).toContain(quote);
  });

  it('an unknown header label falls through to the next source', () => {
    const html = `<html><head><meta charset="windows-1252"></head><body>${quote}</body></html>`;
    const out = decodeBody(cp1252(html), 'text/html; charset=bogus-charset', 'html');
    expect(out).toMatchObject({ charset: 'windows-1252', source: 'meta' });
    expect(out.text).toContain(quote);
  });

  it('reads <meta charset> and <meta http-equiv> in the first 4 KB', () => {
    const a = `<!doctype html><html><head><title>x</title><META CHARSET=windows-1252></head><body>${quote}</body></html>`;
    expect(decodeBody(cp1252(a), 'text/html', 'html')).toMatchObject({ charset: 'windows-1252', source: 'meta' });
    const b = `<html><head><meta content="text/html; charset=Shift_JIS" http-equiv="Content-Type"></head><body>日本語の記事</body></html>`;
    const out = decodeBody(sjis(b), null, 'html');
    expect(out).toMatchObject({ charset: 'shift_jis', source: 'meta' });
    expect(out.text).toContain('日本語の記事');
  });

  it('ignores a meta charset inside a comment and one beyond 4 KB', () => {
    const commented = `<html><head><!-- <meta charset="koi8-r"> --></head><body>${quote}</body></html>`;
    expect(decodeBody(Buffer.from(commented, 'utf8'), null, 'html')).toMatchObject({ charset: 'utf-8', source: 'sniffed' });
    const late = `<html><head>${' '.repeat(5000)}<meta charset="koi8-r"></head><body>${quote}</body></html>`;
    expect(decodeBody(Buffer.from(late, 'utf8'), null, 'html')).toMatchObject({ charset: 'utf-8', source: 'sniffed' });
  });

  it('a meta claiming UTF-16 in an ASCII-readable document means UTF-8', () => {
    const html = `<html><head><meta charset="utf-16"></head><body>${quote}</body></html>`;
    expect(decodeBody(Buffer.from(html, 'utf8'), null, 'html')).toMatchObject({ charset: 'utf-8', source: 'meta', text: html });
  });

  it('reads the XML declaration of a Shift_JIS feed', () => {
    const xml = '<?xml version="1.0" encoding="Shift_JIS"?><rss><channel><title>決算発表</title></channel></rss>';
    const out = decodeBody(sjis(xml), 'application/rss+xml', 'xml');
    expect(out).toMatchObject({ charset: 'shift_jis', source: 'xml-declaration', text: xml });
  });

  it('does not look for <meta> in XML or JSON', () => {
    const xml = `<rss><description>&lt;meta charset="koi8-r"&gt;<meta charset="koi8-r"/></description><title>${quote}</title></rss>`;
    expect(decodeBody(Buffer.from(xml, 'utf8'), null, 'xml')).toMatchObject({ charset: 'utf-8', source: 'sniffed' });
    const json = JSON.stringify({ html: '<meta charset="koi8-r">', title: quote });
    expect(decodeBody(Buffer.from(json, 'utf8'), 'application/feed+json', 'json')).toMatchObject({ charset: 'utf-8', text: json });
  });

  it('sniffs valid UTF-8 as UTF-8 and anything else as windows-1252, never assuming UTF-8', () => {
    expect(decodeBody(Buffer.from(quote, 'utf8'), 'text/plain', 'text')).toMatchObject({ charset: 'utf-8', source: 'sniffed', text: quote });
    const legacy = decodeBody(cp1252(quote), 'text/plain', 'text');
    expect(legacy).toMatchObject({ charset: 'windows-1252', source: 'sniffed', text: quote });
    expect(legacy.text).not.toContain('\ufffd');
  });

  it('accepts a Uint8Array view with an offset', () => {
    const backing = Buffer.from(`xx${quote}`, 'utf8');
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, backing.length - 2);
    expect(decodeBody(view, 'text/plain; charset=utf-8', 'text').text).toBe(quote);
  });
});
