/**
 * Company binding and phrasing classes from issue 11, each written in our own words (other
 * companies and sentences than the gold sets).
 */
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../src/extract/rules/index.ts';

const run = (text: string, title = 'News', publishedAt = '2025-03-10T09:00:00Z') =>
  extractArticle({ id: 1, title, text, publishedAt, outlet: 'Test Wire', url: null });
const find = (r: ReturnType<typeof run>, kind: string, value: number) => r.facts.find((f) => f.kind === kind && f.value === value);

describe('who a figure belongs to', () => {
  it('a person who speaks or founded the company is never the company', () => {
    const r = run('Maria Okafor said she is cutting 300 jobs at Tillwise, the payments start-up co-founded by Maria Okafor. Tillwise had 1,900 staff.', 'Maria Okafor’s Tillwise to cut 300 jobs');
    const cut = find(r, 'workforce_change', 300);
    expect(cut?.company).toBe('Tillwise');
    expect(r.facts.some((f) => /okafor/i.test(f.company))).toBe(false);
  });

  it('a camel-case brand used twice is a company even without a cue', () => {
    const r = run('After months of talks, zPay has launched its listing. In 2024, zPay reported a net profit of $40 million.', 'zPay’s $1B IPO: cheap or dear?');
    expect(find(r, 'net_income', 40_000_000)?.company).toBe('zPay');
  });

  it('finds companies whose names start in lower case', () => {
    const r = run('Trading app zBroker said revenue rose to $120 million in 2024. zBroker has 3 million users.', 'zBroker revenue climbs');
    expect(find(r, 'revenue', 120_000_000)?.company).toBe('zBroker');
  });

  it('a definite description resolves to the one company introduced with those words', () => {
    const text = 'Israeli trading platform Finora and US rival Quillo both reported results. Quillo said revenue was $90 million in 2024. The Israeli trading platform reported revenue of $40 million in 2024.';
    const r = run(text, 'Quillo and Finora results');
    expect(find(r, 'revenue', 40_000_000)?.company).toBe('Finora');
    expect(find(r, 'revenue', 90_000_000)?.company).toBe('Quillo');
  });
});

describe('what is not a reported figure', () => {
  it('analyst estimates are not the company’s figures', () => {
    const r = run('Lendora, the US online lender, reported second-quarter revenue of $310 million. Analysts had expected revenue of $330 million and ebitda of $40 million.', 'Lendora misses');
    expect(find(r, 'revenue', 310_000_000)).toBeTruthy();
    expect(find(r, 'revenue', 330_000_000)).toBeUndefined();
    expect(find(r, 'metric', 40_000_000)).toBeUndefined();
  });

  it('share-price moves are market data', () => {
    const r = run('Lendora shares fell 8 per cent in early trading after the results.', 'Lendora shares fall');
    expect(r.facts.filter((f) => f.value === 8)).toEqual([]);
  });

  it('underlying, pre-tax and operating profit are metrics, never net income', () => {
    const r = run('Harbourline, a UK lender, said underlying profit doubled to £52 million in 2024, while profit before tax rose to £31 million and operating losses narrowed to £4 million.', 'Harbourline profit');
    for (const v of [52_000_000, 31_000_000]) {
      expect(r.facts.find((f) => f.value === v)?.kind).toBe('metric');
    }
    expect(r.facts.some((f) => f.kind === 'net_income')).toBe(false);
  });
});

describe('IPO events', () => {
  const ipos = (text: string, publishedAt = '2025-06-20T08:00:00Z') => run(text, 'Listing news', publishedAt).facts.filter((f) => f.kind === 'ipo');

  it('each status takes the period next to its own verb', () => {
    const f = ipos('Harbourline, a UK lender, confidentially filed for a London listing in February, then postponed the offering in May amid market swings.');
    expect(f.map((x) => [x.status, x.asOf])).toEqual([['filed', '2025-02'], ['paused', '2025-05']]);
  });

  it('a listing year is not the founding year', () => {
    const f = ipos('Orla Bank, a Danish lender, was founded in 2004 and listed on Nasdaq Copenhagen in 2017.');
    expect(f.map((x) => [x.status, x.asOf])).toEqual([['listed', '2017']]);
  });

  it('a plan stated in the present is dated the publication day', () => {
    const f = ipos('Harbourline, a UK lender, has been preparing for a stock market listing since last year, people familiar said.');
    expect(f[0]).toMatchObject({ status: 'planned', asOf: '2025-06-20' });
  });

  it('a price per share is not the IPO’s value, and listed peers are not an event', () => {
    const f = ipos('Harbourline, a UK lender, filed to raise money by selling shares at $18 to $21 each in its New York IPO. Its peers listed in London trade at lower multiples.');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ status: 'filed', value: null });
  });
});

