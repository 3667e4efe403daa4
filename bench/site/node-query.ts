/**
 * The timeline's query work without the network: the built index files are read from dist into
 * strings first, then each query runs the island's steps (src/scripts/timeline.ts) through the pure
 * helpers of src/lib/site/search-shards.ts — parse the manifest, plan the query, fetch (here: parse)
 * the router files of its terms, pick candidate shards, parse and search them (two, then four at a
 * time) until the first result, and on until a page of 50.
 * Also timed: searchShard on one freshly parsed shard (lunr Index.load + search), per candidate shard.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { median } from '../lib/report.ts';

export interface NodeQueryCase {
  name: string;
  q: string;
  company?: string;
}

export interface NodeQueryMeasure {
  name: string;
  /** Median ms until the first result (manifest + router + shards parsed and searched). */
  firstMs: number | null;
  /** Median ms until a page of 50 results (or all there are). */
  pageMs: number | null;
  /** Median ms of searchShard on one freshly parsed candidate shard. */
  shardMs: number | null;
  shardsSearched: number;
  candidates: number;
  results: number;
}

const PAGE = 50;
const PARALLEL = 4;

export async function nodeQueries(clientDir: string, cases: NodeQueryCase[], reps = 7): Promise<{ rows: NodeQueryMeasure[]; shardMs: number | null } | null> {
  const dir = path.join(clientDir, 'timeline', 'index');
  if (!existsSync(path.join(dir, 'manifest.json'))) return null;
  const S = await import('../../src/lib/site/search-shards.ts');
  const text = new Map<string, string>();
  const read = (file: string) => {
    let t = text.get(file);
    if (t === undefined) text.set(file, (t = readFileSync(path.join(dir, file), 'utf8')));
    return t;
  };
  const manifestText = read('manifest.json');
  const rows: NodeQueryMeasure[] = [];
  const allShardMs: number[] = [];
  for (const c of cases) {
    const firsts: number[] = [];
    const pages: number[] = [];
    let searched = 0;
    let candidates = 0;
    let results = 0;
    let shardList: number[] = [];
    let manifest!: import('../../src/lib/site/search-shards.ts').Manifest;
    for (let rep = 0; rep < reps + 1; rep++) {
      // Warm the file cache on the first pass, so reading files is never timed.
      const t0 = performance.now();
      manifest = JSON.parse(manifestText);
      const filters = c.company ? { company: c.company } : {};
      const plan = S.planQuery(c.q);
      const prefixes = S.routerPrefixes(plan).filter((p) => manifest.prefixes.includes(p));
      const files = new Map(prefixes.map((p) => [p, JSON.parse(read(`terms/${p}.json`)) as Record<string, number[]>]));
      const routed = S.routeQuery(plan, files);
      shardList = S.candidateShards(manifest, filters, routed);
      let found = 0;
      let first: number | null = null;
      let next = 0;
      while (found < PAGE && next < shardList.length) {
        // As the island does: a first batch of two shards, then four at a time.
        const batch = shardList.slice(next, next + (next === 0 ? 2 : PARALLEL));
        next += batch.length;
        for (const n of batch) {
          const [ci, year] = manifest.shards[n]!;
          const shard = JSON.parse(read(S.shardFile(manifest.companies[ci]![0], year)));
          found += S.searchShard(shard, plan, filters).records.length;
        }
        if (found > 0 && first === null) first = performance.now() - t0;
      }
      const total = performance.now() - t0;
      if (rep > 0) {
        if (first !== null) firsts.push(first);
        pages.push(total);
      }
      searched = next;
      candidates = shardList.length;
      results = found;
    }
    // One shard at a time: parse outside the clock, Index.load + search inside.
    const shardMs: number[] = [];
    for (const n of shardList.slice(0, 8)) {
      const [ci, year] = manifest.shards[n]!;
      const raw = read(S.shardFile(manifest.companies[ci]![0], year));
      for (let rep = 0; rep < reps; rep++) {
        const shard = JSON.parse(raw);
        const t = performance.now();
        S.searchShard(shard, c.q, c.company ? { company: c.company } : {});
        shardMs.push(performance.now() - t);
      }
    }
    allShardMs.push(...shardMs);
    rows.push({
      name: c.name,
      firstMs: firsts.length ? median(firsts) : null,
      pageMs: pages.length ? median(pages) : null,
      shardMs: shardMs.length ? median(shardMs) : null,
      shardsSearched: searched,
      candidates,
      results,
    });
  }
  return { rows, shardMs: allShardMs.length ? median(allShardMs) : null };
}
