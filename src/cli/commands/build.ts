/**
 * `factdesk build`: renders the static site from the database (DATABASE_URL) into dist/ (or --out),
 * atomically: a new release folder beside it, swapped in when every step succeeded
 * (src/cli/site-releases.ts). Three steps, each timed: the pages (Astro bundles the site when the code
 * is new; every page that reads the database is rendered through that bundle and written as a file,
 * src/cli/site-build/), pagefind indexes the article pages for static full-text search, and the
 * timeline index and fact exports are written straight to disk.
 *
 * A build compares the database with the fingerprints the current release recorded
 * (src/lib/site/site-plan.ts, src/cli/site-build/state.ts) and rebuilds only what changed: after a
 * refresh of 200 articles into a 10k-article site it renders a few hundred pages, indexes those
 * articles into a small second search index and rewrites the affected timeline shards and company
 * exports; the rest of the release is hard links to the previous one.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, lstat, readdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { print, printJson, type Command } from '../command.ts';
import { withDb } from '../runtime.ts';
import type { Db } from '../../../db/client.ts';
import { FatalError } from '../../shared/errors.ts';
import { logMark, pruneChangesBefore, type LogMark } from '../../../db/site-changes.ts';
import { createRelease, currentRelease, processAlive, pruneReleases, releasesDir, swapIn } from '../site-releases.ts';
import { openBuildScope, seedShared } from '../../lib/site/build-scope.ts';
import { applyPatch, baseFile, changesSince, factFpsFile, keepBase, loadBase, loadFactFps, writeFactFps } from '../../lib/site/row-base.ts';
import { sitePlan, type KnownFacts } from '../../lib/site/site-plan.ts';
import { allFacts, currentSources } from '../../lib/site/queries.ts';
import { writeStaticExports } from '../../lib/site/static-exports.ts';
import { writeTimelineIndex } from '../../lib/site/timeline.ts';
import { linkFileSync, linkTree, listFiles } from '../site-build/files.ts';
import { addPages, writeClaimedPages, writePages, type PagesReport } from '../site-build/pages.ts';
import { startRenderer } from '../site-build/render.ts';
import { ArticleSearch, type SearchReport } from '../site-build/search-index.ts';
import { codeVersion, readState, timelineTermsFile, writeState, type PreviousBuild } from '../site-build/state.ts';
import { OutputsError, startOutputs } from '../site-build/outputs-worker.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEFAULT_DIST = path.join(PROJECT_ROOT, 'dist');

export interface BuildReport {
  outDir: string;
  /** incremental: the previous release's bundle and unchanged outputs were reused. */
  mode: 'full' | 'incremental';
  ms: number;
  /**
   * pages (bundle, plan, render or link), search (pagefind, overlapping exports), exports (what the
   * build waited for the timeline index and files after the pages); timelineIndex and exportFiles:
   * how long each took where it ran (a worker thread beside the pages, or here after them).
   */
  steps: { pages: number; search: number; exports: number; timelineIndex: number; exportFiles: number };
  /** Articles article search finds (full index and delta together). */
  indexedPages: number;
  pages: { rendered: number; linked: number };
  search: SearchReport;
  timeline: { shards: number; built: number };
  exports: { companies: number; exported: number; facts: number };
  /** Peak resident memory of this process (pagefind runs in its own). */
  peakRssMb: number;
}

export interface BuildOptions {
  /**
   * Output path (default dist/ in the project): a link to the current release in <outDir>.builds/,
   * so static files are reached at <outDir>/client.
   */
  outDir?: string;
  /** Ctrl-C / SIGTERM: the build stops at the next step and swaps nothing in. */
  signal?: AbortSignal;
  /** Reporting hook for a progress line. */
  onStep?: (step: BuildStep) => void;
  /** Build everything anew, ignoring the current release. */
  full?: boolean;
  /** What the build leaves out and why (default: console.warn). */
  warn?: (message: string) => void;
  /**
   * The database `db` is, for the worker thread that writes the timeline index and exports while the
   * pages render (it opens its own handle). Without it they are written after the pages, here.
   */
  database?: { url: string; authToken?: string };
}

/**
 * Astro renders into `dir`, a fresh release folder (src/cli/site-releases.ts), so emptying it first
 * (as Astro does) never touches the site being served.
 */
