/**
 * RawFeed (any format) → ParsedFeed: dates parsed (bad ones become null with a warning), guids
 * completed and de-duplicated, text derived from HTML, the item count capped.
 */
import { createHash } from 'node:crypto';
import { parseDate } from '../../src/shared/dates.ts';
import { cleanLine, htmlToText, normaliseWhitespace } from './html-text.ts';
import type { FeedItem, FeedNotice, ParsedFeed, RawFeed, RawItem } from './types.ts';

export const DEFAULT_MAX_ITEMS = 1000;
/** A feed with a thousand broken dates needs one screenful of warnings, not a thousand lines. */
export const MAX_WARNINGS = 100;

class Warnings {
  readonly list: string[] = [];
  private dropped = 0;
  add(message: string): void {
    if (this.list.length < MAX_WARNINGS) this.list.push(message);
    else this.dropped++;
  }
  done(): string[] {
    return this.dropped ? [...this.list, `… and ${this.dropped} more warnings`] : this.list;
  }
}

/** A year-like token; feed dates are machine-written, so a date without one is relative or garbage. */
const HAS_YEAR = /\b(?:19|20)\d\d\b|^\s*(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3,}\s+\d{2}\b/;

/**
 * ISO 8601 for a feed date, or null. Stricter than the shared parseDate in two ways that matter for
 * feeds: relative words ("yesterday", "2 hours ago") are refused because they depend on when the
 * feed was rendered, and dates that do not exist ("2025-02-30", "31 Feb 2025") are not rolled over.
 */
export function parseFeedDate(value: unknown): string | null {
  if (typeof value === 'number') return parseDate(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (!HAS_YEAR.test(s)) return null;
  // Days that do not exist ("2025-02-30", "Thu, 31 Feb 2025") are refused, not rolled over.
  return parseDate(s);
}

function dateField(value: unknown, what: string, label: string, warnings: Warnings): string | null {
  if (value === null || value === undefined || (typeof value === 'string' && !value.trim())) return null;
  const iso = parseFeedDate(value);
  if (iso === null) warnings.add(`${label}: unparseable or implausible ${what} date ${JSON.stringify(String(value).slice(0, 60))}, set to null`);
  return iso;
}

function hashGuid(title: string, published: unknown): string {
  const basis = `${title}\n${typeof published === 'string' || typeof published === 'number' ? published : ''}`;
  return `hash:${createHash('sha256').update(basis).digest('hex').slice(0, 40)}`;
}

function itemLabel(r: RawItem): string {
  const name = r.guid ?? r.url ?? r.title;
  return name ? `item ${r.position} (${JSON.stringify(name.slice(0, 80))})` : `item ${r.position}`;
}

function toItem(r: RawItem, guid: string, warnings: Warnings): FeedItem {
  const label = itemLabel(r);
  const contentHtml = r.contentHtml?.trim() ? r.contentHtml.trim() : null;
  const summary = r.summary === null ? null : normaliseWhitespace(r.summary) || null;
  const contentText =
    (r.contentText !== null ? normaliseWhitespace(r.contentText) : contentHtml !== null ? htmlToText(contentHtml) : '') || summary;
  const categories: string[] = [];
  for (const c of r.categories) {
    const t = cleanLine(c);
    if (t && !categories.includes(t)) categories.push(t);
  }
  return {
    guid,
    url: r.url,
    title: cleanLine(r.title),
    author: cleanLine(r.author),
    publishedAt: dateField(r.published, 'publication', label, warnings),
    updatedAt: dateField(r.updated, 'update', label, warnings),
    contentHtml,
    contentText,
    summary,
    categories,
  };
}

/** The item's own id: its guid, else its link, else a hash of title and date (null: nothing to key it by). */
function baseGuid(r: RawItem): string | null {
  const title = cleanLine(r.title);
  return cleanLine(r.guid) ?? r.url ?? (title ? hashGuid(title, r.published) : null);
}

/**
 * Guids that some feeds reuse for different links (a CMS that writes the same id into every item).
 * Such items are distinct articles, so they are keyed by guid + link instead; dropping all but
 * the first would make thousands of articles vanish.
 */
function reusedGuids(raw: RawFeed): Map<string, { items: number; links: Set<string> }> {
  const byGuid = new Map<string, { items: number; links: Set<string> }>();
  for (const r of raw.items) {
    const guid = baseGuid(r);
    if (guid === null) continue;
    let entry = byGuid.get(guid);
    if (!entry) byGuid.set(guid, (entry = { items: 0, links: new Set() }));
    entry.items++;
    if (r.url) entry.links.add(r.url);
  }
  for (const [guid, entry] of byGuid) if (entry.links.size < 2) byGuid.delete(guid);
  return byGuid;
}

export function normaliseFeed(raw: RawFeed, maxItems: number = DEFAULT_MAX_ITEMS): ParsedFeed {
  const warnings = new Warnings();
  for (const w of raw.warnings) warnings.add(w);
  const notices: FeedNotice[] = [];
  const limit = Number.isFinite(maxItems) ? Math.max(0, Math.floor(maxItems)) : DEFAULT_MAX_ITEMS;
  const reused = reusedGuids(raw);
  for (const [guid, { items, links }] of reused) {
    notices.push({
      code: 'duplicate-guid',
      message: `${items} items share GUID ${JSON.stringify(guid.slice(0, 100))} across ${links.size} links; kept by link`,
    });
  }
  const items: FeedItem[] = [];
  const seen = new Set<string>();
  for (const r of raw.items) {
    if (items.length >= limit) {
      const message = `${raw.items.length} items, kept the first ${limit} (maxItems)`;
      warnings.add(`feed: ${message}`);
      notices.push({ code: 'too-many-items', message });
      break;
    }
    let guid = baseGuid(r);
    if (guid === null) {
      warnings.add(`item ${r.position}: dropped, no guid, link or title`);
      continue;
    }
    // Every item of a reused guid gets the link appended (not only the second one), so the key does
    // not depend on the order the feed lists them in today.
    if (r.url && reused.has(guid)) guid = `${guid}|${r.url}`;
    if (seen.has(guid)) {
      warnings.add(`item ${r.position}: dropped, duplicate guid ${JSON.stringify(guid.slice(0, 100))} (the first one is kept)`);
      continue;
    }
    seen.add(guid);
    items.push(toItem(r, guid, warnings));
  }
  return {
    format: raw.format,
    title: cleanLine(raw.title),
    siteUrl: raw.siteUrl,
    description: cleanLine(raw.description),
    language: cleanLine(raw.language),
    ttlMinutes: raw.ttlMinutes,
    items,
    warnings: warnings.done(),
    notices,
  };
}
