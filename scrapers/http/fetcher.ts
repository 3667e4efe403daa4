/**
 * The polite, defensive HTTP client of the collector. Every feed and article page goes through
 * `Fetcher.fetch`, which owns the whole HTTP policy so that callers only see a result or a FetchError:
 *
 *  - who we are: a named User-Agent, robots.txt (cached per origin) and its Crawl-delay;
 *  - how much we ask: bounded concurrency overall and per host, conditional requests (ETag /
 *    Last-Modified), Retry-After on 429/503 remembered per host;
 *  - what we accept: http(s) only, public addresses only (address-guard), at most `maxRedirects`
 *    hops, one deadline for the whole exchange, at most `maxBytes` after decompression;
 *  - what we hand back: bytes and text decoded with the right charset (charset.ts).
 *
 * Retries here are few and short (a rate limit we are asked to wait out, one retry for a 5xx or a
 * dropped connection); everything else is the caller's business, guided by `FetchError.retryable`.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import robotsParser from 'robots-parser';
import { Agent, request, type Dispatcher } from 'undici';
import { checkUrl, createGuardedLookup, isTrustedUrl, type AddressPolicy } from './address-guard.ts';
import { decodeBody, type BodyKind } from './charset.ts';
import { FetchError } from './errors.ts';
import { discard, readBody } from './body.ts';
import { abortableSleep, HostGate } from './host-gate.ts';
import {
  DEFAULT_RATE_LIMIT_WAIT_MS,
  errorForResponse,
  headerValue,
  maxAgeSeconds,
  parseRetryAfter,
  REDIRECT_STATUSES,
  type ResponseHeaders,
} from './response.ts';

export { errorForResponse, parseRetryAfter, type ResponseHeaders };

export interface FetcherOptions {
  /** Sent on every request; its product token ("Factdesk") is also our robots.txt user-agent. */
  userAgent: string;
  /** Time to open the TCP/TLS connection. */
  connectTimeoutMs: number;
  /** One deadline per attempt: connect, every redirect hop, headers and the whole body. */
  totalTimeoutMs: number;
  /** Cap on response bytes after decompression (a gzip bomb stops here). */
  maxBytes: number;
  maxRedirects: number;
  /** Requests in flight overall. */
  concurrency: number;
  /** Requests in flight per host (host:port). */
  perHostConcurrency: number;
  /** Allow loopback/private/link-local targets (FACTDESK_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworks: boolean;
  /** Origins allowed even on private addresses, e.g. the bundled sample on 127.0.0.1. */
  allowedOrigins: string[];
  respectRobots: boolean;
  /** Longest Retry-After we wait out ourselves; longer ones fail at once with 'rate-limited'. */
  maxRetryWaitMs: number;
  /** Optional observer for things worth a log line that are not errors (retries, unreadable robots.txt). */
  onEvent?: (event: FetcherEvent) => void;
}

export type FetcherEvent =
  | { type: 'retry'; url: string; attempt: number; waitMs: number; error: FetchError }
  | { type: 'host-blocked'; host: string; untilMs: number; error: FetchError }
  | { type: 'robots-unavailable'; origin: string; error: FetchError };

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  /** Overrides the Accept header chosen from `kind`. */
  accept?: string;
  /** 'feed' (default Accept for RSS/Atom/JSON Feed, decoded as xml or json) or 'page' (html). Default 'page'. */
  kind?: 'feed' | 'page';
  /**
   * Asked with the response's Content-Type before the body is read; false means "not something we
   * read in full" (a PDF, an image): only its first HEAD_BYTES are read, enough to sniff what it is,
   * and the result is `partial`. Default: read every body.
   */
  wantsBody?: (contentType: string | null) => boolean;
  signal?: AbortSignal;
}

export interface FetchOk {
  status: 'ok';
  /** Final URL after redirects (normalised href). */
  url: string;
  /** The URL as the caller passed it. */
  requestedUrl: string;
  statusCode: number;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** Decompressed body bytes (only the first HEAD_BYTES when `partial`). */
  body: Buffer;
  /** True when `wantsBody` declined the body and only its head was read. */
  partial: boolean;
  text: string;
  charset: string;
  /** Every URL we were redirected to, in order (empty when there was no redirect). */
  redirects: string[];
  cacheControlMaxAgeS: number | null;
  expires: string | null;
}

export interface FetchNotModified {
  status: 'not-modified';
  url: string;
  requestedUrl: string;
  /** Validators from the 304, or the ones we sent when the server did not repeat them. */
  etag: string | null;
  lastModified: string | null;
  statusCode: 304;
}

export type FetchResult = FetchOk | FetchNotModified;

/** Response headers as undici gives them (lower-case names). */

