/**
 * The downloadable exports, written beside the built pages after the Astro build. They stream from
 * the database to disk (a 50k-fact facts.json would otherwise sit in memory as one string inside an
 * Astro endpoint): facts.json / .ndjson / .csv in the contract's shape, one JSON file per company, and
 * the contract itself so a researcher finds the field definitions next to the data — as prose
 * (contract.md) and as JSON Schema (facts.schema.json) — plus the API's description at /openapi.json.
 */
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, openSync, readFileSync, writeSync } from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { articles, companies } from '../../../db/schema.ts';
import { csvHeader, csvRows, FACTS_SCHEMA_VERSION, toExportFact, type ExportFact } from '../../export/facts.ts';
import { factsByCompany, sourcesByFactId } from './queries.ts';
import { writer } from '../../export/stream.ts';

/** The contract's schema version, for the pages that name it (they read src/lib/site only). */
export { FACTS_SCHEMA_VERSION };

/**
 * The contracts ship in the repository's content/ (../shared is not there for users; the JSON ones
 * are written there by `npm run schemas`). Resolved on use, and not as `new URL(literal,
 * import.meta.url)`, which Vite would turn into an asset when a page imports companyExportPath from here.
 */
function contentFile(name: string): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../content', name);
}

/** Where each shipped contract comes from (content/) and goes (under the client folder). */
export const CONTRACT_FILES = [
  { from: 'facts-contract.md', to: 'exports/contract.md' },
  { from: 'facts.schema.json', to: 'exports/facts.schema.json' },
  { from: 'openapi.json', to: 'openapi.json' },
] as const;

/** Writes to a temporary name and renames, so a failure never leaves a half-written export behind. */
async function writeAtomically<T>(file: string, fill: (out: NodeJS.WritableStream) => Promise<T>): Promise<T> {
  const tmp = `${file}.partial`;
  const out = createWriteStream(tmp);
  let result: T;
  try {
    result = await fill(out);
    out.end();
    await finished(out);
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
  await rename(tmp, file);
  return result;
}

/** What the other consumers of a pass see when one of them failed: the first error is the real one. */
export class PassAborted extends Error {
  override name = 'PassAborted';
}

/**
 * One pass over an async source shared by n consumers in lockstep: the next item is read only when
 * every consumer has asked for it, so memory holds one item however long the source. A consumer that
 * stops early (its writer failed) fails the others too, rather than letting them finish a file that
 * would look complete.
 */
export function lockstep<T>(source: AsyncIterable<T>, n: number): { feeds: AsyncIterable<T>[]; abort(): Promise<void> } {
  const it = source[Symbol.asyncIterator]();
  let waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }[] = [];
  let failed: Error | null = null;
  const next = () =>
    new Promise<IteratorResult<T>>((resolve, reject) => {
      if (failed) return reject(failed);
      waiting.push({ resolve, reject });
      if (waiting.length < n) return;
      const round = waiting;
      waiting = [];
      it.next().then(
        (r) => round.forEach((w) => w.resolve(r)),
        (e: unknown) => round.forEach((w) => w.reject(e)),
      );
    });
  const stop = async (): Promise<IteratorResult<T>> => {
    if (!failed) {
      failed = new PassAborted('another export from the same pass failed');
      for (const w of waiting) w.reject(failed);
      waiting = [];
      await it.return?.();
    }
    return { done: true, value: undefined };
  };
  return {
    feeds: Array.from({ length: n }, () => ({ [Symbol.asyncIterator]: () => ({ next, return: stop }) })),
    // For a consumer that fails before or outside its loop: the others would wait for it for ever.
    abort: async () => void (await stop()),
  };
}

/**
 * What a slug must look like to become a route or a file name. Every slug slugify() makes
 * (src/extract/identity.ts) does; a database written before it transliterated can still hold '' for a
 * non-Latin name. (Kept here, not beside slugify, so the site's bundle does not pull in the
 * transliteration tables.)
 */
export function isRouteSlug(slug: string): boolean {
  return /^[a-z0-9][a-z0-9-]*$/.test(slug);
}

