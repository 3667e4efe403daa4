/**
 * Across sources. One claim read from several articles is one fact with several sources; sources
 * that are copies of another source of the same fact do not count as independent. Corroboration and
 * disputes are decided by the facts vocabulary (src/shared/facts/disputes.ts): a fact is
 * "corroborated" when independent outlets agree on it, "disputed" when another independent outlet
 * contradicts it — a different value for a time both name, or, for a one-off event, the same value
 * at another time — and it then records which facts it conflicts with.
 */
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles, facts, factSources } from '../../db/schema.ts';
import { classifyFacts, independentSources, type DisputeFact, type DisputeSource } from '../shared/facts/disputes.ts';
import type { Corroboration } from '../shared/facts/kinds.ts';

export { independentSources };
export type { Corroboration };
export type SourceView = DisputeSource;

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Kinds whose facts are weighed against each other across periods; the rest only by their own sources. */
const DISPUTABLE = new Set(['headcount', 'workforce_change', 'valuation', 'funding', 'revenue', 'net_income', 'credit_losses', 'users', 'ipo']);

/** Corroboration of a set of facts of one company (the shared classifier, without the conflict lists). */
export function classify<Id = string>(all: DisputeFact<Id>[]): Map<Id, Corroboration> {
  return new Map([...classifyFacts(all)].map(([id, v]) => [id, v.corroboration]));
}

export interface FactGroup {
  companyId: number;
  kind: string;
  asOf: string | null;
}

/** Whether classify weighs a group's values against each other (else only each fact's own sources). */
const disputable = (g: FactGroup) => DISPUTABLE.has(g.kind);

/**
 * A group's identity. Disputable kinds are one group per company and kind — periods are compared
 * by nesting ("2021" meets "2021-06"), so every period of the kind is read together; other kinds
 * keep one group per period (a null period is its own group, apart from any text).
 */
const groupKey = (g: FactGroup) => `${g.companyId}|${g.kind}|${groupBucket(g)}`;

/**
 * The period part of a group's identity (see groupKey), as the reconcile queue stores it: `*year`
 * (or `*`) for a disputable kind, `=period` for another kind's period, '' for no period.
 */
export function groupBucket(g: FactGroup): string {
  return disputable(g) ? `*${yearOf(g) ?? ''}` : g.asOf === null ? '' : `=${g.asOf}`;
}

/** A group standing for a stored bucket: reconcileGroups reads the same facts as for any group with that key. */
export function groupOfBucket(companyId: number, kind: string, bucket: string): FactGroup {
  if (bucket.startsWith('*')) return { companyId, kind, asOf: bucket.slice(1) || null };
  return { companyId, kind, asOf: bucket === '' ? null : bucket.slice(1) };
}

/** One-off events dispute across years (the same raise dated 2022 and 2023); other kinds only within one. */
const EVENT_KINDS = new Set(['workforce_change', 'funding', 'ipo']);
/**
 * The year a disputable group is confined to: periods that meet lie in one year, so a revenue or
 * valuation fact's status depends on its year's facts alone. Null: every period (events, or no period).
 */
const yearOf = (g: FactGroup) => (EVENT_KINDS.has(g.kind) || !g.asOf ? null : g.asOf.slice(0, 4));

/** Groups read per statement (five bound parameters each). */
const GROUPS_PER_QUERY = 100;
/** Ids per `in (…)` list. */
const IDS_PER_QUERY = 500;
/** Conflict lists written per statement (two bound parameters each). */
const CONFLICTS_PER_STATEMENT = 200;

/** Stored corroboration as read back (reconcileGroups): its index here, -1 for anything else. */
const CORROBORATION: Corroboration[] = ['single-source', 'corroborated', 'disputed'];

