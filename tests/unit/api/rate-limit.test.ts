import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/lib/api/rate-limit.ts';

describe('RateLimiter (token bucket per client)', () => {
  it('allows the burst, then refuses with the seconds until the next token', () => {
    const l = new RateLimiter({ perMinute: 60, burst: 3 });
    const t = 1_000_000;
    expect([1, 2, 3].map(() => l.take('a', t).ok)).toEqual([true, true, true]);
    expect(l.take('a', t)).toEqual({ ok: false, retryAfterS: 1 });
    // Another client has its own bucket.
    expect(l.take('b', t).ok).toBe(true);
  });
  it('refills at the sustained rate, never above the burst', () => {
    const l = new RateLimiter({ perMinute: 6, burst: 2 }); // one token every 10 s
    const t = 0;
    l.take('a', t);
    l.take('a', t);
    const d = l.take('a', t + 1_000);
    expect(d.ok).toBe(false);
    expect(d.ok === false && d.retryAfterS).toBe(9);
    expect(l.take('a', t + 10_000).ok).toBe(true);
    expect(l.take('a', t + 10_000).ok).toBe(false);
    // A long idle period gives back the burst, not more.
    expect([1, 2, 3].map(() => l.take('a', t + 3_600_000).ok)).toEqual([true, true, false]);
  });
  it('bounds memory under many client addresses', () => {
    const l = new RateLimiter({ perMinute: 60, burst: 5, maxClients: 100 });
    for (let i = 0; i < 1000; i++) l.take(`10.0.${i >> 8}.${i & 255}`, i);
    expect(l.clients).toBeLessThanOrEqual(100);
  });
  it('rejects nonsense limits', () => {
    expect(() => new RateLimiter({ perMinute: 0, burst: 1 })).toThrow(RangeError);
  });
});