/**
 * Where a company's export lives under the client folder (also its URL path without the leading
 * slash), or null: slugs come from article text, and only a plain one becomes a file name.
 */
export function companyExportPath(slug: string, format: 'json' | 'csv' = 'json'): string | null {
  return isRouteSlug(slug) ? `exports/companies/${slug}.${format}` : null;
}

export interface StaticExportsOptions {
  /**
   * Where each company's facts are kept as NDJSON and CSV segments for the next build (outside the
   * client folder: not deployed). Default: a temporary folder, removed afterwards.
   */
  cacheDir?: string;
  /** Company slug → fingerprint of its facts and their sources (site-plan.ts companyFingerprints). */
  fingerprints?: Map<string, string>;
  /** The previous build's exports: a company whose fingerprint is unchanged is linked from there. */
  previous?: PreviousExports;
}

export interface PreviousExports {
  clientDir: string;
  cacheDir: string;
  /** Company slug → [fingerprint, facts exported]. */
  companies: Record<string, [string, number]>;
  /**
   * Makes `to` the same file as `from` (a hard link: src/cli/site-build/files.ts). The build passes
   * the synchronous one: ~2,500 links at 10k companies' worth of files, where a round trip through
   * the thread pool per link cost more than the link (0.3–0.4 s against ~0.1 s).
   */
  link(from: string, to: string): void | Promise<void>;
}

export interface StaticExportsReport {
  facts: number;
  companies: number;
  /** Companies whose facts were read and written this time; the others were linked. */
  exported: number;
  files: string[];
  /** Company slug → [fingerprint, facts exported], for the next build. */
  state: Record<string, [string, number]>;
}

/** A segment's name in the cache: slugs come from article text, so they are hashed, not used as names. */
function segmentName(slug: string): string {
  return createHash('sha256').update(slug).digest('hex').slice(0, 24);
}

/**
 * Writes the exports. Each company's facts are read once into two segments (NDJSON lines and CSV
 * records) from which its own JSON and CSV files are made; facts.json, facts.ndjson and facts.csv
 * are those segments joined in the order of the company slugs (then fact ids). A build that knows
 * which companies changed (options.fingerprints, options.previous) reads and writes only theirs and
 * joins the rest from the previous build's segments: unchanged companies' files keep their bytes
 * (and their generatedAt), so a CDN's cached copies and ETags stay valid.
 */
