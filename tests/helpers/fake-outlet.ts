/**
 * A generated news outlet on 127.0.0.1 for integration tests and `npm run bench:collect`:
 * `feeds` RSS feeds with `perFeed` articles each, full HTML pages with boilerplate, ETag and
 * Last-Modified validators, and per-path hooks to inject failures (status codes, slowness, edits).
 * `extraItems` adds hand-made items to a feed: links to files that are not pages (PDFs, images),
 * many items sharing one link, items reusing one GUID.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const WORDS = (
  'bank payments fintech lender startup revenue customers growth market investors regulators loans credit ' +
  'card merchants checkout wallet app users europe america sweden london quarter year profit loss valuation ' +
  'funding round series ipo listing shares analysts board chief executive officer said according report ' +
  'announced plans expects rose fell doubled percent million billion staff employees hiring cuts layoffs ' +
  'assistant automation support agents service chat model data risk compliance fraud savings deposits ' +
  'interest rates inflation consumer spending retail partners platform product launch expansion strategy'
).split(' ');

/** Deterministic PRNG (mulberry32) so every run generates the same articles. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function articleParagraphs(seed: number, paragraphs = 6): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let p = 0; p < paragraphs; p++) {
    const sentences: string[] = [];
    for (let s = 0; s < 4; s++) {
      const n = 10 + Math.floor(r() * 10);
      const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]!);
      words.splice(3, 0, String(Math.floor(r() * 900) + 10));
      const sent = words.join(' ');
      sentences.push(sent[0]!.toUpperCase() + sent.slice(1) + '.');
    }
    out.push(sentences.join(' '));
  }
  // One sentence a fact extractor can read, so runs over this outlet also produce facts.
  const company = ['Klarna', 'Revolut', 'Monzo', 'Affirm'][seed % 4]!;
  out[0] = `${company} said revenue rose ${5 + (seed % 30)}% to $${100 + (seed % 700)} million in 2024. ${out[0]}`;
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface OutletArticle {
  feed: number;
  index: number;
  path: string;
  title: string;
  paragraphs: string[];
  publishedAt: string;
}

/** A hand-made feed item and (unless another item or the generated articles serve its path) what its link answers. */
export interface ExtraItem {
  /** Path of the link, e.g. "/files/report.pdf". Several items may share one path. */
  path: string;
  title: string;
  /** Feed the item is listed in (default 0). */
  feed?: number;
  /** Default: a guid unique to this item. */
  guid?: string;
  /** List the item without a <link> (its content is all there is); `path` is then only served, not linked. */
  noLink?: boolean;
  /** Sent as <content:encoded> (HTML). */
  contentHtml?: string;
  /** What the link answers with; omitted: the path must be served by something else (a generated article, another extra). */
  body?: string | Buffer;
  contentType?: string;
}

export interface FakeOutletOptions {
  feeds: number;
  perFeed: number;
  paragraphs?: number;
  /** Per-request hook: return true when it has answered the request itself. */
  intercept?: (req: IncomingMessage, res: ServerResponse, hits: number) => boolean | Promise<boolean>;
  /** Delay every article page by this many ms (to make runs slow enough to kill half-way). */
  pageDelayMs?: number;
  /**
   * Grow every article page to about this many kB with the markup real news pages carry around the
   * story (menus, link lists, a comment thread, inline scripts and styles); the story stays the same.
   * Real pages (../shared/benchmarks, median ~115 kB) cost the parser 15–25× a bare 4 kB page.
   */
  padKb?: number;
  extraItems?: ExtraItem[];
}

export interface FakeOutlet {
  origin: string;
  feedUrl(i: number): string;
  articles: OutletArticle[];
  /** Change an article's text (and optionally its title, which the feed then shows too). */
  edit(path: string, paragraphs: string[], title?: string): void;
  hits: Map<string, number>;
  close(): Promise<void>;
}

/** Markup around a story, `kb` kilobytes of it, deterministic per article. */
export function pagePadding(seed: number, kb: number): { head: string; before: string; after: string } {
  const r = rng(seed);
  const word = () => WORDS[Math.floor(r() * WORDS.length)]!;
  const style = `<style>${Array.from({ length: 40 }, (_, i) => `.c${i}{margin:${i}px;color:#${(i * 4099).toString(16).padStart(6, '0').slice(0, 6)}}`).join('')}</style>`;
  const script = `<script>window.dataLayer=[${Array.from({ length: 30 }, (_, i) => `{"e":"v${i}","k":"${word()}"}`).join(',')}];</script>`;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < kb * 1024; i++) {
    const block =
      i % 3 === 0
        ? `<nav class="menu m${i}"><ul>${Array.from({ length: 12 }, (_, k) => `<li class="item"><a href="/section/${word()}-${i}-${k}" class="link">${word()} ${word()}</a></li>`).join('')}</ul></nav>`
        : i % 3 === 1
          ? `<div class="comment" id="c${i}"><div class="meta"><span class="user">${word()}${i}</span> <time>2 hours ago</time></div><p>${Array.from({ length: 14 }, word).join(' ')}.</p><a href="#reply-${i}">Reply</a></div>`
          : `<div class="promo"><a href="/promo/${i}"><img src="/img/${i}.jpg" alt="${word()}"></a><span class="tag">${word()}</span></div>`;
    parts.push(block);
    size += block.length;
  }
  const half = parts.length >> 1;
  return { head: style + script, before: parts.slice(0, half).join(''), after: parts.slice(half).join('') };
}

