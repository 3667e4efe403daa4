/**
 * Build-time data for the timeline: every current fact as a TimelineRecord (its period, the date it
 * is shown with, the display value, the first source, its corroboration), read once per build, plus
 * the writer of the sharded search index (src/lib/site/search-shards.ts) into the built site.
 *
 * The facts are exactly those a company's fact sheet counts (allFacts / factsByCompany in queries.ts,
 * the one definition: current, not retracted), so the timeline filtered by a company shows the number
 * its fact sheet and /companies/ show.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../../db/client.ts';
import { shared } from './build-scope.ts';
import { allFacts, currentSources, type CurrentSource, type FactRow } from './queries.ts';
import { formatValue } from './format.ts';
import { buildIndex, byDateDesc, INDEX_VERSION, recordJson, timelineDate, type ReusedShard, type Shard, type ShardGroup, type TimelineRecord } from './search-shards.ts';

/** What the fact says, in a line: "Series C: USD 120 million", "IPO paused", "payments processed: USD 4.3 billion". */
export function displayValue(f: Pick<FactRow, 'kind' | 'value' | 'valueHigh' | 'unit' | 'label' | 'status'>): string | null {
  if (f.kind === 'quote') return null;
  const value = f.value === null ? null : formatValue(f.value, f.unit, f.valueHigh);
  const head = [f.label, f.status].filter(Boolean).join(', ');
  if (head && value) return `${head}: ${value}`;
  return head || value || '—';
}

/** Every current fact, newest first, with its first source: the earliest-published independent
 * article (a copy only when no original states it) whose current text holds the evidence. The
 * sentence shown, the link, the title and the outlet all come from that one source — never one
 * article's sentence beside another's title. A fact whose articles have all been revised since it was
 * read is still listed (the fact sheet counts it), with its own statement and no evidence link. */
export function timelineRecords(db: Db): Promise<TimelineRecord[]> {
  return shared('timelineRecords', db, () => load(db));
}

async function load(db: Db): Promise<TimelineRecord[]> {
  const facts = await allFacts(db);
  // One pass over all sources of current revisions (originals first, then by publication); the
  // first row per fact wins.
  const sources = await currentSources(db);
  const first = new Map<string, CurrentSource>();
  // The articles seen per fact: a list, not a Set (a fact has one to a few sources; 50k Sets were
  // most of this pass's allocation).
  const others = new Map<string, { n: number; x: number; articles: number[] }>();
  for (const s of sources) {
    const f = first.get(s.factId);
    if (!f) {
      first.set(s.factId, s);
      others.set(s.factId, { n: 0, x: 0, articles: [s.articleId] });
      continue;
    }
    const o = others.get(s.factId)!;
    if (o.articles.includes(s.articleId)) continue;
    o.articles.push(s.articleId);
    o.n++;
    if (s.copyOfId === null) o.x++;
  }
  const out: TimelineRecord[] = [];
  for (const f of facts) {
    const s = first.get(f.id);
    const published = s?.publishedAt?.slice(0, 10) ?? null;
    const o = others.get(f.id);
    out.push({
      i: f.id,
      c: f.company,
      k: f.kind,
      o: f.asOf,
      d: timelineDate(f.asOf, published, f.createdAt.slice(0, 10)),
      v: displayValue(f),
      t: s?.evidence ?? f.statement,
      q: f.quote,
      p: f.speaker,
      a: s?.articleId ?? null,
      h: s?.title ?? null,
      u: s?.outlet ?? null,
      w: published,
      ...(o?.n ? { n: o.n, x: o.x } : {}),
      ...(s && s.copyOfId !== null ? { y: 1 as const } : {}),
      ...(f.corroboration === 'corroborated' ? { b: 'c' as const } : f.corroboration === 'disputed' ? { b: 'd' as const } : {}),
    });
  }
  return out.sort(byDateDesc);
}

/** slug → company name, for the companies that have timeline entries. */
export function timelineCompanies(db: Db): Promise<Map<string, string>> {
  return shared('timelineCompanies', db, async () => {
    const names = new Map<string, string>();
    for (const f of await allFacts(db)) names.set(f.company, f.companyName);
    return names;
  });
}

export interface TimelineIndexReport {
  shards: number;
  /** Shards built this time; the others were the previous build's files, linked. */
  built: number;
  routerFiles: number;
  /** all files together, raw */
  bytes: number;
  manifestBytes: number;
  largestShardBytes: number;
  ms: number;
  /** Shard file → fingerprint of what it was built from, for the next build. */
  fingerprints: Record<string, string>;
}

