import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  factsMatch,
  quoteOverlap,
  scoreExtraction,
  slugify,
  speakerMatches,
  type GoldArticle,
  type GoldFact,
  type PredFact,
} from '../../../src/extract/eval/score.ts';
import { FACT_KINDS, IPO_STATUSES } from '../../../src/extract/types.ts';

function gold(facts: Partial<GoldFact>[], id = 'a'): GoldArticle {
  return {
    id,
    source: 'written',
    title: 't',
    outlet: 'o',
    publishedAt: '2025-05-14',
    url: null,
    text: '',
    facts: facts.map((f) => ({ kind: 'revenue', company: 'acme', value: 100_000_000, unit: 'USD', asOf: '2024', evidence: 'e', ...f }) as GoldFact),
  };
}

function pred(p: Partial<PredFact>): PredFact {
  return { kind: 'revenue', company: 'Acme', value: 100_000_000, unit: 'USD', asOf: '2024', evidence: 'e', ...p };
}

describe('matching', () => {
  it('matches an exact prediction and slugifies the company name', () => {
    const s = scoreExtraction([gold([{}])], new Map([['a', [pred({})]]]));
    expect(s.perKind.revenue).toMatchObject({ tp: 1, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1 });
    expect(slugify('Brixham Pay')).toBe('brixham-pay');
    expect(slugify('  Numéra SA ')).toBe('numera-sa');
  });

  it('accepts companySlug equal to gold even when the name differs', () => {
    const g = gold([{ company: 'brixham-pay' }]);
    expect(scoreExtraction([g], new Map([['a', [pred({ company: 'Brixham', companySlug: 'brixham-pay' })]]])).overall.tp).toBe(1);
    expect(scoreExtraction([g], new Map([['a', [pred({ company: 'Brixham' })]]])).overall.tp).toBe(0);
  });

  it('tolerates 1% relative difference in value, not more', () => {
    const g = gold([{ value: 45_600_000_000 }]);
    expect(scoreExtraction([g], new Map([['a', [pred({ value: 45_900_000_000 })]]])).overall.tp).toBe(1);
    expect(scoreExtraction([g], new Map([['a', [pred({ value: 46_200_000_000 })]]])).overall.tp).toBe(0);
  });

  it('requires the sign of net income to match', () => {
    const g = gold([{ kind: 'net_income', value: -99_000_000 }]);
    expect(scoreExtraction([g], new Map([['a', [pred({ kind: 'net_income', value: 99_000_000 })]]])).perKind.net_income).toMatchObject({ tp: 0, fp: 1, fn: 1 });
    expect(scoreExtraction([g], new Map([['a', [pred({ kind: 'net_income', value: -99_000_000 })]]])).perKind.net_income.tp).toBe(1);
  });

  it('requires units to match (case-insensitive)', () => {
    const g = gold([{ kind: 'workforce_change', value: 20, unit: 'percent' }]);
    expect(scoreExtraction([g], new Map([['a', [pred({ kind: 'workforce_change', value: 20, unit: 'people' })]]])).overall.tp).toBe(0);
    expect(scoreExtraction([g], new Map([['a', [pred({ kind: 'workforce_change', value: 20, unit: 'Percent' })]]])).overall.tp).toBe(1);
    expect(scoreExtraction([gold([{ unit: 'EUR' }])], new Map([['a', [pred({ unit: 'USD' })]]])).overall.tp).toBe(0);
  });

  it('requires kind and company to match', () => {
    const g = gold([{}]);
    expect(scoreExtraction([g], new Map([['a', [pred({ kind: 'funding' })]]])).overall).toMatchObject({ tp: 0, fp: 1, fn: 1 });
    expect(scoreExtraction([g], new Map([['a', [pred({ company: 'Other Co' })]]])).overall.tp).toBe(0);
  });

  it('matches ipo facts on status, value only when gold has one', () => {
    const g = gold([{ kind: 'ipo', value: null, unit: null, status: 'paused' }]);
    expect(scoreExtraction([g], new Map([['a', [pred({ kind: 'ipo', value: 15e9, unit: 'USD', status: 'paused' })]]])).overall.tp).toBe(1);
    expect(scoreExtraction([g], new Map([['a', [pred({ kind: 'ipo', value: null, unit: null, status: 'filed' })]]])).overall.tp).toBe(0);
    const gv = gold([{ kind: 'ipo', value: 15e9, unit: 'USD', status: 'planned' }]);
    expect(scoreExtraction([gv], new Map([['a', [pred({ kind: 'ipo', value: null, unit: null, status: 'planned' })]]])).overall.tp).toBe(0);
  });

  it('matches quotes by speaker surname and text overlap', () => {
    const g: Partial<GoldFact> = {
      kind: 'quote',
      value: null,
      unit: null,
      speaker: 'Sebastian Siemiatkowski',
      quote: 'We are not going back to the old model. But customers will always be able to reach a human.',
    };
    const q = (speaker: string, quote: string): PredFact => pred({ kind: 'quote', value: null, unit: null, speaker, quote });
    const run = (p: PredFact): number => scoreExtraction([gold([g])], new Map([['a', [p]]])).overall.tp;
    expect(run(q('Siemiatkowski', '“We are not going back to the old model,”'))).toBe(1); // containment after normalising
    expect(run(q('CEO Sebastian Siemiatkowski', 'we are not going back to the old model but customers will always be able to reach a human'))).toBe(1);
    expect(run(q('Rachel Ambrose', 'We are not going back to the old model.'))).toBe(0); // wrong speaker
    expect(run(q('Siemiatkowski', 'Investors want deposits that stick and fees that cover the app.'))).toBe(0); // different words
    expect(speakerMatches('a Klarna spokesperson', 'Klarna spokesperson')).toBe(true);
    expect(speakerMatches('Marta Kowalski', null)).toBe(false);
    expect(quoteOverlap('a b c d', 'a b c x')).toBe(true); // Jaccard 3/5
    expect(quoteOverlap('a b c d', 'a b x y')).toBe(false); // Jaccard 2/6
  });

  it('matches metrics on value and unit, label not required', () => {
    const g = gold([{ kind: 'metric', value: 2, unit: 'minutes', label: 'resolution time' }]);
    expect(factsMatch(g.facts[0]!, pred({ kind: 'metric', value: 2, unit: 'minutes', label: null }))).toBe(true);
    expect(factsMatch(g.facts[0]!, pred({ kind: 'metric', value: 2, unit: 'languages' }))).toBe(false);
  });

  it('matches greedily one-to-one: a duplicate prediction is a false positive', () => {
    const g = gold([{}, { value: 50_000_000, asOf: '2023' }]);
    const s = scoreExtraction([g], new Map([['a', [pred({}), pred({}), pred({ value: 50_000_000, asOf: '2023' })]]]));
    expect(s.overall).toMatchObject({ tp: 2, fp: 1, fn: 0, gold: 2, predicted: 3 });
    expect(s.mismatches.filter((m) => m.type === 'fp')).toHaveLength(1);
  });

  it('scores per article: a prediction for another article does not match', () => {
    const s = scoreExtraction([gold([{}], 'a'), gold([], 'b')], new Map([['b', [pred({})]]]));
    expect(s.overall).toMatchObject({ tp: 0, fp: 1, fn: 1 });
  });
});

