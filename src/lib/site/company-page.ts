/**
 * Everything a company's fact sheet shows, as typed props built here so the page only renders.
 * Provenance by construction: each figure's value, period, badge and every source link come from the
 * same fact row and its own sources, the earliest independent source first (then by date, copies last).
 */
import { overlapping, periodKey, periodSpan } from '../../shared/facts/periods.ts';
import { independentSources } from '../../shared/facts/disputes.ts';
import { sameFigure } from '../../shared/facts/latest.ts';
import { companyFactSheet, type FactRow, type SourceRow } from './queries.ts';
import { formatAsOf, formatDate, formatValue, kindLabel } from './format.ts';
import { articleHref, evidenceHref } from './links.ts';
import { ipoHistory } from './ipo.ts';
import { periodLabel as spokenPeriod } from './timeline-format.ts';
import { companyExportPath } from './static-exports.ts';
import type { Db } from '../../../db/client.ts';

export type Badge = 'corroborated' | 'single-source' | 'disputed';

export const BADGE_TEXT: Record<Badge, string> = {
  corroborated: 'corroborated',
  'single-source': 'single source',
  disputed: 'disputed',
};

export interface SourceView {
  articleId: number;
  /** The article page at this fact's highlighted evidence. */
  href: string;
  outlet: string;
  date: string;
  publishedAt: string | null;
  /** false for a reprint of another source of the same fact */
  independent: boolean;
  evidence: string;
}

export interface FactView {
  id: string;
  /** What the figure measures: "valuation", "IPO proceeds", a metric's label. */
  what: string;
  /**
   * `what` holds a word too long for a phone's column (a metric label read from a page can be
   * anything): only then may it break anywhere; "valuation" must not become "valuatio / n".
   */
  whatBreaks: boolean;
  value: string;
  asOf: string | null;
  period: string;
  badge: Badge;
  sources: SourceView[];
}

export interface DisputeView {
  what: string;
  /** The facts that contradict one another, each with its own sources. */
  facts: FactView[];
}

export interface QuoteGroup {
  speaker: string;
  quotes: { id: string; text: string; source: SourceView | null }[];
}

export interface IpoEventView {
  date: string;
  asOf: string | null;
  status: string;
  value: string | null;
  badge: Badge;
  sources: SourceView[];
}

export interface CompanyPage {
  company: { slug: string; name: string; ticker: string | null };
  brief: string | null;
  latest: FactView[];
  ipo: IpoEventView[];
  quotes: QuoteGroup[];
  disputes: DisputeView[];
  articles: { href: string; title: string; outlet: string; date: string; url: string | null }[];
  downloads: { json: string | null; csv: string | null };
  timelineHref: string;
  factCount: number;
  /** The raw sheet, for the charts section (its own module builds the chart props). */
  sheet: NonNullable<Awaited<ReturnType<typeof companyFactSheet>>>;
}

/**
 * "2024 (full year)", "Q1 2025", "Mar 2025", "14 Mar 2025": a period as a reader says it. "Full year"
 * only for money earned over the year; a valuation or head count "in 2022" is a moment within it.
 */
export function periodLabel(asOf: string | null, kind?: string): string {
  // Without a kind (IPO events) a year is a moment too, never "full year".
  return asOf ? spokenPeriod(asOf, kind ?? '') : formatAsOf(null);
}

/** What a figure measures, in words a reader of the sheet expects. */
export function whatOf(f: Pick<FactRow, 'kind' | 'label' | 'status'>): string {
  if (f.kind === 'metric') return f.label ?? 'metric';
  if (f.kind === 'funding' && f.label?.startsWith('IPO proceeds')) return f.label;
  if (f.kind === 'funding' && f.label) return `funding (${f.label})`;
  if (f.kind === 'ipo') return `IPO ${f.status ?? ''}${f.label ? `, ${f.label}` : ''}`.trim();
  if (f.kind === 'users' && f.label) return `users (${f.label})`;
  return kindLabel(f.kind);
}