export function pageHtml(a: OutletArticle, site: string, padKb = 0): string {
  const pad = padKb > 0 ? pagePadding(a.feed * 100_003 + a.index, padKb) : null;
  const before = pad?.before ?? '';
  const after = pad?.after ?? '';
  const related = [1, 2, 3].map((k) => `<li><a href="/news/related-${k}.html">Related story ${k}: lender raises ${k * 40} million</a></li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(a.title)} | ${site}</title>
<meta property="og:site_name" content="${site}"><meta property="article:published_time" content="${a.publishedAt}">
<meta name="author" content="Reporter ${a.feed}">${pad?.head ?? ''}</head><body>${before}
<header><nav><a href="/">Home</a> <a href="/markets">Markets</a> <a href="/fintech">Fintech</a> <a href="/about">About</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<main><article><h1>${esc(a.title)}</h1><p class="byline">By Reporter ${a.feed}</p>
${a.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
</article>
<aside class="related"><h2>Also read</h2><ul>${related}</ul></aside>
<div class="newsletter">Sign up for our daily fintech newsletter</div></main>
<footer><p>© ${site}. All rights reserved.</p></footer>${after}</body></html>`;
}

export async function startFakeOutlet(opts: FakeOutletOptions): Promise<FakeOutlet> {
  const articles: OutletArticle[] = [];
  const byPath = new Map<string, OutletArticle>();
  const base = Date.UTC(2025, 0, 1);
  for (let f = 0; f < opts.feeds; f++) {
    for (let i = 0; i < opts.perFeed; i++) {
      const a: OutletArticle = {
        feed: f,
        index: i,
        path: `/f${f}/a${i}.html`,
        title: `Fintech story ${f}-${i}`,
        paragraphs: articleParagraphs(f * 100_003 + i + 1, opts.paragraphs ?? 6),
        publishedAt: new Date(base + (f * opts.perFeed + i) * 3600_000).toISOString(),
      };
      articles.push(a);
      byPath.set(a.path, a);
    }
  }
  const hits = new Map<string, number>();
  const padded = new Map<string, string>();
  let origin = '';

  const extras = opts.extraItems ?? [];
  const extraBodies = new Map<string, { body: string | Buffer; type: string }>();
  for (const x of extras) if (x.body !== undefined) extraBodies.set(x.path, { body: x.body, type: x.contentType ?? 'text/html; charset=utf-8' });

  const send = (req: IncomingMessage, res: ServerResponse, body: string | Buffer, type: string) => {
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag });
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': type, ETag: etag, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };

  const feedXml = (f: number) => {
    const items = articles
      .filter((a) => a.feed === f)
      .map(
        (a) => `<item><title>${esc(a.title)}</title><link>${origin}${a.path}</link><guid>${origin}${a.path}</guid>
<pubDate>${new Date(a.publishedAt).toUTCString()}</pubDate><description>${esc(a.paragraphs[0]!)}</description></item>`,
      )
      .join('\n');
    const extraXml = extras
      .map((x, i) => ({ x, i }))
      .filter(({ x }) => (x.feed ?? 0) === f)
      .map(
        ({ x, i }) => `<item><title>${esc(x.title)}</title>${x.noLink ? '' : `<link>${origin}${x.path}</link>`}<guid isPermaLink="false">${esc(x.guid ?? `extra-${i}`)}</guid>
<pubDate>${new Date(base + i * 60_000).toUTCString()}</pubDate>${x.contentHtml ? `<content:encoded><![CDATA[${x.contentHtml}]]></content:encoded>` : ''}</item>`,
      )
      .join('\n');
    return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Outlet ${f}</title><link>${origin}/f${f}/</link>
<description>Generated outlet ${f}</description>${items}${extraXml}</channel></rss>`;
  };

  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    try {
      if (opts.intercept && (await opts.intercept(req, res, n))) return;
      if (path === '/robots.txt') return send(req, res, 'User-agent: *\nAllow: /\n', 'text/plain');
      const feedMatch = /^\/f(\d+)\/feed\.xml$/.exec(path);
      if (feedMatch) return send(req, res, feedXml(Number(feedMatch[1])), 'application/rss+xml; charset=utf-8');
      const extra = extraBodies.get(path);
      if (extra) return send(req, res, extra.body, extra.type);
      const a = byPath.get(path);
      if (a) {
        if (opts.pageDelayMs) await new Promise((r) => setTimeout(r, opts.pageDelayMs));
        // Padded pages are built once: the outlet shares the collector's process in bench:collect.
        let html = opts.padKb ? padded.get(path) : undefined;
        if (html === undefined) {
          html = pageHtml(a, `Outlet ${a.feed}`, opts.padKb);
          if (opts.padKb) padded.set(path, html);
        }
        return send(req, res, html, 'text/html; charset=utf-8');
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    feedUrl: (i) => `${origin}/f${i}/feed.xml`,
    articles,
    hits,
    edit(path, paragraphs, title) {
      const a = byPath.get(path);
      if (!a) throw new Error(`no article ${path}`);
      a.paragraphs = paragraphs;
      if (title) a.title = title;
      padded.delete(path);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
