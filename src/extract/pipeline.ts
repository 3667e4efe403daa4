/**
 * The extract stage: stored articles → extractor (rules or LLM) → grounding → facts with sources.
 * Finished articles are written a batch at a time, whatever finished while the previous batch was
 * being written (store.ts: one transaction per batch, an article never half-written); a failing
 * article is recorded and the run goes on. Articles are picked from the extraction queue (status
 * 'pending': new articles and new revisions) unless asked for explicitly.
 *
 * The CPU-bound part of each article (the rules extractor, the grounding check) runs in a worker
 * thread with a hard time budget (src/extract/worker.ts): an article over budget is failed with its
 * reason, and the main thread stays free to answer SIGTERM. Attempts are counted before each try, so
 * an article that kills the process is given up after MAX_EXTRACT_ATTEMPTS instead of hanging every run.
 */
import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import pLimit from 'p-limit';
import type { Db } from '../../db/client.ts';
import { finishRun, recordFailure, startRun, type Failure } from '../../db/queries/runs.ts';
import { articles } from '../../db/schema.ts';
import { silentLogger, type Logger } from '../shared/log.ts';
import { saveBriefs } from './brief.ts';
import { groundFacts, type NumberFinder } from './ground.ts';
import { numbersIn } from './normalise/numbers.ts';
import { attemptCounter, groupCommit } from './batching.ts';
import { saveExtractions, type ExtractionToSave } from './store.ts';
import { RULES_EXTRACTOR_NAME } from './rules/index.ts';
import type { ArticleInput, CandidateFact, Extractor, ExtractionResult } from './types.ts';
import type { GroundingResult } from './ground.ts';
import { DEFAULT_EXTRACT_TIMEOUT_MS, extractThreads, runInWorker, warmExtractPool } from './worker.ts';

/** Tries per article (per revision) before it is failed for good; a success resets the count. */
export const MAX_EXTRACT_ATTEMPTS = 3;