export async function renderPages(dir: string): Promise<void> {
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build } = await import('astro');
  const rel = path.relative(PROJECT_ROOT, dir);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
    await build({ root: PROJECT_ROOT, outDir: dir, logLevel: 'warn' });
    return;
  }
  // The server half of a build imports packages by name, resolved from where its files sit. So a
  // release outside the project is built inside it, moved out, and given a link to the project's
  // node_modules, which it then resolves through whenever it is served. The stage is named after
  // this process, so the next build can remove it if this one is killed.
  const stages = path.join(PROJECT_ROOT, 'node_modules', '.factdesk-build');
  await removeStaleStages(stages);
  const stage = path.join(stages, `p${process.pid}-${randomUUID()}`);
  try {
    await build({ root: PROJECT_ROOT, outDir: stage, logLevel: 'warn' });
    await rm(dir, { recursive: true, force: true });
    await rename(stage, dir).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EXDEV') throw err;
      await cp(stage, dir, { recursive: true });
    });
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function removeStaleStages(stages: string): Promise<void> {
  for (const name of await readdir(stages).catch(() => [] as string[])) {
    const pid = Number(/^p(\d+)-/.exec(name)?.[1]);
    if (pid && !processAlive(pid)) await rm(path.join(stages, name), { recursive: true, force: true });
  }
}

export type BuildStep = 'pages' | 'search' | 'exports';

/**
 * Builds a complete site into a new release folder and only then swaps it in (src/cli/site-releases.ts).
 * Any failure removes the unfinished folder and is reported as one line naming the step; the site at
 * the output path is the last good one, untouched.
 *
 * Incremental unless asked otherwise: when the current release was built from the same code, its
 * server bundle and every output whose data is unchanged are reused (src/cli/site-build/), and only
 * the rest is rendered, indexed and written. Otherwise (first build, new code, --full) Astro bundles
 * the site first and everything is made anew.
 */
