/**
 * Further period and kind classes (issue 11), each in our own words, other companies than the gold sets.
 */
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../src/extract/rules/index.ts';

const run = (text: string, publishedAt = '2025-02-12T09:00:00Z', title = 'Results') =>
  extractArticle({ id: 1, title, text, publishedAt, outlet: 'Test Wire', url: null }).facts;
const at = (fs: ReturnType<typeof run>, value: number) => fs.find((f) => f.value === value);

describe('periods', () => {
  it('"January last year" is last year’s January', () => {
    const f = run('Quillo, a Berlin fintech, raised $80 million in January last year.');
    expect(at(f, 80_000_000)?.asOf).toBe('2024-01');
  });

  it('"the third quarter of the prior year" is a year before the governing quarter', () => {
    const f = run('Lendora, the US online lender, reported results for the quarter ended December 31, 2024.\n\nIts net loss narrowed to $3 million from $19 million in the fourth quarter of the prior year.');
    expect(at(f, -19_000_000)?.asOf).toBe('2023-Q4');
  });

  it('figures listed together share the period after the list', () => {
    const f = run('Harbourline, a UK lender, made revenue of £61.5m and a pre-tax loss of £4.1m in 2021, its accounts show.');
    expect(at(f, 61_500_000)?.asOf).toBe('2021');
    expect(at(f, -4_100_000)?.asOf).toBe('2021');
  });

  it('a past event takes the one period its clause names, even after an aside', () => {
    const f = run('Tillwise, the Leeds payments start-up, had previously cut 40 jobs, or about 9% of its staff, in March 2023.');
    expect(at(f, 40)?.asOf).toBe('2023-03');
  });

  it('an old level stated alone ("rose 5% from $X a year earlier") is the measure a year before the governing period', () => {
    const f = run('Lendora, the US online lender, reported results for the quarter ended December 31, 2024.\n\nRevenue rose about 6% from $410 million a year earlier.', '2025-02-12T09:00:00Z');
    expect(at(f, 410_000_000)).toMatchObject({ kind: 'revenue', asOf: '2023-Q4' });
  });

  it('a forecast is labelled and dated to the current year when it names none', () => {
    const f = run('Lendora, the US online lender, raised its full-year revenue forecast to $1.4 billion.');
    expect(at(f, 1_400_000_000)).toMatchObject({ label: 'forecast', asOf: '2025' });
  });
});

describe('state in the present', () => {
  it('a count stated in the present is as of the publication day, even in a results article', () => {
    const f = run('Lendora, the US online lender, reported results for the quarter ended December 31, 2024.\n\nRevenue rose 12% to $80 million. The company now serves more than 2,000 merchants across 14 states.', '2025-02-12T09:00:00Z');
    expect(at(f, 80_000_000)?.asOf).toBe('2024-Q4');
    expect(at(f, 2000)?.asOf).toBe('2025-02-12');
  });

  it('a past-tense chunk is not present state, even beside a relative clause in the present', () => {
    const f = run('Lendora, the US online lender, reported results for the year ended December 31, 2024.\n\nThe lender, which has offices in three states, employed about 1,100 people on average over the year.', '2025-02-12T09:00:00Z');
    expect(at(f, 1100)?.asOf).toBe('2024');
  });

  it('an attrition rate has a baseline with its own period; a cut has none', () => {
    const f = run('Tillwise, the Leeds payments start-up, said staff attrition rose to 18% in 2024 from 12% in 2023.', '2025-02-12T09:00:00Z');
    expect(at(f, 12)).toMatchObject({ kind: 'workforce_change', label: 'attrition', asOf: '2023' });
  });

  it('"in the past week" and "at the time" are dated', () => {
    const f = run('Quillo, a Berlin fintech, said net customer withdrawals reached $90 million in the past week.', '2025-03-03T09:00:00Z');
    expect(at(f, 90_000_000)?.asOf).toBe('2025-02');
  });
});

describe('hyphenated amounts', () => {
  it('"a 2.5-billion-euro valuation" is an amount with its currency', () => {
    const f = run('Quillo, a Berlin fintech, raised 90 million euros in March at a 2.5-billion-euro valuation.', '2025-05-01T00:00:00Z');
    expect(at(f, 2_500_000_000)).toMatchObject({ kind: 'valuation', unit: 'EUR', asOf: '2025-03' });
  });
});

describe('kinds', () => {
  it('segment revenue lines are metrics; total revenue is revenue', () => {
    const f = run('Lendora, the US online lender, said total revenue rose to $500 million in 2024, with subscription-based revenues of $120 million and other revenues of $30 million.');
    expect(at(f, 500_000_000)?.kind).toBe('revenue');
    expect(at(f, 120_000_000)?.kind).toBe('metric');
    expect(at(f, 30_000_000)?.kind).toBe('metric');
  });

  it('a revenue run rate is a metric', () => {
    const f = run('Quillo, a Berlin fintech, said it reached a $200 million annualized revenue run rate in December.');
    expect(at(f, 200_000_000)?.kind).toBe('metric');
  });

  it('a share of the workforce after a dash is the same cut', () => {
    const f = run('Tillwise, the Leeds payments start-up, has laid off 120 employees — about 15% of its workforce — in a restructuring.');
    expect(at(f, 15)).toMatchObject({ kind: 'workforce_change', unit: 'percent' });
  });
});

