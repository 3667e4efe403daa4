/**
 * Writes the pages of the plan (src/lib/site/site-plan.ts) into a release: a page whose fingerprint
 * is the one the previous release recorded is that release's file (a hard link); every other page is
 * rendered through the release's server (render.ts) and written. Rendered article pages go on to the
 * search index as they come.
 */
import path from 'node:path';
import type { PlannedPage } from '../../lib/site/site-plan.ts';
import { linkFileSync, runLimited, runPulled, writeFileReplacing } from './files.ts';
import type { PageQueue } from './page-queue.ts';
import { RENDER_CONCURRENCY, type Renderer } from './render.ts';

export interface PagesReport {
  rendered: number;
  linked: number;
  /** Page file → fingerprint, for the next build. */
  fingerprints: Record<string, string | null>;
}

/** `more` counted into `into` (pages written by another call or thread of the same build). */
export function addPages(into: PagesReport, more: PagesReport): void {
  into.rendered += more.rendered;
  into.linked += more.linked;
  Object.assign(into.fingerprints, more.fingerprints);
}

export interface WritePagesOptions {
  pages: PlannedPage[];
  renderer: Renderer;
  clientDir: string;
  previous: { clientDir: string; pages: Record<string, string | null> } | null;
  /** A rendered article page, for the search index (awaited: it may hold the renderer back). */
  onArticle?: (articleId: number, html: string) => Promise<void>;
  /**
   * Called once every article page is written, before the other pages are rendered: the search
   * index can be written (in pagefind's own process) while this one renders the rest.
   */
  afterArticles?: () => void;
  /** Checked between pages: an interrupted build stops rendering. */
  goOn?: () => void;
  trace?: (what: string) => void;
}

export async function writePages(opts: WritePagesOptions): Promise<PagesReport> {
  const { pages, clientDir, previous } = opts;
  const fingerprints: Record<string, string | null> = {};
  let linked = 0;
  const toRender: PlannedPage[] = [];
  // Synchronous links: one system call each, no round trip through the thread pool.
  for (const p of pages) {
    fingerprints[p.file] = p.fp;
    if (previous && p.fp !== null && previous.pages[p.file] === p.fp) {
      try {
        linkFileSync(path.join(previous.clientDir, p.file), path.join(clientDir, p.file));
        linked++;
        continue;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    toRender.push(p);
  }
  opts.trace?.(`${linked} pages linked`);
  // Article pages first (the search index needs them all before it can be written), then the rest
  // in plan order, several at a time.
  const articles = toRender.filter((p) => p.articleId !== undefined);
  const rest = toRender.filter((p) => p.articleId === undefined);
  const r = pageRenderer(opts);
  await runLimited(articles, RENDER_CONCURRENCY, r.one);
  opts.afterArticles?.();
  await runLimited(rest, RENDER_CONCURRENCY, r.one);
  opts.trace?.(r.summary());
  return { rendered: r.rendered(), linked, fingerprints };
}

/**
 * Renders pages claimed one at a time from a queue another thread claims from too (page-queue.ts),
 * until none is left. They are pages rendered on every build (no fingerprint to link by).
 */
export async function writeClaimedPages(opts: Omit<WritePagesOptions, 'pages' | 'previous' | 'afterArticles'> & { queue: PageQueue }): Promise<PagesReport> {
  const fingerprints: Record<string, string | null> = {};
  const r = pageRenderer(opts);
  // Two at a time, not RENDER_CONCURRENCY: a thread that took sixteen would hold them all while it
  // renders them one after the other (rendering is CPU work on one thread), and the other thread,
  // free a moment later, would find none left. Two keep the renderer busy while a page is written.
  await runPulled(2, () => opts.queue.claim(), async (p) => {
    fingerprints[p.file] = p.fp;
    await r.one(p);
  });
  if (r.rendered() > 0) opts.trace?.(`${r.summary()} (claimed from the shared list)`);
  return { rendered: r.rendered(), linked: 0, fingerprints };
}

/** Renders and writes one page at a time (for runLimited), counting them, and their latency per kind for the trace. */
function pageRenderer(opts: Pick<WritePagesOptions, 'renderer' | 'clientDir' | 'onArticle' | 'goOn' | 'trace'>) {
  let rendered = 0;
  const byKind = new Map<string, { n: number; ms: number }>();
  const one = async (p: PlannedPage) => {
    opts.goOn?.();
    const t = performance.now();
    const { body } = await opts.renderer.render(p.path);
    if (opts.trace) {
      const kind = /^\/(articles|companies\/sorted|companies\/[^/]|timeline\/[^/])/.exec(p.path)?.[1]?.replace(/\/[^/]$/, '/*') ?? p.path;
      const k = byKind.get(kind) ?? { n: 0, ms: 0 };
      k.n++;
      k.ms += performance.now() - t;
      byKind.set(kind, k);
    }
    await writeFileReplacing(path.join(opts.clientDir, p.file), body);
    rendered++;
    if (p.articleId !== undefined && opts.onArticle) await opts.onArticle(p.articleId, body.toString('utf8'));
  };
  return {
    one,
    rendered: () => rendered,
    // Latency summed per kind (pages render RENDER_CONCURRENCY at a time, so wall time is less).
    summary: () => `${rendered} pages rendered: ${[...byKind].map(([k, v]) => `${k} ${v.n}×${Math.round(v.ms / v.n)}ms`).join(', ')}`,
  };
}