export async function buildSite(db: Db, opts: BuildOptions = {}): Promise<BuildReport> {
  const outDir = path.resolve(opts.outDir ?? DEFAULT_DIST);
  const t0 = performance.now();
  await pruneReleases(outDir); // what killed builds left behind
  const release = await createRelease(outDir);
  const clientDir = path.join(release.dir, 'client');
  // Named in the failure line: which part of the site could not be made.
  let step: 'pages' | 'search index' | 'timeline index' | 'exports' | 'swap' = 'pages';
  let previous: string | null = null;
  const closeScope = openBuildScope();
  let search: ArticleSearch | null = null;
  let outputs: ReturnType<typeof startOutputs> | null = null;
  // Checked between steps: an interrupted build must not swap in (Astro's own step cannot be stopped).
  const goOn = () => {
    if (opts.signal?.aborted) throw new BuildInterrupted();
  };
  // FACTDESK_BUILD_TRACE=1: the time of each phase on stderr (the bench and scale notes use it).
  let tLast = t0;
  let cpuLast = process.cpuUsage();
  if (process.env.FACTDESK_BUILD_TRACE) process.stderr.write(`build trace: started ${Math.round(t0)} ms after the process\n`);
  const trace = (what: string) => {
    if (!process.env.FACTDESK_BUILD_TRACE) return;
    const now = performance.now();
    const cpu = process.cpuUsage(cpuLast);
    process.stderr.write(`build trace: ${what} ${Math.round(now - tLast)} ms, cpu ${Math.round((cpu.user + cpu.system) / 1000)} ms (rss ${Math.round(process.memoryUsage().rss / 1048576)} MB)\n`);
    tLast = now;
    cpuLast = process.cpuUsage();
  };
  try {
    // Started first, so it loads its modules while this thread finds the previous release.
    outputs = opts.database ? startOutputs() : null;
    opts.onStep?.('pages');
    const code = await codeVersion(PROJECT_ROOT);
    const prev = opts.full ? null : await previousBuild(outDir, code);
    const prevClient = prev ? path.join(prev.dir, 'client') : null;
    let bundle: string[];
    if (prev) {
      await reuseBundle(prev.dir, release.dir, prev.state.bundle);
      bundle = prev.state.bundle;
    } else {
      await renderPages(release.dir);
      bundle = await listFiles(clientDir);
    }
    trace(prev ? 'bundle linked' : 'bundle built');
    goOn();
    // The timeline index, the whole-site and timeline pages and the exports: a worker thread makes
    // them meanwhile (outputs-worker.ts), started above; the plan here is then the article pages and
    // fact sheets.
    if (outputs && opts.database)
      outputs.begin({
          databaseUrl: opts.database.url,
          authToken: opts.database.authToken,
          clientDir,
          cacheDir: path.join(release.dir, 'cache', 'exports'),
          previous: prev ? { dir: prev.dir, timeline: prev.state.timeline, exports: prev.state.exports } : null,
          now: new Date().toISOString(),
          pages: { releaseDir: release.dir, previous: prev ? prev.state.pages : null },
        });
    // Every current fact and source, for the plan here and the timeline there: the previous
    // release's copy of them with what was written since re-read (row-base.ts), the patch handed to
    // the outputs thread, which applies it to its own copy; or, without a copy the change log can
    // vouch for, read whole and handed over, and kept for the next build.
    let keptBase: LogMark | null = null;
    let knownFacts: KnownFacts | undefined;
    if (outputs) {
      const base = prev ? loadBase(baseFile(prev.dir)) : null;
      const found = base ? await changesSince(db, { seq: base.seq, stamp: base.stamp, rows: base.allFacts.length + base.currentSources.length }) : null;
      if (base && found) {
        const rows = applyPatch(base, found.patch);
        const fps = loadFactFps(factFpsFile(prev!.dir), base);
        if (fps) knownFacts = { fps, changed: new Set(found.patch.dropFacts) };
        seedShared('allFacts', rows.allFacts);
        seedShared('currentSources', rows.currentSources);
        if (found.rewrite) keptBase = { seq: found.patch.seq, stamp: found.patch.stamp };
        else keepBase(prev!.dir, release.dir);
        outputs.patch(found.patch, keptBase && { file: baseFile(release.dir), mark: keptBase });
        trace(`facts and sources patched (${found.patch.dropFacts.length} facts and ${found.patch.dropArticles.length} articles re-read) and the patch handed to the outputs thread`);
      } else {
        keptBase = await logMark(db);
        const [f, s] = await Promise.all([allFacts(db), currentSources(db)]);
        outputs.rows({ allFacts: f, currentSources: s }, keptBase && { file: baseFile(release.dir), mark: keptBase });
        trace('facts and sources read and handed to the outputs thread');
      }
    }
    const plan = await sitePlan(db, { wholeSite: outputs === null, knownFacts });
    outputs?.companies(plan.companies);
    if (keptBase) writeFactFps(factFpsFile(release.dir), keptBase, plan.facts);
    trace('plan');
    for (const w of plan.warnings) (opts.warn ?? console.warn)(w);
    const s = new ArticleSearch(clientDir, plan.search, prev && prevClient ? { clientDir: prevClient, search: prev.state.search } : null);
    search = s;
    const renderer = await startRenderer(release.dir);
    let pages: PagesReport;
    // Pagefind writes its index in its own process, from the moment the last article page is in,
    // while this one renders the other pages and writes the timeline and exports.
    let searchError: unknown = null;
    let searchDone: Promise<(Awaited<ReturnType<ArticleSearch['finish']>> & { ms: number }) | null> | null = null;
    const finishSearch = () => {
      if (searchDone) return;
      const tS = performance.now();
      trace('article pages written; search index started');
      searchDone = s.finish().then(
        (r) => ({ ...r, ms: performance.now() - tS }),
        (err: unknown) => {
          searchError = err;
          return null;
        },
      );
    };
    try {
      pages = await writePages({
        trace,
        pages: plan.pages,
        renderer,
        clientDir,
        previous: prev && prevClient ? { clientDir: prevClient, pages: prev.state.pages } : null,
        onArticle: (id, html) => (s.wants(id) ? s.add(id, html) : Promise.resolve()),
        afterArticles: finishSearch,
        goOn,
      });
      if (outputs) {
        // Then the whole-site pages the outputs thread has not taken yet (page-queue.ts).
        addPages(pages, await writeClaimedPages({ queue: await outputs.shared, renderer, clientDir, goOn, trace }));
      }
    } finally {
      await renderer.close();
    }
    finishSearch();
    const t1 = performance.now();
    trace('pages written');
    goOn();
    step = 'search index';
    opts.onStep?.('search');
    step = 'timeline index';
    opts.onStep?.('exports');
    let timeline: { shards: number; built: number; fingerprints: Record<string, string> };
    const spent = { timeline: 0, exports: 0 };
    let exported: { state: Record<string, [string, number]>; exported: number; facts: number };
    if (outputs) {
      const r = await outputs.done.catch((err: unknown) => {
        if (err instanceof OutputsError) step = err.step;
        throw err;
      });
      ({ timeline, exports: exported } = r);
      spent.timeline = r.timelineMs;
      spent.exports = r.exportsMs;
      if (r.pages) {
        addPages(pages, r.pages);
      }
      trace(`timeline index (${Math.round(r.timelineMs)} ms), whole-site and timeline pages (${Math.round(r.pagesMs)} ms: ${r.pages?.rendered ?? 0} rendered, ${r.pages?.linked ?? 0} linked) and exports (${Math.round(r.exportsMs)} ms) waited for`);
    } else {
      const tT = performance.now();
      timeline = await writeTimelineIndex(
        db,
        clientDir,
        prev && prevClient
          ? { dir: path.join(prevClient, 'timeline', 'index'), fingerprints: prev.state.timeline, link: linkFileSync, termsFile: timelineTermsFile(prev.dir) }
          : undefined,
        { termsFile: timelineTermsFile(release.dir) },
      );
      trace('timeline index');
      spent.timeline = performance.now() - tT;
      step = 'exports';
      exported = await writeStaticExports(db, clientDir, new Date(), {
        cacheDir: path.join(release.dir, 'cache', 'exports'),
        fingerprints: plan.companies,
        previous: prev && prevClient ? { clientDir: prevClient, cacheDir: path.join(prev.dir, 'cache', 'exports'), companies: prev.state.exports, link: linkFileSync } : undefined,
      });
      trace('exports');
      spent.exports = performance.now() - tT - spent.timeline;
    }
    const t3 = performance.now();
    step = 'search index';
    const searched = await searchDone!;
    trace('search index (waited for)');
    if (searchError || !searched) throw searchError;
    goOn();
    step = 'swap';
    await writeState(release.dir, {
      v: 1,
      code,
      builtAt: new Date().toISOString(),
      bundle,
      pages: pages.fingerprints,
      search: searched.state,
      timeline: timeline.fingerprints,
      exports: exported.state,
    });
    previous = await currentRelease(outDir);
    await swapIn(release);
    const t4 = performance.now();
    trace('state written, swapped in');
    // No link before (first build, or a plain folder moved aside): keep the newest other. The site is
    // live: what is removed is renamed away now and deleted by a process that outlives this one.
    await pruneReleases(outDir, previous ?? undefined, { detach: true });
    trace('older releases removed');
    // A new base needs no log row before its own: older ones go (another site's base built from
    // this database then reads everything once and keeps a new one).
    if (keptBase) {
      await pruneChangesBefore(db, keptBase.seq);
      trace('change log pruned');
    }
    const searchable = new Set(Object.keys(searched.state.delta));
    for (const shard of Object.values(searched.state.shards)) for (const id of Object.keys(shard.base)) searchable.add(id);
    return {
      outDir,
      mode: prev ? 'incremental' : 'full',
      ms: Math.round(t4 - t0),
      steps: { pages: Math.round(t1 - t0), search: Math.round(searched.ms), exports: Math.round(t3 - t1), timelineIndex: Math.round(spent.timeline), exportFiles: Math.round(spent.exports) },
      indexedPages: searchable.size,
      pages: { rendered: pages.rendered, linked: pages.linked },
      search: searched.report,
      timeline: { shards: timeline.shards, built: timeline.built },
      exports: { companies: Object.keys(exported.state).length, exported: exported.exported, facts: exported.facts },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } catch (err) {
    await search?.close().catch(() => undefined);
    await outputs?.stop().catch(() => undefined);
    await rm(release.dir, { recursive: true, force: true }).catch(() => undefined);
    if (err instanceof BuildInterrupted) throw err;
    const kept = (await currentRelease(outDir)) || existsSync(path.join(outDir, 'client')) ? 'the last good site is unchanged' : 'no site was built yet';
    throw new FatalError(`build failed in the ${step} step: ${oneLine(err)} (${outDir}: ${kept})`);
  } finally {
    closeScope();
  }
}

/** The current release, when it has a build state from this code (else a full build). */
async function previousBuild(outDir: string, code: string): Promise<PreviousBuild | null> {
  const name = await currentRelease(outDir);
  if (!name) return null;
  const dir = path.join(releasesDir(outDir), name);
  const state = await readState(dir);
  if (!state || state.code !== code) return null;
  if (!existsSync(path.join(dir, 'server', 'entry.mjs'))) return null;
  return { dir, state };
}

/**
 * The previous release's server bundle and Astro's client files (assets, prerendered pages), linked
 * into the new release: the code is the same, so they are what Astro would write again. A release
 * outside the project resolves packages through a node_modules link (renderPages), made again here.
 */
async function reuseBundle(fromDir: string, toDir: string, bundle: string[]): Promise<void> {
  await linkTree(path.join(fromDir, 'server'), path.join(toDir, 'server'));
  await linkTree(path.join(fromDir, 'client'), path.join(toDir, 'client'), bundle);
  const modules = path.join(fromDir, 'node_modules');
  const st = await lstat(modules).catch(() => null);
  if (st?.isSymbolicLink()) await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(toDir, 'node_modules'), 'dir');
}

