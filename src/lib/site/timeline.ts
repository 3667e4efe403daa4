/**
 * Build-time data for the timeline: every current fact as a TimelineRecord (its period, a sortable
 * date, the display value, the first source), read once per build, plus the writer of the sharded
 * search index (src/lib/site/search-shards.ts) into the built site.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { articles, factSources } from '../../../db/schema.ts';
import { allFacts } from './queries.ts';
import { formatValue } from './format.ts';
import { buildIndex, type TimelineRecord } from './search-shards.ts';

/** The last day of a period ("2024" → 2024-12-31, "2025-Q1" → 2025-03-31), or null if it is none. */
export function periodEnd(asOf: string | null): string | null {
  if (!asOf) return null;
  let m = /^(\d{4})$/.exec(asOf);
  if (m) return `${m[1]}-12-31`;
  m = /^(\d{4})-H([12])$/.exec(asOf);
  if (m) return `${m[1]}-${m[2] === '1' ? '06-30' : '12-31'}`;
  m = /^(\d{4})-Q([1-4])$/.exec(asOf);
  if (m) return `${m[1]}-${['03-31', '06-30', '09-30', '12-31'][Number(m[2]) - 1]}`;
  m = /^(\d{4})-(\d{2})$/.exec(asOf);
  if (m) {
    const days = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
    return `${m[1]}-${m[2]}-${String(days).padStart(2, '0')}`;
  }
  m = /^(\d{4}-\d{2}-\d{2})/.exec(asOf);
  return m ? m[1]! : null;
}

const memo = new WeakMap<Db, Promise<TimelineRecord[]>>();

/** Every current fact, newest first, with its first source (the earliest-published article). */
export function timelineRecords(db: Db): Promise<TimelineRecord[]> {
  let p = memo.get(db);
  if (!p) memo.set(db, (p = load(db)));
  return p;
}

async function load(db: Db): Promise<TimelineRecord[]> {
  const facts = await allFacts(db);
  const sources = await db
    .select({ factId: factSources.factId, articleId: articles.id, title: articles.title, outlet: articles.outlet, publishedAt: articles.publishedAt })
    .from(factSources)
    .innerJoin(articles, eq(articles.id, factSources.articleId))
    .where(eq(factSources.revision, articles.revision))
    .orderBy(asc(articles.publishedAt), asc(articles.id));
  const first = new Map<string, (typeof sources)[number]>();
  for (const s of sources) if (!first.has(s.factId)) first.set(s.factId, s);
  const out: TimelineRecord[] = [];
  for (const f of facts) {
    const s = first.get(f.id);
    if (!s) continue; // a fact without a current source is not shown anywhere
    const d = periodEnd(f.asOf) ?? s.publishedAt?.slice(0, 10) ?? f.createdAt.slice(0, 10);
    out.push({
      i: f.id,
      c: f.company,
      k: f.kind,
      o: f.asOf,
      d,
      v: f.kind === 'quote' ? null : f.kind === 'ipo' && f.value === null ? f.status : formatValue(f.value, f.unit, f.valueHigh),
      t: f.statement,
      q: f.quote,
      p: f.speaker,
      a: s.articleId,
      h: s.title,
      u: s.outlet,
      w: s.publishedAt?.slice(0, 10) ?? null,
    });
  }
  return out.sort((a, b) => b.d.localeCompare(a.d) || a.i.localeCompare(b.i));
}

export interface TimelineIndexReport {
  shards: number;
  routerFiles: number;
  bytes: number;
  manifestBytes: number;
}

/** Writes <clientDir>/timeline/index/: manifest.json, one file per shard, terms/<prefix>.json. */
export async function writeTimelineIndex(db: Db, clientDir: string): Promise<TimelineIndexReport> {
  const records = await timelineRecords(db);
  const names = new Map((await allFacts(db)).map((f) => [f.company, f.companyName]));
  const kinds = [...new Set(records.map((r) => r.k))].sort();
  const { manifest, shards, router } = buildIndex(records, names, kinds);
  const dir = path.join(clientDir, 'timeline', 'index');
  await mkdir(path.join(dir, 'terms'), { recursive: true });
  let bytes = 0;
  const put = async (file: string, data: unknown) => {
    const json = JSON.stringify(data);
    bytes += Buffer.byteLength(json);
    await writeFile(file, json);
    return Buffer.byteLength(json);
  };
  const manifestBytes = await put(path.join(dir, 'manifest.json'), manifest);
  for (const [file, shard] of shards) await put(path.join(dir, file), shard);
  for (const [prefix, file] of router) await put(path.join(dir, 'terms', `${prefix}.json`), file);
  return { shards: shards.size, routerFiles: router.size, bytes, manifestBytes };
}

