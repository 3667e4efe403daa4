/**
 * The article-level period reading: governing periods carried from the lead, relative phrases
 * resolved against them, comparisons kept apart. Sentences written for these tests (other
 * companies, other wording than any gold article).
 */
import { describe, expect, it } from 'vitest';
import { readPeriods, shift } from '../../../src/extract/reading/periods.ts';
import { extractArticle } from '../../../src/extract/rules/index.ts';
import type { ArticleInput } from '../../../src/extract/types.ts';

function article(text: string, publishedAt: string, title = 'Results'): ArticleInput {
  return { id: 1, title, text, publishedAt, outlet: 'Test Wire', url: null };
}
const facts = (text: string, publishedAt: string, title?: string) => extractArticle(article(text, publishedAt, title)).facts;
const byValue = (fs: ReturnType<typeof facts>, value: number) => fs.find((f) => f.value === value);

describe('period phrases', () => {
  it('reads reporting periods with their grain', () => {
    const p = readPeriods('Orla Bank reported results for the six months ended 30 June 2023. Tessel posted figures for the quarter ended December 31, 2022.', null, '2023-08-10T00:00:00Z');
    expect(p.mentions.map((m) => m.period)).toEqual(['2023-H1', '2022-Q4']);
    expect(p.mentions.every((m) => m.governs)).toBe(true);
  });

  it('a twelve-month period ending in December is the calendar year; any other ends in its month', () => {
    const p = readPeriods('Its accounts for the 12 months to December 31, 2020 show a loss. For the financial year ending 30 September 2021 it grew.', null, '2022-01-05T00:00:00Z');
    expect(p.mentions.map((m) => m.period)).toEqual(['2020', '2021-09']);
  });

  it('fiscal years take the month the article says they end in', () => {
    const p = readPeriods('Harbour plc published annual results for the year to 30 September 2024. In FY24 it served 2m clients.', null, '2024-11-20T00:00:00Z');
    expect(p.fiscalEndMonth).toBe(9);
    expect(p.mentions.find((m) => /FY/.test('FY24') && m.period?.startsWith('2024-09') && m.start > 60)?.period).toBe('2024-09');
  });

  it('a comparison phrase is a baseline and does not become the governing period', () => {
    const text = 'Lumen posted third-quarter revenue of $80 million, compared with $61 million in the third quarter of 2023. Net income was $4 million.';
    const p = readPeriods(text, null, '2024-10-30T00:00:00Z');
    const cmp = p.mentions.find((m) => m.period === '2023-Q3')!;
    expect(cmp.baseline).toBe(true);
    expect(p.governingAt(text.indexOf('Net income'))?.period).toBe('2024-Q3');
  });

  it('an unnamed quarter that has not ended at publication is last year’s, unless the sentence looks ahead', () => {
    expect(readPeriods('Fourth-quarter sales rose.', null, '2025-02-12T00:00:00Z').mentions[0]!.period).toBe('2024-Q4');
    expect(readPeriods('For the third quarter, the company expects sales of $9m.', null, '2025-08-01T00:00:00Z').mentions[0]!.period).toBe('2025-Q3');
  });

  it('"by the end of the year" ahead is a deadline, this year; "the end of that year" the last year named, its December', () => {
    const p = readPeriods('In 2021 it moved to Lisbon, and by the end of that year it had 90 staff. It aims to reach 500 by the end of the year.', null, '2025-02-11T00:00:00Z');
    const periods = p.mentions.map((m) => m.period ?? p.resolve(m, null));
    expect(periods).toEqual(['2021', '2021-12', '2025']);
  });

  it('shifts keep the grain', () => {
    expect(shift('2024-Q1', 0, -1)).toBe('2023-Q4');
    expect(shift('2025-03', -1)).toBe('2024-03');
    expect(shift('2022-H2', -1)).toBe('2021-H2');
  });
});

