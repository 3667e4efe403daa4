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

interface FactView<Id = string> {
  id: Id;
  kind: string;
  asOf: string | null;
  value: number | null;
  valueHigh: number | null;
  unit: string | null;
  direction: string | null;
  sources: SourceView[];
}

const sig = (v: number | null) => (v === null ? '' : Number(v.toPrecision(3)).toString());

export function classify<Id = string>(all: FactView<Id>[]): Map<Id, Corroboration> {
  const out = new Map<Id, Corroboration>();
  const groups = new Map<string, FactView<Id>[]>();
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
  const valueKey = (f: FactView<Id>) => `${sig(f.value)}-${sig(f.valueHigh)}-${(f.unit ?? '').toLowerCase()}`;
  for (const g of groups.values()) {
    const keys = g.map(valueKey);
    if (new Set(keys).size < 2) continue;
    const articles = g.map((f) => new Set(f.sources.map((s) => s.articleId)));
    // Whether two facts' sources together come from at least two articles.
    const twoArticles = (a: Set<number>, b: Set<number>) => a.size >= 2 || b.size >= 2 || (a.size === 1 && b.size === 1 && !b.has(a.values().next().value!));
    g.forEach((f, i) => {
      if (g.some((_, j) => keys[j] !== keys[i] && twoArticles(articles[i]!, articles[j]!))) out.set(f.id, 'disputed');
    });
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

/** Whether classify weighs a group's values against each other (else only each fact's own sources). */
const disputable = (g: FactGroup) => DISPUTABLE.has(g.kind) && g.asOf !== null;

/** Groups read per statement (five bound parameters each). */
const GROUPS_PER_QUERY = 100;
/** Ids per `in (…)` list. */
const IDS_PER_QUERY = 500;

/** Stored corroboration as read back (reconcileGroups): its index here, -1 for anything else. */
const CORROBORATION: Corroboration[] = ['single-source', 'corroborated', 'disputed'];

type FactRow = [rowid: number, group: number, value: number | null, valueHigh: number | null, unit: string | null, direction: string | null, corroboration: number, articles: number, firstArticle: number];
type SourceRow = [rowid: number, articleId: number, outlet: string | null, url: string | null, copyOfId: number | null];

/**
 * Recomputes corroboration for every fact in these (company, kind, period) groups — the only facts
 * whose status a change can affect. Idempotent; run inside the write that changed them.
 *
 * Every group's facts are read, so this reads much; it is kept lean. Most facts have one source, and
 * for those only the article counts (one article is one outlet at most, and a dispute needs two
 * articles), so a fact is one row with its number of source articles and the first of them, keyed
 * by rowid (stable inside the transaction); outlets and copies are read only for facts with sources
 * in several articles. A fact that takes no part in disputes (its kind or period rules them out, or
 * it has no value) depends on its own sources alone: with one source it can only be single-source,
 * so it is read only when it is stored as something else.
 */
export async function reconcileGroups(tx: Tx | Db, groups: FactGroup[]): Promise<void> {
  const unique = [...new Map(groups.map((g) => [groupKey(g.companyId, g.kind, g.asOf), g])).values()];
  const byGroup = unique.map(() => [] as (FactView<number> & { corroboration: number })[]);
  const multi = new Map<number, FactView<number>>();
  for (let i = 0; i < unique.length; i += GROUPS_PER_QUERY) {
    const wanted = sql.join(
      unique.slice(i, i + GROUPS_PER_QUERY).map((g, k) => sql`(${i + k}, ${g.companyId}, ${g.kind}, ${g.asOf}, ${disputable(g) ? 1 : 0})`),
      sql`, `,
    );
    const rows = await tx.values<FactRow>(sql`
      with g(n, company_id, kind, as_of, disputable) as (values ${wanted})
      select f.rowid, g.n, f.value, f.value_high, f.unit, f.direction,
             case f.corroboration when 'single-source' then 0 when 'corroborated' then 1 when 'disputed' then 2 else -1 end,
             count(distinct s.article_id), min(s.article_id)
      from g
      cross join ${facts} f on f.company_id = g.company_id and f.kind = g.kind and f.as_of is g.as_of
      join ${factSources} s on s.fact_id = f.id
      join ${articles} a on a.id = s.article_id
      where f.retracted = 0
      group by f.id
      having (g.disputable and f.value is not null) or count(distinct s.article_id) > 1 or f.corroboration <> 'single-source'`);
    // Rows are array-like, not arrays (libSQL), so no destructuring.
    for (const r of rows) {
      const g = unique[r[1]]!;
      const f = { id: r[0], kind: g.kind, asOf: g.asOf, value: r[2], valueHigh: r[3], unit: r[4], direction: r[5], corroboration: r[6], sources: [] as SourceView[] };
      // A single source's outlet cannot corroborate anything: its article id is all classify needs.
      if (r[7] === 1) f.sources.push({ articleId: r[8], outlet: null, url: null, copyOfId: null });
      else multi.set(f.id, f);
      byGroup[r[1]]!.push(f);
    }
  }
  const ids = [...multi.keys()];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const rows = await tx.values<SourceRow>(sql`
      select f.rowid, s.article_id, a.outlet, a.url, a.copy_of_id
      from ${facts} f join ${factSources} s on s.fact_id = f.id join ${articles} a on a.id = s.article_id
      where f.rowid in (${sql.join(ids.slice(i, i + IDS_PER_QUERY).map((id) => sql`${id}`), sql`, `)})`);
    for (const r of rows) {
      const f = multi.get(r[0])!;
      if (!f.sources.some((s) => s.articleId === r[1])) f.sources.push({ articleId: r[1], outlet: r[2], url: r[3], copyOfId: r[4] });
    }
  }
  const changed = new Map<Corroboration, number[]>();
  for (const g of byGroup) {
    const was = new Map(g.map((f) => [f.id, CORROBORATION[f.corroboration]]));
    for (const [id, c] of classify(g)) {
      if (was.get(id) === c) continue;
      const list = changed.get(c);
      if (list) list.push(id);
      else changed.set(c, [id]);
    }
  }
  for (const [c, rowids] of changed) {
    for (let i = 0; i < rowids.length; i += IDS_PER_QUERY) {
      await tx
        .update(facts)
        .set({ corroboration: c, updatedAt: new Date().toISOString() })
        .where(inArray(sql`rowid`, rowids.slice(i, i + IDS_PER_QUERY)));
    }
  }
}
