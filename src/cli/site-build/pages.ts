/**
 * Writes the pages of the plan (src/lib/site/site-plan.ts) into a release: a page whose fingerprint
 * is the one the previous release recorded is that release's file (a hard link); every other page is
 * rendered through the release's server (render.ts) and written. Rendered article pages go on to the
 * search index as they come.
 */
import path from 'node:path';
import type { PlannedPage } from '../../lib/site/site-plan.ts';
import { linkFileSync, runLimited, writeFileReplacing } from './files.ts';
import { RENDER_CONCURRENCY, type Renderer } from './render.ts';

export interface PagesReport {
  rendered: number;
  linked: number;
  /** Page file → fingerprint, for the next build. */
  fingerprints: Record<string, string | null>;
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
  const { pages, renderer, clientDir, previous } = opts;
  const fingerprints: Record<string, string | null> = {};
  let rendered = 0;
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
  const byKind = new Map<string, { n: number; ms: number }>();
  const renderOne = async (p: PlannedPage) => {
    opts.goOn?.();
    const t = performance.now();
    const { body } = await renderer.render(p.path);
    if (opts.trace) {
      const kind = /^\/(articles|companies\/sorted|companies\/[^/]|timeline\/[^/])/.exec(p.path)?.[1]?.replace(/\/[^/]$/, '/*') ?? p.path;
      const k = byKind.get(kind) ?? { n: 0, ms: 0 };
      k.n++;
      k.ms += performance.now() - t;
      byKind.set(kind, k);
    }
    await writeFileReplacing(path.join(clientDir, p.file), body);
    rendered++;
    if (p.articleId !== undefined && opts.onArticle) await opts.onArticle(p.articleId, body.toString('utf8'));
  };
  await runLimited(articles, RENDER_CONCURRENCY, renderOne);
  opts.afterArticles?.();
  await runLimited(rest, RENDER_CONCURRENCY, renderOne);
  // Latency summed per kind (pages render RENDER_CONCURRENCY at a time, so wall time is less).
  opts.trace?.(`${rendered} pages rendered: ${[...byKind].map(([k, v]) => `${k} ${v.n}×${Math.round(v.ms / v.n)}ms`).join(', ')}`);
  return { rendered, linked, fingerprints };
}