export async function writeStaticExports(db: Db, clientDir: string, now: Date = new Date(), opts: StaticExportsOptions = {}): Promise<StaticExportsReport> {
  const dir = path.join(clientDir, 'exports');
  await mkdir(path.join(dir, 'companies'), { recursive: true });
  const ownCache = opts.cacheDir ? null : await mkdtemp(path.join(tmpdir(), 'factdesk-exports-'));
  const cacheDir = opts.cacheDir ?? ownCache!;
  await mkdir(cacheDir, { recursive: true });
  const files: string[] = [];
  const state: Record<string, [string, number]> = {};
  const prev = opts.previous;
  try {
    const cos = await db.select({ slug: companies.slug, name: companies.name, ticker: companies.ticker }).from(companies).orderBy(asc(companies.slug));
    let written = 0;
    let exported = 0;
    let total = 0;
    const segments: string[] = [];
    for (const c of cos) {
      const fp = opts.fingerprints?.get(c.slug) ?? fingerprintOf('no facts', c);
      const seg = segmentName(c.slug);
      const segFiles = segmentFiles(cacheDir, seg);
      const rel = companyExportPath(c.slug);
      const relCsv = companyExportPath(c.slug, 'csv');
      const kept = prev?.companies[c.slug];
      let count: number;
      if (opts.fingerprints && prev && kept && kept[0] === fp && (await reuseCompany(prev, seg, segFiles, rel && relCsv ? [rel, relCsv] : [], clientDir))) {
        count = kept[1];
      } else {
        const lines = await exportCompany(db, c.slug, segFiles);
        count = lines.count;
        exported++;
        if (rel && relCsv) {
          // The "download this company" pair: the JSON under a company envelope, the CSV exactly as
          // facts.csv prints this company's rows (the segment itself, which starts with the header).
          const head = `{"schemaVersion":${FACTS_SCHEMA_VERSION},"generatedAt":${JSON.stringify(now.toISOString())},"company":${JSON.stringify(c)},"facts":[`;
          await replaceFile(path.join(clientDir, rel), `${head}${lines.items ? `\n${lines.items}\n` : ''}]}\n`);
          await replaceWithLink(segFiles.csv, path.join(clientDir, relCsv));
        }
      }
      state[c.slug] = [fp, count];
      total += count;
      if (count > 0) segments.push(seg);
      if (rel && relCsv) {
        written++;
        files.push(path.join(clientDir, rel), path.join(clientDir, relCsv));
      }
    }
    // The whole-site files, joined from the segments as bytes (no decoding, no string of a whole
    // file): each is written whole or not at all.
    const json = path.join(dir, 'facts.json');
    await joinSegments(json, {
      head: `{"schemaVersion":${FACTS_SCHEMA_VERSION},"generatedAt":${JSON.stringify(now.toISOString())},"facts":[`,
      parts: segments.map((seg, i) => ({ before: `${i ? ',' : ''}\n`, file: path.join(cacheDir, `${seg}.items`) })),
      tail: `${segments.length ? '\n' : ''}]}\n`,
    });
    const ndjson = path.join(dir, 'facts.ndjson');
    await joinSegments(ndjson, { parts: segments.map((seg) => ({ file: path.join(cacheDir, `${seg}.ndjson`) })) });
    const csv = path.join(dir, 'facts.csv');
    // Each company's CSV segment starts with the header, which the whole file has once.
    await joinSegments(csv, { head: csvHeader(), parts: segments.map((seg) => ({ file: path.join(cacheDir, `${seg}.csv`), skip: Buffer.byteLength(csvHeader()) })) });
    files.unshift(json, ndjson, csv);
    for (const c of CONTRACT_FILES) {
      const file = path.join(clientDir, c.to);
      // Read and write rather than copy: a copy would carry the source's file mode along. A new
      // file renamed into place: a previous release may share the old one (a hard link).
      await writeAtomically(file, async (out) => void (await writer(out)(await readFile(contentFile(c.from), 'utf8'))));
      files.push(file);
    }
    return { facts: total, companies: written, exported, files, state };
  } finally {
    if (ownCache) await rm(ownCache, { recursive: true, force: true });
  }
}

function fingerprintOf(...parts: unknown[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(JSON.stringify(p)).update('\u0000');
  return h.digest('base64url').slice(0, 22);
}

/**
 * A company's facts in the contract's shape (src/export/facts.ts toExportFact, as the CLI export makes
 * them: by id, each fact's sources by publication, then article and position), from the rows the build
 * has already read (queries.ts allFacts, sourcesByFactId) instead of querying the company again.
 */
async function companyFacts(db: Db, slug: string): Promise<ExportFact[]> {
  const [byCompany, byFact] = await Promise.all([factsByCompany(db), sourcesByFactId(db)]);
  const rows = [...(byCompany.get(slug) ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const originals = await originalUrls(db, rows.flatMap((f) => (byFact.get(f.id) ?? []).map((s) => s.copyOfId)));
  const out: ExportFact[] = [];
  for (const f of rows) {
    const sources = (byFact.get(f.id) ?? [])
      .map((s) => ({ ...s, copyOfUrl: s.copyOfId === null ? null : (originals.get(s.copyOfId) ?? null) }))
      .sort((a, b) => byPublication(a.publishedAt, b.publishedAt) || a.articleId - b.articleId || a.start - b.start);
    const fact = toExportFact(f, f.company, f.companyName, sources);
    if (fact) out.push(fact);
  }
  return out;
}

/**
 * The url of each original article a company's copies reprint: read for those few ids (the whole
 * article index, built for the article pages, is ~0.15 s of a rebuild that exports five companies).
 */
async function originalUrls(db: Db, ids: (number | null)[]): Promise<Map<number, string | null>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: articles.id, url: articles.url })
    .from(articles)
    .where(inArray(articles.id, sql`(select value from json_each(${JSON.stringify(wanted)}))`));
  return new Map(rows.map((r) => [r.id, r.url]));
}

