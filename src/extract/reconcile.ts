/**
 * Across sources. One claim read from several articles is one fact with several sources; sources
 * that are copies of another source of the same fact do not count as independent. A fact is
 * "corroborated" when independent sources come from at least two outlets, and "disputed" when
 * another article gives a different value for the same company, kind and period.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
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
    const outlets = new Set(independentSources(f.sources).filter((s) => s.independent).map(outletKey));
    out.set(f.id, outlets.size >= 2 ? 'corroborated' : 'single-source');
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

/**
 * Recomputes corroboration for every fact in these (company, kind, period) groups — the only facts
 * whose status a change can affect. Idempotent; run inside the write that changed them.
 */
export async function reconcileGroups(tx: Tx | Db, groups: FactGroup[]): Promise<void> {
  const unique = new Map(groups.map((g) => [`${g.companyId}|${g.kind}|${g.asOf ?? ''}`, g]));
  for (const g of unique.values()) {
    const rows = await tx
      .select({
        id: facts.id,
        kind: facts.kind,
        asOf: facts.asOf,
        value: facts.value,
        valueHigh: facts.valueHigh,
        unit: facts.unit,
        direction: facts.direction,
        corroboration: facts.corroboration,
        articleId: factSources.articleId,
        outlet: articles.outlet,
        url: articles.url,
        copyOfId: articles.copyOfId,
      })
      .from(facts)
      .innerJoin(factSources, eq(factSources.factId, facts.id))
      .innerJoin(articles, eq(articles.id, factSources.articleId))
      .where(
        and(
          eq(facts.companyId, g.companyId),
          eq(facts.kind, g.kind),
          g.asOf === null ? isNull(facts.asOf) : eq(facts.asOf, g.asOf),
          eq(facts.retracted, false),
        ),
      );
    const byFact = new Map<string, FactView & { corroboration: string }>();
    for (const r of rows) {
      let f = byFact.get(r.id);
      if (!f) {
        f = { ...r, sources: [] };
        byFact.set(r.id, f);
      }
      if (!f.sources.some((s) => s.articleId === r.articleId)) {
        f.sources.push({ articleId: r.articleId, outlet: r.outlet, url: r.url, copyOfId: r.copyOfId });
      }
    }
    const result = classify([...byFact.values()]);
    const changed = new Map<Corroboration, string[]>();
    for (const [id, c] of result) {
      if (byFact.get(id)!.corroboration === c) continue;
      changed.set(c, [...(changed.get(c) ?? []), id]);
    }
    for (const [c, ids] of changed) {
      await tx.update(facts).set({ corroboration: c, updatedAt: new Date().toISOString() }).where(inArray(facts.id, ids));
    }
  }
}