describe('figures take the governing period', () => {
  it('a results article names its period once and every later figure belongs to it', () => {
    const fs = facts(
      'Tessel Payments reported results for the quarter ended March 31, 2024 on Tuesday.\n\nRevenue rose 18% to $212 million. The net loss narrowed to $9 million from $15 million a year earlier.',
      '2024-05-07T12:00:00Z',
    );
    expect(byValue(fs, 212_000_000)?.asOf).toBe('2024-Q1');
    expect(byValue(fs, -9_000_000)?.asOf).toBe('2024-Q1');
    // "a year earlier" is a year before the governing quarter, not before the publication day.
    expect(byValue(fs, -15_000_000)?.asOf).toBe('2023-Q1');
  });

  it('each number in a comparison takes its own period', () => {
    const fs = facts('Orla Bank lifted revenue to £90 million in 2023 from £70 million in 2022, the lender said.', '2024-03-01T00:00:00Z');
    expect(byValue(fs, 90_000_000)?.asOf).toBe('2023');
    expect(byValue(fs, 70_000_000)?.asOf).toBe('2022');
  });

  it('a when-clause takes the period named just before it', () => {
    const fs = facts('Nuvola Pay last raised money in 2021, when it was valued at $300 million, according to PitchBook.', '2024-06-01T00:00:00Z');
    expect(byValue(fs, 300_000_000)?.asOf).toBe('2021');
  });

  it('an event named by its year dates what it did; an era named by its year does not', () => {
    expect(byValue(facts('People familiar said the 2022 round valued Nuvola Pay, a Madrid fintech, at about €300 million.', '2025-03-01T00:00:00Z'), 300_000_000)?.asOf).toBe('2022');
    const boom = facts('Nuvola Pay, a Madrid fintech that grew fast during the 2021 boom, is cutting 90 jobs.', '2025-03-01T00:00:00Z');
    expect(byValue(boom, 90)?.asOf).toBe('2025-03');
  });

  it('a small count between a figure and its period does not cut them apart', () => {
    const fs = facts('Nuvola Pay, a Madrid fintech, said it had 2.1 million customers across 9 countries at the end of June.', '2025-08-01T00:00:00Z');
    expect(byValue(fs, 2_100_000)?.asOf).toBe('2025-06');
  });

  it('a founding year never dates a figure', () => {
    const fs = facts('Founded in 2016, Nuvola Pay has 40,000 merchants across Spain.', '2024-06-01T10:00:00Z');
    expect(byValue(fs, 40_000)?.asOf).toBe('2024-06-01');
  });

  it('a comparison figure without its own period is not stored as a fact', () => {
    const fs = facts('Orla Bank said its cost-to-income ratio improved to 61%, from 68%.', '2024-06-01T10:00:00Z');
    expect(byValue(fs, 68)).toBeUndefined();
  });

  it('a when-clause after the figure dates it', () => {
    const fs = facts('Quillo, a Berlin fintech, was valued at $900 million when it raised $120 million from growth investors in 2022.', '2025-01-15T00:00:00Z');
    expect(byValue(fs, 900_000_000)?.asOf).toBe('2022');
  });

  it('a bracketed conversion does not cut a figure from its period', () => {
    const fs = facts('Norvik Bank, a Danish lender, made a net loss of DKK 410m (about €55m) for 2023, the bank said.', '2024-02-20T00:00:00Z');
    expect(byValue(fs, -410_000_000)?.asOf).toBe('2023');
  });

  it('"last week" is the week before publication, even across a month', () => {
    const fs = facts('Rival lender Pennyworth said last week that it would cut 60 jobs.', '2024-07-03T08:00:00Z');
    expect(byValue(fs, 60)?.asOf).toBe('2024-06');
  });

  it('a comparison word far from a period phrase does not make it a comparison', () => {
    const p = readPeriods('Its valuation has yet to recover from the slump it suffered in 2022.', null, '2024-05-01T00:00:00Z');
    expect(p.mentions[0]).toMatchObject({ period: '2022', baseline: false });
  });
});

describe('what a figure is', () => {
  it('a relative clause between a measure and its figure is an aside', () => {
    const fs = facts('Lendora, the US online lender, said total revenue, which includes interest on customer cash balances, rose 9% to $88 million in 2024.', '2025-02-01T00:00:00Z');
    expect(byValue(fs, 88_000_000)?.kind).toBe('revenue');
  });

  it('an acquisition price is the target’s valuation', () => {
    const fs = facts('Brightwater, the Dutch payments group, agreed to buy Kestrelpay, a Leeds start-up, for £42 million in cash and shares.', '2025-02-01T00:00:00Z', 'Brightwater buys Kestrelpay');
    expect(byValue(fs, 42_000_000)).toMatchObject({ kind: 'valuation', label: 'acquisition price', company: 'Kestrelpay' });
  });
});
