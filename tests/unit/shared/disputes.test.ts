/**
 * Cross-outlet fixtures for the dispute classifier: syndicated copies, rounded and approximate values,
 * the same figure in different years, quarter against year, IPO price disagreement, planned against
 * priced. Each pair is what a researcher would sign: contradictions flagged on both sides, consistent
 * pairs never.
 */
import { describe, expect, it } from 'vitest';
import { classifyFacts, valuesAgree, type DisputeFact } from '../../../src/shared/facts/disputes.ts';

let n = 0;
const src = (articleId: number, outlet: string, copyOfId: number | null = null) => ({ articleId, outlet, url: `https://${outlet}.example/${articleId}`, copyOfId });
const fact = (kind: string, value: number | null, asOf: string, sources: ReturnType<typeof src>[], more: Partial<DisputeFact> = {}): DisputeFact => ({
  id: `f${++n}`, kind, value, valueHigh: null, unit: 'USD', asOf, direction: null, label: null, status: null, approximate: false, sources, ...more,
});
const verdicts = (...fs: DisputeFact[]) => {
  const v = classifyFacts(fs);
  return fs.map((f) => [v.get(f.id)!.corroboration, v.get(f.id)!.conflictsWith]);
};

describe('disputes a researcher would sign', () => {
  it('a year and a month inside it meet for a valuation, and agree', () => {
    const a = fact('valuation', 45.6e9, '2021', [src(1, 'ledger')]);
    const b = fact('valuation', 45.6e9, '2021-06', [src(2, 'paybrief')]);
    expect(verdicts(a, b)).toEqual([['corroborated', []], ['corroborated', []]]);
  });

  it('a valuation a year later is not a dispute with the earlier one', () => {
    const a = fact('valuation', 45.6e9, '2021-06', [src(1, 'ledger')]);
    const b = fact('valuation', 6.7e9, '2022', [src(2, 'paybrief')]);
    expect(verdicts(a, b)).toEqual([['single-source', []], ['single-source', []]]);
  });

  it('rounding and approximation agree; beyond them the values disagree', () => {
    const f = (v: number, approximate = false) => fact('revenue', v, '2025-Q1', [src(++n, `o${n}`)], { approximate });
    expect(valuesAgree(f(60e6, true), f(58.7e6))).toBe(true); // "nearly $60m"
    expect(valuesAgree({ ...f(41), unit: 'percent' }, { ...f(41.3), unit: 'percent' })).toBe(true);
    expect(valuesAgree(f(12e6), f(12.4e6))).toBe(true); // £12mn vs £12.4m
    expect(valuesAgree(f(45e9), f(45.6e9))).toBe(false); // a different figure, not a rounding
    expect(valuesAgree(f(3000), f(3400))).toBe(false);
    expect(valuesAgree(f(700, true), f(800))).toBe(false);
  });

  it('two outlets giving different head counts for one cut dispute each other', () => {
    const a = fact('workforce_change', 700, '2024-02', [src(1, 'ledger')], { unit: 'people', direction: 'decrease' });
    const b = fact('workforce_change', 800, '2024-02', [src(2, 'wire')], { unit: 'people', direction: 'decrease' });
    expect(verdicts(a, b)).toEqual([['disputed', [b.id]], ['disputed', [a.id]]]);
  });

  it('one raise dated to different years by two outlets is a dispute about when', () => {
    const a = fact('funding', 800e6, '2022-07', [src(1, 'ledger')]);
    const b = fact('funding', 800e6, '2023', [src(2, 'wire')]);
    expect(verdicts(a, b)).toEqual([['disputed', [b.id]], ['disputed', [a.id]]]);
  });

  it('a quarter’s revenue and the year’s never meet', () => {
    const a = fact('revenue', 701e6, '2025-Q1', [src(1, 'ledger')]);
    const b = fact('revenue', 2.81e9, '2025', [src(2, 'wire')]);
    expect(verdicts(a, b)).toEqual([['single-source', []], ['single-source', []]]);
  });

  it('two IPO prices for one pricing dispute; a planned valuation and the priced one do not', () => {
    const p1 = fact('ipo', 40, '2025-09', [src(1, 'ledger')], { status: 'priced' });
    const p2 = fact('ipo', 42, '2025-09-10', [src(2, 'wire')], { status: 'priced' });
    const plan = fact('ipo', 15e9, '2025-04', [src(3, 'paybrief')], { status: 'planned' });
    const priced = fact('ipo', 14e9, '2025-09', [src(4, 'signal')], { status: 'priced' });
    const v = classifyFacts([p1, p2, plan, priced]);
    expect(v.get(p1.id)!.conflictsWith).toEqual([p2.id]);
    expect(v.get(plan.id)!.corroboration).toBe('single-source');
  });

  it('a copy never disputes or corroborates its original, and one article never disputes itself', () => {
    const a = fact('headcount', 3000, '2025-05', [src(1, 'ledger')], { unit: 'people' });
    const copy = fact('headcount', 3100, '2025-05', [src(2, 'aggregator', 1)], { unit: 'people' });
    const seg = fact('headcount', 900, '2025-05', [src(1, 'ledger')], { unit: 'people' });
    expect(verdicts(a, copy, seg)).toEqual([['single-source', []], ['single-source', []], ['single-source', []]]);
  });

  it('a planned raise and the final proceeds are different measures', () => {
    const a = fact('funding', 1.27e9, '2025-09', [src(1, 'ledger')], { label: 'IPO proceeds planned' });
    const b = fact('funding', 1.37e9, '2025-09', [src(2, 'wire')], { label: 'IPO proceeds' });
    expect(verdicts(a, b)).toEqual([['single-source', []], ['single-source', []]]);
  });
});