/** The previous build's timeline index, for reuse: its folder and its shards' fingerprints. */
export interface PreviousTimelineIndex {
  dir: string;
  fingerprints: Record<string, string>;
  /**
   * The terms file that build wrote (options.termsFile): a kept shard's terms and size are read from
   * it instead of parsing the shard again. A shard it does not list is read from its file.
   */
  termsFile?: string;
  /** Makes `to` the same file as `from` (a hard link: src/cli/site-build/files.ts). */
  link(from: string, to: string): void;
}

/** What a shard is built from: its records, its company's name and the index format. */
function shardFingerprint(records: TimelineRecord[], name: string | undefined): string {
  const h = createHash('sha256').update(`${INDEX_VERSION}\u0000${name ?? ''}\u0000`);
  for (const r of records) h.update(recordJson(r)).update('\n');
  return h.digest('base64url').slice(0, 22);
}

/**
 * Writes <clientDir>/timeline/index/: manifest.json, one file per shard, terms/<prefix>.json. Each
 * shard is written as soon as it is built, so at 50k facts memory holds the records and the router,
 * not every index at once. With the previous build's index, a shard whose records are unchanged is
 * that build's file (linked, its terms read back for the router) instead of being built again.
 */
/**
 * Where each shard's terms (for the router) go, for the next build's reuse: one file outside the
 * client folder (not deployed), so a build that keeps 4k shards reads one JSON of their terms rather
 * than parsing 24 MB of shards again.
 */
export interface TimelineIndexOptions {
  termsFile?: string;
}

type ShardTerms = Record<string, [bytes: number, terms: string[]]>;

function readTerms(file: string | undefined): ShardTerms {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ShardTerms;
  } catch {
    return {}; // none (a build before the terms file) or unreadable: the shards are read instead
  }
}

export async function writeTimelineIndex(db: Db, clientDir: string, previous?: PreviousTimelineIndex, opts: TimelineIndexOptions = {}): Promise<TimelineIndexReport> {
  const t0 = performance.now();
  const records = await timelineRecords(db);
  const names = await timelineCompanies(db);
  const kinds = [...new Set(records.map((r) => r.k))].sort();
  const dir = path.join(clientDir, 'timeline', 'index');
  await mkdir(path.join(dir, 'terms'), { recursive: true });
  let bytes = 0;
  let largestShardBytes = 0;
  let built = 0;
  const fingerprints: Record<string, string> = {};
  const prevTerms = previous ? readTerms(previous.termsFile) : {};
  const shardTerms: ShardTerms = {};
  const put = async (file: string, json: string) => {
    const n = Buffer.byteLength(json);
    bytes += n;
    await writeFile(path.join(dir, file), json);
    return n;
  };
  const reuse = (g: ShardGroup, file: string): ReusedShard | null => {
    const fp = shardFingerprint(g.records, names.get(g.slug));
    fingerprints[file] = fp;
    if (!previous || previous.fingerprints[file] !== fp) return null;
    const from = path.join(previous.dir, file);
    let kept = prevTerms[file];
    if (kept) {
      try {
        previous.link(from, path.join(dir, file));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null; // not there after all: build it
        throw err;
      }
    } else {
      let json: string;
      try {
        json = readFileSync(from, 'utf8');
      } catch {
        return null; // not there after all: build it
      }
      previous.link(from, path.join(dir, file));
      kept = [Buffer.byteLength(json), (JSON.parse(json) as Shard).index.t];
    }
    const [n, terms] = kept;
    shardTerms[file] = kept;
    bytes += n;
    largestShardBytes = Math.max(largestShardBytes, n);
    return { terms, bytes: n };
  };
  // Written synchronously as each shard is built: the JSON of all shards never sits in memory together.
  const { manifest, router } = buildIndex(
    records,
    names,
    kinds,
    (file, json, terms) => {
      const n = Buffer.byteLength(json);
      writeFileSync(path.join(dir, file), json);
      shardTerms[file] = [n, terms];
      bytes += n;
      built++;
      largestShardBytes = Math.max(largestShardBytes, n);
    },
    reuse,
  );
  for (const [prefix, file] of router) await put(path.join('terms', `${prefix}.json`), JSON.stringify(file));
  const manifestBytes = await put('manifest.json', JSON.stringify(manifest));
  if (opts.termsFile) {
    await mkdir(path.dirname(opts.termsFile), { recursive: true });
    // A new file renamed into place: the previous release's terms file is not written into.
    await writeFile(`${opts.termsFile}.partial`, JSON.stringify(shardTerms));
    await rename(`${opts.termsFile}.partial`, opts.termsFile);
  }
  return { shards: manifest.shards.length, built, routerFiles: router.size, bytes, manifestBytes, largestShardBytes, ms: Math.round(performance.now() - t0), fingerprints };
}
