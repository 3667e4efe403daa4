/**
 * Metric, baseline and headcount classes (issue 11, second pass), each in our own words, with
 * companies that are in neither gold set.
 */
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../src/extract/rules/index.ts';

const run = (text: string, publishedAt = '2025-08-07T06:00:00Z', title = 'Results') =>
  extractArticle({ id: 1, title, text, publishedAt, outlet: 'Test Wire', url: null }).facts;
const at = (fs: ReturnType<typeof run>, value: number) => fs.find((f) => f.value === value);

const LEAD = 'Lumen Bank, the Danish lender, reported results for the first half of 2025 on Thursday.\n\n';

describe('an old value with no period of its own', () => {
  it('a results flow ("fell to X from Y") is the same period a year before, with low confidence', () => {
    const f = run(`${LEAD}Net profit fell to DKK 310 million from DKK 402 million.`);
    expect(at(f, 310_000_000)).toMatchObject({ kind: 'net_income', asOf: '2025-H1' });
    expect(at(f, 402_000_000)).toMatchObject({ kind: 'net_income', asOf: '2024-H1' });
    expect(at(f, 402_000_000)!.confidence).toBeLessThan(0.8);
  });

  it('a ratio or a balance has no such convention and stays out', () => {
    const f = run(`${LEAD}Its cost-to-income ratio rose to 61% from 55%. Deposits grew to DKK 12 billion from DKK 10 billion.`);
    expect(at(f, 61)).toBeDefined();
    expect(at(f, 55)).toBeUndefined();
    expect(at(f, 10_000_000_000)).toBeUndefined();
  });

  it('"up from less than 5%" is a comparison, not a figure of its own kind', () => {
    const f = run('Fenna Pay, a Dutch lender, said its app now settles 30% of refunds instantly, up from less than 5% in 2023.');
    expect(at(f, 5)).toMatchObject({ kind: 'metric', asOf: '2023' });
  });
});

describe('measures and shares', () => {
  it('"a share of" inside an aside is not a share-price move, and the aside does not name the measure', () => {
    const f = run(`${LEAD}Its default rate, measured as write-offs as a share of lending, rose to 2.4% from 1.9% a year earlier.`);
    expect(at(f, 2.4)).toMatchObject({ kind: 'metric', label: 'default rate', asOf: '2025-H1' });
    expect(at(f, 1.9)).toMatchObject({ kind: 'metric', asOf: '2024-H1' });
  });

  it('a share followed by a comma ("in 80% of cases, the firm says") is still a share', () => {
    const f = run('Corvo, the London remittance start-up, says transfers now arrive within an hour in 85% of cases, the firm says.');
    expect(at(f, 85)).toMatchObject({ kind: 'metric', label: 'share of cases' });
    // …and the hour is the threshold, not a measure.
    expect(f.some((x) => x.unit === 'hours')).toBe(false);
  });

  it('half "of the total" or two-thirds "of its value" is no metric', () => {
    const f = run('Corvo, the London remittance start-up, will sell about $90 million of new shares, roughly half of the total. Its shares lost two-thirds of their value in 2022.');
    expect(f.some((x) => x.unit === 'percent')).toBe(false);
  });

  it('a score out of 5 is a metric in points', () => {
    const f = run('Corvo, the London remittance start-up, says its app ratings have stayed at 4.7 out of 5 since the change.');
    expect(at(f, 4.7)).toMatchObject({ kind: 'metric', unit: 'points' });
  });

  it('a credit facility is debt funding', () => {
    const f = run('Corvo, the London remittance start-up, pays its partners early, funded through a £40 million credit facility from two banks.');
    expect(at(f, 40_000_000)).toMatchObject({ kind: 'funding' });
  });

  it('a superseded forecast range is not this year’s revenue', () => {
    const f = run(`${LEAD}Lumen Bank now expects revenue of DKK 2.1 billion to DKK 2.2 billion for 2025, up from a previous range of DKK 1.9 billion to DKK 2.0 billion.`);
    expect(at(f, 2_100_000_000)).toMatchObject({ kind: 'revenue', label: 'forecast' });
    expect(at(f, 1_900_000_000)).toBeUndefined();
  });
});

describe('headcount', () => {
  it('"Corvo’s 210 employees" is the company’s headcount', () => {
    const f = run('Corvo, the London remittance start-up, was bought by a rival. Corvo’s 210 employees, most of them in Leeds, will keep their jobs, the buyer said.');
    expect(at(f, 210)).toMatchObject({ kind: 'headcount', unit: 'people' });
  });

  it('an office’s staff is not the company’s headcount', () => {
    const f = run('Corvo, the London remittance start-up, will shut its Dublin office, which opened in 2022 with 35 employees, by the end of the year.');
    expect(f.some((x) => x.kind === 'headcount')).toBe(false);
  });
});
