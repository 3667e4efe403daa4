/**
 * JSON responses of the API. Every answer, error or not, is JSON with an explicit charset; errors
 * have one shape, {error: {code, message}}, and never carry internal detail (stack, SQL, paths).
 */

export type ErrorCode =
  | 'bad_request'
  | 'empty_query'
  | 'not_found'
  | 'method_not_allowed'
  | 'uri_too_long'
  | 'rate_limited'
  | 'internal';

/** A failure the client caused (or may know about), thrown by handlers and turned into a response. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: ErrorCode;
  constructor(status: number, code: ErrorCode, message: string) {
    super(message);
    this.status = status;
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
  return JSON.stringify({ error: { code, message } });
}

export function errorResponse(status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): Response {
  return new Response(errorBody(code, message), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
}

/** Methods every API endpoint (and every static file) answers. */
export const ALLOWED_METHODS = 'GET, HEAD';
