/**
 * Per-host politeness state shared by all requests of one Fetcher.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { FetchError } from './errors.ts';

/**
 * Per-host politeness that outlives single requests: "blocked until" from Retry-After, and the next
 * start time reserved under Crawl-delay (reservations make concurrent requests queue one delay apart).
 */
export class HostGate {
  private readonly hosts = new Map<string, { blockedUntil: number; nextStartAt: number }>();

  block(host: string, untilMs: number): void {
    const state = this.state(host);
    state.blockedUntil = Math.max(state.blockedUntil, untilMs);
  }

  async waitTurn(url: URL, crawlDelayMs: number, maxWaitMs: number, signal: AbortSignal | undefined): Promise<void> {
    const state = this.state(url.host);
    const blockedFor = state.blockedUntil - Date.now();
    if (blockedFor > maxWaitMs) {
      throw new FetchError('rate-limited', `fetch: ${url.host} asked us to wait ${Math.ceil(blockedFor / 1000)} s more (${url.href})`, {
        url: url.href,
        retryAfterMs: blockedFor,
      });
    }
    if (blockedFor > 0) await abortableSleep(blockedFor, url.href, signal);
    if (crawlDelayMs <= 0) return;
    const now = Date.now();
    const startAt = Math.max(now, state.nextStartAt);
    state.nextStartAt = startAt + crawlDelayMs;
    if (startAt > now) await abortableSleep(startAt - now, url.href, signal);
  }

  private state(host: string): { blockedUntil: number; nextStartAt: number } {
    let state = this.hosts.get(host);
    if (!state) {
      state = { blockedUntil: 0, nextStartAt: 0 };
      this.hosts.set(host, state);
    }
    return state;
  }
}

export async function abortableSleep(ms: number, url: string, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : undefined);
  } catch (cause) {
    throw new FetchError('network', `fetch: request aborted by the caller for ${url}`, { url, cause });
  }
}