/** A build stopped by a signal between steps; its release was removed, the site is unchanged. */
export class BuildInterrupted extends Error {
  override name = 'BuildInterrupted';
  constructor() {
    super('build interrupted; the site is unchanged');
  }
}

/**
 * The first line of the innermost cause (drizzle's "Failed query: …" wraps the "no such table"
 * that says what is wrong), without colour codes, short enough for one terminal line.
 */
function oneLine(err: unknown): string {
  let e = err;
  while (e instanceof Error && e.cause instanceof Error && e.cause.message) e = e.cause;
  const raw = e instanceof Error ? e.message || e.name : String(e);
  // eslint-disable-next-line no-control-regex
  const line = raw.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.trim()).find(Boolean) ?? 'unknown error';
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

const command: Command = {
  name: 'build',
  details:
    'Reads DATABASE_URL (migrating it first) and writes <out>/client (static files, deployable to any web\n' +
    'server or CDN) and <out>/server (the on-demand API used by `factdesk serve`).',
  options: {
    out: { type: 'string', valueName: 'dir', description: 'output folder (default dist/)' },
    full: { type: 'boolean', description: 'build everything anew instead of only what changed since the current release' },
  },
  async run(ctx) {
    return withDb(ctx.config, async ({ db }) => {
      let r: BuildReport;
      try {
        r = await buildSite(db, {
          outDir: ctx.flags.out as string | undefined,
          signal: ctx.signal,
          onStep: (s) => ctx.log.info(`build: ${s}`),
          full: ctx.flags.full === true,
          database: { url: ctx.config.databaseUrl, authToken: ctx.config.databaseAuthToken },
        });
      } catch (err) {
        if (!(err instanceof BuildInterrupted)) throw err;
        ctx.stderr.write(`factdesk build: ${err.message}\n`);
        return 130;
      }
      if (ctx.json) printJson(ctx, r);
      else
        print(
          ctx,
          `built the site (${r.mode}) in ${(r.ms / 1000).toFixed(1)} s → ${r.outDir} ` +
            `(pages ${(r.steps.pages / 1000).toFixed(1)} s: ${r.pages.rendered} rendered, ${r.pages.linked} kept; ` +
            `search ${(r.steps.search / 1000).toFixed(1)} s: ${r.search.shardsWritten} index shards written, ${r.search.delta} articles in the delta index, ${r.indexedPages} articles; ` +
            `exports ${(r.steps.exports / 1000).toFixed(1)} s: ${r.timeline.built} of ${r.timeline.shards} timeline shards and ${r.exports.exported} of ${r.exports.companies} companies written)`,
        );
      return 0;
    });
  },
};
export default command;
