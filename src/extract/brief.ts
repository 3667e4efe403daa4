/**
 * A company's brief: a few lines built from its stored facts (latest figure of each kind with its
 * period and how well it is sourced, the IPO history), rebuilt whenever its facts change.
 */
import { ipoEvents } from '../shared/facts/ipo-events.ts';
import { formatValue } from '../shared/facts/format.ts';
import { latestActuals, latestOfKind } from '../shared/facts/latest.ts';
export { periodKey } from '../shared/facts/periods.ts';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles, companies, facts, factSources, summaries } from '../../db/schema.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const KIND_LABEL: Record<string, string> = {
  valuation: 'Valuation',
  funding: 'Funding',
  revenue: 'Revenue',
  net_income: 'Net income',
  credit_losses: 'Credit losses',
  headcount: 'Headcount',
  workforce_change: 'Workforce change',
  users: 'Users',
};

const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export async function buildBrief(tx: Tx | Db, companyId: number): Promise<string | null> {
  const [company] = await tx.select().from(companies).where(eq(companies.id, companyId));
  if (!company) return null;
  const rows = await tx
    .select({
      kind: facts.kind,
      value: facts.value,
      unit: facts.unit,
      label: facts.label,
      asOf: facts.asOf,
      status: facts.status,
      direction: facts.direction,
      corroboration: facts.corroboration,
      sources: sql<number>`count(distinct ${factSources.articleId})`,
      firstSeen: sql<string>`min(coalesce(${articles.publishedAt}, ${articles.firstSeenAt}))`,
    })
    .from(facts)
    .innerJoin(factSources, eq(factSources.factId, facts.id))
    .innerJoin(articles, eq(articles.id, factSources.articleId))
    .where(and(eq(facts.companyId, companyId), eq(facts.retracted, false)))
    .groupBy(facts.id)
    .orderBy(desc(facts.asOf));
  if (rows.length === 0) return null;
  const [totals] = await tx
    .select({
      articles: sql<number>`count(distinct ${factSources.articleId})`,
      outlets: sql<number>`count(distinct ${articles.outlet})`,
    })
    .from(factSources)
    .innerJoin(facts, eq(facts.id, factSources.factId))
    .innerJoin(articles, eq(articles.id, factSources.articleId))
    .where(eq(facts.companyId, companyId));
  const lines = [
    `${company.name}: ${n(rows.length, 'fact')} from ${n(totals?.articles ?? 0, 'article')} (${n(totals?.outlets ?? 0, 'outlet')}).`,
  ];
  // The latest actual of each kind, as the fact sheet picks it (src/shared/facts/latest.ts); for money
  // earned over a period, the latest quarter or half unless a full year ends later.
  const latestOf = latestActuals(rows);
  for (const [kind, label] of Object.entries(KIND_LABEL)) {
    const latest = latestOfKind(latestOf, kind);
    if (!latest) continue;
    const note = [latest.asOf, latest.corroboration === 'single-source' ? null : latest.corroboration].filter(Boolean).join(', ');
    const what = kind === 'users' && latest.label ? formatValue(latest.value, null) + ` ${latest.label}` : formatValue(latest.value, latest.unit);
    const tag = kind === 'funding' && latest.label?.startsWith('IPO proceeds') ? ' in IPO proceeds' : '';
    lines.push(`${label}: ${what}${tag}${note ? ` (${note})` : ''}.`);
  }
  // The IPO history as events (src/shared/facts/ipo-events.ts): one filing told at two precisions
  // is one step, dated by the most precise report; each change of status once, in time order.
  const events = ipoEvents(rows.filter((r) => r.kind === 'ipo' && r.status).map((r, i) => ({ ...r, id: String(i), reportedAt: r.firstSeen })));
  const steps = events.filter((e, i) => i === 0 || e.status !== events[i - 1]!.status);
  if (steps.length) lines.push(`IPO: ${steps.map((e) => `${e.status}${e.asOf ? ` (${e.asOf})` : ''}`).join(' → ')}.`);
  const disputed = rows.filter((r) => r.corroboration === 'disputed').length;
  if (disputed) lines.push(`${n(disputed, 'figure')} disputed between sources.`);
  return lines.join(' ');
}

/** Rebuilds one company's brief inside the caller's transaction; an unchanged brief is left as it is. */
export async function saveBrief(tx: Tx | Db, companyId: number, extractor: string): Promise<void> {
  const text = await buildBrief(tx, companyId);
  if (!text) {
    await tx.delete(summaries).where(eq(summaries.companyId, companyId));
    return;
  }
  await tx
    .insert(summaries)
    .values({ subject: 'company', companyId, text, extractor })
    .onConflictDoUpdate({ target: summaries.companyId, set: { text, extractor, createdAt: new Date().toISOString() }, setWhere: sql`${summaries.text} is not excluded.text` });
}

export async function saveBriefs(db: Db, companyIds: number[], extractor: string): Promise<void> {
  for (const id of new Set(companyIds)) await db.transaction((tx) => saveBrief(tx, id, extractor));
}