/** The earliest independent source first, then by publication date, reprints last. */
const byProvenance = (a: { independent: boolean; publishedAt: string | null; articleId: number }, b: typeof a) =>
  Number(b.independent) - Number(a.independent) || (a.publishedAt ?? '\uffff').localeCompare(b.publishedAt ?? '\uffff') || a.articleId - b.articleId;

/** Several facts' sources as one list in provenance order, one entry per article (its first fact's anchor). */
function mergeSources(lists: SourceView[][]): SourceView[] {
  const seen = new Set<number>();
  return lists
    .flat()
    .sort(byProvenance)
    .filter((x) => !seen.has(x.articleId) && (seen.add(x.articleId), true));
}

/** A fact's sources: the earliest independent one first, then by publication date, reprints last. */
export function orderedSources(factId: string, sources: SourceRow[]): SourceView[] {
  return independentSources(sources)
    .sort(byProvenance)
    .map((s) => ({
      articleId: s.articleId,
      href: evidenceHref(s.articleId, factId),
      outlet: s.outlet ?? s.title ?? 'article',
      date: formatDate(s.publishedAt),
      publishedAt: s.publishedAt,
      independent: s.independent,
      evidence: s.evidence,
    }));
}

function badgeOf(f: Pick<FactRow, 'corroboration'>): Badge {
  return f.corroboration === 'disputed' || f.corroboration === 'corroborated' ? f.corroboration : 'single-source';
}

