/**
 * The API handlers on a real migrated libSQL file with inserted rows: paging, filters, the companies
 * aggregate, search ranking/snippets, and the checks in front of every handler (method, query length,
 * rate limit, errors without internals). Plain Request → Response calls, no server.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { articles, companies, facts, factSources } from '../../../db/schema.ts';
import { exportFacts } from '../../../src/export/facts.ts';
import { getCompanies, getFacts, getSearch, handleApi as handleApiRaw, notFound, type Handler } from '../../../src/lib/api/handlers.ts';
import { RateLimiter } from '../../../src/lib/api/rate-limit.ts';
import { checkApiAnswer } from '../../helpers/contracts.ts';
import { FactSchema } from '../../helpers/facts-contract.ts';
import { tempDb, type TempDb } from '../../helpers/db.ts';

let db: TempDb;
beforeEach(async () => {
  db = await tempDb();
});
afterEach(() => db.cleanup());

const hex = (n: number) => n.toString(16).padStart(20, '0');

async function seed(opts: { facts?: number } = {}) {
  const [klarna] = await db.db.insert(companies).values({ slug: 'klarna', name: 'Klarna' }).returning();
  const [revolut] = await db.db.insert(companies).values({ slug: 'revolut', name: 'Revolut' }).returning();
  await db.db.insert(companies).values({ slug: 'silent', name: 'Silent Co' }); // no facts: not listed
  const text =
    'Klarna said its valuation fell to $6.7 billion in 2022.\n\nRevolut reported revenue of £2.2 billion.\n\n' +
    '“We are hiring humans again,” said Sebastian Siemiatkowski.';
  const [a1] = await db.db
    .insert(articles)
    .values({ key: 'https://news.example/1', url: 'https://news.example/1', title: 'Klarna valuation falls', outlet: 'Wire', publishedAt: '2025-03-01T00:00:00.000Z', text, contentHash: 'h1', simhash: '0' })
    .returning();
  const [a2] = await db.db
    .insert(articles)
    .values({ key: 'https://news.example/2', title: 'Payments roundup', outlet: 'Paper', publishedAt: '2025-06-01T00:00:00.000Z', text: 'Nothing about anyone in particular: tariffs and markets.', contentHash: 'h2', simhash: '1' })
    .returning();
  const n = opts.facts ?? 7;
  const rows = Array.from({ length: n }, (_, i) => ({
    id: hex(i + 1),
    companyId: i % 2 ? revolut!.id : klarna!.id,
    kind: i % 3 === 0 ? 'valuation' : 'revenue',
    value: 1000 + i,
    unit: 'USD',
    asOf: String(2010 + i),
    statement: i % 2 ? `Revolut reported revenue number ${i}.` : `Klarna said its valuation fell, statement ${i}.`,
    extractor: 'test/1',
    confidence: 0.9,
  }));
  for (let i = 0; i < rows.length; i += 50) await db.db.insert(facts).values(rows.slice(i, i + 50));
  const sources = rows.map((r) => ({ factId: r.id, articleId: a1!.id, revision: 1, evidence: text.slice(0, 10), start: 0, end: 10, extractor: 'test/1' }));
  for (let i = 0; i < sources.length; i += 50) await db.db.insert(factSources).values(sources.slice(i, i + 50));
  await db.db.insert(facts).values({
    id: 'ffff00000000000000ff', companyId: klarna!.id, kind: 'quote', speaker: 'Sebastian Siemiatkowski', quote: 'We are hiring humans again',
    statement: '“We are hiring humans again,” said Sebastian Siemiatkowski.', extractor: 'test/1', confidence: 0.9,
  });
  await db.db.insert(factSources).values({ factId: 'ffff00000000000000ff', articleId: a1!.id, revision: 1, evidence: 'We are hiring', start: 0, end: 5, extractor: 'test/1' });
  return { klarna: klarna!, revolut: revolut!, a1: a1!, a2: a2! };
}

/** A handler's answer, checked against the published openapi.json (tests/helpers/contracts.ts). */
async function call(h: Handler, path: string): Promise<Response> {
  const url = new URL(path, 'http://factdesk.test');
  const r = await h(db.db, url);
  await checkApiAnswer('GET', url, r);
  return r;
}
async function body(r: Response): Promise<any> {
  expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return r.json();
}

