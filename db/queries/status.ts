/** What an operator asks first: did the last runs work, which feeds fail and why, what is waiting. */
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { articles, extractionPasses, facts, feedItems, feeds, llmCache, runs } from '../schema.ts';

export interface StatusReport {
  runs: { id: number; kind: string; status: string; startedAt: string; finishedAt: string | null; failures: number; error: string | null }[];
  feeds: { total: number; failing: number; dueNow: number };
  failingFeeds: { id: number; url: string; title: string | null; errorCount: number; lastError: string | null; nextFetchAt: string | null }[];
  queue: { pagesPending: number; pagesFailed: number; articlesPendingExtraction: number; articlesFailedExtraction: number };
  /** An open re-extraction pass (`extract --all`): what it has left of what it began with. */
  reextraction: { pass: number; extractor: string; startedAt: string; articles: number; left: number } | null;
  totals: { articles: number; copies: number; facts: number };
  llm: { cachedResponses: number; promptTokens: number; completionTokens: number };
}

const count = () => sql<number>`count(*)`;

export async function statusReport(db: Db, now: Date = new Date(), limit = 10): Promise<StatusReport> {
  const recent = await db.select().from(runs).orderBy(desc(runs.id)).limit(limit);
  const [feedCounts] = await db
    .select({
      total: count(),
      failing: sql<number>`sum(case when ${feeds.errorCount} > 0 then 1 else 0 end)`,
      dueNow: sql<number>`sum(case when ${feeds.nextFetchAt} is null or ${feeds.nextFetchAt} <= ${now.toISOString()} then 1 else 0 end)`,
    })
    .from(feeds)
    .where(eq(feeds.disabled, false));
  const failingFeeds = await db
    .select({ id: feeds.id, url: feeds.url, title: feeds.title, errorCount: feeds.errorCount, lastError: feeds.lastError, nextFetchAt: feeds.nextFetchAt })
    .from(feeds)
    .where(gt(feeds.errorCount, 0))
    .orderBy(desc(feeds.errorCount))
    .limit(50);
  const [items] = await db
    .select({
      pending: sql<number>`sum(case when ${feedItems.status} = 'pending' then 1 else 0 end)`,
      failed: sql<number>`sum(case when ${feedItems.status} = 'failed' then 1 else 0 end)`,
    })
    .from(feedItems);
  const [arts] = await db
    .select({
      total: count(),
      copies: sql<number>`sum(case when ${articles.copyOfId} is not null then 1 else 0 end)`,
      pending: sql<number>`sum(case when ${articles.extractionStatus} = 'pending' then 1 else 0 end)`,
      failed: sql<number>`sum(case when ${articles.extractionStatus} = 'failed' then 1 else 0 end)`,
    })
    .from(articles);
  const [factCount] = await db.select({ n: count() }).from(facts).where(and(eq(facts.retracted, false)));
  const [llm] = await db
    .select({ n: count(), prompt: sql<number>`coalesce(sum(${llmCache.promptTokens}), 0)`, completion: sql<number>`coalesce(sum(${llmCache.completionTokens}), 0)` })
    .from(llmCache);
  const [pass] = await db.select().from(extractionPasses).where(isNull(extractionPasses.finishedAt)).orderBy(desc(extractionPasses.id)).limit(1);
  const [left] = pass ? await db.select({ n: count() }).from(articles).where(lt(articles.extractionPass, pass.id)) : [];
  const n = (v: unknown) => Number(v ?? 0);
  return {
    runs: recent.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      failures: n((JSON.parse(r.stats) as { failures?: number }).failures),
      error: r.error,
    })),
    feeds: { total: n(feedCounts?.total), failing: n(feedCounts?.failing), dueNow: n(feedCounts?.dueNow) },
    failingFeeds,
    queue: {
      pagesPending: n(items?.pending),
      pagesFailed: n(items?.failed),
      articlesPendingExtraction: n(arts?.pending),
      articlesFailedExtraction: n(arts?.failed),
    },
    reextraction: pass ? { pass: pass.id, extractor: pass.extractor, startedAt: pass.startedAt, articles: pass.articles, left: n(left?.n) } : null,
    totals: { articles: n(arts?.total), copies: n(arts?.copies), facts: n(factCount?.n) },
    llm: { cachedResponses: n(llm?.n), promptTokens: n(llm?.prompt), completionTokens: n(llm?.completion) },
  };
}