describe('period-counted headline', () => {
  it('counts a right value under a wrong period as wrong in the headline, right period-blind', () => {
    const s = scoreExtraction([gold([{ asOf: '2024-Q3' }])], new Map([['a', [pred({ asOf: '2023-Q3' })]]]));
    expect(s.overall).toMatchObject({ tp: 0, fp: 1, fn: 1 });
    expect(s.blind.overall).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(s.periodAccuracy).toBe(0);
    expect(s.mismatches).toEqual([expect.objectContaining({ type: 'period', goldAsOf: '2024-Q3', predAsOf: '2023-Q3' })]);
  });

  it('counts a null period as wrong where the gold names one, and a period as wrong where the gold has none', () => {
    expect(scoreExtraction([gold([{ asOf: '2024' }])], new Map([['a', [pred({ asOf: null })]]])).overall.tp).toBe(0);
    expect(scoreExtraction([gold([{ asOf: null }])], new Map([['a', [pred({ asOf: '2024-05-02' })]]])).overall.tp).toBe(0);
    expect(scoreExtraction([gold([{ asOf: null }])], new Map([['a', [pred({ asOf: null })]]])).overall.tp).toBe(1);
  });

  it('pairs each gold fact with the prediction whose period fits, not the first of equal value', () => {
    // Same value in two years: a greedy period-blind pass would cross the pairs.
    const g = gold([{ asOf: '2024' }, { asOf: '2023' }]);
    const s = scoreExtraction([g], new Map([['a', [pred({ asOf: '2023' }), pred({ asOf: '2024' })]]]));
    expect(s.overall).toMatchObject({ tp: 2, fp: 0, fn: 0 });
    expect(s.periodAccuracy).toBe(1);
  });

  it('does not look at the period of a quote', () => {
    const g = gold([{ kind: 'quote', value: null, unit: null, asOf: null, speaker: 'Ann Lee', quote: 'We are going to keep building this business.' }]);
    const p = pred({ kind: 'quote', value: null, unit: null, asOf: '2025-05-14', speaker: 'Ann Lee', quote: 'We are going to keep building this business.' });
    const s = scoreExtraction([g], new Map([['a', [p]]]));
    expect(s.overall.tp).toBe(1);
    expect(s.periodMatched).toBe(0);
  });

  it('returns every kept prediction with its outcome, for calibration', () => {
    const g = gold([{ asOf: '2024' }, { value: 2e8, asOf: '2024' }]);
    const s = scoreExtraction([g], new Map([['a', [pred({ confidence: 0.9 }), pred({ value: 2e8, asOf: '2023', confidence: 0.7 }), pred({ kind: 'funding', confidence: 0.6 })]]]));
    expect(s.predictions.map((o) => [o.fact.confidence, o.tp, o.blindTp])).toEqual([
      [0.9, true, true],
      [0.7, false, true],
      [0.6, false, false],
    ]);
  });
});

