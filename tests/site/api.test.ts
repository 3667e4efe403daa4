/**
 * The built site and its API over real HTTP: the sample site the site suite builds once with
 * `factdesk start --no-serve` (tests/site/global-setup.ts), served in-process by serveSite on a free
 * port. Checks what only the assembled server shows: security headers on static files, the 404 page
 * and API answers alike, the CSP meta tag in pages without anything inline for it to block, and the
 * API's answers (search finds Klarna, paging, 400/405/414/404 JSON without internals, 429 after the
 * burst), each one validated against the published openapi.json, which the server serves itself.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { serveSite, type ServedSite } from '../../src/cli/commands/serve.ts';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../src/lib/api/security.ts';
import { checkApiAnswer } from '../helpers/contracts.ts';
import { FactSchema } from '../helpers/facts-contract.ts';

const BURST = 40;
const built = inject('site');
let site: ServedSite;
let factCount = 0;

beforeAll(async () => {
  const db = await openDb(built.databaseUrl);
  try {
    factCount = Number((await db.client.execute('select count(*) as n from facts where not retracted')).rows[0]!.n);
  } finally {
    db.close();
  }
  // Read by the API at serve time (first request), as `factdesk serve` does.
  process.env.DATABASE_URL = built.databaseUrl;
  process.env.FACTDESK_API_BURST = String(BURST);
  process.env.FACTDESK_API_RATE = '60';
  site = await serveSite({ host: '127.0.0.1', port: 0, distDir: built.distDir });
}, 60_000);

afterAll(async () => {
  await site?.close();
});

/** A request to the served site; every /api/ answer is checked against the published openapi.json. */
async function get(p: string, init?: RequestInit): Promise<Response> {
  const r = await fetch(new URL(p, site.url), init);
  if (p.startsWith('/api/')) {
    await checkApiAnswer(init?.method ?? 'GET', p, r);
    apiAnswers++;
  }
  return r;
}
let apiAnswers = 0;

function expectSecurityHeaders(r: Response, what: string) {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(r.headers.get(k), `${k} on ${what}`).toBe(v);
}

async function expectJsonError(r: Response, status: number, code: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expectSecurityHeaders(r, `${status} JSON`);
  const text = await r.text();
  expect(JSON.parse(text).error.code).toBe(code);
  // Nothing internal leaks: no stack frames, file paths, SQL or exception names.
  expect(text).not.toMatch(/\n\s+at |\.ts\b|\.mjs\b|node_modules|select |sqlite|Error:/i);
}

describe('static files', () => {
  it('carry the CSP and security headers, pages and assets alike', async () => {
    const home = await get('/');
    expect(home.status).toBe(200);
    expectSecurityHeaders(home, '/');
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
    const html = await home.text();
    const css = /href="(\/_astro\/[^"]+\.css)"/.exec(html)?.[1];
    expect(css).toBeDefined();
    const asset = await get(css!);
    expect(asset.status).toBe(200);
    expectSecurityHeaders(asset, css!);
  });
  it('embed the policy as a meta tag (for static hosting) and contain nothing inline for it to block', async () => {
    for (const p of ['/', '/companies/klarna/', '/articles/1/', '/timeline/', '/search/', '/sources/', '/exports/']) {
      const r = await get(p);
      expect(r.status, p).toBe(200);
      const html = await r.text();
      const meta = /<meta http-equiv="content-security-policy" content="([^"]+)"/i.exec(html)?.[1];
      expect(meta, p).toBeDefined();
      expect(meta).toMatch(/default-src 'self'/);
      expect(meta).toMatch(/script-src 'self'/);
      expect(meta).toMatch(/object-src 'none'/);
      expect(meta).not.toMatch(/unsafe-inline/);
      expect(html, `${p}: inline script`).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(html, `${p}: inline style`).not.toMatch(/<style[\s>]/i);
      expect(html, `${p}: style attribute`).not.toMatch(/\sstyle="/i);
      expect(html, `${p}: event handler attribute`).not.toMatch(/\son[a-z]+="/i);
    }
  });
  it('answer unknown paths with our 404 page, headers included, and other methods with 405', async () => {
    const r = await get('/no/such/page/');
    expect(r.status).toBe(404);
    expectSecurityHeaders(r, '404');
    expect(await r.text()).toMatch(/Page not found/);
    const post = await get('/', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expectSecurityHeaders(post, 'POST /');
  });
});

