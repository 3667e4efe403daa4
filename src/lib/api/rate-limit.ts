/**
 * Per-client token buckets, in memory: each client (IP address) may burst up to `burst` requests, then
 * gets `perMinute` a minute. In memory is enough for one `factdesk serve` process; several processes
 * behind a balancer would each enforce their own share.
 *
 * Buckets refill lazily on use, so an idle client costs nothing but its map entry; entries that have
 * refilled completely are swept when the map grows, which bounds memory under a flood of addresses.
 */

export interface RateLimitOptions {
  /** Sustained requests per minute per client. */
  perMinute: number;
  /** Requests a client may make at once before the sustained rate applies. */
  burst: number;
  /** Swept of full buckets beyond this many clients. */
  maxClients?: number;
}

export type Decision = { ok: true; remaining: number } | { ok: false; retryAfterS: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly perMinute: number;
  readonly burst: number;
  private readonly maxClients: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(opts: RateLimitOptions) {
    if (!(opts.perMinute > 0) || !(opts.burst >= 1)) throw new RangeError('rate limit: perMinute > 0 and burst ≥ 1');
    this.perMinute = opts.perMinute;
    this.burst = opts.burst;
    this.maxClients = opts.maxClients ?? 10_000;
  }

  /** Takes one token for `client` at time `now` (ms). */
  take(client: string, now: number = Date.now()): Decision {
    const perMs = this.perMinute / 60_000;
    let b = this.buckets.get(client);
    if (!b) {
      if (this.buckets.size >= this.maxClients) this.sweep(now);
      b = { tokens: this.burst, at: now };
      this.buckets.set(client, b);
    } else {
      b.tokens = Math.min(this.burst, b.tokens + Math.max(0, now - b.at) * perMs);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, remaining: Math.floor(b.tokens) };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
  }

  get clients(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    const perMs = this.perMinute / 60_000;
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * perMs >= this.burst) this.buckets.delete(k);
    // Still full of active clients: drop the oldest entries (Map iterates in insertion order).
    for (const k of this.buckets.keys()) {
      if (this.buckets.size < this.maxClients) break;
      this.buckets.delete(k);
    }
  }
}
