/**
 * The one error type of the HTTP layer. Every failure of `Fetcher.fetch` is a FetchError whose `code`
 * says what happened and whose `retryable` says what the caller should do: retry later (the feed's
 * next run, with backoff) or record the failure and stop trying until the URL changes.
 */

export type FetchErrorCode =
  | 'bad-url'
  | 'unsupported-scheme'
  | 'blocked-address'
  | 'robots-disallowed'
  | 'timeout'
  | 'too-large'
  | 'too-many-redirects'
  | 'redirect-loop'
  | 'http-status'
  | 'rate-limited'
  | 'network';

export interface FetchErrorInit {
  url: string;
  statusCode?: number;
  retryAfterMs?: number;
  cause?: unknown;
}

/** Codes that describe a passing condition: the same request may well succeed later. */
const TRANSIENT_CODES: ReadonlySet<FetchErrorCode> = new Set(['timeout', 'network', 'rate-limited']);

export class FetchError extends Error {
  override name = 'FetchError';
  readonly code: FetchErrorCode;
  readonly url: string;
  readonly statusCode?: number;
  /** How long the server asked us to wait (Retry-After), in ms, when known. */
  readonly retryAfterMs?: number;

  constructor(code: FetchErrorCode, message: string, init: FetchErrorInit) {
    // The "fetch: " prefix tells in a log line or a stored feed error which layer failed.
    super(message.startsWith('fetch: ') ? message : `fetch: ${message}`, { cause: init.cause });
    this.code = code;
    this.url = init.url;
    if (init.statusCode !== undefined) this.statusCode = init.statusCode;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }

  /**
   * True when trying again later may succeed: timeouts, network failures, rate limiting, 408, 429 and
   * 5xx. False for what will not change by itself: bad or blocked URLs, robots.txt, oversized bodies,
   * redirect problems and other 4xx (404, 410, 403 …).
   */
  get retryable(): boolean {
    if (TRANSIENT_CODES.has(this.code)) return true;
    if (this.code !== 'http-status' || this.statusCode === undefined) return false;
    return this.statusCode >= 500 || this.statusCode === 408 || this.statusCode === 429;
  }
}

export function isFetchError(err: unknown): err is FetchError {
  return err instanceof FetchError;
}
