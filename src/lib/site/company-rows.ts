/**
 * The rows of a company list (/companies/ and its seven pre-sorted copies) as HTML: one string
 * function instead of Astro elements, as the timeline's entries (fact-item.ts), since a 10k-article
 * site renders eight lists of 500 rows on every build. The markup is byte for byte what the template
 * wrote (all eight lists of the 10k bench compared equal; tests/unit/site/company-rows.test.ts reads
 * the cells back); src/scripts/companies.ts reads the data- attributes back when it sorts in the
 * browser.
 *
 * Attributes as Astro writes them: null leaves the attribute out, '' writes the bare name.
 */
import type { CompanyListRow } from './companies-list.ts';
import { escapeAttr, escapeText } from './html.ts';

function attr(key: string, value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return s === '' ? ` ${key}` : ` ${key}="${escapeAttr(s)}"`;
}

const NONE = (what: string) => `<span aria-hidden="true">—</span><span class="sr-only">${what}</span>`;

export function companyRowHtml(c: CompanyListRow): string {
  const valuation = c.valuationText ? `${escapeText(c.valuationText)} <span class="muted">(${escapeText(c.valuationAsOf ?? '')})</span>` : NONE('none reported');
  const reported = c.reported ? `<time${attr('datetime', c.reported)}>${escapeText(c.reported)}</time>` : NONE('no dated source');
  const figures =
    c.figures.length > 0
      ? c.figures.map((f, i) => `${i > 0 ? ' · ' : ''}${escapeText(f.kind)} ${escapeText(f.text)} <span class="muted">(${escapeText(f.asOf)})</span>`).join('')
      : NONE('none');
  return (
    `<tr${attr('data-name', c.name)}${attr('data-slug', c.slug)}${attr('data-facts', c.facts)}${attr('data-currency', c.currency ?? '')}${attr('data-valuation', c.valuation ?? '')}${attr('data-reported', c.reported ?? '')}>` +
    `<th scope="row" class="feed"><a${attr('href', c.href)}>${escapeText(c.name)}</a></th>` +
    `<td class="num" data-label="Facts">${c.facts}</td>` +
    `<td class="num" data-label="Latest valuation">${valuation}</td>` +
    `<td data-label="Last reported">${reported}</td>` +
    `<td data-label="Other latest figures">${figures}</td>` +
    `</tr>`
  );
}

/** Every row, in order, as one string (for `<tbody set:html>`). */
export function companyRowsHtml(rows: readonly CompanyListRow[]): string {
  return rows.map(companyRowHtml).join('');
}