describe('quotes and speakers', () => {
  const quotes = (text: string) => run(text, 'Tillwise interview').facts.filter((f) => f.kind === 'quote');

  it('a role resolves to the person the article gave it, and a surname to the full name', () => {
    const q = quotes('Tillwise, the Leeds payments start-up, named Priya Raman as chief executive in May.\n\n“We have to earn every merchant twice over this year,” the chief executive told staff.\n\n“Growth without margin is just a louder loss,” Raman quipped.');
    expect(q.map((x) => x.speaker)).toEqual(['Priya Raman', 'Priya Raman']);
  });

  it('attribution in the sentence before, or a colon introduction, names the speaker', () => {
    const q = quotes('Tillwise, the Leeds payments start-up, is cutting costs.\n\nPriya Raman, who founded it in 2019, said she had weighed two paths. “We could shrink slowly or decide once and move on with a clear plan.”\n\nAnd she went further: “I would rather be early and wrong than late and right about this.”');
    expect(q.map((x) => x.speaker)).toEqual(['Priya Raman', 'Priya Raman']);
  });

  it('a name with an appositive after the quote is the speaker', () => {
    const q = quotes('Tillwise, the Leeds payments start-up, raised money.\n\n“Our merchants asked for this product long before we built it,” Priya Raman, Tillwise’s chief executive, said in a statement.');
    expect(q[0]?.speaker).toBe('Priya Raman');
  });

  it('a fragment of a few words is not a quote', () => {
    const q = quotes('Tillwise, the Leeds payments start-up, said its chief executive Priya Raman had “gone too far” with hiring.');
    expect(q).toEqual([]);
  });
});

describe('interrupted quotes', () => {
  it('are joined from their own words, never "…costs, What…"', async () => {
    const { joinQuoteParts } = await import('../../../src/extract/rules/quotes.ts');
    expect(joinQuoteParts('We cut costs,', 'What we have not done is grow.')).toBe('We cut costs. What we have not done is grow.');
    expect(joinQuoteParts('The lesson,', 'is that nobody reads the terms.')).toBe('The lesson is that nobody reads the terms.');
    expect(joinQuoteParts('It worked.', 'Then it stopped.')).toBe('It worked. Then it stopped.');
  });
});

describe('anaphora across sentences (second pass)', () => {
  it('"the bank" is the bank the article is about, not the brokerage whose banking analyst spoke', () => {
    const r = run('Lumen Bank, the Danish consumer lender, doubled its provisions in the quarter.\n\n"It is a credit story again," said Jonas Berg, a banking analyst at Kattegat Securities.\n\nThe chief executive said hiring would slow. The bank said in March that it planned to cut DKK 90 million in annual costs by 2026.');
    expect(find(r, 'metric', 90_000_000)?.company).toBe('Lumen Bank');
  });

  it('"Its…" after "X’s rival, Y, …" is Y', () => {
    const r = run('Quillo, the Austin investing app, raised $40 million this week.\n\nQuillo’s biggest rival, Robinhood, has had a strong year. Its shares have doubled since January, and the company reported net income of $90 million in the second quarter.');
    expect(find(r, 'net_income', 90_000_000)?.company).toBe('Robinhood');
  });

  it('a run of "Its…" sentences keeps the first one’s antecedent, even in a piece about several companies', () => {
    const r = run('Three lenders, compared.\n\nBrightpay, the Oslo provider, had a hard year. Its credit losses rose to NOK 90 million. Its default rate rose to 2.2% of volume, a record.\n\nCorvo went the other way.', 'Three lenders compared');
    expect(find(r, 'metric', 2.2)?.company).toBe('Brightpay');
  });

  it('"The British company" right after a sentence naming one company is that company, even if it was never called British', () => {
    const r = run('Three lenders, compared.\n\nBrightpay, the Oslo provider, had a hard year.\n\nThen there is Zilch, the largest. The British company’s credit losses rose 12% to $140 million in the first quarter.', 'Three lenders compared');
    expect(find(r, 'credit_losses', 140_000_000)?.company).toBe('Zilch');
  });
});
