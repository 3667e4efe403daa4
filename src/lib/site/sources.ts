/**
 * The rows of /sources/, typed for the page: each feed's health with its fetch times as exact UTC
 * times ("2026-12-02 10:19 UTC"), not days — a feed fetched every half hour otherwise shows the same
 * "last" and "next" day — and with the machine-readable ISO time for a <time datetime>.
 */
import type { Db } from '../../../db/client.ts';
import { formatDate } from './format.ts';
import { feedsHealth } from './queries.ts';

export interface SiteTime {
  /** The stored ISO-8601 time, for <time datetime>. */
  iso: string;
  /** "2026-12-02 10:19 UTC". */
  text: string;
}

/** An ISO time as "YYYY-MM-DD HH:MM UTC"; null for a missing or unreadable time. */
export function siteTime(iso: string | null | undefined): SiteTime | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const d = new Date(t).toISOString();
  return { iso: d, text: `${d.slice(0, 10)} ${d.slice(11, 16)} UTC` };
}

/** Only http(s) site links are rendered as links; a feed can claim any URL. */
function safeHref(u: string | null): string | null {
  return u && /^https?:\/\//i.test(u) ? u : null;
}

export interface SourceRow {
  id: number;
  name: string;
  url: string;
  siteHref: string | null;
  disabled: boolean;
  articles: number;
  copies: number;
  paywalled: number;
  /** Day of the newest article ("—" when none is dated). */
  newest: string;
  lastFetch: SiteTime | null;
  /** The last fetch did not succeed: the page then names the last success (null: never). */
  lastFailed: boolean;
  lastSuccess: SiteTime | null;
  /** null: due at the next refresh. */
  nextFetch: SiteTime | null;
  errorCount: number;
  lastError: string | null;
}

export async function sourcesPage(db: Db): Promise<{ rows: SourceRow[]; failing: number }> {
  const feeds = await feedsHealth(db);
  const rows = feeds.map((f): SourceRow => ({
    id: f.id,
    name: f.title ?? f.url,
    url: f.url,
    siteHref: safeHref(f.siteUrl),
    disabled: f.disabled,
    articles: f.articles,
    copies: f.copies,
    paywalled: f.paywalled,
    newest: formatDate(f.newest),
    lastFetch: siteTime(f.lastFetchedAt),
    lastFailed: f.lastFetchedAt !== null && f.lastSuccessAt !== f.lastFetchedAt,
    lastSuccess: siteTime(f.lastSuccessAt),
    nextFetch: siteTime(f.nextFetchAt),
    errorCount: f.errorCount,
    lastError: f.lastError,
  }));
  return { rows, failing: rows.filter((r) => r.errorCount > 0).length };
}
