/**
 * Article search (pagefind) across builds. Pagefind writes a whole index at once, and writing one for
 * 10k articles takes tens of seconds, so an incremental build leaves the full index (client/pagefind/,
 * the "base") as the previous build wrote it — hard links — and indexes only the articles that are new
 * or whose searchable content (title, outlet, date, text) changed since the base into a second, small
 * index (client/pagefind-delta/). The search page merges the two (pagefind's mergeIndex) and drops
 * the base's results for the articles the delta supersedes or that are gone, listed with their
 * pagefind result ids in client/pagefind/factdesk-delta.json (src/scripts/search.ts). Once the delta
 * outgrows DELTA_LIMIT of the base, the build indexes everything into a new base instead.
 *
 * Pages reach the index as they are rendered (add), so in a full build pagefind indexes on the second
 * core while this process renders; pages the build did not render are read back from their files.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FatalError } from '../../shared/errors.ts';
import { articleHref } from '../../lib/site/links.ts';
import { linkTree, runLimited, writeFileReplacing } from './files.ts';
import type { BuildState } from './state.ts';

export const DELTA_FILE = 'factdesk-delta.json';
export const DELTA_DIR = 'pagefind-delta';

/** The most articles the delta holds before a full index is cheaper than re-indexing it each build. */
export function deltaLimit(baseSize: number): number {
  return Math.max(1000, Math.floor(baseSize / 10));
}

export type SearchMode = 'full' | 'delta' | 'unchanged';

export interface SearchReport {
  mode: SearchMode;
  /** Articles pagefind indexed in this build. */
  indexed: number;
  /** Articles in the delta (0 after a full index). */
  delta: number;
}

/** Holds outstanding pagefind calls to this many: each carries a whole page. */
const IN_FLIGHT = 64;

type PagefindIndex = NonNullable<Awaited<ReturnType<(typeof import('pagefind'))['createIndex']>>['index']>;

export class ArticleSearch {
  readonly mode: SearchMode;
  private readonly clientDir: string;
  private readonly fps: Map<number, string>;
  private readonly previous: { clientDir: string; search: BuildState['search'] } | null;
  /** Articles this build's index must hold (all for a full index, the delta's otherwise). */
  private readonly wanted: Set<number>;
  private readonly added = new Set<number>();
  private index: Promise<PagefindIndex> | null = null;
  private pending = new Set<Promise<void>>();
  private failure: unknown = null;

  /**
   * `fps`: every article's search fingerprint now (site-plan.ts). `previous`: the release this build
   * starts from, with its search state, or null for a full index.
   */
  constructor(clientDir: string, fps: Map<number, string>, previous: { clientDir: string; search: BuildState['search'] } | null) {
    this.clientDir = clientDir;
    this.fps = fps;
    const base = previous?.search.base ?? null;
    let mode: SearchMode = 'full';
    let wanted = new Set(fps.keys());
    if (previous && base) {
      const changed = [...fps].filter(([id, fp]) => base[id]?.[0] !== fp).map(([id]) => id);
      const gone = Object.keys(base).filter((id) => !fps.has(Number(id))).length;
      if (changed.length + gone <= deltaLimit(Object.keys(base).length)) {
        mode = changed.length ? 'delta' : 'unchanged';
        wanted = new Set(changed);
      }
    }
    this.mode = mode;
    this.wanted = wanted;
    this.previous = mode === 'full' ? null : previous;
  }

  /** Whether the build should hand this article's rendered page to add(). */
  wants(articleId: number): boolean {
    return this.wanted.has(articleId) && !this.added.has(articleId);
  }

  /** Indexes a rendered article page; resolves when there is room for the next one. */
  async add(articleId: number, html: string): Promise<void> {
    if (!this.wants(articleId)) return;
    if (this.failure) throw this.failure;
    this.added.add(articleId);
    const index = await this.open();
    const p: Promise<void> = index
      .addHTMLFile({ url: articleHref(articleId), content: html })
      .then((r) => {
        if (r.errors.length) throw new FatalError(`pagefind: ${articleHref(articleId)}: ${r.errors.join('; ')}`);
      })
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
    while (this.pending.size >= IN_FLIGHT) await Promise.race(this.pending);
  }

