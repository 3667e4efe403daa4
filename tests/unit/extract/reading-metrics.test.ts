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

  it('a credit facility is debt funding, labelled so', () => {
    const f = run('Corvo, the London remittance start-up, pays its partners early, funded through a £40 million credit facility from two banks.');
    expect(at(f, 40_000_000)).toMatchObject({ kind: 'funding', label: 'credit facility' });
    const line = run('Harlow Pay, the card issuer, signed a €120 million revolving loan facility with four lenders in March.');
    expect(at(line, 120_000_000)).toMatchObject({ kind: 'funding', label: 'credit facility' });
  });

  it('money raised over a company’s life is the total raised, not a round', () => {
    const f = run('Harlow Pay, the card issuer, has raised €120 million in a Series C round. The new money brings the total Harlow Pay has raised since it was founded in 2016 to €212 million.');
    expect(at(f, 120_000_000)).toMatchObject({ kind: 'funding', label: 'Series C' });
    expect(at(f, 212_000_000)).toMatchObject({ kind: 'funding', label: 'total raised' });
    const soFar = run('Harlow Pay, the card issuer, has raised €60 million so far from investors including Index.');
    expect(at(soFar, 60_000_000)).toMatchObject({ kind: 'funding', label: 'total raised' });
    // "a total of" told of one round is the round.
    const round = run('Harlow Pay, the card issuer, raised a total of €30 million in a Series B round led by Index.');
    expect(at(round, 30_000_000)).toMatchObject({ kind: 'funding', label: 'Series B' });
  });

  it('a raise the company is still after is planned, not raised', () => {
    const hope = run('Harlow Pay, the card issuer, said it hopes to raise about €200 million from new investors.');
    expect(at(hope, 200_000_000)).toMatchObject({ kind: 'funding', label: 'raise planned' });
    const talks = run('Harlow Pay, the card issuer, is in talks to raise $500 million in a Series D round.');
    expect(at(talks, 500_000_000)).toMatchObject({ kind: 'funding', label: 'Series D planned' });
    // A plan about something else beside money raised is still a raise.
    const done = run('Harlow Pay, the card issuer, which plans to expand into Spain, raised $50 million from Index.');
    expect(at(done, 50_000_000)).toMatchObject({ kind: 'funding', label: null });
  });

  it('hiring the company will do is a plan, dated by its deadline; hiring it did is a change', () => {
    const plan = run('Harlow Pay, the card issuer, wants to recruit about 150 more engineers by the end of 2027.');
    expect(at(plan, 150)).toMatchObject({ kind: 'workforce_change', direction: 'increase', label: 'hiring planned', asOf: '2027' });
    const done = run('Harlow Pay, the card issuer, hired 150 engineers last year.');
    expect(at(done, 150)).toMatchObject({ kind: 'workforce_change', label: 'hiring', asOf: '2024' });
    // A state at a year's end is that December.
    const state = run('Harlow Pay, the card issuer, had about 900 employees at the end of 2024.');
    expect(at(state, 900)).toMatchObject({ kind: 'headcount', asOf: '2024-12' });
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

describe('second batch', () => {
  it('"in under 30 minutes" is a measured time; "within an hour" stays a threshold', () => {
    const f = run('Corvo, the London remittance start-up, says payouts now arrive in under 20 minutes on average.');
    expect(at(f, 20)).toMatchObject({ kind: 'metric', unit: 'minutes' });
  });

  it('where a product is sold is distribution, not users', () => {
    const f = run('Kassen, the Oslo card-terminal maker, says its readers are sold at more than 900 retailers across Norway, and it offers a free trial.');
    expect(at(f, 900)).toMatchObject({ kind: 'metric', unit: 'retailers' });
    expect(f.some((x) => x.kind === 'users')).toBe(false);
  });

  it('a team’s size is a metric, never the company’s headcount', () => {
    const f = run('Corvo, the London remittance start-up, employs 640 people, but its compliance team has grown to 85 from 40 this year.');
    expect(at(f, 640)).toMatchObject({ kind: 'headcount' });
    expect(at(f, 85)).toMatchObject({ kind: 'metric', unit: 'people', label: 'compliance team' });
    expect(f.some((x) => x.kind === 'headcount' && x.value === 40)).toBe(false);
  });

  it('setting a price range is a filing, and the valuation it implies is the filing’s', () => {
    const f = run('Zilch has revived its plans for a London listing, setting a price range that could value the lender at up to £3 billion.');
    const ipo = f.find((x) => x.kind === 'ipo');
    expect(ipo).toMatchObject({ status: 'filed', value: 3_000_000_000 });
  });

  it('cash and head count at a quarter’s end are as of its last month; revenue keeps the quarter', () => {
    const f = run('Lendora, the US online lender, reported results for the second quarter of 2025 on Tuesday.\n\nRevenue rose 9% to $210 million. Lendora ended the quarter with $640 million in cash, and its headcount was 1,480.');
    expect(at(f, 210_000_000)?.asOf).toBe('2025-Q2');
    expect(at(f, 640_000_000)?.asOf).toBe('2025-06');
    expect(at(f, 1480)?.asOf).toBe('2025-06');
  });

  it('a head count with no tense of its own is today’s', () => {
    const f = run('Brightpay, the Oslo lender, will cut jobs. The reductions amount to about 10% of its workforce of roughly 900, a spokesperson said.', '2025-06-05T08:00:00Z');
    expect(at(f, 900)).toMatchObject({ kind: 'headcount', asOf: '2025-06-05' });
  });

  it('a standfirst’s "a quarter of its staff" is the body’s "about 26%" told loosely: one claim', () => {
    const f = run('Brightpay, the Oslo lender, will cut a quarter of its staff.\n\nBrightpay said on Monday it would cut 120 jobs, about 26% of its workforce.');
    const cuts = f.filter((x) => x.kind === 'workforce_change' && x.unit === 'percent');
    expect(cuts.map((x) => x.value)).toEqual([26]);
  });

  it('a target valuation right after the listing is named is the listing’s, dated like the plan', () => {
    const f = run('Brightpay, the Oslo lender, has shelved its planned listing in Oslo.\n\nIt had been hoping to raise about NOK 2 billion at a valuation of between NOK 9 billion and NOK 11 billion, people familiar said.', '2025-05-08T08:00:00Z', 'Brightpay shelves IPO');
    const target = f.find((x) => x.kind === 'ipo' && x.value === 9_000_000_000);
    expect(target).toMatchObject({ status: 'planned', asOf: expect.stringMatching(/^2025/) });
    expect(f.some((x) => x.kind === 'valuation' && x.value === 9_000_000_000)).toBe(false);
  });

  it('a company’s own wording in indirect speech is not a quote with a speaker', () => {
    const r = extractArticle({ id: 1, title: 'News', text: 'Brightpay, the Oslo lender, will cut jobs. The company said in a statement that it was "making the way loans are approved simpler and faster for everyone".', publishedAt: '2025-05-08T08:00:00Z', outlet: 'x', url: null });
    expect(r.facts.filter((x) => x.kind === 'quote')).toEqual([]);
  });
});

describe('third batch (classes seen on the real set, proven here in other words)', () => {
  it('money customers moved is a metric even when the figure ends the phrase', () => {
    const f = run('Corvo, the London remittance start-up, said its customers moved £9.2bn across borders in 2024, the company said.');
    expect(at(f, 9_200_000_000)).toMatchObject({ kind: 'metric', label: 'money moved', asOf: '2024' });
  });

  it('what a drop "came from" is a figure of its own, not a comparison', () => {
    const f = run('Brightpay, the Oslo lender, said profit fell. Much of the drop came from the NOK 40 million penalty the regulator imposed on Brightpay in 2024.');
    expect(at(f, 40_000_000)).toMatchObject({ kind: 'metric', label: 'fine' });
  });

  it('a share "of Corvo’s revenue" is a share of revenue', () => {
    const f = run('Corvo, the London remittance start-up, reported results for 2024.\n\nAbout 64% of Corvo’s revenue came from business customers in 2024.');
    expect(at(f, 64)).toMatchObject({ kind: 'metric', label: 'share of revenue' });
  });

  it('loans "totalling" an amount are the amount lent', () => {
    const f = run('Lendora, the US online lender, reported results for the second quarter of 2025.\n\nIt originated 41,200 loans totalling $610 million in the quarter.');
    expect(at(f, 610_000_000)).toMatchObject({ kind: 'metric', label: 'loans', asOf: '2025-Q2' });
  });

  it('a share "now" set against a year before, in a results report, is the reporting period’s', () => {
    const f = run('Lendora, the US online lender, reported results for the second quarter of 2025.\n\nFee income now makes up 31% of revenue, up from 24% a year ago, the company said.', '2025-08-05T08:00:00Z');
    expect(at(f, 31)?.asOf).toBe('2025-Q2');
    expect(at(f, 24)?.asOf).toBe('2024-Q2');
  });
});

describe('restatements across period precision', () => {
  it('"close to a quarter … this year" and "23% … in March" are one claim', () => {
    const f = run('Brightpay, the Oslo lender, has cut close to a quarter of its workforce this year.\n\nBrightpay laid off 310 people in March, about 23% of its staff.', '2025-04-02T08:00:00Z');
    expect(f.filter((x) => x.kind === 'workforce_change' && x.unit === 'percent').map((x) => x.value)).toEqual([23]);
  });
});

describe('what the sample fact sheets showed wrong (in other words)', () => {
  it('"N months after it shelved the deal" dates the pause N months before the report', () => {
    const f = run('Zilch has restarted its plans for a London listing, setting a price range that could value it at up to £2 billion, eight months after it shelved the deal amid market turmoil.', '2025-11-20T08:00:00Z');
    expect(f.find((x) => x.kind === 'ipo' && x.status === 'paused')?.asOf).toBe('2025-03');
  });

  it('a plan in the past perfect is dated to the year, not the report’s month', () => {
    const f = run('Zilch bankers had been discussing a valuation of about £2 billion for the listing before it was postponed, people familiar said.', '2025-11-20T08:00:00Z');
    expect(f.find((x) => x.kind === 'ipo' && x.status === 'planned')?.asOf).toBe('2025');
  });

  it('a share "of all the" chats is labelled by the chats', () => {
    const f = run('Corvo, the London remittance start-up, said its bot handled roughly two-thirds of all the support chats it received in May.');
    expect(at(f, 66.7)?.label).toBe('share of support chats');
  });

  it('a count of merchants says so, so it is never shown as users', () => {
    const f = run('Lendora, the US online lender, reported results for the second quarter of 2025.\n\nActive borrowers rose to 2.2 million, and the number of merchants offering its loans passed 41,000.');
    expect(at(f, 41_000)).toMatchObject({ kind: 'users', label: 'merchants' });
    expect(at(f, 2_200_000)).toMatchObject({ kind: 'users', label: 'borrowers' });
  });

  it('money raised by selling shares in a listing is labelled IPO proceeds, planned while it is sought', () => {
    const f = run('Zilch said in its filing that it planned to sell 20 million shares at between £8 and £9 each, raising up to £180 million.', '2025-11-20T08:00:00Z');
    expect(at(f, 180_000_000)).toMatchObject({ kind: 'funding', label: 'IPO proceeds planned' });
    const g = run('Tillwise, the Danish lender, hopes to raise DKK 900 million in its initial public offering next month.\n\nTillwise’s listing raised DKK 1.1 billion.', '2025-11-20T08:00:00Z');
    expect(at(g, 900_000_000)).toMatchObject({ kind: 'funding', label: 'IPO proceeds planned' });
    expect(at(g, 1_100_000_000)).toMatchObject({ kind: 'funding', label: 'IPO proceeds' });
  });

  it('a pricing or a debut carries its one share price, dated past its own terms; a range does not', () => {
    const f = run('Brightmoor, the British savings app, priced its initial public offering at $21 per share on October 3, beating its own range.\n\nBrightmoor had set a range of $17 to $19 a share for its IPO.', '2025-11-20T08:00:00Z');
    expect(f.filter((x) => x.kind === 'ipo' && x.status === 'priced').map((x) => [x.value, x.unit, x.label, x.asOf])).toEqual([[21, 'USD', 'price per share', '2025-10-03']]);
    expect(f.some((x) => x.kind === 'ipo' && (x.value === 17 || x.value === 19))).toBe(false);
  });
});

describe('one claim per article', () => {
  it('a figure repeated with a nested period is one fact at the more precise period; two periods are two facts', () => {
    const f = run('Lendora, the US online lender, reported results for the first quarter of 2025.\n\nLendora had 2.1 million customers in the first quarter. It had 2.1 million customers at the end of March, it said. Revenue was $5 million in 2023 and $5 million in 2024, its accounts show.', '2025-05-02T08:00:00Z');
    expect(f.filter((x) => x.value === 2_100_000).map((x) => x.asOf)).toEqual(['2025-03']);
    expect(f.filter((x) => x.value === 5_000_000).map((x) => x.asOf)).toEqual(['2023', '2024']);
  });
});