describe('GET /api/facts', () => {
  it('pages through every fact with an opaque cursor, in the export contract shape', async () => {
    await seed({ facts: 230 });
    const all: string[] = [];
    for await (const f of exportFacts(db.db)) all.push(f.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await call(getFacts, `/api/facts?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toMatch(/max-age=\d+/);
      const b = await body(r);
      expect(b.schemaVersion).toBe(1);
      for (const f of b.facts) FactSchema.parse(f);
      seen.push(...b.facts.map((f: { id: string }) => f.id));
      cursor = b.nextCursor;
      if (cursor) expect(cursor).not.toContain(b.facts[b.facts.length - 1].id); // opaque, not the raw id
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
    expect(seen).toHaveLength(231);
  });
  it('filters by company, kind and since, and says when there is no next page', async () => {
    await seed();
    const b = await body(await call(getFacts, '/api/facts?company=klarna&kind=valuation'));
    expect(b.facts.map((f: { company: string; kind: string }) => `${f.company}/${f.kind}`)).toEqual(['klarna/valuation', 'klarna/valuation']);
    expect(b.nextCursor).toBeNull();
    expect((await body(await call(getFacts, '/api/facts?since=2026-01-01'))).facts).toEqual([]);
    expect((await body(await call(getFacts, '/api/facts?since=2025-01-01'))).facts).toHaveLength(8);
    const one = await body(await call(getFacts, '/api/facts?limit=1'));
    expect(one.facts).toHaveLength(1);
    expect(one.nextCursor).toEqual(expect.any(String));
  });
  it('answers 400 with a JSON error for every kind of bad input', async () => {
    await seed();
    for (const q of ['limit=0', 'limit=501', 'limit=ten', 'limit=1e2', 'kind=gossip', 'company=Klar%20na', 'since=yesterday', 'since=2025-02-30',
      'cursor=bm90LWhleA', 'cursor=%3Cscript%3E', 'compnay=klarna', 'kind=ipo&kind=quote']) {
      const r = await call(getFacts, `/api/facts?${q}`).catch((e: unknown) => e);
      // Handlers throw ApiError; handleApi turns it into the response (tested below). Here: it is a 400.
      expect(r, q).toMatchObject({ status: 400, code: expect.stringMatching(/bad_request/) });
    }
  });
});

describe('GET /api/companies', () => {
  it('lists companies with facts, their counts and the newest figure of each key kind', async () => {
    await seed();
    const b = await body(await call(getCompanies, '/api/companies'));
    expect(b.companies.map((c: { slug: string }) => c.slug)).toEqual(['klarna', 'revolut']);
    const k = b.companies[0];
    expect(k).toMatchObject({ name: 'Klarna', factCount: 5, url: '/companies/klarna/' });
    // Klarna's valuations are facts 0 and 6 (asOf 2010, 2016): the newest wins.
    expect(k.latest.valuation).toMatchObject({ id: hex(7), value: 1006, asOf: '2016' });
    expect(k.latest.revenue).toMatchObject({ id: hex(5), asOf: '2014' });
    expect(b.companies[1].latest.valuation).toMatchObject({ id: hex(4), asOf: '2013' });
  });
  it('orders periods as the fact sheets do: a month of a year is newer than the bare year', async () => {
    const { revolut } = await seed();
    await db.db.insert(facts).values([
      { id: 'aa00000000000000000a', companyId: revolut.id, kind: 'headcount', value: 1, unit: 'people', asOf: '2025-03', statement: 's', extractor: 't', confidence: 1 },
      { id: 'aa00000000000000000b', companyId: revolut.id, kind: 'headcount', value: 2, unit: 'people', asOf: '2025', statement: 's', extractor: 't', confidence: 1 },
      { id: 'aa00000000000000000c', companyId: revolut.id, kind: 'headcount', value: 3, unit: 'people', asOf: null, statement: 's', extractor: 't', confidence: 1 },
    ]);
    const r = (await body(await call(getCompanies, '/api/companies'))).companies[1];
    expect(r.latest.headcount).toMatchObject({ id: 'aa00000000000000000a', asOf: '2025-03' });
  });
  it('leaves retracted facts out of counts and figures', async () => {
    await seed();
    await db.db.update(facts).set({ retracted: true }).where(eq(facts.id, hex(7)));
    const k = (await body(await call(getCompanies, '/api/companies'))).companies[0];
    expect(k.factCount).toBe(4);
    expect(k.latest.valuation).toMatchObject({ id: hex(1), asOf: '2010' });
  });
});

describe('GET /api/search', () => {
  it('ranks articles and facts with plain-text snippets and match ranges', async () => {
    const { a1 } = await seed();
    const b = await body(await call(getSearch, '/api/search?q=hiring%20humans'));
    expect(b.query).toBe('hiring humans');
    const kinds = b.results.map((r: { kind: string }) => r.kind).sort();
    expect(kinds).toEqual(['article', 'fact']);
    for (const r of b.results) {
      for (const [s, e] of r.highlights) expect(r.snippet.slice(s, e).toLowerCase()).toMatch(/^hiring humans$|^hiring$|^humans$/);
      expect(r.snippet).not.toMatch(/[<>\u0002\u0003]/);
    }
    const fact = b.results.find((r: { kind: string }) => r.kind === 'fact');
    expect(fact).toMatchObject({ ref: 'ffff00000000000000ff', company: 'klarna', title: 'Klarna: quote by Sebastian Siemiatkowski', url: `/articles/${a1.id}/#fact-ffff00000000000000ff` });
    const art = b.results.find((r: { kind: string }) => r.kind === 'article');
    expect(art).toMatchObject({ ref: String(a1.id), title: 'Klarna valuation falls', url: `/articles/${a1.id}/`, company: null });
  });
  it('filters by kind, stems words, folds diacritics, honours limit and prefixes', async () => {
    await seed();
    const facts = await body(await call(getSearch, '/api/search?q=valuation&kind=fact&limit=2'));
    expect(facts.results).toHaveLength(2);
    expect(facts.results.every((r: { kind: string }) => r.kind === 'fact')).toBe(true);
    const arts = await body(await call(getSearch, '/api/search?q=tariff&kind=article'));
    expect(arts.results.map((r: { title: string }) => r.title)).toEqual(['Payments roundup']); // "tariffs" stems to "tariff"
    expect((await body(await call(getSearch, '/api/search?q=r%C3%A9v%C3%B6lut&kind=article'))).results).toHaveLength(1);
    expect((await body(await call(getSearch, '/api/search?q=siemiat*&kind=fact'))).results).toHaveLength(1);
  });
  it('puts title matches first (bm25 with the title weighted)', async () => {
    await seed();
    await db.db.insert(articles).values({ key: 'k3', title: 'Tariffs hit markets', text: 'A short text.', contentHash: 'h3', simhash: '2' });
    const b = await body(await call(getSearch, '/api/search?q=tariffs&kind=article'));
    expect(b.results.map((r: { title: string }) => r.title)).toEqual(['Tariffs hit markets', 'Payments roundup']);
  });
  it('pages by offset to the last hit: every hit once, in the order of one big answer, ties included', async () => {
    await seed({ facts: 9 });
    // Five reprints score exactly alike: paging must still give each once.
    for (let i = 0; i < 5; i++) {
      await db.db.insert(articles).values({ key: `r${i}`, title: 'Klarna reprint', text: 'Klarna said its valuation fell.', contentHash: `r${i}`, simhash: String(10 + i) });
    }
    for (const kind of ['', '&kind=article', '&kind=fact']) {
      const all = (await body(await call(getSearch, `/api/search?q=klarna${kind}&limit=50`))) as { results: { kind: string; ref: string }[]; nextOffset: number | null };
      expect(all.nextOffset).toBeNull();
      expect(all.results.length).toBeGreaterThan(3);
      const walked: string[] = [];
      let offset: number | null = 0;
      for (let pages = 0; offset !== null; pages++) {
        const b = (await body(await call(getSearch, `/api/search?q=klarna${kind}&limit=2&offset=${offset}`))) as typeof all;
        expect(b.results.length, `page at ${offset}`).toBeGreaterThan(0);
        walked.push(...b.results.map((r) => `${r.kind}:${r.ref}`));
        expect(b.nextOffset === null || b.nextOffset === offset + 2).toBe(true);
        offset = b.nextOffset;
        expect(pages).toBeLessThan(50);
      }
      expect(walked, kind).toEqual(all.results.map((r) => `${r.kind}:${r.ref}`));
    }
    // Past the end: an empty page, not an error.
    expect(await body(await call(getSearch, '/api/search?q=klarna&offset=900'))).toMatchObject({ results: [], nextOffset: null });
  });
  it('refuses queries with nothing to search, and bad parameters', async () => {
    await seed();
    for (const q of ['q=%22%22', 'q=AND', 'q=', 'q=%20%20', '', `q=${'a'.repeat(201)}`, 'q=x&kind=company', 'q=x&limit=51', 'q=x&offset=1001', 'q=x&offset=-1']) {
      const e = await call(getSearch, `/api/search?${q}`).catch((err: unknown) => err);
      expect(e, q).toMatchObject({ status: 400 });
    }
  });
});

describe('the search index follows the data (triggers)', () => {
  const search = async (q: string) => (await body(await call(getSearch, `/api/search?q=${encodeURIComponent(q)}`))).results as { kind: string; ref: string; company: string | null }[];
  it('indexes new rows, re-indexes edits, drops deletions and retractions', async () => {
    const { a1, klarna } = await seed();
    expect(await search('siemiatkowski')).toHaveLength(2);
    // A correction changes the article's text: the old words leave the index, the new ones arrive.
    await db.db.update(articles).set({ text: 'A corrected story about payments.', title: 'Corrected' }).where(eq(articles.id, a1.id));
    expect((await search('siemiatkowski')).map((r) => r.kind)).toEqual(['fact']);
    expect((await search('corrected')).map((r) => r.ref)).toEqual([String(a1.id)]);
    // Retraction removes the fact; un-retracting brings it back.
    await db.db.update(facts).set({ retracted: true }).where(eq(facts.id, 'ffff00000000000000ff'));
    expect(await search('siemiatkowski')).toHaveLength(0);
    await db.db.update(facts).set({ retracted: false }).where(eq(facts.id, 'ffff00000000000000ff'));
    expect(await search('siemiatkowski')).toHaveLength(1);
    // Changing bookkeeping columns (an upsert of the same fact) leaves the index alone.
    await db.db.update(facts).set({ corroboration: 'corroborated', updatedAt: 'now' });
    expect(await search('siemiatkowski')).toHaveLength(1);
    // A renamed company is searchable under its new name.
    await db.db.update(companies).set({ name: 'Klarna Group', slug: 'klarna-group' }).where(eq(companies.id, klarna.id));
    const renamed = await search('group');
    expect(renamed.length).toBe(5);
    expect(renamed.every((r) => r.company === 'klarna-group')).toBe(true);
    // Deleting a company cascades to its facts, and they leave the index.
    await db.db.delete(companies).where(eq(companies.id, klarna.id));
    expect(await search('siemiatkowski')).toHaveLength(0);
    await db.db.delete(articles).where(eq(articles.id, a1.id));
    expect(await search('corrected')).toHaveLength(0);
    const left = await db.client.execute('select (select count(*) from search_fts) fts, (select count(*) from search_docs) docs, (select count(*) from facts where not retracted) facts, (select count(*) from articles) articles');
    const c = left.rows[0]!;
    expect(Number(c.fts)).toBe(Number(c.docs));
    expect(Number(c.fts)).toBe(Number(c.facts) + Number(c.articles));
  });
  it('keeps markers out of indexed text, so a hostile article cannot forge a highlight', async () => {
    await db.db.insert(articles).values({ key: 'evil', title: 'x', text: 'evil \u0002fake\u0003 marker and <b>html</b> payment', contentHash: 'e', simhash: '3' });
    const [r] = (await body(await call(getSearch, '/api/search?q=payment'))).results;
    expect(r.snippet).toBe('evil  fake  marker and <b>html</b> payment');
    expect(r.highlights).toEqual([[r.snippet.indexOf('payment'), r.snippet.length]]);
  });
});

describe('handleApi: the checks in front of every handler', () => {
  /** A stand-in endpoint: its '{}' is no endpoint's answer, so only what the checks answer in front of it is held to openapi.json. */
  const ok: Handler = async () => new Response('{}', { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
  const ctx = (over: Partial<Parameters<typeof handleApiRaw>[2]> = {}) => ({ db: async () => db.db, client: '203.0.113.9', ...over });
  const req = (path: string, init?: RequestInit) => new Request(new URL(path, 'http://factdesk.test'), init);
  async function handleApi(request: Request, handler: Handler, c: Parameters<typeof handleApiRaw>[2]): Promise<Response> {
    const r = await handleApiRaw(request, handler, c);
    if (handler !== ok || r.status !== 200) await checkApiAnswer(request.method, request.url, r);
    return r;
  }

  it('allows GET and HEAD only: 405 JSON with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await handleApi(req('/api/facts', { method }), ok, ctx());
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('GET, HEAD');
      expect((await body(r)).error.code).toBe('method_not_allowed');
    }
    expect((await handleApi(req('/api/facts', { method: 'HEAD' }), ok, ctx())).status).toBe(200);
  });
  it('refuses long query strings with 414 before parsing them', async () => {
    const r = await handleApi(req(`/api/search?q=${'a'.repeat(3000)}`), getSearch, ctx());
    expect(r.status).toBe(414);
    expect((await body(r)).error.code).toBe('uri_too_long');
  });
  it('turns handler errors into 400/404 JSON, and anything unexpected into a generic 500', async () => {
    await seed();
    const bad = await handleApi(req('/api/facts?limit=0'), getFacts, ctx());
    expect(bad.status).toBe(400);
    expect((await body(bad)).error).toEqual({ code: 'bad_request', message: expect.stringContaining('limit') });
    const nf = await handleApi(req('/api/whatever'), notFound, ctx());
    expect(nf.status).toBe(404);
    expect((await body(nf)).error.code).toBe('not_found');
    const logged: unknown[] = [];
    const boom: Handler = async (d) => {
      await d.run(/* a genuine SQL failure, with a table name and a stack */ (await import('drizzle-orm')).sql`select * from no_such_table`);
      return ok(d, new URL('http://x'));
    };
    const r = await handleApi(req('/api/facts'), boom, ctx({ log: (_m, e) => logged.push(e) }));
    expect(r.status).toBe(500);
    const text = await r.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(text).not.toMatch(/no_such_table|at |\.ts|stack/i);
    expect(String(logged[0])).toMatch(/no_such_table/);
    expect(r.headers.get('cache-control')).toBe('no-store');
  });
  it('rate-limits per client: 429 with Retry-After once the burst is spent, other clients unaffected', async () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 3 });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await handleApi(req('/api/companies'), ok, ctx({ limiter }))).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const r = await handleApi(req('/api/companies'), ok, ctx({ limiter }));
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await body(r)).error.code).toBe('rate_limited');
    expect((await handleApi(req('/api/companies'), ok, ctx({ limiter, client: '198.51.100.1' }))).status).toBe(200);
  });
  it('does not open the database for requests it refuses', async () => {
    let opened = 0;
    const c = ctx({ db: async () => (opened++, db.db) });
    await handleApi(req('/api/facts', { method: 'POST' }), getFacts, c);
    await handleApi(req(`/api/facts?${'x'.repeat(3000)}`), getFacts, c);
    expect(opened).toBe(0);
  });
});