type FactRow = [rowid: number, group: number, value: number | null, valueHigh: number | null, unit: string | null, direction: string | null, corroboration: number, articles: number, firstArticle: number, asOf: string | null, label: string | null, status: string | null, approximate: number, conflictsWith: string | null, outlet: string | null, id: string];
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
  // A disputable kind's group of every period (an undated figure: no year) holds each of its year
  // groups' facts: reconciled beside them, a fact would be read twice (and judged once without its
  // sources, or apart from its rivals), so the year groups it covers go.
  const keyed = new Map(groups.map((g) => [groupKey(g), g]));
  const unique = [...keyed.values()].filter((g) => !(disputable(g) && yearOf(g) !== null && keyed.has(`${g.companyId}|${g.kind}|*`)));
  type Row = DisputeFact<number> & { corroboration: number; conflictsWith: string | null; factId: string };
  const byGroup = unique.map(() => [] as Row[]);
  const multi = new Map<number, Row>();
  for (let i = 0; i < unique.length; i += GROUPS_PER_QUERY) {
    const wanted = sql.join(
      unique.slice(i, i + GROUPS_PER_QUERY).map((g, k) => sql`(${i + k}, ${g.companyId}, ${g.kind}, ${disputable(g) ? null : g.asOf}, ${disputable(g) ? 1 : 0}, ${disputable(g) ? yearOf(g) : null}, ${disputable(g) && yearOf(g) ? String(Number(yearOf(g)) + 1) : null})`),
      sql`, `,
    );
    const rows = await tx.values<FactRow>(sql`
      with g(n, company_id, kind, as_of, disputable, year, next_year) as (values ${wanted})
      select f.rowid, g.n, f.value, f.value_high, f.unit, f.direction,
             case f.corroboration when 'single-source' then 0 when 'corroborated' then 1 when 'disputed' then 2 else -1 end,
             count(distinct s.article_id), min(s.article_id), f.as_of, f.label, f.status, f.approximate, f.conflicts_with,
             min(a.outlet), f.id
      from g
      cross join ${facts} f on f.company_id = g.company_id and f.kind = g.kind and (g.disputable = 1 and (g.year is null or (f.as_of >= g.year and f.as_of < g.next_year)) or g.disputable = 0 and f.as_of is g.as_of)
      join ${factSources} s on s.fact_id = f.id
      join ${articles} a on a.id = s.article_id
      where f.retracted = 0
      group by f.id
      having (g.disputable and f.value is not null and f.as_of is not null) or count(distinct s.article_id) > 1 or f.corroboration <> 'single-source' or f.conflicts_with is not null`);
    // Rows are array-like, not arrays (libSQL), so no destructuring.
    for (const r of rows) {
      const g = unique[r[1]]!;
      const f: Row = { id: r[0], factId: r[15], companyId: g.companyId, kind: g.kind, asOf: r[9], value: r[2], valueHigh: r[3], unit: r[4], direction: r[5], label: r[10], status: r[11], approximate: !!r[12], corroboration: r[6], conflictsWith: r[13], sources: [] };
      // One source: its outlet (whether another outlet disputes it) comes with the row; whether it is
      // a copy from the copies' index below (copy_of_id sits after the text, costly to read per row).
      if (r[7] === 1) f.sources.push({ articleId: r[8], outlet: r[14], url: null, copyOfId: null });
      else multi.set(f.id, f);
      byGroup[r[1]]!.push(f);
    }
  }
  if (byGroup.some((g) => g.length > 1)) {
    // Every copy in the database, read from articles_copy_of_idx alone (the rowid is the id).
    const copies = new Map((await tx.values<[number, number]>(sql`select id, copy_of_id from ${articles} where copy_of_id is not null`)).map((r) => [r[0], r[1]]));
    if (copies.size) for (const g of byGroup) for (const f of g) for (const src of f.sources) src.copyOfId = copies.get(src.articleId) ?? null;
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
  const conflicts: [rowid: number, json: string | null][] = [];
  for (const g of byGroup) {
    const verdicts = classifyFacts(g);
    const factIdOf = new Map(g.map((f) => [f.id, f.factId]));
    for (const f of g) {
      const v = verdicts.get(f.id)!;
      if (CORROBORATION[f.corroboration] !== v.corroboration) {
        const list = changed.get(v.corroboration);
        if (list) list.push(f.id);
        else changed.set(v.corroboration, [f.id]);
      }
      const json = v.conflictsWith.length ? JSON.stringify(v.conflictsWith.map((id) => factIdOf.get(id)!).sort()) : null;
      if (json !== f.conflictsWith) conflicts.push([f.id, json]);
    }
  }
  const now = new Date().toISOString();
  for (const [c, rowids] of changed) {
    for (let i = 0; i < rowids.length; i += IDS_PER_QUERY) {
      await tx
        .update(facts)
        .set({ corroboration: c, updatedAt: now })
        .where(inArray(sql`rowid`, rowids.slice(i, i + IDS_PER_QUERY)));
    }
  }
  // Many rows per statement: every statement costs a prepare (and the embedded driver keeps ~2.4 kB
  // of each for good), and a dispute's list changes on every fact of the group when a rival joins.
  for (let i = 0; i < conflicts.length; i += CONFLICTS_PER_STATEMENT) {
    const rows = sql.join(conflicts.slice(i, i + CONFLICTS_PER_STATEMENT).map(([rowid, json]) => sql`(${rowid}, ${json})`), sql`, `);
    await tx.run(sql`with v(id, json) as (values ${rows}) update ${facts} set conflicts_with = v.json, updated_at = ${now} from v where ${facts}.rowid = v.id`);
  }
}
