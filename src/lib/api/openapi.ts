/**
 * The API described as OpenAPI 3.1 (content/openapi.json, written by `npm run schemas`, served by
 * `factdesk serve` at /openapi.json). Built from the zod schemas the handlers parse their query
 * strings with (params.ts) and type their answers by (handlers.ts, respond.ts), so the description
 * says what the code does.
 */
import type { z } from 'zod';
import { SchemaSet } from '../../shared/json-schema.ts';
import { CompaniesAnswerSchema, FactsAnswerSchema, MAX_QUERY_BYTES, SearchAnswerSchema } from './handlers.ts';
import { CompaniesParams, FactsParams, SearchParams } from './params.ts';
import { ALLOWED_METHODS, CACHE_OK, ERROR_CODES, ERROR_STATUS, ErrorBodySchema, errorBodySchema, type ErrorCode } from './respond.ts';

export const OPENAPI_FILE = 'openapi.json';

interface Endpoint {
  path: string;
  summary: string;
  description: string;
  params: z.ZodObject;
  answer: z.ZodType;
  /** Its own 400 codes; every endpoint also has the codes of the checks in front of it (COMMON). */
  badRequest: ErrorCode[];
}

/** Every /api/* route (src/pages/api), with what it reads and answers. */
export const ENDPOINTS: Endpoint[] = [
  {
    path: '/api/facts',
    summary: 'Facts with their sources, paged',
    description: 'Current facts in the shape of the facts export (facts.schema.json), ordered by id and filtered as `factdesk export facts` filters.',
    params: FactsParams,
    answer: FactsAnswerSchema,
    badRequest: ['bad_request'],
  },
  {
    path: '/api/companies',
    summary: 'Companies with fact counts and key figures',
    description: 'Every company that has current facts, with the newest headcount, valuation, revenue, net income and credit losses.',
    params: CompaniesParams,
    answer: CompaniesAnswerSchema,
    badRequest: ['bad_request'],
  },
  {
    path: '/api/search',
    summary: 'Full-text search over articles and facts',
    description: 'libSQL FTS5 ranked by bm25, with plain-text snippets. Without kind, articles and facts alternate.',
    params: SearchParams,
    answer: SearchAnswerSchema,
    badRequest: ['bad_request', 'empty_query'],
  },
];

/** Answers any endpoint may give, from the checks every request passes (handleApi, factdesk serve). */
const COMMON: { code: ErrorCode; name: string; description: string; headers?: Record<string, string> }[] = [
  { code: 'not_found', name: 'NotFound', description: 'Any other path under /api/.' },
  { code: 'method_not_allowed', name: 'MethodNotAllowed', description: 'A method other than GET or HEAD.', headers: { Allow: `the methods every path answers: ${ALLOWED_METHODS}` } },
  { code: 'uri_too_long', name: 'UriTooLong', description: `A query string longer than ${MAX_QUERY_BYTES} bytes.` },
  { code: 'rate_limited', name: 'RateLimited', description: 'Too many requests from this address; wait Retry-After seconds.', headers: { 'Retry-After': 'seconds to wait' } },
  { code: 'internal', name: 'Internal', description: 'A failure on the server; the detail stays in its log.' },
];

function headersOf(h: Record<string, string> = {}) {
  return Object.fromEntries(Object.entries(h).map(([name, description]) => [name, { description, schema: { type: 'string' } }]));
}

function errorResponse(set: SchemaSet, description: string, codes: ErrorCode[], headers?: Record<string, string>) {
  const schema = codes.length === ERROR_CODES.length ? set.add(ErrorBodySchema) : set.add(errorBodySchema(codes));
  return { description, ...(headers ? { headers: headersOf(headers) } : {}), content: { 'application/json': { schema } } };
}

/** The query parameters of an endpoint, one per property of its (strict) params schema. */
function parametersOf(set: SchemaSet, params: z.ZodObject) {
  const json = set.add(params, 'input') as { properties?: Record<string, { description?: string }>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, { description, ...schema }]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    ...(description ? { description } : {}),
    schema,
  }));
}

export function openApiDocument(): Record<string, unknown> {
  const set = new SchemaSet('#/components/schemas/');
  set.add(ErrorBodySchema);
  const responses = Object.fromEntries(COMMON.map((c) => [c.name, errorResponse(set, c.description, [c.code], c.headers)]));
  const paths = Object.fromEntries(
    ENDPOINTS.map((e) => [
      e.path,
      {
        get: {
          operationId: e.path.slice('/api/'.length),
          summary: e.summary,
          description: e.description,
          parameters: parametersOf(set, e.params),
          responses: {
            200: {
              description: 'The answer. HEAD gives the same status and headers without the body.',
              headers: headersOf({ 'Cache-Control': CACHE_OK }),
              content: { 'application/json': { schema: set.add(e.answer) } },
            },
            [ERROR_STATUS.bad_request]: errorResponse(set, 'Bad input: an unknown, repeated or invalid parameter (the message names it and says why).', e.badRequest),
            ...Object.fromEntries(
              COMMON.filter((c) => c.code !== 'not_found').map((c) => [ERROR_STATUS[c.code], { $ref: `#/components/responses/${c.name}` }]),
            ),
          },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Factdesk API',
      version: '1',
      description: [
        'The live database behind a Factdesk site, served by `factdesk serve`. Every answer is JSON; errors are',
        '{"error": {"code", "message"}}, and any other path under /api/ answers 404 `not_found` (components/responses/NotFound).',
        'Parameters not listed are refused (400), as are repeated ones. Generated from the zod schemas in src/lib/api by',
        '`npm run schemas`; do not edit by hand.',
      ].join(' '),
    },
    servers: [{ url: '/', description: 'the site that serves this file' }],
    paths,
    components: { schemas: set.defs, responses },
  };
}
