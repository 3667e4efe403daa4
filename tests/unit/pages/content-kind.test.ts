/** Which responses are HTML pages worth parsing: by declared type and by the first bytes. */
import { describe, expect, it } from 'vitest';
import { classifyPage, feedTextKind, mayBeHtml } from '../../../scrapers/pages/content-kind.ts';

const html = Buffer.from('<!doctype html><html><body><p>Klarna said revenue rose.</p></body></html>');
const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
const bin = (...bytes: number[]) => Buffer.concat([Buffer.from(bytes), Buffer.alloc(64, 1)]);

describe('classifyPage', () => {
  it('accepts HTML and XHTML, with or without a charset, a BOM or leading space', async () => {
    expect(await classifyPage('text/html; charset=utf-8', html)).toEqual({ html: true });
    expect(await classifyPage('TEXT/HTML', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n  '), html]))).toEqual({ html: true });
    expect(await classifyPage('application/xhtml+xml', html)).toEqual({ html: true });
    expect(await classifyPage(null, html)).toEqual({ html: true });
    const xhtml = Buffer.from('<?xml version="1.0"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>');
    expect(await classifyPage('application/xml', xhtml)).toEqual({ html: true });
    // UTF-16 pages are full of NUL bytes; the BOM says they are text.
    expect(await classifyPage('text/html', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<html><p>Hi</p></html>', 'utf16le')]))).toEqual({ html: true });
  });

  it('names binary formats by their magic numbers, whatever the declared type', async () => {
    const cases: [Buffer, string][] = [
      [pdf, 'application/pdf'],
      [bin(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00), 'application/zip'],
      [Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00', 'latin1'), 'image/gif'],
      [bin(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52), 'image/png'],
      [bin(0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0), 'image/jpeg'],
      [bin(0x00, 0x01, 0x02, 0x03, 0x04, 0x05), 'application/octet-stream'],
    ];
    for (const [body, type] of cases) {
      const kind = await classifyPage('text/html; charset=utf-8', body);
      expect(kind, type).toMatchObject({ html: false, type });
      if (!kind.html) expect(kind.reason).toContain('by its first bytes, served as text/html');
    }
    expect(await classifyPage('text/html', pdf)).toEqual({
      html: false,
      type: 'application/pdf',
      reason: 'a PDF document (application/pdf) by its first bytes, served as text/html',
    });
  });

  it('trusts a declared non-HTML type even when the bytes look like text', async () => {
    expect(await classifyPage('application/pdf', Buffer.from('Annual report 2024'))).toEqual({
      html: false,
      type: 'application/pdf',
      reason: 'a PDF document (application/pdf) by its Content-Type',
    });
    for (const type of ['application/octet-stream', 'application/json', 'image/png', 'text/plain', 'application/zip']) {
      expect(await classifyPage(type, html), type).toMatchObject({ html: false, type });
    }
    // An XML document that is not XHTML is not a page.
    expect(await classifyPage('application/xml', Buffer.from('<?xml version="1.0"?><data><x/></data>'))).toMatchObject({ html: false });
  });

  it('refuses a JSON document served as text/html and a typeless body that is not markup', async () => {
    expect(await classifyPage('text/html', Buffer.from(' {"items": [1, 2, 3]}'))).toMatchObject({ html: false, type: 'application/json' });
    expect(await classifyPage(null, Buffer.from('just some words'))).toMatchObject({ html: false, type: 'unknown' });
    // Text that merely starts with a brace is still a page when it does not parse as JSON.
    expect(await classifyPage('text/html', Buffer.from('{Draft} <p>Klarna said</p>'))).toEqual({ html: true });
  });
});

describe('mayBeHtml (read the whole body?)', () => {
  it('reads HTML, XML and untyped bodies in full, only the head of declared files', () => {
    for (const t of [null, 'text/html; charset=utf-8', 'application/xhtml+xml', 'application/xml', 'application/atom+xml']) expect(mayBeHtml(t), String(t)).toBe(true);
    for (const t of ['application/pdf', 'image/png', 'application/zip', 'application/octet-stream', 'application/json', 'text/plain']) expect(mayBeHtml(t), t).toBe(false);
  });
});

describe('feedTextKind', () => {
  it('tells a PDF pasted into a feed from an article', async () => {
    expect(await feedTextKind('%PDF-1.4 1 0 obj << /Type /Catalog >> endobj')).toMatchObject({ html: false, type: 'application/pdf' });
    expect(await feedTextKind('Klarna said revenue rose 20% to $500 million in 2024.')).toEqual({ html: true });
  });
});