const DEFAULTS: FetcherOptions = {
  userAgent: 'Factdesk/0.1 (+https://github.com/factdesk/factdesk; news research bot)',
  connectTimeoutMs: 10_000,
  totalTimeoutMs: 30_000,
  maxBytes: 15 * 1024 * 1024,
  maxRedirects: 5,
  concurrency: 16,
  perHostConcurrency: 2,
  allowPrivateNetworks: false,
  allowedOrigins: [],
  respectRobots: true,
  maxRetryWaitMs: 30_000,
};

const ACCEPT = {
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5',
  page: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.8',
} as const;

/** A 429 without Retry-After still means "slow down"; we keep away from the host this long. */
const MAX_RATE_LIMIT_RETRIES = 2;
/** One quick second chance for a 5xx or a dropped connection; more is the caller's decision. */
const MAX_ERROR_RETRIES = 1;
const ERROR_RETRY_BACKOFF_MS = 500;
/** Crawl-delay is honoured up to this; a larger value would stall a whole run on one host. */
const MAX_CRAWL_DELAY_MS = 10_000;
const ROBOTS_MAX_BYTES = 512 * 1024;
const ROBOTS_TTL_MS = 24 * 60 * 60 * 1000;
/** What is read of a body the caller does not want: enough for any magic number file-type knows. */
export const HEAD_BYTES = 4100;

export class Fetcher {
  private readonly options: FetcherOptions;
  private readonly policy: AddressPolicy;
  private readonly robotsToken: string;
  /** Connects only to public addresses (guarded DNS lookup). */
  private readonly guardedAgent: Agent;
  /** For trusted origins (allowedOrigins) or when private networks are allowed: plain lookup. */
  private trustedAgent: Agent | null = null;
  private readonly globalLimit: LimitFunction;
  private readonly hostLimits = new Map<string, LimitFunction>();
  private readonly gate = new HostGate();
  private readonly robots = new Map<string, { rules: Promise<Robots | null>; expiresAt: number }>();
  private closed = false;

  constructor(options: Partial<FetcherOptions> = {}) {
    // Callers pass config fields straight through; an undefined field means "use the default".
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<FetcherOptions>;
    this.options = { ...DEFAULTS, ...defined };
    this.policy = { allowPrivateNetworks: this.options.allowPrivateNetworks, allowedOrigins: this.options.allowedOrigins };
    this.robotsToken = /^[^/\s]+/.exec(this.options.userAgent)?.[0] ?? 'Factdesk';
    this.guardedAgent = this.createAgent(this.options.allowPrivateNetworks ? undefined : createGuardedLookup());
    this.globalLimit = pLimit(this.options.concurrency);
  }

  async fetch(rawUrl: string, opts: FetchOptions = {}): Promise<FetchResult> {
    if (this.closed) throw new FetchError('network', `fetch: fetcher is closed (${rawUrl})`, { url: rawUrl });
    const url = checkUrl(rawUrl, this.policy);
    let rateLimitRetries = 0;
    let errorRetries = 0;
    for (let attempt = 1; ; attempt++) {
      const crawlDelayMs = this.options.respectRobots ? await this.assertRobotsAllow(url) : 0;
      await this.gate.waitTurn(url, crawlDelayMs, this.options.maxRetryWaitMs, opts.signal);

      let failure: FetchError;
      try {
        const result = await this.withSlots(url.host, () => this.exchange(url, opts, { maxBytes: this.options.maxBytes, checkRobots: true }));
        return { ...result, requestedUrl: rawUrl };
      } catch (err) {
        failure = err instanceof FetchError ? err : new FetchError('network', `fetch: ${String(err)} for ${url.href}`, { url: url.href, cause: err });
      }
      if (opts.signal?.aborted || this.closed) throw failure;

      if (failure.code === 'rate-limited') {
        const waitMs = failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
        const untilMs = Date.now() + waitMs;
        this.gate.block(url.host, untilMs);
        this.emit({ type: 'host-blocked', host: url.host, untilMs, error: failure });
        if (rateLimitRetries >= MAX_RATE_LIMIT_RETRIES || waitMs > this.options.maxRetryWaitMs) throw failure;
        rateLimitRetries++;
        this.emit({ type: 'retry', url: url.href, attempt, waitMs, error: failure });
        continue; // the gate makes us (and everyone else bound for this host) wait
      }
      if (errorRetries < MAX_ERROR_RETRIES && worthQuickRetry(failure)) {
        errorRetries++;
        this.emit({ type: 'retry', url: url.href, attempt, waitMs: ERROR_RETRY_BACKOFF_MS, error: failure });
        await abortableSleep(ERROR_RETRY_BACKOFF_MS, url.href, opts.signal);
        continue;
      }
      throw failure;
    }
  }