/** Most extracted articles written in one transaction (see saveExtractions in store.ts). */
const SAVE_BATCH = 16;
/** Articles never tried before whose attempts are counted ahead of the one starting (batching.ts). */
const COUNT_AHEAD = 8;

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
  /** Replaces the default number finder; grounding then runs on the main thread (tests). */
  findNumbers?: NumberFinder;
  /** Budget for one article's extraction and grounding (FACTDESK_EXTRACT_TIMEOUT_MS, default 10 s). */
  timeoutMs?: number;
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
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXTRACT_TIMEOUT_MS;
  const threads = extractThreads(opts.concurrency ?? 4);
  // The built-in extractor runs whole in a worker; another (LLM: waits on the network, honours the
  // signal) runs here and only its grounding goes to a worker. A custom number finder can't be sent
  // to a thread, so it keeps grounding here too.
  const inWorker = extractor.name === RULES_EXTRACTOR_NAME && !opts.findNumbers;
  const groundInWorker = !opts.findNumbers;
  const extractOne = async (article: ArticleInput): Promise<{ result: ExtractionResult; grounding: GroundingResult }> => {
    const budget = { timeoutMs, threads, signal: opts.signal };
    if (inWorker) {
      const r = await runInWorker({ op: 'rules', article }, budget);
      return { result: r.result!, grounding: r.grounding };
    }
    const result = await extractor.extract(article, opts.signal);
    const grounding = groundInWorker
      ? (await runInWorker({ op: 'ground', text: article.text, facts: result.facts as CandidateFact[] }, budget)).grounding
      : groundFacts(article.text, result.facts, opts.findNumbers ?? numbersIn);
    return { result, grounding };
  };
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
      attempts: articles.extractionAttempts,
    })
    .from(articles)
    .where(where)
    .orderBy(asc(articles.id));
  stats.articles = queue.length;

  // Pending articles already tried MAX_EXTRACT_ATTEMPTS times without success (each try ended the
  // process, or failed in a way worth retrying) are failed now rather than tried forever.
  if (!opts.articleIds && !opts.all) {
    const exhausted = queue.filter((a) => a.attempts >= MAX_EXTRACT_ATTEMPTS);
    for (const a of exhausted) {
      const f: Failure = { scope: 'article', url: a.url, code: 'extract-attempts', message: `article ${a.id}: gave up after ${a.attempts} extraction attempts` };
      failures.push(f);
      await recordFailure(db, run.id, f);
      await db
        .update(articles)
        .set({ extractionStatus: 'failed', extractionError: f.message })
        .where(and(eq(articles.id, a.id), gte(articles.extractionAttempts, MAX_EXTRACT_ATTEMPTS)));
      stats.failed++;
    }
    if (exhausted.length) queue.splice(0, queue.length, ...queue.filter((a) => a.attempts < MAX_EXTRACT_ATTEMPTS));
  }

  if (queue.length && groundInWorker && !opts.signal?.aborted) await warmExtractPool(threads, opts.signal).catch(() => {});

  let stop = false;
  let done = 0;
  const touched: number[] = [];
  // Articles being extracted; the pool runs `threads` of them at a time (worker.ts starts each budget
  // when a thread takes the task), the others meanwhile wait on an LLM or for a thread.
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const extracting = pLimit(concurrency);
  // Those plus the extracted ones waiting for their batch to be written: room for a full batch while
  // one is being written, and a bound on what a crash leaves to be extracted again.
  const inFlight = pLimit(concurrency + SAVE_BATCH);
  const save = groupCommit((items: ExtractionToSave[]) => saveExtractions(db, items), SAVE_BATCH);
  const attempts = attemptCounter(queue, COUNT_AHEAD, async (ids) => {
    await db.update(articles).set({ extractionAttempts: sql`${articles.extractionAttempts} + 1` }).where(inArray(articles.id, ids));
  });
  const uncount = (...ids: number[]) =>
    db.update(articles).set({ extractionAttempts: sql`max(${articles.extractionAttempts} - 1, 0)` }).where(inArray(articles.id, ids));
  const fail = async (a: (typeof queue)[number], err: unknown) => {
    if (opts.signal?.aborted) {
      // Stopped by SIGTERM/Ctrl-C, not by the article: this try doesn't count against it.
      await uncount(a.id);
      return;
    }
    const e = err as Error & { code?: string };
    const f: Failure = { scope: 'article', url: a.url, code: e.code ?? e.name ?? 'error', message: `article ${a.id}: ${e.message}` };
    failures.push(f);
    await recordFailure(db, run.id, f);
    if (stopsRun(err)) {
      await uncount(a.id); // the run's budget ran out, not the article's
      stop = true; // leave the rest pending for the next run
      log.warn(e.message);
      return;
    }
    stats.failed++;
    if (!retryLater(err)) await db.update(articles).set({ extractionStatus: 'failed', extractionError: f.message.slice(0, 2000) }).where(eq(articles.id, a.id));
  };
  await Promise.all(
    queue.map((a, i) =>
      inFlight(async () => {
        const tried = await extracting(async () => {
          if (stop || opts.signal?.aborted) return null;
          // Counted before the try: if it ends the process, the next run knows.
          await attempts.before(i);
          try {
            return { ok: true as const, ...(await extractOne({ id: a.id, title: a.title, text: a.text, publishedAt: a.publishedAt, outlet: a.outlet, url: a.url })) };
          } catch (error) {
            return { ok: false as const, error };
          }
        });
        if (!tried) return;
        try {
          if (!tried.ok) throw tried.error;
          const { result, grounding } = tried;
          const { accepted, rejected } = grounding;
          stats.factsProposed += result.facts.length;
          stats.factsAccepted += accepted.length;
          stats.factsRejected += rejected.length;
          for (const r of rejected) stats.rejectedBy[r.reason] = (stats.rejectedBy[r.reason] ?? 0) + 1;
          if (result.usage && !result.usage.cached) {
            stats.promptTokens += result.usage.promptTokens;
            stats.completionTokens += result.usage.completionTokens;
          }
          const item: ExtractionToSave = {
            article: { id: a.id, revision: a.revision, paywalled: a.paywalled, truncated: a.truncated, flags: JSON.parse(a.flags) as string[] },
            extractor: extractor.name,
            grounded: accepted,
            summary: result.summary,
          };
          // One tried before is written at once, on its own: its count is cleared as soon as can be.
          const saved = a.attempts > 0 ? (await saveExtractions(db, [item]))[0]! : await save(item);
          if (!saved.ok) throw saved.error;
          touched.push(...saved.companyIds);
          stats.extracted++;
        } catch (err) {
          await fail(a, err);
        } finally {
          opts.onProgress?.(++done, queue.length);
        }
      }),
    ),
  );
  // Counted ahead but never tried (the run stopped first): no attempt against them.
  const untried = await attempts.untried();
  for (let i = 0; i < untried.length; i += 500) await uncount(...untried.slice(i, i + 500));
  await saveBriefs(db, touched, extractor.name);
  stats.durationMs = Date.now() - started;
  const status = opts.signal?.aborted ? 'interrupted' : 'finished';
  await finishRun(db, run.id, status, { ...stats, extractor: extractor.name, failures: failures.length });
  return { runId: run.id, status, extractor: extractor.name, stats, failures };
}