describe('more kinds and bindings', () => {
  it('cost lines are metrics; money set aside for bad loans is a credit loss', () => {
    const f = run('Harbourline, a UK lender, said staff costs rose to £48m in 2024, and it set aside £12m to cover loans that may not be repaid.');
    expect(at(f, 48_000_000)?.kind).toBe('metric');
    expect(at(f, 12_000_000)?.kind).toBe('credit_losses');
  });

  it('offering proceeds are funding; debt repaid is not', () => {
    const f = run('Quillo, a Berlin fintech, said total proceeds of $410m from its listing would be used to repay a $90m term loan.');
    expect(at(f, 410_000_000)?.kind).toBe('funding');
    expect(at(f, 90_000_000)).toBeUndefined();
  });

  it('customer numbers and a customer base are users', () => {
    const f = run('Orla Bank, a Danish lender, said its customer base grew to 1.9 million in 2024.');
    expect(at(f, 1_900_000)?.kind).toBe('users');
  });

  it('an old value with its own period before "to" is a baseline of the new one', () => {
    const f = run('Harbourline, a UK lender, grew revenue from £40m in 2022 to £55m in 2023.');
    expect(at(f, 40_000_000)).toMatchObject({ kind: 'revenue', asOf: '2022' });
    expect(at(f, 55_000_000)).toMatchObject({ kind: 'revenue', asOf: '2023' });
  });

  it('a short form of a registry name is that company', () => {
    const f = run('Checkout.com, the London payments firm, filed its accounts. Checkout raised revenue to $300m in 2024, the filing shows.');
    expect(at(f, 300_000_000)?.companySlug).toBe('checkout-com');
  });

  it('a cut whose verb follows a dashed aside is a cut, in people and percent', () => {
    const f = run('Quillo, a Berlin fintech, told staff on Monday that another 12% of the workforce — about 300 roles — would be eliminated.', '2025-03-04T09:00:00Z');
    expect(at(f, 12)).toMatchObject({ kind: 'workforce_change', unit: 'percent', direction: 'decrease' });
    expect(at(f, 300)).toMatchObject({ kind: 'workforce_change', unit: 'people', direction: 'decrease' });
  });

  it('a level after "from over" is an old level, not a cut', () => {
    const f = run('Quillo, a Berlin fintech, said it was reducing its workforce from over 1,000 people to about 700.', '2025-03-04T09:00:00Z');
    expect(f.find((x) => x.value === 1000 && x.kind === 'workforce_change')).toBeUndefined();
  });

  it('people counts with the verb after them are cuts', () => {
    const f = run('Tillwise, the Leeds payments start-up, explained the cuts. The largest group, 70 employees, were laid off for performance reasons. Another 30 managers whose roles were eliminated will leave in June.');
    expect(at(f, 70)?.kind).toBe('workforce_change');
    expect(at(f, 30)?.kind).toBe('workforce_change');
  });
});

describe('comparisons and descriptions', () => {
  it('a period after "than the $X reported in" is the comparison’s and does not govern what follows', () => {
    const f = run('Lendora, the US online lender, reported results for the quarter ended June 30, 2024.\n\nRevenue of $90 million was 20% lower than the $112 million reported in the second quarter of 2023. Active borrowers fell to 2.1 million.', '2024-08-01T00:00:00Z');
    // The governing quarter, not the comparison's; a count is as of the quarter's last month.
    expect(at(f, 2_100_000)?.asOf).toBe('2024-06');
  });

  it('a count phrase with a decimal between noun and figure still reads as users', () => {
    const f = run('Orla Bank, a Danish lender, said customer numbers rose by 0.3 million to more than 2 million in 2024.');
    expect(at(f, 2_000_000)).toMatchObject({ kind: 'users', asOf: '2024' });
  });

  it('"its value" is a valuation', () => {
    const f = run('In March Quillo, a Berlin fintech, almost doubled its value, to $3 billion, in a funding round led by Index.', '2025-05-01T00:00:00Z');
    expect(at(f, 3_000_000_000)).toMatchObject({ kind: 'valuation', asOf: '2025-03' });
  });
});

describe('balances', () => {
  it('a balance carried from a quarterly report is as of the quarter’s last month; a flow keeps the quarter', () => {
    const f = run('Orla Bank, a Danish lender, reported results for the quarter ended September 30, 2024.\n\nNet interest income rose to DKK 900 million. Deposits from the public were DKK 58 billion.', '2024-10-24T00:00:00Z');
    expect(at(f, 58_000_000_000)?.asOf).toBe('2024-09');
    expect(at(f, 900_000_000)?.asOf).toBe('2024-Q3');
  });
});

