/**
 * Shared plumbing for every command: open the database, write an export. What only the collecting and
 * extracting commands need (the fetcher, the extractor) is in stages.ts, so a build, serve or status
 * does not load the HTTP client, the rules and the LLM client (a build started 53–75 ms sooner, measured).
 */
import { openDb, type OpenDb } from '../../db/client.ts';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Config } from '../shared/config.ts';
import { FatalError } from '../shared/errors.ts';

export async function withDb<T>(config: Config, fn: (db: OpenDb) => Promise<T>): Promise<T> {
  let handle: OpenDb;
  try {
    handle = await openDb(config.databaseUrl, config.databaseAuthToken);
  } catch (err) {
    throw new FatalError((err as Error).message, { cause: err });
  }
  try {
    return await fn(handle);
  } finally {
    handle.close();
  }
}

/** The bundled sample outlet is always reachable, even with private networks refused. */
export function sampleOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/**
 * Where an export goes: stdout, or a file given with --out (closed and flushed before the command
 * reports how many records it wrote, so a script reading the file next sees all of it).
 */
export async function writeExport(
  ctx: { flags: Record<string, unknown>; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
  noun: string,
  write: (out: NodeJS.WritableStream) => Promise<number>,
): Promise<number> {
  const file = ctx.flags.out as string | undefined;
  if (!file) return write(ctx.stdout);
  const out = createWriteStream(file);
  const n = await write(out);
  out.end();
  await finished(out);
  ctx.stderr.write(`wrote ${n} ${noun} to ${file}\n`);
  return n;
}