describe('API', () => {
  it('searches articles and facts for Klarna, with links to pages that exist', async () => {
    const r = await get('/api/search?q=Klarna&limit=20');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expectSecurityHeaders(r, '/api/search');
    const b = (await r.json()) as { query: string; results: { kind: string; ref: string; snippet: string; highlights: [number, number][]; url: string; company: string | null }[] };
    expect(b.query).toBe('Klarna');
    expect(b.results.length).toBe(20);
    expect(new Set(b.results.map((x) => x.kind))).toEqual(new Set(['article', 'fact']));
    for (const x of b.results) {
      expect(x.highlights.length).toBeGreaterThan(0);
      for (const [s, e] of x.highlights) expect(x.snippet.slice(s, e).toLowerCase()).toBe('klarna');
    }
    const fact = b.results.find((x) => x.kind === 'fact')!;
    expect(fact.company).toBe('klarna');
    const [page, anchor] = fact.url.split('#');
    const html = await (await get(page!)).text();
    expect(html).toContain(`id="${anchor}"`);
    const article = b.results.find((x) => x.kind === 'article')!;
    expect((await get(article.url)).status).toBe(200);
    const phrase = (await (await get('/api/search?q=%22credit%20losses%22&kind=fact')).json()) as { results: { kind: string }[] };
    expect(phrase.results.length).toBeGreaterThan(0);
  });
  it('pages through every current fact with the cursor', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r = await get(`/api/facts?limit=60${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.status).toBe(200);
      const b = (await r.json()) as { facts: unknown[]; nextCursor: string | null };
      for (const f of b.facts) ids.push(FactSchema.parse(f).id);
      cursor = b.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(100);
    expect(ids.length).toBeLessThanOrEqual(factCount);
    const klarna = (await (await get('/api/facts?company=klarna&kind=valuation')).json()) as { facts: { company: string; kind: string }[] };
    expect(klarna.facts.length).toBeGreaterThan(0);
    expect(klarna.facts.every((f) => f.company === 'klarna' && f.kind === 'valuation')).toBe(true);
  });
  it('lists companies with counts and key figures', async () => {
    const b = (await (await get('/api/companies')).json()) as { companies: { slug: string; factCount: number; latest: Record<string, { value: number }> }[] };
    const k = b.companies.find((c) => c.slug === 'klarna')!;
    expect(k.factCount).toBeGreaterThan(50);
    expect(k.latest.valuation?.value).toBeGreaterThan(1e9);
  });
  it('answers bad input with 400 JSON, unknown endpoints with 404 JSON, other methods with 405, long URLs with 414', async () => {
    await expectJsonError(await get('/api/facts?limit=0'), 400, 'bad_request');
    await expectJsonError(await get('/api/facts?cursor=%27%3B%20drop%20table%20facts'), 400, 'bad_request');
    await expectJsonError(await get('/api/search?q=%22%28%29%22%20AND%20*'), 400, 'empty_query');
    const near = await get('/api/search?q=NEAR(%22klarna');
    expect(near.status).toBe(200); // sanitised, not an FTS5 syntax error
    await expectJsonError(await get('/api/nothing-here'), 404, 'not_found');
    const post = await get('/api/facts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    await expectJsonError(post, 405, 'method_not_allowed');
    await expectJsonError(await get(`/api/search?q=${'klarna+'.repeat(400)}`), 414, 'uri_too_long');
    const head = await get('/api/companies', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
  it('serves its own description and the export schema, as committed, with the security headers', async () => {
    for (const [p, file] of [['/openapi.json', 'openapi.json'], ['/exports/facts.schema.json', 'facts.schema.json']] as const) {
      const r = await get(p);
      expect(r.status, p).toBe(200);
      expect(r.headers.get('content-type'), p).toMatch(/^application\/json/);
      expectSecurityHeaders(r, p);
      expect(await r.text(), p).toBe(readFileSync(new URL(`../../content/${file}`, import.meta.url), 'utf8'));
    }
    const exportsPage = await (await get('/exports/')).text();
    expect(exportsPage).toContain('href="/exports/facts.schema.json"');
    expect(exportsPage).toContain('href="/openapi.json"');
  });
  // Last: it spends the rate-limit budget of this client address.
  it('rate-limits a client that bursts: 429 JSON with Retry-After', async () => {
    const rs = await Promise.all(Array.from({ length: BURST + 10 }, () => get('/api/companies')));
    const limited = rs.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(10);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await expectJsonError(limited[0]!, 429, 'rate_limited');
    // Static files are not rate-limited.
    expect((await get('/')).status).toBe(200);
    // Every answer above, 200s and errors alike, passed the openapi.json check in get().
    expect(apiAnswers).toBeGreaterThan(BURST + 20);
  });
});
