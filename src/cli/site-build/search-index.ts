/**
 * Article search (pagefind) across builds. Pagefind writes a whole index at once — for 10k articles
 * tens of seconds and gigabytes of memory — so the articles are indexed in shards of shardSize()
 * consecutive ids (client/pagefind/ holds the first and pagefind's scripts, client/pagefind-s<k>/ the
 * others), written one at a time, and an incremental build leaves every shard as the previous build
 * wrote it (hard links). The articles that are new, or whose searchable content (title, outlet, date,
 * text) changed since their shard was written, go into one small extra index (client/pagefind-delta/)
 * that the build writes again each time. The search page merges them all (pagefind's mergeIndex) and
 * drops the shards' results for the articles the delta supersedes or that are gone, listed by pagefind
 * result id in client/pagefind/factdesk-search.json (src/scripts/search.ts). Once the delta outgrows
 * deltaLimit, the shards it touches (usually only the newest) are written anew instead.
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

/** Read by the search page: the indexes to merge into the first one, and the results to drop. */
export const SEARCH_FILE = 'factdesk-search.json';
export const DELTA_DIR = 'pagefind-delta';
/**
 * Articles (by id) per shard: one shard's index is what pagefind holds in memory at a time (about
 * 2.5 GB for 10k articles). FACTDESK_SEARCH_SHARD_SIZE and FACTDESK_SEARCH_DELTA_MIN change the two
 * sizes, for the tests (a sample site has a dozen articles).
 */
const envSize = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

export function shardSize(): number {
  return envSize('FACTDESK_SEARCH_SHARD_SIZE', 10_000);
}

export function shardOf(articleId: number): number {
  return Math.floor((Math.max(1, articleId) - 1) / shardSize());
}

export function shardDir(shard: number): string {
  return shard === 0 ? 'pagefind' : `pagefind-s${shard}`;
}

/** The most articles the delta holds before writing the shards it touches is cheaper than re-indexing it each build. */
export function deltaLimit(articles: number): number {
  return Math.max(envSize('FACTDESK_SEARCH_DELTA_MIN', 1000), Math.floor(articles / 10));
}

export type SearchMode = 'full' | 'shards' | 'delta' | 'unchanged';
type SearchState = BuildState['search'];

export interface SearchReport {
  /** full: every shard written; shards: some written anew; delta: only the delta; unchanged: nothing. */
  mode: SearchMode;
  /** Articles pagefind indexed in this build. */
  indexed: number;
  /** Shards written in this build. */
  shardsWritten: number;
  /** Articles in the delta (0 when none). */
  delta: number;
}

/** Holds outstanding pagefind calls to this many: each carries a whole page. */
const IN_FLIGHT = 64;

type PagefindIndex = NonNullable<Awaited<ReturnType<(typeof import('pagefind'))['createIndex']>>['index']>;

/** An index being filled: a shard (number) or the delta. */
type Target = number | 'delta';

export class ArticleSearch {
  readonly mode: SearchMode;
  private readonly clientDir: string;
  private readonly fps: Map<number, string>;
  private readonly previous: { clientDir: string; search: SearchState } | null;
  /** Shards to write this build, and the articles each must hold. */
  private readonly rebuild = new Map<number, Set<number>>();
  /** Articles the delta holds. */
  private readonly deltaIds: Set<number>;
  private readonly added = new Set<number>();
  private readonly open = new Map<Target, Promise<PagefindIndex>>();
  private readonly written = new Map<number, Record<string, [string, string]>>();
  private readonly shardWrites = new Map<number, Promise<void>>();
  /** Pages each shard to write still waits for. */
  private readonly remaining = new Map<number, number>();
  private pending = new Set<Promise<void>>();
  private failure: unknown = null;
  private service: Promise<typeof import('pagefind')> | null = null;
  /** The previous release's shards this build keeps, being linked since the search was set up. */
  private readonly kept: Promise<SearchState['shards']>;

