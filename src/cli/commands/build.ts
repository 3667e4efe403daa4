/**
 * `factdesk build`: renders the static site from the database (DATABASE_URL) into dist/ (or --out).
 * Three steps, each timed: Astro renders the pages (they read the database at build time through
 * src/lib/site), pagefind indexes the article pages for static full-text search, and the fact exports
 * are streamed straight to disk (50k facts would not fit comfortably in an Astro endpoint's buffer).
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { print, printJson, type Command } from '../command.ts';
import { withDb } from '../runtime.ts';
import type { Db } from '../../../db/client.ts';
import { FatalError } from '../../shared/errors.ts';

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
  /** Output folder (default dist/ in the project): static files land in <outDir>/client. */
  outDir?: string;
  /** Reporting hook for a progress line. */
  onStep?: (step: 'pages' | 'search' | 'exports') => void;
}

export async function renderPages(outDir: string): Promise<void> {
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build } = await import('astro');
  const rel = path.relative(PROJECT_ROOT, outDir);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
    await build({ root: PROJECT_ROOT, outDir, logLevel: 'warn' });
    return;
  }
  // The server half of a build imports packages by name, resolved from where its files sit, and
  // Astro empties the output folder first. So an output folder outside the project is built inside
  // it, moved out, and given a link to the project's node_modules, which it then resolves through
  // whenever it is served.
  const stage = path.join(PROJECT_ROOT, 'node_modules', '.factdesk-build', randomUUID());
  try {
    await build({ root: PROJECT_ROOT, outDir: stage, logLevel: 'warn' });
    await rm(outDir, { recursive: true, force: true });
    await mkdir(path.dirname(outDir), { recursive: true });
    await rename(stage, outDir).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EXDEV') throw err;
      await cp(stage, outDir, { recursive: true });
    });
    await symlink(path.join(PROJECT_ROOT, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
  } finally {
    await rm(stage, { recursive: true, force: true });
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

export async function buildSite(db: Db, opts: BuildOptions = {}): Promise<BuildReport> {
  const outDir = path.resolve(opts.outDir ?? DEFAULT_DIST);
  const clientDir = path.join(outDir, 'client');
  const t0 = performance.now();
  opts.onStep?.('pages');
  await renderPages(outDir);
  const t1 = performance.now();
  opts.onStep?.('search');
  const indexedPages = await indexArticles(clientDir);
  const t2 = performance.now();
  opts.onStep?.('exports');
  const { writeStaticExports } = await import('../../lib/site/static-exports.ts');
  const { writeTimelineIndex } = await import('../../lib/site/timeline.ts');
  await writeTimelineIndex(db, clientDir);
  await writeStaticExports(db, clientDir);
  const t3 = performance.now();
  return {
    outDir,
    ms: Math.round(t3 - t0),
    steps: { pages: Math.round(t1 - t0), search: Math.round(t2 - t1), exports: Math.round(t3 - t2) },
    indexedPages,
  };
}

const command: Command = {
  name: 'build',
  summary: 'Build the static site (fact sheets, timeline, articles, search, exports) from the database.',
  details:
    'Reads DATABASE_URL (migrating it first) and writes <out>/client (static files, deployable to any web\n' +
    'server or CDN) and <out>/server (the on-demand API used by `factdesk serve`).',
  options: { out: { type: 'string', valueName: 'dir', description: 'output folder (default dist/)' } },
  async run(ctx) {
    return withDb(ctx.config, async ({ db }) => {
      const r = await buildSite(db, {
        outDir: ctx.flags.out as string | undefined,
        onStep: (s) => ctx.log.info(`build: ${s}`),
      });
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
