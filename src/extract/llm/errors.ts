/**
 * What can go wrong in the LLM extractor, and what the pipeline does about it. Each is thrown by
 * `extract()` for one article; none ends a run.
 */

/** Base class; `code` is stable and machine-readable (for run_failures.code). */
export class LlmError extends Error {
  override name = 'LlmError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * The model answered, but not with a usable answer: not JSON, not the schema, cut off by the length
 * limit, or refused. The pipeline records a failure for the article and moves on; nothing is cached,
 * so a later run (or another model or prompt) tries again.
 * Codes: empty-answer, malformed-json, schema-mismatch, truncated, refused.
 */
export class LlmAnswerError extends LlmError {
  override name = 'LlmAnswerError';
}

/**
 * The per-run token cap (FACTDESK_MAX_TOKENS) would be exceeded: the article was not sent. The
 * pipeline records it and leaves the article pending for a later run. Code: budget.
 */
export class LlmBudgetError extends LlmError {
  override name = 'LlmBudgetError';
  constructor(message: string) {
    super('budget', message);
  }
}

/**
 * The request failed after the client's retries: timeout, rate limit, server error, connection
 * refused, bad credentials, or cancelled. The pipeline records a failure and leaves the article
 * pending. `status` is the HTTP status when there was one.
 * Codes: timeout, rate-limited, http-status, connection, aborted.
 */
export class LlmRequestError extends LlmError {
  override name = 'LlmRequestError';
  readonly status: number | null;

  constructor(code: string, message: string, status: number | null = null, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}
