/**
 * A company's brief: a few lines built from its stored facts (latest figure of each kind with its
 * period and how well it is sourced, the IPO history), rebuilt whenever its facts change.
 */
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

/**
 * A sortable key for an asOf period: "2025-Q2" → "2025-04", "2025-H2" → "2025-07"; a bare year sorts
 * at its end ("2025" → "2025-12-99"), since "in 2025" is known only once the year has run.
 */
export function periodKey(p: string | null | undefined): string {
  if (!p) return '9999';
  const q = /^(\d{4})-Q([1-4])$/.exec(p);
  if (q) return `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}`;
  const h = /^(\d{4})-H([12])$/.exec(p);
  if (h) return `${h[1]}-${h[2] === '1' ? '01' : '07'}`;
  if (/^\d{4}$/.test(p)) return `${p}-12-99`;
  return p;
}

export function formatValue(value: number | null, unit: string | null): string {
  if (value === null) return '—';
  const u = unit ?? '';
  const abs = Math.abs(value);
  const sign = value < 0 ? '−' : '';
  if (/^[A-Z]{3}$/.test(u)) {
    const sym: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };
    const [n, s] = abs >= 1e9 ? [abs / 1e9, ' billion'] : abs >= 1e6 ? [abs / 1e6, ' million'] : [abs, ''];
    const num = Number(n.toPrecision(4)).toLocaleString('en-US');
    return sym[u] ? `${sign}${sym[u]}${num}${s}` : `${sign}${u} ${num}${s}`;
  }
  if (u === 'percent') return `${sign}${abs}%`;
  return `${sign}${abs.toLocaleString('en-US')}${u && u !== 'people' ? ` ${u}` : u === 'people' ? ' people' : ''}`;
}

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
  for (const [kind, label] of Object.entries(KIND_LABEL)) {
    // The latest actual: a forecast or target is never "the latest revenue". Among figures of the
    // same period, the company-wide count beats a sub-count ("21.4 million consumers" over "340,000 merchants").
    const candidates = rows.filter((r) => r.kind === kind && r.value !== null && !/\bforecast\b/i.test(r.label ?? ''));
    const top = candidates[0];
    if (!top) continue;
    const latest = kind === 'users' ? (candidates.find((r) => r.asOf === top.asOf && r.label == null) ?? top) : top;
    const note = [latest.asOf, latest.corroboration === 'single-source' ? null : latest.corroboration].filter(Boolean).join(', ');
    const what = kind === 'users' && latest.label ? formatValue(latest.value, null) + ` ${latest.label}` : formatValue(latest.value, latest.unit);
    const tag = kind === 'funding' && latest.label === 'IPO proceeds' ? ' in IPO proceeds' : '';
    lines.push(`${label}: ${what}${tag}${note ? ` (${note})` : ''}.`);
  }
  // In the order the events happened (their period), then the order they were first reported.
  const ipo = rows
    .filter((r) => r.kind === 'ipo' && r.status)
    .sort((a, b) => periodKey(a.asOf ?? a.firstSeen).localeCompare(periodKey(b.asOf ?? b.firstSeen)) || (a.firstSeen ?? '').localeCompare(b.firstSeen ?? ''));
  // One status per period — the one most sources give (a tie goes to the latest reported), since
  // outlets contradict each other within a month — then each change of status once, in time order.
  const perPeriod = new Map<string, { status: string; asOf: string | null; votes: Map<string, number>; last: string }>();
  for (const r of ipo) {
    const key = r.asOf ?? '';
    let p = perPeriod.get(key);
    if (!p) perPeriod.set(key, (p = { status: r.status!, asOf: r.asOf, votes: new Map(), last: r.status! }));
    p.votes.set(r.status!, (p.votes.get(r.status!) ?? 0) + 1);
    p.last = r.status!;
  }
  const periods = [...perPeriod.values()].map((p) => {
    const top = Math.max(...p.votes.values());
    const leaders = [...p.votes].filter(([, v]) => v === top).map(([st]) => st);
    return { status: leaders.includes(p.last) ? p.last : leaders[0]!, asOf: p.asOf, contested: p.votes.size > 1 };
  });
  const steps = periods.filter((r, i) => i === 0 || r.status !== periods[i - 1]!.status);
  const contested = periods.some((p) => p.contested);
  if (steps.length)
    lines.push(`IPO: ${steps.map((r) => `${r.status}${r.asOf ? ` (${r.asOf})` : ''}`).join(' → ')}${contested ? ' (sources disagree on some periods)' : ''}.`);
  const disputed = rows.filter((r) => r.corroboration === 'disputed').length;
  if (disputed) lines.push(`${n(disputed, 'figure')} disputed between sources.`);
  return lines.join(' ');
}

export async function saveBriefs(db: Db, companyIds: number[], extractor: string): Promise<void> {
  for (const id of new Set(companyIds)) {
    await db.transaction(async (tx) => {
      const text = await buildBrief(tx, id);
      if (!text) {
        await tx.delete(summaries).where(eq(summaries.companyId, id));
        return;
      }
      await tx
        .insert(summaries)
        .values({ subject: 'company', companyId: id, text, extractor })
        .onConflictDoUpdate({ target: summaries.companyId, set: { text, extractor, createdAt: new Date().toISOString() } });
    });
  }
}
