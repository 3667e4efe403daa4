import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/lib/site/site-plan.ts';

describe('fingerprint', () => {
  it('is the sha256 of each part as JSON, each ended by NUL, base64url, 22 characters', () => {
    const parts = ['article', { id: 3, title: 'Klarna cuts 700 jobs' }, null, undefined, [1.5, 'USD']];
    const h = createHash('sha256');
    for (const p of parts) h.update(JSON.stringify(p) ?? 'undefined').update('\u0000');
    expect(fingerprint(...parts)).toBe(h.digest('base64url').slice(0, 22));
  });

  it('tells parts apart from their concatenation, and null from a missing value', () => {
    expect(fingerprint('ab')).not.toBe(fingerprint('a', 'b'));
    expect(fingerprint(null)).not.toBe(fingerprint(undefined));
    expect(fingerprint(['a', 'b'])).not.toBe(fingerprint('a', 'b'));
  });
});