export async function companyPage(db: Db, slug: string): Promise<CompanyPage | null> {
  const sheet = await companyFactSheet(db, slug);
  if (!sheet) return null;
  const src = (id: string) => orderedSources(id, sheet.sourcesByFact[id] ?? []);
  // One claim told at two precisions by different articles ("$6.7bn in 2022", "$6.7bn in July 2022") is
  // stored as two facts that corroborate each other: the figure shows the sources of both, each linking
  // to its own evidence, so "corroborated" always stands beside the outlets that corroborate it.
  const supporters = (f: FactRow): FactRow[] =>
    f.asOf === null || f.value === null || f.corroboration === 'disputed'
      ? []
      : sheet.rows.filter((g) => g.id !== f.id && g.kind === f.kind && g.unit === f.unit && (g.label ?? '') === (f.label ?? '') && (g.status ?? '') === (f.status ?? '') && g.corroboration !== 'disputed' && g.asOf !== null && overlapping(g.asOf, f.asOf!) && sameFigure(g, f));
  const allSources = (f: FactRow): SourceView[] => mergeSources([f, ...supporters(f)].map((g) => src(g.id)));
  const view = (f: FactRow): FactView => ({
    id: f.id,
    what: whatOf(f),
    whatBreaks: /\S{17}/.test(whatOf(f)),
    value: formatValue(f.value, f.unit, f.valueHigh),
    asOf: f.asOf,
    period: periodLabel(f.asOf, f.kind),
    badge: badgeOf(f),
    sources: allSources(f),
  });
  const byId = new Map([...sheet.disputed, ...sheet.latest, ...sheet.events].map((f) => [f.id, f]));

  // Disputes as clusters: a fact and every fact it conflicts with, told once, in time order.
  const disputes: DisputeView[] = [];
  const placed = new Set<string>();
  const disputedSorted = [...sheet.disputed].sort((a, b) => a.kind.localeCompare(b.kind) || periodKey(a.asOf).localeCompare(periodKey(b.asOf)));
  for (const f of disputedSorted) {
    if (placed.has(f.id)) continue;
    const cluster: FactRow[] = [];
    const queue = [f];
    while (queue.length) {
      const x = queue.shift()!;
      if (placed.has(x.id)) continue;
      placed.add(x.id);
      cluster.push(x);
      for (const id of x.conflictsWith) {
        const y = byId.get(id);
        if (y && !placed.has(id)) queue.push(y);
      }
    }
    cluster.sort((a, b) => periodKey(a.asOf).localeCompare(periodKey(b.asOf)) || (a.value ?? 0) - (b.value ?? 0));
    disputes.push({ what: whatOf(f), facts: cluster.map(view) });
  }

  // Quotes by speaker identity: "Kowalski" joins "Marta Kowalski" when the sheet knows one full name
  // ending in it; groups and the quotes in them newest first.
  const speakers = [...new Set(sheet.quotes.map((q) => (q.speaker ?? '').trim()).filter(Boolean))];
  const identity = (name: string): string => {
    if (!name || /\s/.test(name)) return name;
    const full = speakers.filter((s) => s !== name && s.split(/\s+/).at(-1) === name);
    return full.length === 1 ? full[0]! : name;
  };
  const quoteDate = (id: string) => src(id)[0]?.publishedAt ?? '';
  const groups = new Map<string, QuoteGroup['quotes']>();
  for (const q of [...sheet.quotes].sort((a, b) => quoteDate(b.id).localeCompare(quoteDate(a.id)))) {
    const who = identity((q.speaker ?? '').trim()) || 'unnamed speaker';
    const list = groups.get(who) ?? [];
    list.push({ id: q.id, text: q.quote ?? q.statement, source: src(q.id)[0] ?? null });
    groups.set(who, list);
  }
  const quotes = [...groups.entries()]
    .map(([speaker, qs]) => ({ speaker, quotes: qs }))
    .sort((a, b) => (b.quotes[0]?.source?.publishedAt ?? '').localeCompare(a.quotes[0]?.source?.publishedAt ?? ''));

  // IPO history, one row per event, oldest first (a history reads forward), each with its sources.
  const ipo: IpoEventView[] = ipoHistory(sheet.events).flatMap((p) =>
    p.statuses.map((s) => {
      const valued = s.facts.find((f) => f.value !== null);
      const sources = mergeSources(s.facts.map((f) => src(f.id)));
      return {
        date: periodLabel(p.period),
        asOf: p.period,
        status: s.status,
        value: valued ? `${formatValue(valued.value, valued.unit, valued.valueHigh)}${valued.label ? ` ${valued.label}` : ''}` : null,
        badge: s.facts.some((f) => f.corroboration === 'disputed') ? 'disputed' : s.facts.some((f) => f.corroboration === 'corroborated') || new Set(sources.filter((x) => x.independent).map((x) => x.outlet)).size > 1 ? 'corroborated' : 'single-source',
        sources,
      };
    }),
  );

  const latestOrder = ['valuation', 'revenue', 'net_income', 'credit_losses', 'headcount', 'workforce_change', 'users', 'funding', 'metric'];
  const latest = [...sheet.latest]
    .sort((a, b) => latestOrder.indexOf(a.kind) - latestOrder.indexOf(b.kind) || (periodSpan(b.asOf)?.[1] ?? '').localeCompare(periodSpan(a.asOf)?.[1] ?? '') || whatOf(a).localeCompare(whatOf(b)))
    .map(view);

  const json = companyExportPath(sheet.company.slug);
  const csv = companyExportPath(sheet.company.slug, 'csv');
  return {
    company: sheet.company,
    brief: sheet.brief,
    latest,
    ipo,
    quotes,
    disputes,
    articles: [...sheet.articles]
      .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || a.articleId - b.articleId)
      .map((a) => ({ href: articleHref(a.articleId), title: a.title ?? a.url ?? 'untitled', outlet: a.outlet ?? '', date: formatDate(a.publishedAt), url: a.url && /^https?:\/\//i.test(a.url) ? a.url : null })),
    downloads: { json: json && `/${json}`, csv: csv && `/${csv}` },
    timelineHref: `/timeline/?company=${encodeURIComponent(sheet.company.slug)}`,
    factCount: sheet.rows.length,
    sheet,
  };
}
