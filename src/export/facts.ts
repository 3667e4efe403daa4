/**
 * Facts export in the shape of the facts contract (./contract.ts, content/facts-contract.md), streamed:
 * facts are read in pages of 500 by id, each page with its sources, so memory stays flat.
 */
import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { writer } from './stream.ts';
import type { Db } from '../../db/client.ts';
import { articles, companies, facts, factSources } from '../../db/schema.ts';
import { independentSources } from '../shared/facts/disputes.ts';
import type { Corroboration, FactKind, IpoStatus } from '../shared/facts/kinds.ts';
import { FACTS_SCHEMA_VERSION, type ExportFact, type ExportSource } from './contract.ts';

export { FACTS_SCHEMA_VERSION };
export type { ExportFact, ExportSource };

export interface FactFilter {
  company?: string;
  kind?: string;
  /** Facts with a source published on or after this ISO date. */
  since?: string;
}

const PAGE = 500;

/**
 * The slug and name of every company with a current fact: what a --company filter can usefully name
 * (the CLI suggests from these; the directory also knows companies no article has mentioned yet).
 */
export async function companyChoices(db: Db): Promise<{ slug: string; name: string }[]> {
  return db
    .select({ slug: companies.slug, name: companies.name })
    .from(companies)
    .where(sql`exists (select 1 from facts f where f.company_id = ${companies.id} and f.retracted = 0)`)
    .orderBy(asc(companies.slug));
}

/** Paging for the API: resume after a fact id, stop after `limit` facts (the CLI export reads all). */
export interface ExportPage {
  after?: string;
  limit?: number;
}

export async function* exportFacts(db: Db, filter: FactFilter = {}, page: ExportPage = {}): AsyncGenerator<ExportFact> {
  const original = alias(articles, 'original');
  let lastId = page.after ?? '';
  let left = page.limit ?? Infinity;
  // A small page for a small request; a few facts without a current source may cost one more read.
  const pageSize = Math.min(PAGE, Math.max(1, left));
  for (;;) {
    const conds: SQL[] = [gt(facts.id, lastId), eq(facts.retracted, false)];
    if (filter.company) conds.push(eq(companies.slug, filter.company));
    if (filter.kind) conds.push(eq(facts.kind, filter.kind));
    if (filter.since) {
      conds.push(
        sql`exists (select 1 from fact_sources s join articles a on a.id = s.article_id
                    where s.fact_id = "facts"."id" and coalesce(a.published_at, a.first_seen_at) >= ${filter.since})`,
      );
    }
    const rows = await db
      .select({ f: facts, slug: companies.slug, name: companies.name })
      .from(facts)
      .innerJoin(companies, eq(companies.id, facts.companyId))
      .where(and(...conds))
      .orderBy(asc(facts.id))
      .limit(pageSize);
    if (rows.length === 0) return;
    const sources = await db
      .select({
        factId: factSources.factId,
        articleId: factSources.articleId,
        evidence: factSources.evidence,
        start: factSources.start,
        end: factSources.end,
        partial: factSources.partial,
        url: articles.url,
        title: articles.title,
        outlet: articles.outlet,
        publishedAt: articles.publishedAt,
        copyOfId: articles.copyOfId,
        copyOfUrl: original.url,
      })
      .from(factSources)
      .innerJoin(articles, eq(articles.id, factSources.articleId))
      .leftJoin(original, eq(original.id, articles.copyOfId))
      // The current revision's evidence only: it is the text the article holds now.
      .where(and(inArray(factSources.factId, rows.map((r) => r.f.id)), eq(factSources.revision, articles.revision)))
      .orderBy(asc(articles.publishedAt), asc(factSources.articleId), asc(factSources.start));
    const byFact = new Map<string, typeof sources>();
    for (const s of sources) byFact.set(s.factId, [...(byFact.get(s.factId) ?? []), s]);
    for (const { f, slug, name } of rows) {
      const fact = toExportFact({ ...f, conflictsWith: f.conflictsWith ? (JSON.parse(f.conflictsWith) as string[]) : [] }, slug, name, byFact.get(f.id) ?? []);
      if (!fact) continue; // contract: every fact has at least one source
      if (left-- <= 0) return;
      yield fact;
    }
    if (rows.length < pageSize) return;
    lastId = rows[rows.length - 1]!.f.id;
  }
}

/** A fact's columns as the export reads them (conflicting ids already parsed). */
export interface ExportFactRow {
  id: string;
  kind: string;
  value: number | null;
  valueHigh: number | null;
  unit: string | null;
  direction: string | null;
  changePct: number | null;
  approximate: boolean;
  label: string | null;
  status: string | null;
  asOf: string | null;
  speaker: string | null;
  quote: string | null;
  statement: string;
  extractor: string;
  confidence: number;
  corroboration: string;
  conflictsWith: string[];
}

/** One current source of a fact, with its article (and the url of the article it copies, if any). */
export interface ExportSourceRow {
  articleId: number;
  url: string | null;
  title: string | null;
  outlet: string | null;
  publishedAt: string | null;
  evidence: string;
  start: number;
  end: number;
  partial: boolean;
  copyOfId: number | null;
  copyOfUrl: string | null;
}

