/**
 * One timeline entry as HTML: when (the period with its span, flagged when it had not ended when
 * reported), company, kind, what the fact says, the sentence it was read from, its trust badge and
 * source count. The year pages list up to 500 of these (~50k entries in a 10k-article build), so they
 * are one string function rather than an Astro component instance each; the pages it writes are
 * byte-identical to the component's. In the profile the 89 timeline pages of a rebuild spent ~0.14 s
 * here, but the pages' wall time did not move measurably (1.5–1.9 s either way): most of it is the
 * rest of rendering and writing. src/scripts/timeline.ts builds the same markup in the browser
 * (renderRecord): change both together.
 *
 * Escaped as Astro escapes what a template interpolates (html.ts).
 */
import { kindLabel } from './format.ts';
import { escapeAttr, escapeText } from './html.ts';
import { companyHref, evidenceHref } from './links.ts';
import type { TimelineRecord } from './search-shards.ts';
import { aheadLabel, badgeOf, sourceLabel, sourcesLabel, whenLabel } from './timeline-format.ts';

export function factItemHtml(r: TimelineRecord, companyName: string): string {
  const badge = badgeOf(r);
  const ahead = aheadLabel(r);
  const what =
    r.k === 'quote'
      ? `<p class="what"><q>${escapeText(r.q ?? '')}</q> — <span class="speaker">${escapeText(r.p ?? 'unnamed')}</span></p>`
      : `<p class="what"><strong>${escapeText(r.v ?? '')}</strong></p>`;
  const src =
    r.a !== null
      ? `<span class="sources">${escapeText(sourcesLabel(r) ?? '')}</span> · <a href="${escapeAttr(evidenceHref(r.a, r.i))}">evidence</a> <span class="muted">in ${escapeText(sourceLabel(r))}</span>`
      : '<span class="muted">its articles have been revised since; the fact sheet lists its sources</span>';
  return (
    `<li class="fact" data-fact-id="${escapeAttr(r.i)}">` +
    `<div class="when"><time datetime="${escapeAttr(r.d)}">${escapeText(whenLabel(r))}</time>${ahead ? ` · <span class="ahead">${escapeText(ahead)}</span>` : ''} · <a href="${escapeAttr(companyHref(r.c))}">${escapeText(companyName)}</a> · <span class="kind">${escapeText(kindLabel(r.k))}</span></div>` +
    what +
    `<p class="statement">${escapeText(r.t)}</p>` +
    `<p class="src"><span class="badge badge-${escapeAttr(badge.value)}" data-corroboration="${escapeAttr(badge.value)}">${escapeText(badge.text)}</span> ${src}</p>` +
    `</li>`
  );
}

/**
 * The entries of a list, in order, as one string (for `<ol set:html>`). Joined, not appended: `+=`
 * left a 500-entry page as a rope of ~15k pieces that the response's UTF-8 encoding had to flatten,
 * and the pieces lived long enough to be copied by the GC. Rendered one at a time in a 10k rebuild,
 * a year page took 13–14 ms with `+=` and 10–11 ms joined (the same bytes).
 */
export function factItemsHtml(records: TimelineRecord[], nameOf: (slug: string) => string): string {
  const out: string[] = [];
  for (const r of records) out.push(factItemHtml(r, nameOf(r.c)));
  return out.join('');
}
