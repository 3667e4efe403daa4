/**
 * The Content-Security-Policy a rendered page carries as a file (src/cli/site-build/render.ts
 * withPolicyTag): placed where Astro places it in a prerendered page — before the run of stylesheet
 * links that ends the head — and the rest of the page byte for byte as rendered, whatever its script.
 */
import { describe, expect, it } from 'vitest';
import { withPolicyTag } from '../../../src/cli/site-build/render.ts';

const POLICY = `default-src 'self'; script-src 'self' 'sha256-a+b/c='`;
const TAG = `<meta http-equiv="content-security-policy" content="default-src 'self'; script-src 'self' 'sha256-a+b/c='">`;
const page = (head: string, body: string) => `<!DOCTYPE html><html lang="en"><head>${head}</head><body>${body}</body></html>`;
const put = (html: string, policy = POLICY) => withPolicyTag(Buffer.from(html, 'utf8'), policy).toString('utf8');

describe('the policy tag of a rendered page', () => {
  it('goes before the stylesheet links that end the head, in a page with text in any script', () => {
    const head = '<meta charset="utf-8"><title>Zürich — 東京 · Факты 💶</title><link rel="icon" href="data:,">';
    const styles = '<link rel="stylesheet" href="/_astro/a.css"><link rel="stylesheet" href="/_astro/b.css">';
    const body = '<h1>Klarna’s “down round” — 株価</h1>'.repeat(2000);
    expect(put(page(head + styles, body))).toBe(page(head + TAG + styles, body));
  });

  it('goes after a stylesheet link the page wrote itself, before the run Astro appends', () => {
    const own = '<link rel="stylesheet" href="/print.css"><meta name="x" content="y">';
    const styles = '<link rel="stylesheet" href="/_astro/a.css">';
    expect(put(page(own + styles, 'é'))).toBe(page(own + TAG + styles, 'é'));
  });

  it('ends the head when the page has no stylesheet, and escapes the policy as an attribute', () => {
    expect(put(page('<title>Ä</title>', '<p>ü</p>'), `a "b" & c`)).toBe(page('<title>Ä</title><meta http-equiv="content-security-policy" content="a &quot;b&quot; &amp; c">', '<p>ü</p>'));
  });

  it('leaves a document without a head as it is', () => {
    const xml = '<?xml version="1.0"?><rss><channel><title>Ü</title></channel></rss>';
    expect(put(xml)).toBe(xml);
  });

  it('reads the head only up to its first end, not a "</head>" quoted later in the body', () => {
    const body = '<pre>&lt;/head&gt; and a literal </head> in text</pre>';
    expect(put(page('<title>t</title>', body))).toBe(page(`<title>t</title>${TAG}`, body));
  });
});
