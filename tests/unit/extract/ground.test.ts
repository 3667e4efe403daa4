/**
 * The grounding gate (src/extract/ground.ts) decides what is a fact, for every extractor: the
 * evidence must be in the article, the value must be written in that evidence at its scale, and a
 * quote's words must be in it. These tests use the real number finder the pipeline uses.
 */
import { describe, expect, it } from 'vitest';
import { groundFacts, locate } from '../../../src/extract/ground.ts';
import { numbersIn } from '../../../src/extract/normalise/numbers.ts';
import type { CandidateFact } from '../../../src/extract/types.ts';

function fact(f: Partial<CandidateFact>): CandidateFact {
  return {
    kind: 'revenue', company: 'Acme', value: null, unit: 'USD', direction: null, changePct: null, approximate: false,
    label: null, status: null, asOf: '2024', speaker: null, quote: null, evidence: '', confidence: 0.8, ...f,
  };
}

const ground = (text: string, ...facts: Partial<CandidateFact>[]) => groundFacts(text, facts.map(fact), numbersIn);
const reasons = (text: string, ...facts: Partial<CandidateFact>[]) => ground(text, ...facts).rejected.map((r) => r.reason);

const RESULTS =
  'Acme said revenue for 2024 rose to $45.6 billion. Net loss narrowed to $120 million from $310 million.\n\n' +
  'The company now employs about 2,400 people and plans to hire between 300 and 350 more.';

describe('evidence', () => {
  it('rejects evidence that is not in the text, and empty evidence', () => {
    expect(reasons(RESULTS, { value: 45.6e9, evidence: 'Acme said revenue for 2025 rose to $45.6 billion.' })).toEqual(['evidence-not-found']);
    expect(reasons(RESULTS, { value: 45.6e9, evidence: '   ' })).toEqual(['empty-evidence']);
  });

  it('keeps the exact span of the article text, also when the evidence differs in quote marks, dashes and spacing', () => {
    const text = 'Intro.\n\n“We are not for sale,” the chief executive said — twice.\u00a0Then  she left.';
    const given = '"We are not for sale," the chief executive said - twice. Then she left.';
    const r = ground(text, { kind: 'quote', value: null, unit: null, speaker: 'chief executive', quote: 'We are not for sale', evidence: given });
    expect(r.rejected).toEqual([]);
    const g = r.accepted[0]!;
    expect(text.slice(g.start, g.end)).toBe(g.evidence);
    expect(g.evidence).toBe('“We are not for sale,” the chief executive said — twice.\u00a0Then  she left.');
  });

  it('uses the offsets an extractor gives when they point at the evidence, else the occurrence nearest to them', () => {
    const s = 'Revenue was $10 million.';
    const text = `${s} Later that year: ${s} And again: ${s}`;
    const second = text.indexOf(s, 1);
    const third = text.lastIndexOf(s);
    const at = (start: number, end: number) => ground(text, { value: 10e6, evidence: s, start, end }).accepted[0]!;
    expect(at(second, second + s.length)).toMatchObject({ start: second, end: second + s.length, evidence: s });
    expect(at(third - 3, third + 2)).toMatchObject({ start: third, end: third + s.length }); // stale offsets: nearest occurrence
    expect(locate(text, s)).toEqual({ start: 0, end: s.length });
  });
});

