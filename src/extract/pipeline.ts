/**
 * The extract stage: stored articles → extractor (rules or LLM) → grounding → facts with sources.
 * Finished articles are written a batch at a time, whatever finished while the previous batch was
 * being written (store.ts: one transaction per batch, an article never half-written); a failing
 * article is recorded and the run goes on. Articles are claimed a few dozen at a time under leases
 * (work.ts, leases.ts), so several processes share the work without reading an article twice: from
 * the extraction queue (status 'pending': new articles and new revisions), from a re-extraction pass
 * (`all`: passes.ts — a rerun after a crash, or a second worker, joins the open pass and reads only
 * what it has not), or the ones asked for by id.
 *
 * The groups whose facts a write changed are queued in that write's transaction and reconciled
 * (corroboration, disputes, company briefs) every so often and at the end (reconcile-queue.ts): a
 * group is then read once per stretch of articles, not once per batch, and whatever a crash left
 * queued is reconciled by the next run before it starts.
 *
 * The CPU-bound part of each article (the rules extractor, the grounding check) runs in a worker
 * thread with a hard time budget (src/extract/worker.ts): an article over budget is failed with its
 * reason, and the main thread stays free to answer SIGTERM. Attempts are counted before each try, so
 * an article that kills the process is given up after MAX_EXTRACT_ATTEMPTS instead of hanging every run.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import pLimit from 'p-limit';
import type { Db } from '../../db/client.ts';
import { finishRun, markInterruptedRuns, recordFailure, startRun, WORKER_ID, type Failure } from '../../db/queries/runs.ts';
import { articles } from '../../db/schema.ts';
import { silentLogger, type Logger } from '../shared/log.ts';
import { releaseDeadLeases } from './leases.ts';
import { finishPassIfDone, openPass } from './passes.ts';
import { hasQueuedGroups, reconcileQueued } from './reconcile-queue.ts';
import { articlesById, claimedWork, type QueuedArticle, type WorkSource } from './work.ts';
import { groundFacts, type NumberFinder } from './ground.ts';
import { numbersIn } from './normalise/numbers.ts';
import { groupCommit } from '../shared/group-commit.ts';
import { attemptCounter } from './batching.ts';
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
/** Articles claimed at a time: few enough that workers sharing a queue split it, enough to keep threads busy. */
const CLAIM_BATCH = 32;
/** Queued groups are reconciled at most this often during a run, and never for more than ~1/5 of it. */
const RECONCILE_EVERY_MS = 10_000;

export interface ExtractOptions {
  db: Db;
  extractor: Extractor;
  /** Only these articles (re-extracted even when done). */
  articleIds?: number[];
  /** Every stored article, done or not: a re-extraction pass, joined if one is open for this extractor. */
  all?: boolean;
  /** Lease owner (default host:pid); workers sharing a database need different ones. */
  worker?: string;
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
  /** With `all`: the re-extraction pass, whether this run joined it (open before) and whether it is finished. */
  pass?: { id: number; articles: number; joined: boolean; finished: boolean };
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
  const worker = opts.worker ?? WORKER_ID;
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
  const run = await startRun(db, 'extract', worker);
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

  // What a run killed half-way left: its run marked, its leases freed, its queued groups reconciled.
  await markInterruptedRuns(db, 'extract');
  const dead = await releaseDeadLeases(db, new Date());
  if (dead.length) log.info(`freed the article leases of ${dead.length} ended extract worker(s)`);
  if (await hasQueuedGroups(db)) await reconcileQueued(db, extractor.name);

  let pass: ExtractReport['pass'];
  let source: WorkSource;
  if (opts.articleIds) source = articlesById(db, opts.articleIds);
  else if (opts.all) {
    const p = await openPass(db, extractor.name);
    pass = { id: p.pass.id, articles: p.pass.articles, joined: p.joined, finished: false };
    source = claimedWork(db, worker, { kind: 'pass', pass: p.pass.id });
  } else source = claimedWork(db, worker, { kind: 'pending' });
  const atStart = await source.remaining();
  stats.articles = atStart;
  if (atStart) opts.onProgress?.(0, atStart);
  if (pass?.joined) log.info(`joining re-extraction pass #${pass.id} (${extractor.name}): ${atStart} of ${pass.articles} articles left`);

  // Progress counts everyone's work on the queue: what this run settled, plus what the queue lost
  // besides (other workers), as of the last count.
  let settled = 0;
  let others = 0;
  const progress = () => opts.onProgress?.(Math.min(settled + others, atStart), atStart);
  let counted = Date.now();
  const recount = async () => {
    if (!source.queued || !opts.onProgress || Date.now() - counted < 1000) return;
    counted = Date.now();
    others = Math.max(0, atStart - (await source.remaining()) - settled);
  };

