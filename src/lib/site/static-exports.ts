/**
 * The downloadable exports, written beside the built pages after the Astro build. They stream from
 * the database to disk (a 50k-fact facts.json would otherwise sit in memory as one string inside an
 * Astro endpoint): facts.json / .ndjson / .csv in the contract's shape, one JSON file per company, and
 * the contract itself so a researcher finds the field definitions next to the data — as prose
 * (contract.md) and as JSON Schema (facts.schema.json) — plus the API's description at /openapi.json.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { companies } from '../../../db/schema.ts';
import { exportFacts, FACTS_SCHEMA_VERSION, writeFacts } from '../../export/facts.ts';
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

export interface StaticExportsReport {
  facts: number;
  companies: number;
  files: string[];
}

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

export async function writeStaticExports(db: Db, clientDir: string, now: Date = new Date()): Promise<StaticExportsReport> {
  const dir = path.join(clientDir, 'exports');
  await mkdir(path.join(dir, 'companies'), { recursive: true });
  const files: string[] = [];
  // One read of the facts feeds all three files: a pass costs ~2 s at 50k facts.
  const formats = ['json', 'ndjson', 'csv'] as const;
  const pass = lockstep(exportFacts(db), formats.length);
  const settled = await Promise.allSettled(
    formats.map((format, i) => {
      const file = path.join(dir, `facts.${format}`);
      files.push(file);
      return writeAtomically(file, (out) => writeFacts(out, pass.feeds[i]!, format, now)).catch(async (err: unknown) => {
        await pass.abort();
        throw err;
      });
    }),
  );
  // Settled, not Promise.all: every writer has removed its partial file before the error surfaces.
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length) throw failures.find((e) => !(e instanceof PassAborted)) ?? failures[0];
  const facts = (settled[0] as PromiseFulfilledResult<number>).value;
  const cos = await db.select({ slug: companies.slug, name: companies.name, ticker: companies.ticker }).from(companies).orderBy(asc(companies.slug));
  let written = 0;
  for (const c of cos) {
    const rel = companyExportPath(c.slug);
    const relCsv = companyExportPath(c.slug, 'csv');
    if (!rel || !relCsv) continue;
    const [file, csv] = [path.join(clientDir, rel), path.join(clientDir, relCsv)];
    // The "download this company" pair: the JSON under a company envelope, the CSV exactly as
    // facts.csv would print this company's rows, both from one read of its facts.
    const one = lockstep(exportFacts(db, { company: c.slug }), 2);
    const both = await Promise.allSettled([
      writeAtomically(file, async (out) => {
        const write = writer(out);
        let n = 0;
        await write(`{"schemaVersion":${FACTS_SCHEMA_VERSION},"generatedAt":${JSON.stringify(now.toISOString())},"company":${JSON.stringify(c)},"facts":[`);
        for await (const f of one.feeds[0]!) await write(`${n++ ? ',' : ''}\n${JSON.stringify(f)}`);
        await write(`${n ? '\n' : ''}]}\n`);
      }).catch(async (err: unknown) => {
        await one.abort();
        throw err;
      }),
      writeAtomically(csv, (out) => writeFacts(out, one.feeds[1]!, 'csv', now)).catch(async (err: unknown) => {
        await one.abort();
        throw err;
      }),
    ]);
    const failed = both.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failed.length) throw failed.find((e) => !(e instanceof PassAborted)) ?? failed[0];
    written++;
    files.push(file, csv);
  }
  for (const c of CONTRACT_FILES) {
    const file = path.join(clientDir, c.to);
    // Read and write rather than copy: a copy would carry the source's file mode along.
    await writeFile(file, await readFile(contentFile(c.from)));
    files.push(file);
  }
  return { facts, companies: written, files };
}
