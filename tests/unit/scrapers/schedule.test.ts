import { describe, expect, it } from 'vitest';
import { nextFetchAfterError, nextFetchAfterSuccess, publishingInterval } from '../../../scrapers/schedule.ts';

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

describe('adaptive polling', () => {
  const every = (minutes: number, n = 10) => Array.from({ length: n }, (_, i) => new Date(now.getTime() - i * minutes * 60_000).toISOString());
  it('polls a busy feed often and a quiet one rarely, within 5 min – 24 h', () => {
    expect(publishingInterval(every(20))).toBe(10);
    expect(minutesAfter(nextFetchAfterSuccess(now, { itemDates: every(20) }))).toBe(10);
    expect(minutesAfter(nextFetchAfterSuccess(now, { itemDates: every(2) }))).toBe(5);
    expect(minutesAfter(nextFetchAfterSuccess(now, { itemDates: every(7 * 24 * 60) }))).toBe(24 * 60);
  });
  it('falls back to the default without enough dates, and ttl still wins', () => {
    expect(minutesAfter(nextFetchAfterSuccess(now, { itemDates: [null, null, now.toISOString()] }))).toBe(30);
    expect(minutesAfter(nextFetchAfterSuccess(now, { itemDates: every(20), ttlMinutes: 60 }))).toBe(60);
  });
});
