/**
 * One timeline entry as HTML: when (the period with its span, flagged when it had not ended when
 * reported), company, kind, what the fact says, the sentence it was read from, its trust badge and
 * source count. The year pages list up to 500 of these and a build renders ~100 such pages at 10k
 * articles: as a string here, an entry costs a few microseconds, where an Astro component per entry
 * cost ~20 (most of a rebuild's timeline pages). src/scripts/timeline.ts builds the same markup in
 * the browser (renderRecord): change both together.
 *
 * Escaped as Astro escapes what a template interpolates: text by &, <, >, ' and "; attribute values
 * by & and ", inside double quotes.
 */
import { kindLabel } from './format.ts';
import { companyHref, evidenceHref } from './links.ts';
import type { TimelineRecord } from './search-shards.ts';
import { aheadLabel, badgeOf, sourceLabel, sourcesLabel, whenLabel } from './timeline-format.ts';

const TEXT = /[&<>'"]/g;
const TEXT_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' };

/** Text content, escaped. */
export function escapeText(s: string): string {
  return s.replace(TEXT, (c) => TEXT_ENTITY[c]!);
}

/** An attribute value for double quotes, escaped. */
export function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

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

/** The entries of a list, in order, as one string (for `<ol set:html>`). */
export function factItemsHtml(records: TimelineRecord[], nameOf: (slug: string) => string): string {
  let out = '';
  for (const r of records) out += factItemHtml(r, nameOf(r.c));
  return out;
}
