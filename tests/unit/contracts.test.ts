/**
 * The machine-readable contracts (content/facts.schema.json, content/openapi.json): regenerated, not
 * hand-edited (the committed bytes are what `npm run schemas` writes now); sound under a standard
 * validator (ajv, strict, 2020-12); complete (every /api/* route is described); and strict where it
 * matters: hostile facts and wrong error answers fail ajv and zod alike, real error answers pass.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractFiles } from '../../src/cli/contracts.ts';
import { FactSchema as ContractFact } from '../../src/export/contract.ts';
import { getCompanies, getFacts, getSearch, handleApi, notFound } from '../../src/lib/api/handlers.ts';
import { RateLimiter } from '../../src/lib/api/rate-limit.ts';
import { ERROR_CODES, ERROR_STATUS, errorBody, errorResponse } from '../../src/lib/api/respond.ts';
import { checkApiAnswer, contractErrors, FACT_REF, FACTS_EXPORT_REF, factsSchemaDoc, newAjv, openApiDoc, type Response3 } from '../helpers/contracts.ts';
import { tempDb } from '../helpers/db.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A fact as the export prints it, every field filled the way the contract allows. */
function fact(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'a1b2c3', company: 'klarna', companyName: 'Klarna', kind: 'valuation', value: 6.7e9, valueHigh: null, unit: 'USD',
    direction: 'decrease', changePct: null, approximate: false, label: null, status: null, asOf: '2022-07', speaker: null, quote: null,
    statement: 'Klarna was valued at $6.7 billion in July 2022.',
    sources: [{ articleId: 1, url: 'https://news.example/k', title: 'Klarna', outlet: 'Wire', publishedAt: '2022-07-11T08:00:00.000Z', evidence: 'valued at $6.7 billion', start: 11, end: 33, independent: true, copyOf: null, partial: false }],
    extractor: 'rules/2', confidence: 0.9, corroboration: 'single-source', conflictsWith: [],
    ...over,
  };
}

const without = (key: string) => {
  const f = fact();
  delete f[key];
  return f;
};

/** Both validators' verdicts: the published schema under ajv, and the zod schema it was made from. */
function verdicts(f: unknown) {
  return { ajv: contractErrors(FACT_REF, f) === null, zod: ContractFact.safeParse(f).success };
}