  /** Destroys the connection pools: no socket stays open, later fetches fail. */
  async close(): Promise<void> {
    this.closed = true;
    this.robots.clear();
    await Promise.all([this.guardedAgent.destroy(), this.trustedAgent?.destroy()]);
  }

  /**
   * One attempt: request, follow redirects (each hop vetted by the address guard and robots.txt),
   * then read and decode the body, all under one deadline.
   */
  private async exchange(
    start: URL,
    opts: FetchOptions,
    limits: { maxBytes: number; checkRobots: boolean; bodyKind?: BodyKind },
  ): Promise<Omit<FetchOk, 'requestedUrl'> | Omit<FetchNotModified, 'requestedUrl'>> {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.options.totalTimeoutMs);
    const signal = opts.signal ? AbortSignal.any([deadline.signal, opts.signal]) : deadline.signal;
    const kind = opts.kind ?? 'page';
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: opts.accept ?? ACCEPT[kind],
      'accept-encoding': 'gzip, deflate, br',
    };
    if (opts.etag) headers['if-none-match'] = opts.etag;
    if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;

    let url = start;
    const redirects: string[] = [];
    const seen = new Set([start.href.replace(/#.*$/, '')]);
    try {
      for (;;) {
        const res = await request(url, { method: 'GET', headers, signal, dispatcher: this.dispatcherFor(url) });
        const location = headerValue(res.headers, 'location');
        if (REDIRECT_STATUSES.has(res.statusCode) && location) {
          await discard(res.body, signal);
          url = this.nextHop(url, location, redirects, seen);
          if (limits.checkRobots && this.options.respectRobots) await this.assertRobotsAllow(url);
          continue;
        }
        if (res.statusCode === 304) {
          await discard(res.body, signal);
          return {
            status: 'not-modified',
            url: url.href,
            statusCode: 304,
            etag: headerValue(res.headers, 'etag') ?? opts.etag ?? null,
            lastModified: headerValue(res.headers, 'last-modified') ?? opts.lastModified ?? null,
          };
        }
        if (res.statusCode < 200 || res.statusCode > 299) {
          await discard(res.body, signal);
          throw errorForResponse(res.statusCode, url.href, res.headers);
        }
        const contentType = headerValue(res.headers, 'content-type');
        const partial = opts.wantsBody?.(contentType) === false;
        const body = await readBody(res.body, res.headers, limits.maxBytes, url.href, partial ? HEAD_BYTES : undefined);
        const bodyKind = limits.bodyKind ?? (kind === 'page' ? 'html' : /json/i.test(contentType ?? '') ? 'json' : 'xml');
        const decoded = decodeBody(body, contentType, bodyKind);
        return {
          status: 'ok',
          url: url.href,
          statusCode: res.statusCode,
          contentType,
          etag: headerValue(res.headers, 'etag'),
          lastModified: headerValue(res.headers, 'last-modified'),
          body,
          partial,
          text: decoded.text,
          charset: decoded.charset,
          redirects,
          cacheControlMaxAgeS: maxAgeSeconds(headerValue(res.headers, 'cache-control')),
          expires: headerValue(res.headers, 'expires'),
        };
      }
    } catch (err) {
      throw this.asFetchError(err, url.href, { deadlineHit: deadline.signal.aborted, callerAborted: opts.signal?.aborted === true });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Validates a Location header as the next hop; mutates the redirect bookkeeping. */
  private nextHop(from: URL, location: string, redirects: string[], seen: Set<string>): URL {
    if (redirects.length >= this.options.maxRedirects) {
      throw new FetchError('too-many-redirects', `fetch: more than ${this.options.maxRedirects} redirects for ${from.href}`, { url: from.href });
    }
    let target: string;
    try {
      target = new URL(location, from).href;
    } catch (cause) {
      throw new FetchError('bad-url', `fetch: invalid redirect Location ${JSON.stringify(location)} from ${from.href}`, { url: from.href, cause });
    }
    const next = checkUrl(target, this.policy);
    next.hash = ''; // never sent to the server; "/a" and "/a#x" are the same hop for loop detection
    if (seen.has(next.href)) {
      throw new FetchError('redirect-loop', `fetch: redirect loop back to ${next.href}`, { url: next.href });
    }
    seen.add(next.href);
    redirects.push(next.href);
    return next;
  }

  /** Throws 'robots-disallowed' when robots.txt forbids the URL; returns the Crawl-delay to honour (ms). */
  private async assertRobotsAllow(url: URL): Promise<number> {
    const rules = await this.robotsFor(url.origin);
    if (rules === null) return 0;
    if (rules.isAllowed(url.href, this.robotsToken) === false) {
      throw new FetchError('robots-disallowed', `fetch: robots.txt of ${url.origin} disallows ${url.href}`, { url: url.href });
    }
    const delayS = rules.getCrawlDelay(this.robotsToken);
    return typeof delayS === 'number' && delayS > 0 ? Math.min(delayS * 1000, MAX_CRAWL_DELAY_MS) : 0;
  }

  /**
   * robots.txt once per origin (concurrent callers share the request). Null means "no rules": a 4xx
   * answer (RFC 9309: allow all), or an unreadable file (5xx, timeout…), which we also treat as allow
   * but report through onEvent.
   */
  private robotsFor(origin: string): Promise<Robots | null> {
    const cached = this.robots.get(origin);
    if (cached && cached.expiresAt > Date.now()) return cached.rules;
    const robotsUrl = new URL('/robots.txt', origin);
    const rules = this.exchange(robotsUrl, { accept: 'text/plain, */*;q=0.5' }, { maxBytes: ROBOTS_MAX_BYTES, checkRobots: false, bodyKind: 'text' }).then(
      (res) => (res.status === 'ok' ? robotsParser(robotsUrl.href, res.text) : null),
      (err: unknown) => {
        const error = err instanceof FetchError ? err : new FetchError('network', `fetch: ${String(err)}`, { url: robotsUrl.href, cause: err });
        const missing = error.code === 'http-status' && error.statusCode !== undefined && error.statusCode < 500;
        // A blocked address is reported by the page fetch itself; no need to say it twice.
        if (!missing && error.code !== 'blocked-address') this.emit({ type: 'robots-unavailable', origin, error });
        return null;
      },
    );
    this.robots.set(origin, { rules, expiresAt: Date.now() + ROBOTS_TTL_MS });
    return rules;
  }

  /** Runs a task inside the host's slot, then the global slot (in this order, so a busy host cannot hog global slots). */
  private withSlots<T>(host: string, task: () => Promise<T>): Promise<T> {
    let limit = this.hostLimits.get(host);
    if (!limit) {
      limit = pLimit(this.options.perHostConcurrency);
      this.hostLimits.set(host, limit);
    }
    const hostLimit = limit;
    return hostLimit(() => this.globalLimit(task)).finally(() => {
      if (hostLimit.activeCount === 0 && hostLimit.pendingCount === 0) this.hostLimits.delete(host);
    });
  }

  private dispatcherFor(url: URL): Dispatcher {
    if (this.options.allowPrivateNetworks || !isTrustedUrl(url, this.policy)) return this.guardedAgent;
    this.trustedAgent ??= this.createAgent(undefined);
    return this.trustedAgent;
  }

  private createAgent(lookup: ReturnType<typeof createGuardedLookup> | undefined): Agent {
    return new Agent({
      connect: lookup ? { timeout: this.options.connectTimeoutMs, lookup } : { timeout: this.options.connectTimeoutMs },
      // Our own deadline is the real limit; these only keep undici from waiting longer than it.
      headersTimeout: this.options.totalTimeoutMs,
      bodyTimeout: this.options.totalTimeoutMs,
    });
  }

  /** Maps whatever an attempt threw (undici, zlib, the guard, our own checks) to a FetchError. */
  private asFetchError(err: unknown, url: string, why: { deadlineHit: boolean; callerAborted: boolean }): FetchError {
    if (why.callerAborted && !why.deadlineHit) {
      return new FetchError('network', `fetch: request aborted by the caller for ${url}`, { url, cause: err });
    }
    if (why.deadlineHit) {
      return new FetchError('timeout', `fetch: no complete response within ${this.options.totalTimeoutMs} ms for ${url}`, { url, cause: err });
    }
    if (err instanceof FetchError) {
      // The guarded DNS lookup only knows the host name; give its error the URL.
      if (err.code === 'blocked-address' && err.url !== url && !err.url.includes('://')) {
        return new FetchError('blocked-address', err.message.replace(` for ${err.url}`, ` for ${url}`), { url, cause: err });
      }
      return err;
    }
    const code = errorCode(err);
    const message = err instanceof Error ? err.message : String(err);
    if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
      return new FetchError('timeout', `fetch: ${message} for ${url}`, { url, cause: err });
    }
    return new FetchError('network', `fetch: ${code ? `${code} ` : ''}${message} for ${url}`, { url, cause: err });
  }

  private emit(event: FetcherEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // An observer that throws must not break a fetch.
    }
  }
}

type Robots = ReturnType<typeof robotsParser>;

/** 5xx answers and dropped connections get one quick second try; timeouts do not (that would double the wait). */
function worthQuickRetry(error: FetchError): boolean {
  if (error.code === 'network') return true;
  return error.code === 'http-status' && error.statusCode !== undefined && [500, 502, 503, 504].includes(error.statusCode);
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

