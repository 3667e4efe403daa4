/**
 * The API as plain functions: (db, url) → Response for each endpoint, and `handleApi`, which puts the
 * checks every request passes through in front of one (method, query-string length, rate limit) and
 * turns any failure into a JSON error. Astro routes (src/pages/api) only bind these to the site's
 * database and the process's rate limiter (route.ts), so tests call them directly on a temp database.
 */
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { FactSchema } from '../../export/contract.ts';
import { exportFacts, FACTS_SCHEMA_VERSION, type ExportFact } from '../../export/facts.ts';
import { companiesWithKeyFigures, CompanyEntrySchema } from './companies.ts';
import { CompaniesParams, encodeCursor, FactsParams, parseParams, SearchParams } from './params.ts';
import type { RateLimiter } from './rate-limit.ts';
import { ALLOWED_METHODS, ApiError, errorResponse, json } from './respond.ts';
import { SearchHitSchema, searchIndex } from './search.ts';
import { toFtsQuery } from './search-query.ts';

export type Handler = (db: Db, url: URL) => Promise<Response>;

/** Longer query strings are refused before any parsing (no parameter needs more than a few hundred bytes). */
export const MAX_QUERY_BYTES = 2048;

/*
 * What each endpoint answers, as zod schemas (published in openapi.json by src/lib/api/openapi.ts).
 * The handlers build their answers as these types (`satisfies`), so the code and the description
 * cannot drift apart; the tests validate every answer against the published file.
 */
const generatedAt = z.iso.datetime().meta({ description: 'when the answer was made (UTC)' });

export const FactsAnswerSchema = z
  .strictObject({
    schemaVersion: z.literal(FACTS_SCHEMA_VERSION),
    generatedAt,
    facts: z.array(FactSchema),
    nextCursor: z.string().nullable().meta({ description: 'pass as cursor for the next page; null on the last' }),
  })
  .meta({ id: 'FactsPage', description: 'A page of facts in the export contract\'s shape, by id.' });

export const CompaniesAnswerSchema = z
  .strictObject({ schemaVersion: z.literal(1), generatedAt, companies: z.array(CompanyEntrySchema) })
  .meta({ id: 'Companies', description: 'Every company with facts, by name.' });

export const SearchAnswerSchema = z
  .strictObject({
    query: z.string().meta({ description: 'q as given, trimmed' }),
    results: z.array(SearchHitSchema),
    nextOffset: z.number().int().min(1).nullable().meta({ description: 'pass as offset for the next page; null on the last' }),
  })
  .meta({ id: 'SearchResults', description: 'Articles and facts ranked by bm25, a page at a time.' });

/** GET /api/facts?company&kind&since&limit&cursor — facts in the export contract's shape, by id, paged. */
export const getFacts: Handler = async (db, url) => {
  const p = parseParams(url, FactsParams);
  const out: ExportFact[] = [];
  // One more than asked: whether it exists decides if there is a next page.
  for await (const f of exportFacts(db, { company: p.company, kind: p.kind, since: p.since }, { after: p.cursor, limit: p.limit + 1 })) {
    out.push(f);
  }
  const more = out.length > p.limit;
  if (more) out.length = p.limit;
  return json({
    schemaVersion: FACTS_SCHEMA_VERSION,
    generatedAt: new Date().toISOString(),
    facts: out,
    nextCursor: more ? encodeCursor(out[out.length - 1]!.id) : null,
  } satisfies z.infer<typeof FactsAnswerSchema>);
};

/** GET /api/companies — every company with facts, its fact count and newest key figures. */
export const getCompanies: Handler = async (db, url) => {
  parseParams(url, CompaniesParams);
  return json({
    schemaVersion: 1,
    generatedAt: new Date().toISOString(),
    companies: await companiesWithKeyFigures(db),
  } satisfies z.infer<typeof CompaniesAnswerSchema>);
};

/**
 * GET /api/search?q&kind&limit&offset — articles and facts ranked by bm25, with plain-text snippets,
 * a page at a time: pass the answer's nextOffset (null on the last page) as offset for the next one.
 */
export const getSearch: Handler = async (db, url) => {
  const p = parseParams(url, SearchParams);
  const match = toFtsQuery(p.q);
  if (!match) throw new ApiError('empty_query', 'q has no words to search for');
  // One more than asked: whether it exists decides if there is a next page.
  const results = await searchIndex(db, match, { kind: p.kind, limit: p.limit + 1, offset: p.offset });
  const more = results.length > p.limit;
  if (more) results.length = p.limit;
  return json({ query: p.q, results, nextOffset: more ? p.offset + p.limit : null } satisfies z.infer<typeof SearchAnswerSchema>);
};

export const notFound: Handler = async (_db, url) =>
  errorResponse('not_found', `no API endpoint at ${url.pathname.slice(0, 200)}`);

export interface ApiContext {
  /** Opened lazily, so refused requests never touch the database. */
  db: () => Promise<Db>;
  limiter?: RateLimiter;
  /** Who the rate limit counts against: the client's IP address. */
  client: string;
  /** Where server-side detail of a failure goes (never to the client). */
  log?: (message: string, err: unknown) => void;
}

export async function handleApi(request: Request, handler: Handler, ctx: ApiContext): Promise<Response> {
  try {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return errorResponse('method_not_allowed', `${request.method.slice(0, 20)} is not allowed; use GET`, { Allow: ALLOWED_METHODS });
    }
    const url = new URL(request.url);
    if (Buffer.byteLength(url.search) > MAX_QUERY_BYTES) {
      return errorResponse('uri_too_long', `the query string is limited to ${MAX_QUERY_BYTES} bytes`);
    }
    if (ctx.limiter) {
      const d = ctx.limiter.take(ctx.client);
      if (!d.ok) {
        return errorResponse('rate_limited', `too many requests; retry in ${d.retryAfterS} s`, { 'Retry-After': String(d.retryAfterS) });
      }
    }
    return await handler(await ctx.db(), url);
  } catch (err) {
    if (err instanceof ApiError) return errorResponse(err.code, err.message);
    (ctx.log ?? defaultLog)(`api: ${request.method} ${request.url.slice(0, 300)} failed`, err);
    return errorResponse('internal', 'internal error');
  }
}

function defaultLog(message: string, err: unknown): void {
  console.error(message, err);
}