describe('arithmetic', () => {
  it('computes per-kind and overall precision, recall and F1', () => {
    const g = gold([
      {},
      { value: 2e8 },
      { kind: 'headcount', value: 870, unit: 'people', asOf: '2025-03-18' },
      { kind: 'users', value: 1.9e6, unit: 'users', asOf: '2025-03-18' },
    ]);
    const p = [
      pred({}),
      pred({ value: 3e8 }), // fp revenue
      pred({ kind: 'headcount', value: 870, unit: 'people', asOf: '2025-03' }), // tp, asOf wrong
      pred({ kind: 'users', value: 1.9e6, unit: 'users', asOf: '2025-03-18' }),
      pred({ kind: 'valuation', value: 1.2e9, unit: 'EUR' }), // fp
    ];
    const s = scoreExtraction([g], new Map([['a', p]]));
    expect(s.perKind.revenue).toMatchObject({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(s.perKind.headcount).toMatchObject({ tp: 1, fp: 0, fn: 0, f1: 1 });
    expect(s.perKind.valuation).toMatchObject({ tp: 0, fp: 1, fn: 0, precision: 0, recall: 0, f1: 0 }); // no gold: recall counts as 0 when anything was predicted
    expect(s.perKind.credit_losses).toMatchObject({ tp: 0, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1 });
    expect(s.overall).toMatchObject({ tp: 3, fp: 2, fn: 1, gold: 4, predicted: 5 });
    expect(s.overall.precision).toBeCloseTo(3 / 5);
    expect(s.overall.recall).toBeCloseTo(3 / 4);
    expect(s.overall.f1).toBeCloseTo((2 * 0.6 * 0.75) / 1.35);
    // The headcount's "2025-03" names the gold day's month: right under the period rule, not exactly equal.
    expect(s.periodAccuracy).toBe(1);
    expect(s.asOfAccuracy).toBeCloseTo(2 / 3);
    expect(s.blind.overall).toMatchObject({ tp: 3, fp: 2, fn: 1 });
  });

  it('gives recall 0 when nothing is predicted', () => {
    const s = scoreExtraction([gold([{}, {}])], new Map());
    expect(s.overall).toMatchObject({ tp: 0, fp: 0, fn: 2, recall: 0, f1: 0 });
  });
});

// --- the gold set itself -------------------------------------------------------------------------

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../eval/articles');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const MONEY = new Set(['USD', 'EUR', 'GBP', 'SEK', 'BRL', 'NOK', 'DKK', 'CHF', 'INR', 'JPY', 'SGD', 'AUD', 'CAD', 'PLN']);
const MONEY_KINDS = new Set(['valuation', 'funding', 'revenue', 'net_income', 'credit_losses']);
const ASOF = /^\d{4}(-Q[1-4]|-H[12]|-\d{2}(-\d{2})?)?$/;

describe('gold set', () => {
  it('has the 13 sample articles and at least 22 written ones', () => {
    expect(files.filter((f) => f.startsWith('sample-'))).toHaveLength(13);
    expect(files.filter((f) => !f.startsWith('sample-')).length).toBeGreaterThanOrEqual(22);
  });

  const ids = new Set<string>();
  for (const f of files) {
    it(`${f} is valid`, () => {
      const a = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as GoldArticle;
      expect(a.id + '.json').toBe(f);
      expect(ids.has(a.id)).toBe(false);
      ids.add(a.id);
      expect(a.source).toMatch(/^(sample:\/.+\.html|written)$/);
      expect(a.title.length).toBeGreaterThan(5);
      expect(a.outlet.length).toBeGreaterThan(1);
      expect(Number.isNaN(Date.parse(a.publishedAt))).toBe(false);
      expect(a.text).not.toMatch(/\n{3,}/);
      if (a.source === 'written') {
        const words = a.text.split(/\s+/).length;
        expect(words).toBeGreaterThanOrEqual(350);
        expect(words).toBeLessThanOrEqual(700);
      }
      expect(a.facts.length).toBeGreaterThan(0);
      for (const fact of a.facts) {
        const where = `${fact.kind} ${fact.company} ${fact.value} — ${fact.evidence.slice(0, 60)}`;
        expect(FACT_KINDS, where).toContain(fact.kind);
        expect(fact.company, where).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(a.text.includes(fact.evidence), `evidence not in text: ${where}`).toBe(true);
        expect(fact.evidence.trim(), where).toBe(fact.evidence);
        for (const s of fact.alsoIn ?? []) expect(a.text.includes(s), `alsoIn not in text: ${s}`).toBe(true);
        if (fact.asOf !== null) expect(fact.asOf, where).toMatch(ASOF);
        if (fact.kind === 'quote') {
          expect(fact.speaker, where).toBeTruthy();
          expect((fact.quote ?? '').length, where).toBeGreaterThan(10);
          expect(fact.quote, where).not.toMatch(/[“”"]/);
          // Every word of the quote is in the text (quotes may be interrupted by "she said").
          const textWords = new Set(words(a.text));
          const missing = words(fact.quote ?? '').filter((w) => !textWords.has(w));
          expect(missing, `quote words not in text: ${where}`).toEqual([]);
          continue;
        }
        if (fact.kind === 'ipo') {
          expect(IPO_STATUSES, where).toContain(fact.status);
          if (fact.value === null) continue;
        }
        expect(typeof fact.value, where).toBe('number');
        expect(fact.unit, where).toBeTruthy();
        const v = Math.abs(fact.value!);
        if (fact.valueHigh != null) expect(fact.valueHigh, where).toBeGreaterThan(fact.value!);
        if (MONEY_KINDS.has(fact.kind)) expect(MONEY.has(fact.unit!), `currency unit expected: ${where}`).toBe(true);
        // Money amounts are normalised to units ("$45.6 billion" → 45600000000); only per-unit metrics
        // (revenue per customer, cost per conversation) may be small.
        if (MONEY.has(fact.unit!) && !/\bper\b/.test(fact.label ?? '')) expect(v, `money value too small: ${where}`).toBeGreaterThanOrEqual(1000);
        if (fact.kind === 'net_income' || fact.kind === 'credit_losses' || fact.kind === 'revenue') expect(MONEY.has(fact.unit!), where).toBe(true);
        if (fact.kind === 'credit_losses' || fact.kind === 'revenue' || fact.kind === 'valuation' || fact.kind === 'funding') expect(fact.value!, where).toBeGreaterThan(0);
        if (fact.unit === 'percent' && fact.kind !== 'metric') expect(v, where).toBeLessThanOrEqual(100);
        if (fact.kind === 'headcount' || fact.kind === 'workforce_change') expect(['people', 'percent'], where).toContain(fact.unit);
        if (fact.kind === 'headcount') expect(fact.unit, where).toBe('people');
        if (fact.kind === 'users') {
          expect(fact.unit, where).toBe('users');
          expect(v, where).toBeGreaterThanOrEqual(100);
        }
        if (fact.unit === 'people') expect(Number.isInteger(fact.value), where).toBe(true);
        // The value is written in the evidence (digits of its leading significant part, or words).
        expect(valueVisible(v, fact.evidence), `value not visible in evidence: ${where}`).toBe(true);
      }
    });
  }
});

function words(s: string): string[] {
  return s.toLowerCase().replace(/[’‘]/g, "'").match(/[\p{L}\p{N}']+/gu) ?? [];
}

describe('gold set consistency', () => {
  const all = files.map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as GoldArticle);

  it('scores perfectly against itself (every gold fact is matchable by its own fields)', () => {
    const self = new Map(all.map((a) => [a.id, a.facts.map((g): PredFact => ({ ...g, company: g.company, companySlug: g.company }))]));
    const s = scoreExtraction(all, self);
    expect(s.overall).toMatchObject({ fp: 0, fn: 0, f1: 1 });
    expect(s.blind.overall).toMatchObject({ fp: 0, fn: 0, f1: 1 });
    expect(s.periodAccuracy).toBe(1);
    expect(s.asOfAccuracy).toBe(1);
  });

  it('sample articles carry the clean text the collector stores (expected.json mustContain / feedOnly)', () => {
    const expected = JSON.parse(readFileSync(path.join(dir, '../../../content/sample/expected.json'), 'utf8')) as {
      articles: { path: string; mustContain: string[]; mustNotContain: string[]; feedOnly?: string[] }[];
    };
    const squash = (t: string): string => t.replace(/\s+/g, ' ');
    for (const e of expected.articles) {
      const a = all.find((x) => x.source === `sample:${e.path}`);
      expect(a, e.path).toBeDefined();
      const text = squash(a!.text);
      for (const m of [...e.mustContain, ...(e.feedOnly ?? [])]) expect(text.includes(squash(m)), `${e.path}: ${m}`).toBe(true);
      for (const m of e.mustNotContain) expect(text.includes(squash(m)), `${e.path} must not contain: ${m}`).toBe(false);
    }
  });
});

const WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100, half: 50, third: 33, quarter: 25, fifth: 20, tenth: 10, 'two-thirds': 66.7, 'three-quarters': 75 };

/** Loose check that the stated number is written in the sentence at some scale. */
function valueVisible(v: number, evidence: string): boolean {
  const digits = evidence.replace(/(\d),(?=\d{3})/g, '$1');
  for (const scale of [1, 1e3, 1e6, 1e9]) {
    const x = v / scale;
    if (x < 0.1) continue;
    const forms = new Set([String(+x.toFixed(2)), String(+x.toFixed(1)), String(Math.round(x))]);
    for (const form of forms) if (new RegExp(`(^|[^\\d.])${form.replace('.', '\\.')}(?![\\d])`).test(digits)) return true;
  }
  const lower = evidence.toLowerCase();
  return Object.entries(WORDS).some(([w, n]) => (Math.abs(n - v) / Math.max(n, v) < 0.01 || n * 1e6 === v || n * 1e9 === v || n * 1e3 === v) && lower.includes(w));
}