/**
 * A fact in the contract's shape, from its row and its current sources in publication order (then by
 * article); null for a fact without a current source, which the contract leaves out. The one mapping
 * behind the CLI export, the API and the site's export files (which build it from the rows a site
 * build has already read).
 */
export function toExportFact(f: ExportFactRow, slug: string, name: string, sources: ExportSourceRow[]): ExportFact | null {
  // The earliest independent source first, then the rest in publication order (copies after originals).
  const src = independentSources(sources).sort((x, y) => Number(y.independent) - Number(x.independent));
  if (src.length === 0) return null;
  return {
    id: f.id,
    company: slug,
    companyName: name,
    // Text columns holding the contract's words (the extractors write nothing else); every
    // export the tests make is validated against the published schema.
    kind: f.kind as FactKind,
    value: f.value,
    valueHigh: f.valueHigh,
    unit: f.unit,
    direction: f.direction as ExportFact['direction'],
    changePct: f.changePct,
    approximate: f.approximate,
    label: f.label,
    status: f.status as IpoStatus | null,
    asOf: f.asOf,
    speaker: f.speaker,
    quote: f.quote,
    statement: f.statement,
    sources: src.map((s) => ({
      articleId: s.articleId,
      url: s.url,
      title: s.title,
      outlet: s.outlet,
      publishedAt: s.publishedAt,
      evidence: s.evidence,
      start: s.start,
      end: s.end,
      independent: s.independent,
      copyOf: s.copyOfId !== null ? s.copyOfUrl : null,
      partial: s.partial,
    })),
    extractor: f.extractor,
    confidence: f.confidence,
    corroboration: f.corroboration as Corroboration,
    conflictsWith: f.conflictsWith,
  };
}

const CSV_COLUMNS = [
  'id', 'company', 'companyName', 'kind', 'value', 'unit', 'direction', 'changePct', 'label', 'status', 'asOf',
  'speaker', 'quote', 'statement', 'source_url', 'source_outlet', 'source_published_at', 'evidence', 'start', 'end',
  'extractor', 'confidence', 'corroboration', 'valueHigh', 'approximate', 'source_independent', 'source_copy_of', 'source_partial', 'conflictsWith',
] as const;

/**
 * A text cell a spreadsheet would run as a formula (OWASP "CSV injection": = + - @ tab CR, and the
 * fullwidth ＝＋－＠ some spreadsheets fold to ASCII). Feed text reaches these cells: an outlet called
 * `=cmd|' /C calc'!A0` must open as text.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * One CSV cell. RFC 4180: quote fields containing a comma, quote, CR or LF (and ";", the separator
 * Excel uses in many locales, so a "; =…" inside a field cannot start a cell there); double inner quotes.
 * Text cells that would start a formula get OWASP's leading `'`. Numbers are written as numbers:
 * a value of -5000000 is data an analyst sums, not a formula, and stays unprefixed.
 */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v !== 'number' && typeof v !== 'boolean' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV records of one fact, one per source (each ends in CRLF). */
export function csvRows(f: ExportFact): string[] {
  return f.sources.map((s) => {
    const rec: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      id: f.id, company: f.company, companyName: f.companyName, kind: f.kind, value: f.value, unit: f.unit,
      direction: f.direction, changePct: f.changePct, label: f.label, status: f.status, asOf: f.asOf,
      speaker: f.speaker, quote: f.quote, statement: f.statement, source_url: s.url, source_outlet: s.outlet,
      source_published_at: s.publishedAt, evidence: s.evidence, start: s.start, end: s.end, extractor: f.extractor,
      confidence: f.confidence, corroboration: f.corroboration, valueHigh: f.valueHigh, approximate: f.approximate,
      source_independent: s.independent, source_copy_of: s.copyOf, source_partial: s.partial, conflictsWith: f.conflictsWith.join(' '),
    };
    return CSV_COLUMNS.map((c) => csvField(rec[c])).join(',') + '\r\n';
  });
}

/** The CSV header line (ends in CRLF). */
export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + '\r\n';
}

export async function writeFacts(
  out: NodeJS.WritableStream,
  records: AsyncIterable<ExportFact>,
  format: 'json' | 'ndjson' | 'csv',
  now: Date = new Date(),
): Promise<number> {
  const write = writer(out);
  let n = 0;
  if (format === 'json') await write(`{"schemaVersion":${FACTS_SCHEMA_VERSION},"generatedAt":${JSON.stringify(now.toISOString())},"facts":[`);
  if (format === 'csv') await write(csvHeader());
  for await (const f of records) {
    if (format === 'json') await write(`${n ? ',' : ''}\n${JSON.stringify(f)}`);
    else if (format === 'ndjson') await write(JSON.stringify(f) + '\n');
    else for (const row of csvRows(f)) await write(row);
    n++;
  }
  if (format === 'json') await write(`${n ? '\n' : ''}]}\n`);
  return n;
}