  private open(): Promise<PagefindIndex> {
    this.index ??= import('pagefind').then(async (pagefind) => {
      const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
      if (!index) throw new FatalError(`pagefind could not start: ${errors.join('; ')}`);
      return index;
    });
    return this.index;
  }

  /**
   * Indexes the wanted articles not rendered this build (from their files in the new release), writes
   * the index (or links the base), and returns the search state for the next build.
   */
  async finish(): Promise<{ report: SearchReport; state: BuildState['search'] }> {
    try {
      const rest = [...this.wanted].filter((id) => !this.added.has(id)).sort((a, b) => a - b);
      await runLimited(rest, 8, async (id) => {
        const html = await readFile(path.join(this.clientDir, 'articles', String(id), 'index.html'), 'utf8');
        await this.add(id, html);
      });
      await Promise.all(this.pending);
      if (this.failure) throw this.failure;
      const pagefindDir = path.join(this.clientDir, 'pagefind');
      if (this.mode === 'full') {
        const index = await this.open();
        const written = await index.writeFiles({ outputPath: pagefindDir });
        if (written.errors.length) throw new FatalError(`pagefind: ${written.errors.join('; ')}`);
        const fragments = await fragmentIds(pagefindDir);
        const base: BuildState['search']['base'] = {};
        for (const [id, fp] of this.fps) {
          const fragment = fragments.get(id);
          if (fragment) base[id] = [fp, fragment];
        }
        await writeFileReplacing(path.join(pagefindDir, DELTA_FILE), JSON.stringify({ delta: null, superseded: [] }));
        return { report: { mode: 'full', indexed: this.added.size, delta: 0 }, state: { base, delta: {} } };
      }
      // The base stays the previous build's; the delta is indexed again from all it holds now.
      const prev = this.previous!;
      await linkTree(path.join(prev.clientDir, 'pagefind'), pagefindDir);
      const base = prev.search.base;
      const delta: Record<string, string> = {};
      for (const id of this.wanted) delta[id] = this.fps.get(id)!;
      const superseded = Object.entries(base)
        .filter(([id, [fp]]) => this.fps.get(Number(id)) !== fp)
        .map(([, [, fragment]]) => fragment)
        .sort();
      if (this.mode === 'delta') {
        const index = await this.open();
        const written = await index.writeFiles({ outputPath: path.join(this.clientDir, DELTA_DIR) });
        if (written.errors.length) throw new FatalError(`pagefind: ${written.errors.join('; ')}`);
      }
      await writeFileReplacing(
        path.join(pagefindDir, DELTA_FILE),
        JSON.stringify({ delta: this.mode === 'delta' ? `/${DELTA_DIR}/` : null, superseded }),
      );
      return { report: { mode: this.mode, indexed: this.added.size, delta: this.wanted.size }, state: { base, delta } };
    } finally {
      await this.close();
    }
  }

  /** Stops the pagefind process (also when the build fails or is interrupted). */
  async close(): Promise<void> {
    if (!this.index) return;
    this.index = null;
    const pagefind = await import('pagefind');
    await pagefind.close();
  }
}

/**
 * Article id → pagefind result id, read from the fragments of a written index: gzip of "pagefind_dcd"
 * and JSON — one page's fragment (named by the page's result id) or, past pagefind's maxFragments, a
 * group of them keyed by result id.
 */
async function fragmentIds(pagefindDir: string): Promise<Map<number, string>> {
  const dir = path.join(pagefindDir, 'fragment');
  const out = new Map<number, string>();
  const names = (await readdir(dir)).filter((n) => n.endsWith('.pf_fragment'));
  const articleOf = (url: unknown) => (typeof url === 'string' ? /^\/articles\/(\d+)\/$/.exec(url)?.[1] : undefined);
  await runLimited(names, 16, async (name) => {
    const raw = gunzipSync(await readFile(path.join(dir, name))).toString('utf8');
    const doc = JSON.parse(raw.slice(raw.indexOf('{'))) as Record<string, unknown>;
    const single = articleOf(doc.url);
    if (single) out.set(Number(single), name.slice(0, -'.pf_fragment'.length));
    else
      for (const [hash, f] of Object.entries(doc)) {
        const id = articleOf((f as { url?: unknown } | null)?.url);
        if (id) out.set(Number(id), hash);
      }
  });
  return out;
}