  /**
   * `fps`: every article's search fingerprint now (site-plan.ts). `previous`: the release this build
   * starts from, with its search state, or null for a full index.
   */
  constructor(clientDir: string, fps: Map<number, string>, previous: { clientDir: string; search: SearchState } | null) {
    this.clientDir = clientDir;
    this.fps = fps;
    this.previous = previous;
    const indexed = new Map<number, string>();
    for (const shard of Object.values(previous?.search.shards ?? {})) for (const [id, [fp]] of Object.entries(shard.base)) indexed.set(Number(id), fp);
    const changed = previous ? [...fps].filter(([id, fp]) => indexed.get(id) !== fp).map(([id]) => id) : [];
    const gone = previous ? [...indexed.keys()].filter((id) => !fps.has(id)) : [];
    const byShard = (ids: Iterable<number>) => {
      for (const id of ids) {
        const k = shardOf(id);
        if (!this.rebuild.has(k)) this.rebuild.set(k, new Set());
      }
    };
    if (!previous) {
      byShard(fps.keys());
      this.deltaIds = new Set();
      this.mode = 'full';
    } else if (changed.length + gone.length <= deltaLimit(fps.size)) {
      this.deltaIds = new Set(changed);
      this.mode = changed.length ? 'delta' : 'unchanged';
    } else {
      byShard([...changed, ...gone]);
      this.deltaIds = new Set();
      this.mode = 'shards';
    }
    for (const id of fps.keys()) this.rebuild.get(shardOf(id))?.add(id);
    for (const [k, ids] of this.rebuild) this.remaining.set(k, ids.size);
    // Which shards are kept is known now, so their files (~10k at 10k articles, ~1 s of links) are
    // linked while the pages render instead of after them; finish() waits for it.
    this.kept = this.linkKept();
    this.kept.catch(() => undefined);
  }

  /** Links the previous release's shards this build does not write; a shard none of whose articles is left is dropped. */
  private async linkKept(): Promise<SearchState['shards']> {
    const shards: SearchState['shards'] = {};
    for (const [k, shard] of Object.entries(this.previous?.search.shards ?? {})) {
      if (this.rebuild.has(Number(k))) continue;
      if (!Object.keys(shard.base).some((id) => this.fps.has(Number(id)))) continue;
      await linkTree(path.join(this.previous!.clientDir, shardDir(Number(k))), path.join(this.clientDir, shardDir(Number(k))));
      shards[k] = shard;
    }
    return shards;
  }

  private targetOf(articleId: number): Target | null {
    if (this.deltaIds.has(articleId)) return 'delta';
    return this.rebuild.get(shardOf(articleId))?.has(articleId) ? shardOf(articleId) : null;
  }

  /** Whether the build should hand this article's rendered page to add(). */
  wants(articleId: number): boolean {
    return !this.added.has(articleId) && this.targetOf(articleId) !== null;
  }

  /**
   * Indexes a rendered article page; resolves when there is room for the next one. A shard is
   * written as soon as its last page is in (pages come in id order in a full build), so pagefind
   * holds about one shard at a time.
   */
  async add(articleId: number, html: string): Promise<void> {
    const target = this.targetOf(articleId);
    if (target === null || this.added.has(articleId)) return;
    if (this.failure) throw this.failure;
    this.added.add(articleId);
    const index = await this.indexFor(target);
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
    const left = typeof target === 'number' ? this.remaining.get(target)! - 1 : -1;
    if (typeof target === 'number') this.remaining.set(target, left);
    if (left === 0) {
      this.writeShard(target as number).catch((err: unknown) => {
        this.failure ??= err;
      });
    }
    while (this.pending.size >= IN_FLIGHT) await Promise.race(this.pending);
  }

  private pagefind(): Promise<typeof import('pagefind')> {
    this.service ??= import('pagefind');
    return this.service;
  }

  private indexFor(target: Target): Promise<PagefindIndex> {
    let p = this.open.get(target);
    if (!p) {
      p = this.pagefind().then(async (pagefind) => {
        const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
        if (!index) throw new FatalError(`pagefind could not start: ${errors.join('; ')}`);
        return index;
      });
      this.open.set(target, p);
    }
    return p;
  }

  /** Adds what the shard still lacks (from the pages' files), writes it and frees it in pagefind (once). */
  private writeShard(k: number): Promise<void> {
    let p = this.shardWrites.get(k);
    if (!p) this.shardWrites.set(k, (p = this.doWriteShard(k)));
    return p;
  }

