/**
 * Companies with their fact counts and latest key figures, for /api/companies: one aggregate query
 * (a count per company, and per key kind the newest fact the way the fact sheets pick it — newest
 * asOf, then newest row) instead of loading facts into memory per request.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { FactSchema } from '../../export/contract.ts';
import { KEY_KINDS } from '../site/queries.ts';

/** A key figure carries these fields of the fact, in the contract's terms. */
const fact = FactSchema.shape;

export const KeyFigureSchema = z
  .strictObject({
    id: fact.id.meta({ description: 'the fact, as in /api/facts' }),
    value: fact.value,
    valueHigh: fact.valueHigh,
    unit: fact.unit,
    asOf: fact.asOf,
    corroboration: fact.corroboration,
  })
  .meta({ id: 'KeyFigure', description: 'The newest fact of one key kind.' });
export type KeyFigure = z.infer<typeof KeyFigureSchema>;

export const CompanyEntrySchema = z
  .strictObject({
    slug: z.string().min(1),
    name: z.string(),
    ticker: z.string().nullable(),
    factCount: z.number().int().min(1).meta({ description: 'current (not retracted) facts' }),
    url: z.string().meta({ description: "the company's fact sheet on the site" }),
    latest: z.partialRecord(z.enum(KEY_KINDS), KeyFigureSchema).meta({ description: 'the newest fact of each key kind the company has, keyed by kind' }),
  })
  .meta({ id: 'Company', description: 'A company with facts, its fact count and newest key figures.' });
export type CompanyEntry = z.infer<typeof CompanyEntrySchema>;

interface Row {
  slug: string;
  name: string;
  ticker: string | null;
  factCount: number;
  kind: (typeof KEY_KINDS)[number] | null;
  id: string | null;
  value: number | null;
  valueHigh: number | null;
  unit: string | null;
  asOf: string | null;
  corroboration: KeyFigure['corroboration'] | null;
}

export async function companiesWithKeyFigures(db: Db): Promise<CompanyEntry[]> {
  const kinds = sql.join(KEY_KINDS.map((k) => sql`${k}`), sql`, `);
  // SQLite takes the bare columns of a max() aggregate from the row holding the maximum: the newest
  // asOf per (company, kind), then the newest row. char(1) sorts below every character of a period,
  // so "2025" < "2025-03" here as in the site's text comparison.
  const rows = await db.all<Row>(sql`
    with counts as (
      select company_id, count(*) as n from facts where not retracted group by company_id
    ), latest as (
      select company_id, kind, id, value, value_high, unit, as_of, corroboration,
             max(coalesce(as_of, '') || char(1) || created_at) as newest
      from facts where not retracted and kind in (${kinds})
      group by company_id, kind
    )
    select c.slug, c.name, c.ticker, counts.n as factCount,
           l.kind, l.id, l.value, l.value_high as valueHigh, l.unit, l.as_of as asOf, l.corroboration
    from companies c
    join counts on counts.company_id = c.id
    left join latest l on l.company_id = c.id
    order by c.name collate nocase, c.id`);
  const out: CompanyEntry[] = [];
  const bySlug = new Map<string, CompanyEntry>();
  for (const r of rows) {
    let c = bySlug.get(r.slug);
    if (!c) {
      c = { slug: r.slug, name: r.name, ticker: r.ticker, factCount: Number(r.factCount), url: `/companies/${encodeURIComponent(r.slug)}/`, latest: {} };
      bySlug.set(r.slug, c);
      out.push(c);
    }
    if (r.kind && r.id) {
      c.latest[r.kind] = { id: r.id, value: r.value, valueHigh: r.valueHigh, unit: r.unit, asOf: r.asOf, corroboration: r.corroboration ?? 'single-source' };
    }
  }
  return out;
}
