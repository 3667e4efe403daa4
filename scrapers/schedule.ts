/**
 * When a feed is due again. Busy feeds are polled more often than quiet ones (from how often they
 * publish, bounded to 5 min – 24 h), never more often than their ttl / Cache-Control allow, and after
 * failures back off exponentially (15 min, 30 min, 1 h … capped at 24 h) so a broken feed is slowed,
 * not hammered, and never dropped.
 */
export const DEFAULT_INTERVAL_MIN = 30;
export const MIN_INTERVAL_MIN = 5;
export const MAX_INTERVAL_MIN = 24 * 60;
const ERROR_BASE_MIN = 15;

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * How often a feed publishes, from its items' dates: half the median gap between the ten newest,
 * so a busy feed is polled often and a quiet one rarely. Null when there are too few dates.
 */
export function publishingInterval(itemDates: (string | null)[]): number | null {
  const times = itemDates
    .filter((d): d is string => !!d)
    .map((d) => Date.parse(d))
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => b - a)
    .slice(0, 10);
  if (times.length < 3) return null;
  const gaps = times.slice(1).map((t, i) => (times[i]! - t) / 60_000).sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)]!;
  return median / 2;
}

export function nextFetchAfterSuccess(
  now: Date,
  opts: { ttlMinutes?: number | null; maxAgeSeconds?: number | null; itemDates?: (string | null)[] } = {},
): string {
  const adaptive = opts.itemDates ? publishingInterval(opts.itemDates) : null;
  const hints = [adaptive ?? DEFAULT_INTERVAL_MIN];
  if (opts.ttlMinutes && opts.ttlMinutes > 0) hints.push(opts.ttlMinutes);
  if (opts.maxAgeSeconds && opts.maxAgeSeconds > 0) hints.push(opts.maxAgeSeconds / 60);
  const minutes = clamp(Math.max(...hints), MIN_INTERVAL_MIN, MAX_INTERVAL_MIN);
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

/** errorCount is the count including this failure (1 after the first). */
export function nextFetchAfterError(now: Date, errorCount: number, retryAfterMs?: number | null): string {
  const backoff = ERROR_BASE_MIN * 2 ** Math.min(Math.max(errorCount - 1, 0), 10);
  let minutes = clamp(backoff, ERROR_BASE_MIN, MAX_INTERVAL_MIN);
  if (retryAfterMs && retryAfterMs > 0) minutes = clamp(Math.max(minutes, retryAfterMs / 60_000), 1, MAX_INTERVAL_MIN);
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}
