/**
 * The timeline index, the whole-site pages and the exports of a build, written by a worker thread
 * while the main thread plans and renders the article pages and fact sheets: on two cores the two
 * halves of the build run side by side. The timeline's pages (its years, /timeline/, the facts feed)
 * are the ones made from the timeline records the index is built from, so they are rendered here
 * (site-plan.ts timelinePlan), through a renderer of this thread's own (the release's server bundle
 * loaded once more), loaded while the main thread reads. The main thread reads no timeline record:
 * at 10k articles that took ~1.4 s off the main thread of a rebuild. The pages rendered on every
 * build (home, the company lists, sources, exports, the sitemap: fixedPlan) need no fingerprint and
 * no timeline record: this thread lists them and both threads render them, each taking the next one
 * left once its own work is done (page-queue.ts). Given to one thread or the other they made that
 * one the longer half, by turns, as the refresh changed (the two share two cores, and a rebuild is
 * CPU-bound). The worker
 * opens its own handle on the database. The two largest reads, every current fact and every current
 * source, the main thread makes for its plan anyway: it hands them over (structured clone, ~0.2 s at
 * 10k) instead of this thread reading and building them again (~1 s). The rest it reads itself.
 * The companies' fingerprints, which the main thread's plan has already hashed from the same rows,
 * are handed over instead of hashed twice (a few hundred strings): the worker writes the timeline
 * index first and waits for them only before the exports.
 */
import { parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import path from 'node:path';
import { openDb } from '../../../db/client.ts';
import { threadStart } from '../../shared/worker-options.ts';
import { openBuildScope, seedShared } from '../../lib/site/build-scope.ts';
import { writeStaticExports, type StaticExportsReport } from '../../lib/site/static-exports.ts';
import { writeTimelineIndex, type TimelineIndexReport } from '../../lib/site/timeline.ts';
import { fixedPlan, timelinePlan, type PlannedPage } from '../../lib/site/site-plan.ts';
import { timelineTermsFile } from './state.ts';
import { linkFileSync } from './files.ts';
import { addPages, writeClaimedPages, writePages, type PagesReport } from './pages.ts';
import { PageQueue } from './page-queue.ts';
import { startRenderer } from './render.ts';
import type { BuildState } from './state.ts';
import { allFacts, currentSources } from '../../lib/site/queries.ts';
import { applyPatch, baseFile, loadBase, writeBase, type RowPatch, type SharedRowsData } from '../../lib/site/row-base.ts';
import type { LogMark } from '../../../db/site-changes.ts';

export interface OutputsTask {
  databaseUrl: string;
  authToken?: string;
  clientDir: string;
  /** Where the exports keep their per-company segments (the release's cache/exports). */
  cacheDir: string;
  /** The release this build starts from, or null (everything is written). */
  previous: { dir: string; timeline: BuildState['timeline']; exports: BuildState['exports'] } | null;
  /** ISO time the exports carry as generatedAt. */
  now: string;
  /**
   * Render the timeline's pages too (site-plan.ts timelinePlan), through the server bundle of the
   * release being built; `previous` holds the fingerprints of the pages in the release the build
   * starts from (page file → fingerprint), whose unchanged files are linked. The whole-site pages
   * (fixedPlan) this thread lists and sends to the main thread, and the two render them between
   * them, each claiming the next (page-queue.ts) once its own work is done.
   */
  pages?: { releaseDir: string; previous: Record<string, string | null> | null };
}

export interface OutputsResult {
  timeline: Omit<TimelineIndexReport, 'ms'> & { ms: number };
  exports: Omit<StaticExportsReport, 'files'>;
  /** The whole-site and timeline pages, when the task asked for them. */
  pages: PagesReport | null;
  /** Time spans of this thread, for the build trace. */
  timelineMs: number;
  pagesMs: number;
  exportsMs: number;
}

type Step = 'timeline index' | 'pages' | 'exports';

/** The main thread's reads this thread takes instead of making (build-scope.ts names). */
export type SharedRows = SharedRowsData;

/** Keep the rows as the new release's base (row-base.ts), at that mark of the change log. */
export type KeepBase = { file: string; mark: LogMark } | null;

/**
 * The rows, from the main thread: read whole (`rows`), or as what changed since the previous
 * release's base (`patch`), which this thread applies to its own parse of that base.
 */
type FromMain = { rows: SharedRows; keep: KeepBase } | { patch: RowPatch; keep: KeepBase };
type Message = { ok: true; result: OutputsResult } | { ok: false; step: Step; message: string; stack?: string };
/** The whole-site pages this thread lists for both threads to claim (OutputsTask.pages). */
type SharedList = { shared: PlannedPage[] };

/**
 * Starts the worker thread at once, before the build knows its task: loading its modules (~0.3–0.5
 * s) then overlaps the main thread's own start instead of following it. `begin` hands it the task;
 * `done` rejects with an OutputsError naming the step that failed. The exports start once
 * `companies` has been given the companies' fingerprints (site-plan.ts). With `task.pages`, `shared`
 * is the list of whole-site pages the two threads claim from (empty when the thread ended without
 * one).
 */
export function startOutputs(): {
  begin(task: OutputsTask): void;
  done: Promise<OutputsResult>;
  shared: Promise<PageQueue>;
  companies(fps: Map<string, string>): void;
  rows(rows: SharedRows, keep: KeepBase): void;
  patch(patch: RowPatch, keep: KeepBase): void;
  stop(): Promise<void>;
} {
  // The counter both threads claim the whole-site pages by.
  const claims = PageQueue.counter();
  const start = threadStart(import.meta.url, { outputsThread: true, claims });
  const worker = new Worker(new URL(start.filename), { workerData: start.workerData });
  let listed!: (q: PageQueue) => void;
  const shared = new Promise<PageQueue>((r) => (listed = r));
  const done = new Promise<OutputsResult>((resolve, reject) => {
    worker.on('message', (m: Message | SharedList) => {
      if ('shared' in m) return listed(new PageQueue(claims, m.shared));
      if (m.ok) resolve(m.result);
      else reject(new OutputsError(m.step, m.message));
    });
    worker.once('error', (err) => reject(new OutputsError('timeline index', err.message)));
    worker.once('exit', (code) => reject(new OutputsError('timeline index', `the worker stopped (exit ${code})`)));
  });
  done.catch(() => undefined);
  // A thread that ends (or fails) before it lists them leaves none to claim here.
  void done.then(
    () => listed(new PageQueue(PageQueue.counter(), [])),
    () => listed(new PageQueue(PageQueue.counter(), [])),
  );
  return {
    begin: (task) => worker.postMessage({ task } satisfies { task: OutputsTask }),
    done,
    shared,
    companies: (fps) => worker.postMessage({ companies: [...fps] }),
    rows: (rows, keep) => worker.postMessage({ rows, keep } satisfies FromMain),
    patch: (patch, keep) => worker.postMessage({ patch, keep } satisfies FromMain),
    stop: async () => void (await worker.terminate()),
  };
}

export class OutputsError extends Error {
  override name = 'OutputsError';
  readonly step: Step;
  constructor(step: Step, message: string) {
    super(message);
    this.step = step;
  }
}

/** What the main thread sends: the task, its shared rows or their patch, then the company fingerprints its plan made. */
function fromMain(port: MessagePort): { task: Promise<OutputsTask>; rows: Promise<FromMain>; companies: Promise<Map<string, string>> } {
  let task!: (t: OutputsTask) => void;
  let rows!: (r: FromMain) => void;
  let companies!: (c: Map<string, string>) => void;
  const out = {
    task: new Promise<OutputsTask>((r) => (task = r)),
    rows: new Promise<FromMain>((r) => (rows = r)),
    companies: new Promise<Map<string, string>>((r) => (companies = r)),
  };
  port.on('message', (m: FromMain | { companies: [string, string][] } | { task: OutputsTask }) => {
    if ('task' in m) task(m.task);
    else if ('companies' in m) companies(new Map(m.companies));
    else rows(m);
  });
  return out;
}

async function run(task: OutputsTask, main: ReturnType<typeof fromMain>, port: MessagePort, claims: SharedArrayBuffer): Promise<Message> {
  const { db, close } = await openDb(task.databaseUrl, task.authToken, { migrate: false });
  const closeScope = openBuildScope();
  const companies = main.companies;
  let step: Step = 'timeline index';
  // Meanwhile (the main thread is reading the rows): load the server bundle to render with.
  const renderer = task.pages ? startRenderer(task.pages.releaseDir) : null;
  renderer?.catch(() => undefined); // its failure is reported where it is awaited, as the pages step's
  const trace = process.env.FACTDESK_BUILD_TRACE ? (w: string) => process.stderr.write(`build trace (outputs thread): ${w}\n`) : undefined;
  try {
    // The previous release's base, parsed here while the main thread parses its own and asks the
    // database what changed since (the answer is a patch for both copies).
    const tB = performance.now();
    const base = task.previous ? loadBase(baseFile(task.previous.dir)) : null;
    const tW = performance.now();
    const got = await main.rows;
    let rows: SharedRows;
    if ('rows' in got) rows = got.rows;
    else if (base) rows = applyPatch(base, got.patch);
    else rows = { allFacts: await allFacts(db), currentSources: await currentSources(db) }; // this thread could not read the base: read the rows
    trace?.(`base parsed in ${Math.round(tW - tB)} ms, then waited ${Math.round(performance.now() - tW)} ms for the main thread's ${'rows' in got ? 'rows' : 'patch'}`);
    seedShared('allFacts', rows.allFacts);
    seedShared('currentSources', rows.currentSources);
    // The whole-site pages, listed for both threads to claim from as soon as either is free.
    let queue: PageQueue | null = null;
    if (task.pages) {
      const fixed = await fixedPlan(db);
      queue = new PageQueue(claims, fixed);
      port.postMessage({ shared: fixed } satisfies SharedList);
    }
    const prevClient = task.previous ? path.join(task.previous.dir, 'client') : null;
    const t0 = performance.now();
    const timeline = await writeTimelineIndex(
      db,
      task.clientDir,
      task.previous && prevClient
        ? { dir: path.join(prevClient, 'timeline', 'index'), fingerprints: task.previous.timeline, link: linkFileSync, termsFile: timelineTermsFile(task.previous.dir) }
        : undefined,
      { termsFile: timelineTermsFile(path.dirname(task.clientDir)) },
    );
    const t1 = performance.now();
    // Page traces say when, from the end of the timeline index.
    const traceAt = trace && ((w: string) => trace(`${w} at ${Math.round(performance.now() - t1)} ms`));
    let pages: PagesReport | null = null;
    if (task.pages) {
      step = 'pages';
      const { previous } = task.pages;
      const planned = await timelinePlan(db);
      trace?.(`timeline pages planned in ${Math.round(performance.now() - t1)} ms`);
      pages = await writePages({
        pages: planned,
        renderer: await renderer!,
        clientDir: task.clientDir,
        previous: previous && prevClient ? { clientDir: prevClient, pages: previous } : null,
        trace: traceAt,
      });
    }
    const t2 = performance.now();
    step = 'exports';
    const { files: _files, ...exported } = await writeStaticExports(db, task.clientDir, new Date(task.now), {
      cacheDir: task.cacheDir,
      fingerprints: await companies,
      previous:
        task.previous && prevClient
          ? { clientDir: prevClient, cacheDir: path.join(task.previous.dir, 'cache', 'exports'), companies: task.previous.exports, link: linkFileSync }
          : undefined,
    });
    if (got.keep) {
      // Kept for the next build; one it cannot keep (or fails to write) only makes that build read everything.
      let kept = false;
      try {
        kept = writeBase(got.keep.file, got.keep.mark, rows);
      } catch {
        // left unwritten (a full disk, a write refused): the same as not kept
      }
      trace?.(kept ? `rows kept as the next build's base` : `rows not kept as a base`);
    }
    const t3 = performance.now();
    if (queue && pages) {
      // Then whatever the main thread has not taken of the whole-site pages.
      step = 'pages';
      addPages(pages, await writeClaimedPages({ queue, renderer: await renderer!, clientDir: task.clientDir, trace: traceAt }));
    }
    const t4 = performance.now();
    return { ok: true, result: { timeline, exports: exported, pages, timelineMs: t1 - t0, pagesMs: t2 - t1 + (t4 - t3), exportsMs: t3 - t2 } };
  } catch (err) {
    // The innermost cause names what is wrong (drizzle's "Failed query" wraps the SQLite error).
    let e = err;
    while (e instanceof Error && e.cause instanceof Error && e.cause.message) e = e.cause;
    return { ok: false, step, message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined };
  } finally {
    await renderer?.then((r) => r.close(), () => undefined);
    closeScope();
    close();
  }
}

const data = workerData as { outputsThread?: boolean; claims?: SharedArrayBuffer } | null;
if (parentPort && data?.outputsThread && data.claims) {
  const port = parentPort;
  const main = fromMain(port);
  const claims = data.claims;
  void main.task
    .then((task) => run(task, main, port, claims))
    .then((m) => {
      port.postMessage(m);
      port.unref(); // the message it waits for may never come (a failure before it): do not stay up for it
    });
}
