/**
 * `factdesk build`: renders the static site from the database (DATABASE_URL) into dist/ (or --out),
 * atomically: a new release folder beside it, swapped in when every step succeeded
 * (src/cli/site-releases.ts). Three steps, each timed: Astro renders the pages (they read the database at build time through
 * src/lib/site), pagefind indexes the article pages for static full-text search, and the fact exports
 * are streamed straight to disk (50k facts would not fit comfortably in an Astro endpoint's buffer).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { print, printJson, type Command } from '../command.ts';
import { withDb } from '../runtime.ts';
import type { Db } from '../../../db/client.ts';
import { FatalError } from '../../shared/errors.ts';
import { createRelease, currentRelease, processAlive, pruneReleases, swapIn } from '../site-releases.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEFAULT_DIST = path.join(PROJECT_ROOT, 'dist');

export interface BuildReport {
  outDir: string;
  ms: number;
  steps: { pages: number; search: number; exports: number };
  /** Article pages pagefind indexed (they carry data-pagefind-body). */
  indexedPages: number;
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

/** Pagefind over the built HTML: chunked index files under <client>/pagefind, fetched on demand. */
export async function indexArticles(clientDir: string): Promise<number> {
  const pagefind = await import('pagefind');
  try {
    const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
    if (!index) throw new FatalError(`pagefind could not start: ${errors.join('; ')}`);
    const added = await index.addDirectory({ path: clientDir });
    if (added.errors.length) throw new FatalError(`pagefind: ${added.errors.join('; ')}`);
    const written = await index.writeFiles({ outputPath: path.join(clientDir, 'pagefind') });
    if (written.errors.length) throw new FatalError(`pagefind: ${written.errors.join('; ')}`);
    // page_count counts every page scanned; only pages with data-pagefind-body (articles) get a
    // result fragment, so count those.
    return (await readdir(path.join(clientDir, 'pagefind', 'fragment'))).length;
  } finally {
    await pagefind.close();
  }
}

export type BuildStep = 'pages' | 'search' | 'exports';

/**
 * Builds a complete site into a new release folder and only then swaps it in (src/cli/site-releases.ts).
 * Any failure removes the unfinished folder and is reported as one line naming the step; the site at
 * the output path is the last good one, untouched.
 */
export async function buildSite(db: Db, opts: BuildOptions = {}): Promise<BuildReport> {
  const outDir = path.resolve(opts.outDir ?? DEFAULT_DIST);
  const t0 = performance.now();
  await pruneReleases(outDir); // what killed builds left behind
  const release = await createRelease(outDir);
  const clientDir = path.join(release.dir, 'client');
  // Named in the failure line: which part of the site could not be made.
  let step: 'pages' | 'search index' | 'timeline index' | 'exports' | 'swap' = 'pages';
  const times: number[] = [t0];
  let indexedPages = 0;
  let previous: string | null = null;
  // Checked between steps: an interrupted build must not swap in (Astro's own step cannot be stopped).
  const goOn = () => {
    if (opts.signal?.aborted) throw new BuildInterrupted();
  };
  try {
    opts.onStep?.('pages');
    await renderPages(release.dir);
    times.push(performance.now());
    goOn();
    step = 'search index';
    opts.onStep?.('search');
    indexedPages = await indexArticles(clientDir);
    times.push(performance.now());
    goOn();
    step = 'timeline index';
    opts.onStep?.('exports');
    const { writeStaticExports } = await import('../../lib/site/static-exports.ts');
    const { writeTimelineIndex } = await import('../../lib/site/timeline.ts');
    await writeTimelineIndex(db, clientDir);
    step = 'exports';
    await writeStaticExports(db, clientDir);
    times.push(performance.now());
    goOn();
    step = 'swap';
    previous = await currentRelease(outDir);
    await swapIn(release);
  } catch (err) {
    await rm(release.dir, { recursive: true, force: true }).catch(() => undefined);
    if (err instanceof BuildInterrupted) throw err;
    const kept = (await currentRelease(outDir)) || existsSync(path.join(outDir, 'client')) ? 'the last good site is unchanged' : 'no site was built yet';
    throw new FatalError(`build failed in the ${step} step: ${oneLine(err)} (${outDir}: ${kept})`);
  }
  await pruneReleases(outDir, previous ?? undefined); // no link before (first build, or a plain folder moved aside): keep the newest other
  const [, t1, t2, t3] = times as [number, number, number, number];
  return {
    outDir,
    ms: Math.round(t3 - t0),
    steps: { pages: Math.round(t1 - t0), search: Math.round(t2 - t1), exports: Math.round(t3 - t2) },
    indexedPages,
  };
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
  options: { out: { type: 'string', valueName: 'dir', description: 'output folder (default dist/)' } },
  async run(ctx) {
    return withDb(ctx.config, async ({ db }) => {
      let r: BuildReport;
      try {
        r = await buildSite(db, {
          outDir: ctx.flags.out as string | undefined,
          signal: ctx.signal,
          onStep: (s) => ctx.log.info(`build: ${s}`),
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
          `built the site in ${(r.ms / 1000).toFixed(1)} s → ${r.outDir} ` +
            `(pages ${(r.steps.pages / 1000).toFixed(1)} s, search ${(r.steps.search / 1000).toFixed(1)} s for ${r.indexedPages} articles, exports ${(r.steps.exports / 1000).toFixed(1)} s)`,
        );
      return 0;
    });
  },
};
export default command;
