/**
 * The per-run token cap (FACTDESK_MAX_TOKENS). Before an article is sent, its estimated cost is
 * reserved; if that would take the run over the cap, the article is not sent (LlmBudgetError) and
 * the budget is closed for the rest of the run, so spending stops at a predictable point. Actual
 * usage from the responses replaces the estimate once known.
 */
import { LlmBudgetError } from './errors.ts';

/** Allowance for the answer of one request, which is unknown until it arrives. */
export const COMPLETION_ESTIMATE = 512;

export interface Reservation {
  tokens: number;
  settled: boolean;
}

export class TokenBudget {
  /** Tokens reported (or estimated, when the server gives no usage) by finished requests. */
  used = 0;
  /** Estimates of requests reserved but not finished. */
  reserved = 0;
  /** Set once an article was refused; every later article is refused too. */
  exceeded = false;

  /** null: no cap. */
  readonly max: number | null;

  /** `max` null or undefined: no cap. */
  constructor(max: number | null = null) {
    this.max = max;
  }

  /** Reserves `tokens` for an article or throws LlmBudgetError. A zero reservation always succeeds. */
  reserve(tokens: number): Reservation {
    if (tokens > 0 && this.max !== null) {
      if (this.exceeded || this.used + this.reserved + tokens > this.max) {
        this.exceeded = true;
        throw new LlmBudgetError(
          `llm: token budget reached (${this.used} used, ${this.reserved} in flight, ~${tokens} needed, cap ${this.max})`,
        );
      }
    }
    this.reserved += tokens;
    return { tokens, settled: false };
  }

  /** Records what a request actually cost, releasing `part` of the reservation. */
  spend(r: Reservation, part: number, actual: number): void {
    const release = Math.min(part, r.tokens);
    r.tokens -= release;
    this.reserved -= release;
    this.used += actual;
  }

  /** Releases what is left of a reservation (the article is done or failed). */
  release(r: Reservation): void {
    if (r.settled) return;
    this.reserved -= r.tokens;
    r.tokens = 0;
    r.settled = true;
  }
}