describe('the committed contract files', () => {
  it('are exactly what the generator makes from the zod schemas now (run `npm run schemas` after changing one)', () => {
    const files = contractFiles();
    expect(files.map((f) => path.relative(ROOT, f.file))).toEqual(['content/facts.schema.json', 'content/openapi.json']);
    for (const { file, text } of files) expect(readFileSync(file, 'utf8'), path.relative(ROOT, file)).toBe(text);
  });

  it('compile under strict ajv as 2020-12 schemas, every named part and every answer', () => {
    const ajv = newAjv();
    expect(ajv.validateSchema(factsSchemaDoc), JSON.stringify(ajv.errors)).toBe(true);
    expect(factsSchemaDoc.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(factsSchemaDoc.$defs as object).sort()).toEqual(['CompanyExport', 'Fact', 'FactsExport', 'Source']);
    ajv.addSchema(factsSchemaDoc, 'facts.schema.json');
    ajv.addSchema(openApiDoc, 'openapi.json');
    for (const id of Object.keys(factsSchemaDoc.$defs as object)) expect(ajv.getSchema(`facts.schema.json#/$defs/${id}`), id).toBeTypeOf('function');
    for (const id of Object.keys(openApiDoc.components.schemas)) expect(ajv.getSchema(`openapi.json#/components/schemas/${id}`), id).toBeTypeOf('function');
    let answers = 0;
    for (const [p, item] of Object.entries(openApiDoc.paths)) {
      for (const [status, r] of Object.entries(item.get!.responses)) {
        if (r.$ref) continue;
        expect(ajv.getSchema(`openapi.json#/paths/${p.replaceAll('/', '~1')}/get/responses/${status}/content/application~1json/schema`), `${p} ${status}`).toBeTypeOf('function');
        answers++;
      }
    }
    expect(answers).toBe(6); // 200 and 400 of each endpoint; the shared errors are components
  });

  it('describe every /api/* route there is, and no other', () => {
    const routes = readdirSync(path.join(ROOT, 'src/pages/api'))
      .filter((f) => f.endsWith('.ts') && !f.startsWith('['))
      .map((f) => `/api/${f.replace(/\.ts$/, '')}`)
      .sort();
    expect(routes.length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(openApiDoc.paths).sort()).toEqual(routes);
    expect(openApiDoc).toMatchObject({ openapi: '3.1.1', jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema' });
  });
});

describe('facts.schema.json', () => {
  it('accepts a complete fact, a quote and an IPO event, and a facts.json document', () => {
    const quote = fact({ kind: 'quote', value: null, unit: null, direction: null, asOf: null, speaker: 'Sebastian Siemiatkowski', quote: 'We are hiring humans again' });
    const ipo = fact({ kind: 'ipo', value: null, unit: null, direction: null, status: 'paused', asOf: '2025-04' });
    for (const f of [fact(), quote, ipo]) expect(verdicts(f)).toEqual({ ajv: true, zod: true });
    const doc = { schemaVersion: 1, generatedAt: '2026-01-02T03:04:05.000Z', facts: [fact(), quote, ipo] };
    expect(contractErrors(FACTS_EXPORT_REF, doc)).toBeNull();
  });

  it.each([
    ['a missing required field (sources)', without('sources')],
    ['a missing required field (conflictsWith)', without('conflictsWith')],
    ['a field the contract does not have', fact({ valueUsd: 6.7e9 })],
    ['a fact with no source', fact({ sources: [] })],
    ['a source without its evidence', fact({ sources: [{ ...(fact().sources as object[])[0]!, evidence: '' }] })],
    ['a source with an extra field', fact({ sources: [{ ...(fact().sources as object[])[0]!, html: '<b>' }] })],
    ['a kind outside the vocabulary', fact({ kind: 'rumour' })],
    ['a valuation without a value', fact({ value: null })],
    ['a number written as text', fact({ value: '6.7bn' })],
    ['a quote without its speaker', fact({ kind: 'quote', value: null, quote: 'We are hiring', speaker: null })],
    ['a quote with empty words', fact({ kind: 'quote', value: null, quote: '', speaker: 'CEO' })],
    ['an IPO event without a status', fact({ kind: 'ipo', value: null, status: null })],
    ['an IPO status outside the vocabulary', fact({ kind: 'ipo', status: 'rumoured' })],
    ['a period in another notation', fact({ asOf: 'Q1 2025' })],
    ['a confidence above 1', fact({ confidence: 1.5 })],
    ['a company slug with capitals', fact({ company: 'Klarna' })],
    ['an unknown corroboration', fact({ corroboration: 'confirmed' })],
    ['a fractional article id', fact({ sources: [{ ...(fact().sources as object[])[0]!, articleId: 1.5 }] })],
  ])('refuses %s, under ajv and zod alike', (_what, f) => {
    expect(verdicts(f)).toEqual({ ajv: false, zod: false });
  });

  it('checks the envelope: version, a real date-time (ajv-formats), and no stray fields', () => {
    const ok = { schemaVersion: 1, generatedAt: '2026-01-02T03:04:05.000Z', facts: [] };
    expect(contractErrors(FACTS_EXPORT_REF, ok)).toBeNull();
    expect(contractErrors(FACTS_EXPORT_REF, { ...ok, schemaVersion: 2 })).toMatch(/schemaVersion/);
    expect(contractErrors(FACTS_EXPORT_REF, { ...ok, generatedAt: 'yesterday' })).toMatch(/generatedAt/);
    expect(contractErrors(FACTS_EXPORT_REF, { ...ok, generatedAt: '2026-02-30T00:00:00.000Z' })).toMatch(/generatedAt/);
    expect(contractErrors(FACTS_EXPORT_REF, { ...ok, nextCursor: null })).toMatch(/additional properties/);
    expect(contractErrors(FACTS_EXPORT_REF, { ...ok, facts: [without('id')] })).toMatch(/\/facts\/0 must have required property 'id'/);
  });
});

describe('openapi.json error answers', () => {
  const req = (p: string, init?: RequestInit) => new Request(new URL(p, 'http://factdesk.test'), init);

  it('every error code the API has is documented under the one status it is sent with', () => {
    const documented = new Map<string, number>();
    const collect = (status: string, r: Response3) => {
      const target = r.$ref ? openApiDoc.components.responses[r.$ref.split('/').pop()!]! : r;
      for (const code of target.content!['application/json']!.schema.properties!.error!.properties.code.enum) documented.set(code, Number(status));
    };
    for (const item of Object.values(openApiDoc.paths)) for (const [status, r] of Object.entries(item.get!.responses)) if (status !== '200') collect(status, r);
    collect('404', openApiDoc.components.responses.NotFound!);
    expect(Object.fromEntries(documented)).toEqual(ERROR_STATUS);
    expect(ERROR_CODES).toHaveLength(Object.keys(ERROR_STATUS).length);
  });

  it('real error answers validate: 400, 404, 405, 414, 429 and 500 from the checks in front of every handler', async () => {
    const db = await tempDb();
    try {
      const ctx = { db: async () => db.db, client: '192.0.2.1' };
      // A client whose one request a minute is spent: its next one is the 429.
      const spent = new RateLimiter({ perMinute: 1, burst: 1 });
      spent.take(ctx.client);
      const answers: [string, RequestInit | undefined, Response][] = [
        ['/api/facts?limit=0', undefined, await handleApi(req('/api/facts?limit=0'), getFacts, ctx)],
        ['/api/search?q=%22%22', undefined, await handleApi(req('/api/search?q=%22%22'), getSearch, ctx)],
        ['/api/nothing', undefined, await handleApi(req('/api/nothing'), notFound, ctx)],
        ['/api/facts', { method: 'DELETE' }, await handleApi(req('/api/facts', { method: 'DELETE' }), getFacts, ctx)],
        [`/api/search?q=${'a'.repeat(3000)}`, undefined, await handleApi(req(`/api/search?q=${'a'.repeat(3000)}`), getSearch, ctx)],
        ['/api/companies', undefined, await handleApi(req('/api/companies'), getCompanies, { ...ctx, limiter: spent })],
        ['/api/facts', undefined, await handleApi(req('/api/facts'), async () => { throw new Error('select * from secrets'); }, { ...ctx, log: () => undefined })],
      ];
      expect(answers.map(([, , r]) => r.status)).toEqual([400, 400, 404, 405, 414, 429, 500]);
      for (const [p, init, r] of answers) {
        const body = (await checkApiAnswer(init?.method ?? 'GET', p, r)) as { error: { code: string } };
        expect(ERROR_STATUS[body.error.code as keyof typeof ERROR_STATUS]).toBe(r.status);
      }
    } finally {
      db.cleanup();
    }
  });

  it('refuses an error answer under the wrong status, with a code it does not list, or without its promised header', async () => {
    const bad = async (method: string, p: string, r: Response) => (await checkApiAnswer(method, p, r).then(() => null, (e: Error) => e.message));
    // 429 promises Retry-After; a rate-limit body under 400 is not a 400 code.
    expect(await bad('GET', '/api/facts', errorResponse('rate_limited', 'slow down'))).toMatch(/Retry-After/);
    const as400 = new Response(errorBody('rate_limited', 'slow down'), { status: 400, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    expect(await bad('GET', '/api/facts', as400)).toMatch(/code must be equal to one of the allowed values/);
    expect(await bad('GET', '/api/search', errorResponse('empty_query', 'nothing'))).toBeNull();
    // /api/facts has no empty_query: only search parses words.
    expect(await bad('GET', '/api/facts', errorResponse('empty_query', 'nothing'))).toMatch(/allowed values/);
    const leaky = new Response(JSON.stringify({ error: { code: 'internal', message: 'x', stack: 'at db.ts:1' } }), { status: 500, headers: { 'Content-Type': 'application/json' } });
    expect(await bad('GET', '/api/facts', leaky)).toMatch(/additional properties/);
    expect(await bad('GET', '/api/facts', new Response('{}', { status: 418, headers: { 'Content-Type': 'application/json' } }))).toMatch(/documents no 418/);
    expect(await bad('POST', '/api/facts', errorResponse('method_not_allowed', 'no', { Allow: 'GET, HEAD' }))).toBeNull();
    expect(await bad('POST', '/api/facts', errorResponse('method_not_allowed', 'no'))).toMatch(/Allow/);
  });
});
