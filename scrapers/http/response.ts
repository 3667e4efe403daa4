/**
 * Reading HTTP responses: the one place where a status becomes a FetchError, Retry-After, and the
 * header helpers the fetcher uses.
 */
import { STATUS_CODES } from 'node:http';
import { FetchError } from './errors.ts';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** What a 429 without Retry-After costs: long enough to be polite, short enough to come back today. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/**
 * Milliseconds to wait from a Retry-After header: delay-seconds ("120") or an HTTP-date (past dates
 * give 0). Null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  const v = value?.trim() ?? '';
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // HTTP-dates start with a day name; refusing anything else keeps Date.parse from guessing at "1.5".
  if (!/^[A-Za-z]{3}/.test(v)) return null;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The one place where an HTTP status becomes an error (called for every non-2xx, non-304, non-redirect
 * response). 429, and 503 with a Retry-After, are 'rate-limited' with the wait the server asked for.
 */
export function errorForResponse(statusCode: number, url: string, headers: ResponseHeaders, now: number = Date.now()): FetchError {
  const reason = STATUS_CODES[statusCode] ?? 'Unknown Status';
  if (statusCode === 429 || statusCode === 503) {
    const retryAfterMs = parseRetryAfter(headerValue(headers, 'retry-after'), now);
    if (statusCode === 429 || retryAfterMs !== null) {
      const waitMs = retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
      return new FetchError('rate-limited', `fetch: HTTP ${statusCode} ${reason} for ${url} (retry after ${Math.ceil(waitMs / 1000)} s)`, {
        url,
        statusCode,
        retryAfterMs: waitMs,
      });
    }
  }
  if (REDIRECT_STATUSES.has(statusCode)) {
    return new FetchError('http-status', `fetch: HTTP ${statusCode} ${reason} without a usable Location for ${url}`, { url, statusCode });
  }
  return new FetchError('http-status', `fetch: HTTP ${statusCode} ${reason} for ${url}`, { url, statusCode });
}


export function headerValue(headers: ResponseHeaders, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

export function maxAgeSeconds(cacheControl: string | null): number | null {
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl ?? '');
  return match?.[1] !== undefined ? Number(match[1]) : null;
}
