/**
 * Across sources. One claim read from several articles is one fact with several sources; sources
 * that are copies of another source of the same fact do not count as independent. A fact is
 * "corroborated" when independent sources come from at least two outlets, and "disputed" when
 * another article gives a different value for the same company, kind and period.
 */
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles, facts, factSources } from '../../db/schema.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Kinds where two values for one period cannot both be right. Metrics and quotes are many per period. */
const DISPUTABLE = new Set(['headcount', 'workforce_change', 'valuation', 'funding', 'revenue', 'net_income', 'credit_losses', 'users']);

export type Corroboration = 'single-source' | 'corroborated' | 'disputed';

export interface SourceView {
  articleId: number;
  outlet: string | null;
  url: string | null;
  copyOfId: number | null;
}

/** A source is independent unless the article it repeats is also a source of the same fact. */
export function independentSources<T extends SourceView>(sources: T[]): (T & { independent: boolean })[] {
  const ids = new Set(sources.map((s) => s.articleId));
  return sources.map((s) => ({ ...s, independent: s.copyOfId === null || !ids.has(s.copyOfId) }));
}

function outletKey(s: SourceView): string {
  if (s.outlet) return s.outlet.trim().toLowerCase();
  try {
    return new URL(s.url ?? '').hostname.replace(/^www\./, '');
  } catch {
    return `article:${s.articleId}`;
  }
}

interface FactView {
  id: string;
  kind: string;
  asOf: string | null;
  value: number | null;
  valueHigh: number | null;
  unit: string | null;
  direction: string | null;
  sources: SourceView[];
}

const sig = (v: number | null) => (v === null ? '' : Number(v.toPrecision(3)).toString());

export function classify(all: FactView[]): Map<string, Corroboration> {
  const out = new Map<string, Corroboration>();
  const groups = new Map<string, FactView[]>();
  for (const f of all) {
    // One source is one outlet at most: no need to work out which (outletKey may parse a URL).
    const outlets = f.sources.length < 2 ? 0 : new Set(independentSources(f.sources).filter((s) => s.independent).map(outletKey)).size;
    out.set(f.id, outlets >= 2 ? 'corroborated' : 'single-source');
    if (!DISPUTABLE.has(f.kind) || f.asOf === null || f.value === null) continue;
    const key = [f.kind, f.asOf, f.kind === 'workforce_change' ? f.direction ?? '' : ''].join('|');
    const g = groups.get(key) ?? [];
    g.push(f);
    groups.set(key, g);
  }
  // A dispute is between reports: two values for one period inside a single article are usually a
  // segment and a total, or a restatement the article itself explains, not a contradiction.
  const valueKey = (f: FactView) => `${sig(f.value)}-${sig(f.valueHigh)}-${(f.unit ?? '').toLowerCase()}`;
  for (const g of groups.values()) {
    if (new Set(g.map(valueKey)).size < 2) continue;
    for (const f of g) {
      const contradicted = g.some(
        (o) => valueKey(o) !== valueKey(f) && new Set([...f.sources, ...o.sources].map((s) => s.articleId)).size >= 2,
      );
      if (contradicted) out.set(f.id, 'disputed');
    }
  }
  return out;
}

export interface FactGroup {
  companyId: number;
  kind: string;
  asOf: string | null;
}

/** A group's identity; a null period is its own group, apart from any text. */
const groupKey = (companyId: number, kind: string, asOf: string | null) => `${companyId}|${kind}|${asOf === null ? '\u0000' : `=${asOf}`}`;

/** Groups read per statement (three bound parameters each). */
const GROUPS_PER_QUERY = 100;
/** Ids per `in (…)` list. */
const IDS_PER_QUERY = 500;

type FactRow = [id: string, companyId: number, kind: string, asOf: string | null, value: number | null, valueHigh: number | null, unit: string | null, direction: string | null, corroboration: string, articles: number, firstArticle: number];
type SourceRow = [factId: string, articleId: number, outlet: string | null, url: string | null, copyOfId: number | null];

/**
 * Recomputes corroboration for every fact in these (company, kind, period) groups — the only facts
 * whose status a change can affect. Idempotent; run inside the write that changed them.
 *
 * Most facts have one source, and for those only the article counts (one article is one outlet at
 * most, and a dispute needs two articles), so facts are read one row each with their source count;
 * outlets and copies are read only for facts with sources in more than one article.
 */
export async function reconcileGroups(tx: Tx | Db, groups: FactGroup[]): Promise<void> {
  const unique = [...new Map(groups.map((g) => [groupKey(g.companyId, g.kind, g.asOf), g])).values()];
  const byGroup = new Map<string, (FactView & { corroboration: string })[]>();
  const multi = new Map<string, FactView>();
  for (let i = 0; i < unique.length; i += GROUPS_PER_QUERY) {
    const wanted = sql.join(
      unique.slice(i, i + GROUPS_PER_QUERY).map((g) => sql`(${g.companyId}, ${g.kind}, ${g.asOf})`),
      sql`, `,
    );
    const rows = await tx.values<FactRow>(sql`
      with g(company_id, kind, as_of) as (values ${wanted})
      select f.id, f.company_id, f.kind, f.as_of, f.value, f.value_high, f.unit, f.direction, f.corroboration,
             count(distinct s.article_id), min(s.article_id)
      from g
      cross join ${facts} f on f.company_id = g.company_id and f.kind = g.kind and f.as_of is g.as_of
      join ${factSources} s on s.fact_id = f.id
      join ${articles} a on a.id = s.article_id
      where f.retracted = 0
      group by f.id`);
    // Rows are array-like, not arrays (libSQL), so no destructuring.
    for (const r of rows) {
      const [id, companyId, kind, asOf, value, valueHigh, unit, direction, corroboration, n, first] = [r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]];
      const f = { id, kind, asOf, value, valueHigh, unit, direction, corroboration, sources: [] as SourceView[] };
      // A single source's outlet cannot corroborate anything: its article id is all classify needs.
      if (n === 1) f.sources.push({ articleId: first, outlet: null, url: null, copyOfId: null });
      else multi.set(id, f);
      const key = groupKey(companyId, kind, asOf);
      const g = byGroup.get(key);
      if (g) g.push(f);
      else byGroup.set(key, [f]);
    }
  }
  const ids = [...multi.keys()];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const rows = await tx.values<SourceRow>(sql`
      select s.fact_id, s.article_id, a.outlet, a.url, a.copy_of_id
      from ${factSources} s join ${articles} a on a.id = s.article_id
      where s.fact_id in (${sql.join(ids.slice(i, i + IDS_PER_QUERY).map((id) => sql`${id}`), sql`, `)})`);
    for (const r of rows) {
      const [factId, articleId, outlet, url, copyOfId] = [r[0], r[1], r[2], r[3], r[4]];
      const f = multi.get(factId)!;
      if (!f.sources.some((s) => s.articleId === articleId)) f.sources.push({ articleId, outlet, url, copyOfId });
    }
  }
  const changed = new Map<Corroboration, string[]>();
  for (const g of byGroup.values()) {
    const was = new Map(g.map((f) => [f.id, f.corroboration]));
    for (const [id, c] of classify(g)) {
      if (was.get(id) === c) continue;
      const list = changed.get(c);
      if (list) list.push(id);
      else changed.set(c, [id]);
    }
  }
  for (const [c, changedIds] of changed) {
    for (let i = 0; i < changedIds.length; i += IDS_PER_QUERY) {
      await tx.update(facts).set({ corroboration: c, updatedAt: new Date().toISOString() }).where(inArray(facts.id, changedIds.slice(i, i + IDS_PER_QUERY)));
    }
  }
}