  private async doWriteShard(k: number): Promise<void> {
    const ids = [...(this.rebuild.get(k) ?? [])].filter((id) => !this.added.has(id)).sort((a, b) => a - b);
    await this.addFromFiles(ids);
    await Promise.all(this.pending);
    if (this.failure) throw this.failure;
    const index = await this.indexFor(k);
    this.open.delete(k);
    const dir = path.join(this.clientDir, shardDir(k));
    const written = await index.writeFiles({ outputPath: dir });
    if (written.errors.length) throw new FatalError(`pagefind: ${written.errors.join('; ')}`);
    await index.deleteIndex();
    const fragments = await fragmentIds(dir);
    const base: Record<string, [string, string]> = {};
    for (const id of this.rebuild.get(k) ?? []) {
      const fragment = fragments.get(id);
      if (fragment) base[id] = [this.fps.get(id)!, fragment];
    }
    this.written.set(k, base);
  }

  private async addFromFiles(ids: number[]): Promise<void> {
    await runLimited(ids, 8, async (id) => {
      const html = await readFile(path.join(this.clientDir, 'articles', String(id), 'index.html'), 'utf8');
      await this.add(id, html);
    });
  }

  /**
   * Writes the shards to write and the delta, links the others from the previous release, and returns
   * the search state for the next build.
   */
  async finish(): Promise<{ report: SearchReport; state: SearchState }> {
    try {
      for (const k of [...this.rebuild.keys()].sort((a, b) => a - b)) await this.writeShard(k);
      const shards: SearchState['shards'] = { ...(await this.kept) };
      for (const [k, base] of this.written) if (Object.keys(base).length) shards[k] = { base };
      // The first shard's folder holds pagefind's scripts: it exists even when it holds no article.
      if (!shards['0'] && !this.written.has(0)) await this.writeEmptyPrimary();
      const delta: Record<string, string> = {};
      for (const id of this.deltaIds) delta[id] = this.fps.get(id)!;
      if (this.deltaIds.size) {
        await this.addFromFiles([...this.deltaIds].filter((id) => !this.added.has(id)).sort((a, b) => a - b));
        await Promise.all(this.pending);
        if (this.failure) throw this.failure;
        const index = await this.indexFor('delta');
        const written = await index.writeFiles({ outputPath: path.join(this.clientDir, DELTA_DIR) });
        if (written.errors.length) throw new FatalError(`pagefind: ${written.errors.join('; ')}`);
      }
      // Results the shards still hold for articles that changed since, or are gone.
      const superseded: string[] = [];
      for (const shard of Object.values(shards))
        for (const [id, [fp, fragment]] of Object.entries(shard.base)) if (this.fps.get(Number(id)) !== fp) superseded.push(fragment);
      const merge = [
        ...Object.keys(shards)
          .map(Number)
          .filter((k) => k !== 0)
          .sort((a, b) => a - b)
          .map((k) => `/${shardDir(k)}/`),
        ...(this.deltaIds.size ? [`/${DELTA_DIR}/`] : []),
      ];
      await writeFileReplacing(path.join(this.clientDir, 'pagefind', SEARCH_FILE), JSON.stringify({ merge, superseded: superseded.sort() }));
      return {
        report: { mode: this.mode, indexed: this.added.size, shardsWritten: this.written.size, delta: this.deltaIds.size },
        state: { shards, delta },
      };
    } finally {
      await this.close();
    }
  }

  /** A site with no article still gets pagefind's scripts (the search page loads them). */
  private async writeEmptyPrimary(): Promise<void> {
    const index = await this.indexFor(0);
    this.open.delete(0);
    const written = await index.writeFiles({ outputPath: path.join(this.clientDir, 'pagefind') });
    if (written.errors.length) throw new FatalError(`pagefind: ${written.errors.join('; ')}`);
  }

  /** Stops the pagefind process (also when the build fails or is interrupted). */
  async close(): Promise<void> {
    // Links still being made would write into a release the failed build is about to remove.
    await this.kept.catch(() => undefined);
    if (!this.service) return;
    this.open.clear();
    const pagefind = await this.service;
    this.service = null;
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
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.pf_fragment'));
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
