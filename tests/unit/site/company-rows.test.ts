/**
 * A row of the company lists as /companies/ writes it (src/lib/site/company-rows.ts): what a reader
 * sees of each cell and what the sorting script reads back from the data- attributes, through an HTML
 * parser, with names and figures a hand could put in — markup, quotes, ampersands — shown as text.
 */
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { companyRowHtml, companyRowsHtml } from '../../../src/lib/site/company-rows.ts';
import type { CompanyListRow } from '../../../src/lib/site/companies-list.ts';

const klarna: CompanyListRow = {
  name: 'Klarna "Bank" & <Co>',
  slug: 'klarna',
  href: '/companies/klarna/',
  facts: 62,
  currency: 'USD',
  valuation: 6_700_000_000,
  valuationText: '$6.7 billion',
  valuationAsOf: '2022-07',
  reported: '2025-09-02',
  figures: [
    { kind: 'revenue', text: '$823 million', asOf: '2025-Q2' },
    { kind: 'net income', text: '−$53 million', asOf: '2025-Q2' },
  ],
};

const bare: CompanyListRow = { name: 'Tillpoint', slug: 'tillpoint', href: '/companies/tillpoint/', facts: 1, currency: null, valuation: null, valuationText: null, valuationAsOf: null, reported: null, figures: [] };

const table = (html: string) => cheerio.load(`<table><tbody>${html}</tbody></table>`);

describe('a company list row', () => {
  it('shows the name as text, its facts, latest valuation, last report and other figures', () => {
    const $ = table(companyRowHtml(klarna));
    const tr = $('tr');
    expect(tr.find('th a').text()).toBe('Klarna "Bank" & <Co>');
    expect(tr.find('th a').attr('href')).toBe('/companies/klarna/');
    expect(tr.find('td').map((_, td) => $(td).text()).get()).toEqual(['62', '$6.7 billion (2022-07)', '2025-09-02', 'revenue $823 million (2025-Q2) · net income −$53 million (2025-Q2)']);
    expect(tr.find('time').attr('datetime')).toBe('2025-09-02');
    // What src/scripts/companies.ts sorts and filters by.
    expect(tr.attr()).toMatchObject({ 'data-name': 'Klarna "Bank" & <Co>', 'data-slug': 'klarna', 'data-facts': '62', 'data-currency': 'USD', 'data-valuation': '6700000000', 'data-reported': '2025-09-02' });
    // Markup in a name is text in the cell (an attribute value needs only & and " escaped).
    expect(companyRowHtml(klarna)).toContain('>Klarna &quot;Bank&quot; &amp; &lt;Co&gt;</a>');
  });

  it('says what is missing to screen readers and leaves the sort fields empty, as the template did', () => {
    const html = companyRowHtml(bare);
    // Astro writes an empty attribute value as the bare name: the script reads '' either way.
    expect(html).toContain('data-currency data-valuation data-reported>');
    const $ = table(html);
    expect($('tr').attr('data-valuation')).toBe('');
    expect($('.sr-only').map((_, s) => $(s).text()).get()).toEqual(['none reported', 'no dated source', 'none']);
    expect($('[aria-hidden="true"]').map((_, s) => $(s).text()).get()).toEqual(['—', '—', '—']);
  });

  it('writes the rows in the order given', () => {
    const $ = table(companyRowsHtml([bare, klarna]));
    expect($('tr').map((_, tr) => $(tr).attr('data-slug')).get()).toEqual(['tillpoint', 'klarna']);
  });
});