/** SQLite's ascending order of a nullable text: nulls first, then by code point. */
function byPublication(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/**
 * A company's facts into its NDJSON segment and its CSV (header and rows), each written whole (a
 * company's facts fit in memory; thousands of small streams would not be faster).
 */
async function exportCompany(db: Db, slug: string, files: SegmentFiles): Promise<{ count: number; items: string }> {
  const facts = await companyFacts(db, slug);
  const lines = facts.map((f) => JSON.stringify(f));
  const items = lines.join(',\n');
  const rows = [csvHeader(), ...facts.flatMap(csvRows)];
  await replaceFile(files.ndjson, lines.map((l) => `${l}\n`).join(''));
  await replaceFile(files.items, items);
  await replaceFile(files.csv, rows.join(''));
  return { count: facts.length, items };
}

/**
 * A company's segments in the cache: its facts as NDJSON lines, as JSON array items (the same
 * lines joined by ",\n", what facts.json and its own file hold), and as CSV with the header.
 */
interface SegmentFiles {
  ndjson: string;
  items: string;
  csv: string;
}

function segmentFiles(cacheDir: string, seg: string): SegmentFiles {
  return { ndjson: path.join(cacheDir, `${seg}.ndjson`), items: path.join(cacheDir, `${seg}.items`), csv: path.join(cacheDir, `${seg}.csv`) };
}

/**
 * Writes `head`, then each part's file (less its first `skip` bytes) after its `before`, then `tail`,
 * as bytes, to a temporary name renamed into place. Synchronous reads and writes: the parts are a
 * thousand or more small files, and a round trip through the thread pool for each open, read, write
 * and close cost several times the copying (0.75 s against 0.15–0.2 s for 117 MB from 1,500 files).
 */
async function joinSegments(file: string, spec: { head?: string; parts: { before?: string; file: string; skip?: number }[]; tail?: string }): Promise<void> {
  const tmp = `${file}.partial`;
  const out = openSync(tmp, 'w');
  try {
    if (spec.head) writeAll(out, Buffer.from(spec.head));
    for (const part of spec.parts) {
      const bytes = readFileSync(part.file);
      if (part.before) writeAll(out, Buffer.from(part.before));
      writeAll(out, part.skip ? bytes.subarray(part.skip) : bytes);
    }
    if (spec.tail) writeAll(out, Buffer.from(spec.tail));
  } catch (err) {
    closeSync(out);
    await rm(tmp, { force: true });
    throw err;
  }
  closeSync(out);
  await rename(tmp, file);
}

/** All of `bytes` at the file's position: a write may take fewer bytes than it was given. */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
}

/** A new file at `file`, renamed into place (a previous release may share the old one). */
async function replaceFile(file: string, data: string): Promise<void> {
  const tmp = `${file}.partial`;
  try {
    await writeFile(tmp, data);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await rename(tmp, file);
}

/** `to` becomes the same file as `from`, replacing what was there. */
async function replaceWithLink(from: string, to: string): Promise<void> {
  await rm(to, { force: true });
  await link(from, to).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EXDEV' || err.code === 'EPERM' || err.code === 'ENOTSUP') return copyFile(from, to);
    throw err;
  });
}

/** Links a company's segments and files from the previous build; false when one of them is missing. */
async function reuseCompany(prev: PreviousExports, seg: string, to: SegmentFiles, rels: string[], clientDir: string): Promise<boolean> {
  const from = segmentFiles(prev.cacheDir, seg);
  try {
    await prev.link(from.ndjson, to.ndjson);
    await prev.link(from.items, to.items);
    await prev.link(from.csv, to.csv);
    for (const rel of rels) await prev.link(path.join(prev.clientDir, rel), path.join(clientDir, rel));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
