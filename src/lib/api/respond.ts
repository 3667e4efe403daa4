/**
 * JSON responses of the API. Every answer, error or not, is JSON with an explicit charset; errors
 * have one shape, {error: {code, message}} (ErrorBodySchema, published in openapi.json), and never
 * carry internal detail (stack, SQL, paths).
 */
import { z } from 'zod';

/** Every error code with the one HTTP status it is sent with, so the API description can list each status's codes. */
export const ERROR_STATUS = {
  bad_request: 400,
  empty_query: 400,
  not_found: 404,
  method_not_allowed: 405,
  uri_too_long: 414,
  rate_limited: 429,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** The error body, for the codes given (all by default). */
export function errorBodySchema(codes: readonly ErrorCode[] = ERROR_CODES) {
  return z.strictObject({
    error: z.strictObject({
      code: z.enum(codes as [ErrorCode, ...ErrorCode[]]),
      message: z.string().min(1).meta({ description: 'for a person; never internal detail' }),
    }),
  });
}
export const ErrorBodySchema = errorBodySchema().meta({ id: 'Error', description: 'Every error answer of the API.' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** A failure the client caused (or may know about), thrown by handlers and turned into a response. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.status = ERROR_STATUS[code];
    this.code = code;
  }
}

/** Successful reads may be cached briefly by a browser or CDN: the data changes on refresh, not per second. */
export const CACHE_OK = 'public, max-age=60';

export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': init.status && init.status >= 400 ? 'no-store' : CACHE_OK,
      ...init.headers,
    },
  });
}

/** The one error body, also written by `factdesk serve` for what it refuses before Astro sees it. */
export function errorBody(code: ErrorCode, message: string): string {
  return JSON.stringify({ error: { code, message } } satisfies ErrorBody);
}

export function errorResponse(code: ErrorCode, message: string, headers: Record<string, string> = {}): Response {
  return new Response(errorBody(code, message), {
    status: ERROR_STATUS[code],
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
}

/** Methods every API endpoint (and every static file) answers. */
export const ALLOWED_METHODS = 'GET, HEAD';