describe('values', () => {
  const ev = 'Acme said revenue for 2024 rose to $45.6 billion.';

  it('accepts the value as written, and one within rounding of it', () => {
    expect(reasons(RESULTS, { value: 45.6e9, evidence: ev })).toEqual([]);
    expect(reasons(RESULTS, { value: 45.63e9, evidence: ev })).toEqual([]); // "$45.6 billion" rounds $45.63bn
    expect(reasons(RESULTS, { value: 45.6e9 * 1.004, evidence: ev })).toEqual([]);
  });

  it('rejects a value off by more than rounding', () => {
    expect(reasons(RESULTS, { value: 45.6e9 * 1.006, evidence: ev })).toEqual(['value-not-in-evidence']);
    expect(reasons(RESULTS, { value: 46e9, evidence: ev })).toEqual(['value-not-in-evidence']);
    expect(reasons(RESULTS, { value: 60e9, evidence: ev })).toEqual(['value-not-in-evidence']);
  });

  it('rejects a value written only in the neighbouring sentence', () => {
    // $120 million is in the text, but not in the sentence the fact claims to be read from.
    expect(reasons(RESULTS, { kind: 'net_income', value: -120e6, evidence: ev })).toEqual(['value-not-in-evidence']);
    expect(reasons(RESULTS, { kind: 'net_income', value: -120e6, evidence: 'Net loss narrowed to $120 million from $310 million.' })).toEqual([]);
    expect(reasons(RESULTS, { kind: 'headcount', value: 2400, unit: 'people', evidence: 'Net loss narrowed to $120 million from $310 million.' })).toEqual(['value-not-in-evidence']);
  });

  it('rejects a value at another scale than the one written (million vs billion)', () => {
    const text = 'Acme raised $1.2 million from angels. Its rival Bolt raised £2bn.';
    expect(reasons(text, { kind: 'funding', value: 1.2e9, evidence: 'Acme raised $1.2 million from angels.' })).toEqual(['value-not-in-evidence']);
    expect(reasons(text, { kind: 'funding', value: 1.2e6, evidence: 'Acme raised $1.2 million from angels.' })).toEqual([]);
    expect(reasons(text, { kind: 'funding', value: 2e6, unit: 'GBP', evidence: 'Its rival Bolt raised £2bn.' })).toEqual(['value-not-in-evidence']);
    expect(reasons(text, { kind: 'funding', value: 2e9, unit: 'GBP', evidence: 'Its rival Bolt raised £2bn.' })).toEqual([]);
  });

  it('needs both ends of a range in the evidence', () => {
    const ev2 = 'The company now employs about 2,400 people and plans to hire between 300 and 350 more.';
    expect(reasons(RESULTS, { kind: 'workforce_change', unit: 'people', value: 300, valueHigh: 350, evidence: ev2 })).toEqual([]);
    expect(reasons(RESULTS, { kind: 'workforce_change', unit: 'people', value: 300, valueHigh: 500, evidence: ev2 })).toEqual(['value-not-in-evidence']);
  });

  it('lets a fact without a value pass on its evidence alone (an IPO status)', () => {
    expect(reasons('Acme has filed for an IPO in New York.', { kind: 'ipo', status: 'filed', value: null, unit: null, evidence: 'Acme has filed for an IPO in New York.' })).toEqual([]);
  });
});

describe('quotes', () => {
  const text =
    'Acme cut costs.\n\n“We are profitable now,” said Ann Lee, the chief executive, adding that the bank was growing fast. ' +
    '“The lesson,” she said, “is that discipline pays.”';
  const q = (quote: string, evidence = '“We are profitable now,” said Ann Lee, the chief executive, adding that the bank was growing fast.') =>
    reasons(text, { kind: 'quote', value: null, unit: null, speaker: 'Ann Lee', quote, evidence });

  it('accepts the quoted words, with or without their quote marks', () => {
    expect(q('We are profitable now')).toEqual([]);
    expect(q('“We are profitable now,”')).toEqual([]);
  });

  it('accepts an interrupted quote joined from its own words', () => {
    expect(q('The lesson is that discipline pays.', '“The lesson,” she said, “is that discipline pays.”')).toEqual([]);
  });

  it('rejects a quote whose evidence is not in the text', () => {
    expect(q('We are profitable now', '“We are profitable now,” said Ann Lee.')).toEqual(['evidence-not-found']);
  });

  it('rejects a quote whose words are not in its evidence', () => {
    expect(q('We will never sell the bank')).toEqual(['quote-not-in-evidence']);
    expect(q('The lesson is that discipline pays.')).toEqual(['quote-not-in-evidence']); // from the next sentence
  });

  it('rejects a quote stitched from words spread over the narration', () => {
    // Every word occurs in the evidence in order, but "growing" is the reporter's, not Lee's.
    expect(q('We are growing')).toEqual(['quote-not-in-evidence']);
    expect(q('We are now the bank')).toEqual(['quote-not-in-evidence']);
  });

  it('matches whole words, not pieces of them', () => {
    expect(q('We are pro')).toEqual(['quote-not-in-evidence']); // "pro" only inside "profitable"
  });

  it('reads single quote marks apart from apostrophes', () => {
    const t = '‘We don’t need a bank’s licence,’ said Lee, who has run Acme since 2019.';
    const r = (quote: string) => reasons(t, { kind: 'quote', value: null, unit: null, speaker: 'Lee', quote, evidence: t });
    expect(r("We don't need a bank's licence")).toEqual([]);
    expect(r('We don’t need a bank’s licence, who has run Acme')).toEqual(['quote-not-in-evidence']);
  });

  it('accepts a quote abridged with an ellipsis where words were left out', () => {
    expect(
      reasons('“We are, after a long and hard year, profitable,” she said.', { kind: 'quote', value: null, unit: null, speaker: 'she', quote: 'We are … profitable', evidence: '“We are, after a long and hard year, profitable,” she said.' }),
    ).toEqual([]);
  });

  it('accepts a quote running over two quoted sentences and paragraphs of one speaker', () => {
    const t = '“First we fix the product. Then we grow,” Lee said.\n\n“Growth without trust is nothing.\n\n“Trust takes years.”';
    expect(reasons(t, { kind: 'quote', value: null, unit: null, speaker: 'Lee', quote: 'First we fix the product. Then we grow. Growth without trust is nothing. Trust takes years.', evidence: t })).toEqual([]);
  });
});
