/**
 * A copy's readings attach to its original's facts: the same claim dated by the copy's own day is
 * still the original's fact, and a claim the original does not make creates nothing.
 */
import { describe, expect, it } from 'vitest';
import { originalFor, type OriginalFact } from '../../../src/extract/copies.ts';
import type { GroundedFact } from '../../../src/extract/ground.ts';

const original = (id: string, more: Partial<OriginalFact>): OriginalFact => ({ id, companySlug: 'zilch', kind: 'metric', value: null, valueHigh: null, unit: null, status: null, direction: null, label: null, speaker: null, quote: null, ...more });
const reading = (more: Partial<GroundedFact>): GroundedFact & { companySlug: string } => ({
  kind: 'metric', company: 'Zilch', companySlug: 'zilch', value: null, valueHigh: null, unit: null, direction: null, changePct: null, approximate: false, label: null, status: null,
  asOf: '2025-02-28', speaker: null, quote: null, evidence: 'x', start: 0, end: 1, confidence: 0.7, ...more,
}) as GroundedFact & { companySlug: string };

describe('originalFor', () => {
  const originals = [
    original('agents', { value: 700, unit: 'agents', label: 'agents' }),
    original('cut', { kind: 'workforce_change', value: 120, unit: 'people', direction: 'decrease' }),
    original('q', { kind: 'quote', speaker: 'Anna Berg', quote: 'We will never go back to the old model of support.' }),
  ];

  it('finds the original’s fact for the same claim, whatever day the copy dates it to', () => {
    expect(originalFor(reading({ value: 700, unit: 'agents', label: 'agents', asOf: '2025-02-28' }), originals)?.id).toBe('agents');
    expect(originalFor(reading({ kind: 'quote', speaker: 'Berg', quote: 'We will never go back to the old model' }), originals)?.id).toBe('q');
  });

  it('gives nothing for a claim the original does not make, or a different one', () => {
    expect(originalFor(reading({ value: 800, unit: 'agents', label: 'agents' }), originals)).toBeNull();
    expect(originalFor(reading({ kind: 'workforce_change', value: 120, unit: 'people', direction: 'increase' }), originals)).toBeNull();
    expect(originalFor(reading({ value: 700, unit: 'agents', label: 'agents', companySlug: 'klarna' }), originals)).toBeNull();
  });
});
