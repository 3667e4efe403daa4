/** Maps anything a feed or page step throws to what the run records and what happens next. */
import { FetchError } from '../http/errors.ts';
import { FeedParseError } from '../feeds/parse.ts';
import { PageTimeoutError } from './page-pool.ts';

export interface FailureReason {
  /** Stable code for the run's failure row (the FetchError code, 'parse' or 'internal'). */
  code: string;
  message: string;
  /** Worth trying again on a later run (a timeout, a 5xx, a 429), as opposed to a 404 or a broken feed. */
  retryable: boolean;
  /** The server asked us to wait this long (Retry-After). */
  retryAfterMs?: number;
}

export function describeFailure(err: unknown): FailureReason {
  if (err instanceof FetchError) {
    return { code: err.code, message: err.message, retryable: err.retryable, retryAfterMs: err.retryAfterMs };
  }
  if (err instanceof FeedParseError) return { code: 'parse', message: err.message, retryable: false };
  // The same page would keep the parser just as busy next time.
  if (err instanceof PageTimeoutError) return { code: err.code, message: err.message, retryable: false };
  const e = err as Error;
  return { code: 'internal', message: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`, retryable: true };
}
