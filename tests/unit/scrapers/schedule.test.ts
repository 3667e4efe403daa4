import { describe, expect, it } from 'vitest';
import { nextFetchAfterError, nextFetchAfterSuccess } from '../../../scrapers/schedule.ts';

const now = new Date('2025-05-14T12:00:00.000Z');
const minutesAfter = (iso: string) => (Date.parse(iso) - now.getTime()) / 60_000;

describe('feed schedule', () => {
  it('polls every 30 minutes by default and never sooner than ttl or max-age say', () => {
    expect(minutesAfter(nextFetchAfterSuccess(now))).toBe(30);
    expect(minutesAfter(nextFetchAfterSuccess(now, { ttlMinutes: 120 }))).toBe(120);
    expect(minutesAfter(nextFetchAfterSuccess(now, { maxAgeSeconds: 3600 }))).toBe(60);
    expect(minutesAfter(nextFetchAfterSuccess(now, { ttlMinutes: 100_000 }))).toBe(24 * 60);
  });
  it('backs off exponentially after errors, capped at a day, and honours Retry-After', () => {
    expect([1, 2, 3, 4].map((n) => minutesAfter(nextFetchAfterError(now, n)))).toEqual([15, 30, 60, 120]);
    expect(minutesAfter(nextFetchAfterError(now, 40))).toBe(24 * 60);
    expect(minutesAfter(nextFetchAfterError(now, 1, 2 * 3600_000))).toBe(120);
  });
});
