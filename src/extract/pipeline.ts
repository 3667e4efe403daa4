/**
 * The extract stage: stored articles → extractor (rules or LLM) → grounding → facts with sources.
 * One transaction per article; a failing article is recorded and the run goes on. Articles are
 * picked from the extraction queue (status 'pending': new articles and new revisions) unless asked
 * for explicitly.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import pLimit from 'p-limit';
import type { Db } from '../../db/client.ts';
import { finishRun, recordFailure, startRun, type Failure } from '../../db/queries/runs.ts';
import { articles } from '../../db/schema.ts';
import { silentLogger, type Logger } from '../shared/log.ts';
import { saveBriefs } from './brief.ts';
import { groundFacts, type NumberFinder } from './ground.ts';
import { numbersIn } from './normalise/numbers.ts';
import { saveExtraction } from './store.ts';
import type { Extractor } from './types.ts';

export interface ExtractOptions {
  db: Db;
  extractor: Extractor;
  /** Only these articles (re-extracted even when done). */
  articleIds?: number[];
  /** Every stored article, done or not. */
  all?: boolean;
  concurrency?: number;
  log?: Logger;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  findNumbers?: NumberFinder;
}

export interface ExtractStats {
  articles: number;
  extracted: number;
  failed: number;
  factsProposed: number;
  factsAccepted: number;
  factsRejected: number;
  rejectedBy: Record<string, number>;
  promptTokens: number;
  completionTokens: number;
  durationMs: number;
}

export interface ExtractReport {
  runId: number;
  status: 'finished' | 'interrupted';
  extractor: string;
  stats: ExtractStats;
  failures: Failure[];
}

/** Errors that mean "stop sending articles" (e.g. the token budget is spent), not "this article is bad". */
function stopsRun(err: unknown): boolean {
  return (err as Error)?.name === 'LlmBudgetError';
}

/** Transport trouble (timeouts, 5xx after retries): the article is fine, try it again next run. */
function retryLater(err: unknown): boolean {
  return (err as Error)?.name === 'LlmRequestError';
}

export async function extractArticles(opts: ExtractOptions): Promise<ExtractReport> {
  const { db, extractor } = opts;
  const log = opts.log ?? silentLogger;
  const findNumbers = opts.findNumbers ?? numbersIn;
  const started = Date.now();
  const run = await startRun(db, 'extract');
  const failures: Failure[] = [];
  const stats: ExtractStats = {
    articles: 0,
    extracted: 0,
    failed: 0,
    factsProposed: 0,
    factsAccepted: 0,
    factsRejected: 0,
    rejectedBy: {},
    promptTokens: 0,
    completionTokens: 0,
    durationMs: 0,
  };

  const where = opts.articleIds
    ? inArray(articles.id, opts.articleIds)
    : opts.all
      ? undefined
      : eq(articles.extractionStatus, 'pending');
  const queue = await db
    .select({
      id: articles.id,
      title: articles.title,
      text: articles.text,
      publishedAt: articles.publishedAt,
      outlet: articles.outlet,
      url: articles.url,
      revision: articles.revision,
      paywalled: articles.paywalled,
      truncated: articles.truncated,
      flags: articles.flags,
    })
    .from(articles)
    .where(where)
    .orderBy(asc(articles.id));
  stats.articles = queue.length;

  let stop = false;
  let done = 0;
  const touched: number[] = [];
  const limit = pLimit(Math.max(1, opts.concurrency ?? 4));
  await Promise.all(
    queue.map((a) =>
      limit(async () => {
        if (stop || opts.signal?.aborted) return;
        try {
          const result = await extractor.extract(
            { id: a.id, title: a.title, text: a.text, publishedAt: a.publishedAt, outlet: a.outlet, url: a.url },
            opts.signal,
          );
          const { accepted, rejected } = groundFacts(a.text, result.facts, findNumbers);
          stats.factsProposed += result.facts.length;
          stats.factsAccepted += accepted.length;
          stats.factsRejected += rejected.length;
          for (const r of rejected) stats.rejectedBy[r.reason] = (stats.rejectedBy[r.reason] ?? 0) + 1;
          if (result.usage && !result.usage.cached) {
            stats.promptTokens += result.usage.promptTokens;
            stats.completionTokens += result.usage.completionTokens;
          }
          const { companyIds } = await saveExtraction(
            db,
            { id: a.id, revision: a.revision, paywalled: a.paywalled, truncated: a.truncated, flags: JSON.parse(a.flags) as string[] },
            extractor.name,
            accepted,
            result.summary,
          );
          touched.push(...companyIds);
          stats.extracted++;
        } catch (err) {
          const e = err as Error & { code?: string };
          const f: Failure = { scope: 'article', url: a.url, code: e.code ?? e.name ?? 'error', message: `article ${a.id}: ${e.message}` };
          failures.push(f);
          await recordFailure(db, run.id, f);
          if (stopsRun(err)) {
            stop = true; // leave the rest pending for the next run
            log.warn(e.message);
            return;
          }
          stats.failed++;
          if (!retryLater(err)) await db.update(articles).set({ extractionStatus: 'failed' }).where(eq(articles.id, a.id));
        } finally {
          opts.onProgress?.(++done, queue.length);
        }
      }),
    ),
  );
  await saveBriefs(db, touched, extractor.name);
  stats.durationMs = Date.now() - started;
  const status = opts.signal?.aborted ? 'interrupted' : 'finished';
  await finishRun(db, run.id, status, { ...stats, extractor: extractor.name, failures: failures.length });
  return { runId: run.id, status, extractor: extractor.name, stats, failures };
}
