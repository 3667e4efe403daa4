import { describe, expect, it } from 'vitest';
import { periodKey } from '../../../src/extract/brief.ts';
import { classify, independentSources } from '../../../src/extract/reconcile.ts';

const src = (articleId: number, outlet: string, copyOfId: number | null = null) => ({ articleId, outlet, url: null, copyOfId });
const fact = (id: string, value: number, sources: ReturnType<typeof src>[], kind = 'valuation', asOf: string | null = '2022') => ({
  id, kind, asOf, value, valueHigh: null, unit: 'USD', direction: null, sources,
});

describe('classify', () => {
  it('corroborates a claim from two independent outlets, not from one outlet twice or from a copy', () => {
    const r = classify([
      fact('a', 1, [src(1, 'Wire A'), src(2, 'Wire B')]),
      fact('b', 2, [src(3, 'Wire A'), src(4, 'wire a')], 'revenue'),
      fact('c', 3, [src(5, 'Wire A'), src(6, 'Wire C', 5)], 'users'),
    ]);
    expect(Object.fromEntries(r)).toEqual({ a: 'corroborated', b: 'single-source', c: 'single-source' });
  });
  it('marks different values for one company, kind and period from different articles disputed', () => {
    const r = classify([fact('x', 45.6e9, [src(1, 'A')]), fact('y', 6.7e9, [src(2, 'B')]), fact('z', 1e9, [src(3, 'C')], 'valuation', '2021')]);
    expect(Object.fromEntries(r)).toEqual({ x: 'disputed', y: 'disputed', z: 'single-source' });
  });
  it('does not call two values inside one article a dispute, nor facts without a period', () => {
    const r = classify([fact('x', 10, [src(1, 'A')]), fact('y', 12, [src(1, 'A')]), fact('n1', 1, [src(2, 'A')], 'users', null), fact('n2', 2, [src(3, 'B')], 'users', null)]);
    expect([...r.values()]).toEqual(['single-source', 'single-source', 'single-source', 'single-source']);
  });
});

describe('independentSources', () => {
  it('marks a copy dependent only when its original is also a source', () => {
    expect(independentSources([src(1, 'A'), src(2, 'B', 1)]).map((s) => s.independent)).toEqual([true, false]);
    expect(independentSources([src(2, 'B', 1)]).map((s) => s.independent)).toEqual([true]);
  });
});

describe('periodKey', () => {
  it('orders quarters, halves, months, days and bare years in time', () => {
    const periods = ['2025', '2025-09-02', '2025-Q2', '2024-H2', '2025-04', null];
    expect([...periods].sort((a, b) => periodKey(a).localeCompare(periodKey(b)))).toEqual(['2024-H2', '2025-Q2', '2025-04', '2025-09-02', '2025', null]);
  });
});