  let stop = false;
  // Articles being extracted; the pool runs `threads` of them at a time (worker.ts starts each budget
  // when a thread takes the task), the others meanwhile wait on an LLM or for a thread.
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const extracting = pLimit(concurrency);
  // Those plus the extracted ones waiting for their batch to be written and a claim's worth waiting
  // for a thread: room for a full batch while one is being written, and a bound on what a crash
  // leaves to be extracted again.
  const window = concurrency + SAVE_BATCH + 2 * CLAIM_BATCH;
  const saveOpts = { queueReconcile: true, companies: new Map<string, { id: number; slug: string }>() };
  const save = groupCommit((items: ExtractionToSave[]) => saveExtractions(db, items, saveOpts), SAVE_BATCH);
  const queue: { id: number; attempts: number }[] = [];
  const attempts = attemptCounter(queue, COUNT_AHEAD, async (ids) => {
    await db.update(articles).set({ extractionAttempts: sql`${articles.extractionAttempts} + 1` }).where(inArray(articles.id, ids));
  });
  const uncount = (...ids: number[]) =>
    db.update(articles).set({ extractionAttempts: sql`max(${articles.extractionAttempts} - 1, 0)` }).where(inArray(articles.id, ids));
  /** A failure for good: recorded on the article (and its pass), its lease freed. */
  const failed = (id: number, message: string) =>
    db
      .update(articles)
      .set({ extractionStatus: 'failed', extractionError: message.slice(0, 2000), extractionLeaseOwner: null, extractionLeaseExpiresAt: null, ...(pass ? { extractionPass: pass.id } : {}) })
      .where(eq(articles.id, id));
  const fail = async (a: QueuedArticle, err: unknown) => {
    if (opts.signal?.aborted) {
      // Stopped by SIGTERM/Ctrl-C, not by the article: this try doesn't count against it.
      await uncount(a.id);
      source.leftInQueue(a.id);
      return;
    }
    const e = err as Error & { code?: string };
    const f: Failure = { scope: 'article', url: a.url, code: e.code ?? e.name ?? 'error', message: `article ${a.id}: ${e.message}` };
    failures.push(f);
    await recordFailure(db, run.id, f);
    if (stopsRun(err)) {
      await uncount(a.id); // the run's budget ran out, not the article's
      source.leftInQueue(a.id);
      stop = true; // leave the rest in the queue for the next run
      log.warn(e.message);
      return;
    }
    stats.failed++;
    if (retryLater(err)) source.leftInQueue(a.id);
    else {
      await failed(a.id, f.message);
      source.settled(a.id);
      settled++;
    }
  };
  const extractArticle = async (a: QueuedArticle, i: number) => {
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
        pass: pass?.id,
      };
      // One tried before is written at once, on its own: its count is cleared as soon as can be.
      const saved = a.attempts > 0 ? (await saveExtractions(db, [item], saveOpts))[0]! : await save(item);
      if (!saved.ok) throw saved.error;
      source.settled(a.id);
      settled++;
      stats.extracted++;
    } catch (err) {
      await fail(a, err);
    } finally {
      progress();
    }
  };

  // Queued groups are reconciled in the background now and then, one reconcile at a time, and for
  // no more than about a fifth of the run (a reconcile reads its groups whole: that grows with the corpus).
  let reconciling: Promise<void> | null = null;
  let reconcileAfter = Date.now() + RECONCILE_EVERY_MS;
  const reconcileNow = () => {
    const t0 = Date.now();
    reconciling = reconcileQueued(db, extractor.name, opts.signal).then(() => {
      reconcileAfter = Date.now() + Math.max(RECONCILE_EVERY_MS, 4 * (Date.now() - t0));
      reconciling = null;
    });
    return reconciling;
  };

  const inFlight = new Set<Promise<void>>();
  let broken: { err: unknown } | undefined;
  let warmed = false;
  try {
    while (!stop && !opts.signal?.aborted && !broken) {
      const batch = await source.next(CLAIM_BATCH);
      if (!batch.length) break;
      if (!warmed && groundInWorker) {
        warmed = true;
        await warmExtractPool(threads, opts.signal).catch(() => {});
      }
      for (const a of batch) {
        // Already tried MAX_EXTRACT_ATTEMPTS times without success (each try ended the process, or
        // failed in a way worth retrying): failed now rather than tried forever.
        if (source.queued && a.attempts >= MAX_EXTRACT_ATTEMPTS) {
          const f: Failure = { scope: 'article', url: a.url, code: 'extract-attempts', message: `article ${a.id}: gave up after ${a.attempts} extraction attempts` };
          failures.push(f);
          await recordFailure(db, run.id, f);
          await failed(a.id, f.message);
          source.settled(a.id);
          settled++;
          stats.failed++;
          progress();
          continue;
        }
        const i = queue.push({ id: a.id, attempts: a.attempts }) - 1;
        // A failure here is the database itself (article failures are recorded, not thrown): stop
        // claiming, let the articles in flight settle, then end the run with it.
        const p: Promise<void> = extractArticle(a, i)
          .catch((err: unknown) => void (broken ??= { err }))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await recount();
      if (!reconciling && Date.now() >= reconcileAfter) void reconcileNow().catch((err: unknown) => void (broken ??= { err }));
      while (inFlight.size > window - CLAIM_BATCH) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (broken) throw broken.err;
  } finally {
    // Counted ahead but never tried (the run stopped first): no attempt against them, no lease held.
    const untried = await attempts.untried();
    for (let i = 0; i < untried.length; i += 500) await uncount(...untried.slice(i, i + 500));
    await source.release();
  }
  await reconciling;
  // Stopped (SIGTERM, Ctrl-C): what is queued stays queued for the next run, which reconciles it first.
  if (!opts.signal?.aborted) await reconcileQueued(db, extractor.name);
  if (pass) pass.finished = await finishPassIfDone(db, pass.id);
  stats.durationMs = Date.now() - started;
  const status = opts.signal?.aborted ? 'interrupted' : 'finished';
  await finishRun(db, run.id, status, { ...stats, extractor: extractor.name, failures: failures.length, ...(pass ? { pass: pass.id } : {}) });
  return { runId: run.id, status, extractor: extractor.name, stats, failures, ...(pass ? { pass } : {}) };
}
