/**
 * The build's two whole-table reads (every current fact, every current source: queries.ts FACT_ROWS
 * and SOURCE_ROWS), kept from one build to the next. Read from the database they are ~0.75 s of a
 * rebuild at 10k articles, on the path of both of its threads; parsed from the file a build keeps
 * (the "base", in its release's cache folder) they are ~0.2 s, and the rows changed since are re-read:
 * the database's change log (db/site-changes.ts, filled by triggers) names every fact, company and
 * article written after the base's mark.
 *
 * A base is used only when the log can vouch for it: the log row at the base's number carries the
 * random stamp the base recorded (else the database is another one, or a copy with another history
 * since), and all the log's triggers are there (a migration that rebuilds a table drops its
 * triggers). Otherwise, and when the changes are many, the build reads everything and keeps a new
 * base. The rows it then works with are the ones a full read gives, in the same order:
 * tests/integration/row-base.test.ts writes to every table involved and compares.
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { clientOf, type Db } from '../../../db/client.ts';
import { loggedSince, logMark, type LogMark } from '../../../db/site-changes.ts';
import { compareKey, readBulk, rowMaker, type BulkQuery } from '../../../db/bulk-read.ts';
import { FACT_ROWS, factOrder, SOURCE_ROWS, sourceOrder, type CurrentSource, type StoredFactRow } from './queries.ts';

const VERSION = 2;

/** Past this share of the base's rows re-read, a patched build keeps a new base (the re-reads grow with every build after the old one). */
const REWRITE_SHARE = 0.1;

export interface SharedRowsData {
  allFacts: StoredFactRow[];
  currentSources: CurrentSource[];
}

export interface RowBase extends SharedRowsData, LogMark {}

/** The rows written since a base, re-read: what turns the base into the rows a full read gives now. */
export interface RowPatch extends LogMark {
  /** Facts to take out of the base (changed, gone, or of a changed company; those still current are re-read below). */
  dropFacts: string[];
  facts: StoredFactRow[];
  /** Articles whose source rows are taken out of the base (and re-read below). */
  dropArticles: number[];
  sources: CurrentSource[];
}

/** The base file of a release. */
export function baseFile(releaseDir: string): string {
  return path.join(releaseDir, 'cache', 'rows.ndjson');
}

const names = <T>(q: BulkQuery<T>) => Object.keys(q.columns) as (keyof T & string)[];
const maker = <T>(q: BulkQuery<T>) => rowMaker<T>(names(q), names(q).map((n) => q.columns[n][1]));

/**
 * The file is lines of JSON: a header (version, mark, column names), then the rows as arrays in
 * chunks of CHUNK rows, `["f", [...]]` for facts and `["s", [...]]` for sources. Chunks, so neither
 * writing nor reading ever makes one string of the whole: at 100k articles the rows are ~300 MB of
 * JSON, near V8's longest string, and a second copy of every row as an array besides.
 */
const CHUNK = 10_000;

/** A release's base, or null (none, unreadable, or written for other columns). */
export function loadBase(file: string): RowBase | null {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return null;
  }
  const mf = maker(FACT_ROWS);
  const ms = maker(SOURCE_ROWS);
  const out: RowBase = { seq: 0, stamp: '', allFacts: [], currentSources: [] };
  let counts = [-1, -1];
  let at = 0;
  try {
    for (let line = 0; at < buf.length; line++) {
      let end = buf.indexOf(10, at);
      if (end < 0) end = buf.length;
      const v: unknown = JSON.parse(buf.toString('utf8', at, end));
      at = end + 1;
      if (line === 0) {
        const h = v as { v: number; seq: number; stamp: string; fc: string[]; sc: string[]; nf: number; ns: number };
        if (h.v !== VERSION || h.fc.join() !== names(FACT_ROWS).join() || h.sc.join() !== names(SOURCE_ROWS).join()) return null;
        out.seq = h.seq;
        out.stamp = h.stamp;
        counts = [h.nf, h.ns];
        continue;
      }
      const [kind, rows] = v as ['f' | 's', unknown[][]];
      if (kind === 'f') for (const r of rows) out.allFacts.push(mf(r));
      else for (const r of rows) out.currentSources.push(ms(r));
    }
  } catch {
    return null; // cut short or garbled: read everything instead
  }
  // A file cut at a line's end parses: the header's counts tell it from a whole one.
  return out.stamp && out.allFacts.length === counts[0] && out.currentSources.length === counts[1] ? out : null;
}

/**
 * Keeps `rows` as a base at `mark` (written to a new file renamed into place). False when they cannot
 * be kept exactly: JSON has no Infinity, and a fact's value of one would come back as null.
 */
export function writeBase(file: string, mark: LogMark, rows: SharedRowsData, chunkRows = CHUNK): boolean {
  const fc = names(FACT_ROWS);
  const sc = names(SOURCE_ROWS);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.partial`;
  const fd = openSync(tmp, 'w');
  let ok = true;
  try {
    writeSync(fd, `${JSON.stringify({ v: VERSION, seq: mark.seq, stamp: mark.stamp, fc, sc, nf: rows.allFacts.length, ns: rows.currentSources.length })}\n`);
    const put = <T>(kind: 'f' | 's', list: T[], cols: (keyof T & string)[]) => {
      for (let i = 0; i < list.length && ok; i += chunkRows) {
        const chunk = list.slice(i, i + chunkRows).map((r) => cols.map((n) => r[n]));
        for (const row of chunk) for (const v of row) if (typeof v === 'number' && !Number.isFinite(v)) ok = false;
        writeSync(fd, `${JSON.stringify([kind, chunk])}\n`);
      }
    };
    put('f', rows.allFacts, fc);
    put('s', rows.currentSources, sc);
  } finally {
    closeSync(fd);
  }
  if (!ok) {
    rmSync(tmp, { force: true });
    return false;
  }
  renameSync(tmp, file);
  return true;
}

/**
 * The facts' fingerprints the plan made from a base's rows (site-plan.ts factFingerprints), beside
 * it: true of every fact a patch of that base leaves alone. Written by the main thread, which hashes
 * them, apart from the base, which the outputs thread writes; each names the mark it belongs to.
 */
export function factFpsFile(releaseDir: string): string {
  return path.join(releaseDir, 'cache', 'fact-fps.json');
}

/** The fingerprints kept with the base at `mark`, or null (none, or kept with another base). */
export function loadFactFps(file: string, mark: LogMark): Map<string, { page: string; full: string }> | null {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { v: number; seq: number; stamp: string; fps: [string, string, string][] };
    if (raw.v !== VERSION || raw.seq !== mark.seq || raw.stamp !== mark.stamp) return null;
    return new Map(raw.fps.map(([id, page, full]) => [id, { page, full }]));
  } catch {
    return null;
  }
}

export function writeFactFps(file: string, mark: LogMark, fps: Map<string, { page: string; full: string }>): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const rows: [string, string, string][] = [];
  for (const [id, { page, full }] of fps) rows.push([id, page, full]);
  writeFileSync(`${file}.partial`, JSON.stringify({ v: VERSION, seq: mark.seq, stamp: mark.stamp, fps: rows }));
  renameSync(`${file}.partial`, file);
}

/**
 * The previous release's base (and the fingerprints kept with it), made the new release's too: hard
 * links, copies where links fail; a file the previous release lacks is left out.
 */
export function keepBase(fromRelease: string, toRelease: string): void {
  for (const file of [baseFile, factFpsFile]) {
    const from = file(fromRelease);
    const to = file(toRelease);
    mkdirSync(path.dirname(to), { recursive: true });
    rmSync(to, { force: true });
    try {
      linkSync(from, to);
    } catch {
      try {
        writeFileSync(to, readFileSync(from));
      } catch {
        // not there: the next build goes without it
      }
    }
  }
}

/**
 * What was written since `base`, re-read; null when the base cannot be trusted (see above) or the
 * changes are so many that reading everything is as quick. `rewrite`: keep a new base after this build.
 */
export async function changesSince(db: Db, base: LogMark & { rows: number }): Promise<{ patch: RowPatch; rewrite: boolean } | null> {
  const now = await logMark(db);
  const keys = now && (await loggedSince(db, base, now));
  if (!now || !keys) return null;
  const factIds = keys.facts;
  const articleIds = keys.articles;
  // Past half the base, a full read costs less than the lookups (a few hundred cost next to nothing).
  if (factIds.length + articleIds.length > Math.max(1000, base.rows / 2)) return null;
  // A changed company's facts by their own table: a company deleted where no foreign keys cascade
  // leaves facts the join no longer finds, which must leave the base too.
  if (keys.companies.length) {
    const of = await clientOf(db).execute({ sql: 'select id from facts where company_id in (select value from json_each(?))', args: [JSON.stringify(keys.companies)] });
    for (const r of of.rows) factIds.push(String(r.id));
  }
  const facts = await readBulk<StoredFactRow>(db, {
    ...FACT_ROWS,
    where: `(${FACT_ROWS.where}) and f.id in (select value from json_each(?))`,
    args: [JSON.stringify(factIds)],
  });
  const sources = await readBulk<CurrentSource>(db, { ...SOURCE_ROWS, where: 's.article_id in (select value from json_each(?))', args: [JSON.stringify(articleIds)] });
  const drop = new Set(factIds);
  const patch: RowPatch = { ...now, dropFacts: [...drop], facts, dropArticles: articleIds, sources };
  return { patch, rewrite: facts.length + sources.length > base.rows * REWRITE_SHARE };
}

/** The base with the patch applied: the rows and order a full read gives (the base is not changed). */
export function applyPatch(base: SharedRowsData, patch: RowPatch): SharedRowsData {
  const dropF = new Set(patch.dropFacts);
  const dropA = new Set(patch.dropArticles);
  return {
    allFacts: merge(
      base.allFacts.filter((f) => !dropF.has(f.id)),
      patch.facts,
      factOrder,
    ),
    currentSources: merge(
      base.currentSources.filter((s) => !dropA.has(s.articleId)),
      patch.sources,
      sourceOrder,
    ),
  };
}

/** Sorted `kept` and `added` (sorted here) as one list in the order of `key`, as SQLite orders them. */
function merge<T>(kept: T[], added: T[], key: (row: T) => (string | number | null)[]): T[] {
  const cmp = (a: (string | number | null)[], b: (string | number | null)[]) => {
    for (let i = 0; i < a.length; i++) {
      const c = compareKey(a[i]!, b[i]!);
      if (c) return c;
    }
    return 0;
  };
  const add = added.map((r) => ({ r, k: key(r) })).sort((a, b) => cmp(a.k, b.k));
  const out: T[] = [];
  let j = 0;
  for (const r of kept) {
    if (j < add.length) {
      const k = key(r);
      while (j < add.length && cmp(add[j]!.k, k) < 0) out.push(add[j++]!.r);
    }
    out.push(r);
  }
  while (j < add.length) out.push(add[j++]!.r);
  return out;
}
