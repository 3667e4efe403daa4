/**
 * Opens the database named by DATABASE_URL, applies migrations, and sets the pragmas that make an
 * embedded file safe for one writer and many readers. Every command goes through here, so a fresh
 * machine needs no separate "migrate" step.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema.ts';
import { serializeWrites } from './write-lock.ts';

export type Db = LibSQLDatabase<typeof schema>;

export interface OpenDb {
  db: Db;
  client: Client;
  url: string;
  close(): void;
}

export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

/** Busy timeout for file databases: concurrent writers wait instead of failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;

function isFileUrl(url: string): boolean {
  return url.startsWith('file:') || url === ':memory:';
}

/** Creates the parent folder of a `file:` database so `file:data/factdesk.db` works on a fresh clone. */
function ensureParentDir(url: string): void {
  if (!url.startsWith('file:')) return;
  const p = url.slice('file:'.length).split('?')[0] ?? '';
  if (!p || p === ':memory:') return;
  mkdirSync(path.dirname(path.resolve(p.replace(/^\/\/(?=\/)/, ''))), { recursive: true });
}

export async function openDb(
  url: string = process.env.DATABASE_URL || 'file:data/factdesk.db',
  authToken: string | undefined = process.env.DATABASE_AUTH_TOKEN || undefined,
  /** Readers that run where the migrations folder is not shipped (the site's bundled build) skip it;
   * every writer migrates. */
  opts: { migrate?: boolean } = {},
): Promise<OpenDb> {
  let client: Client;
  try {
    ensureParentDir(url);
    client = createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS });
    if (isFileUrl(url)) client = serializeWrites(client);
  } catch (err) {
    throw new DatabaseError(`db: cannot open ${redact(url)}: ${(err as Error).message}`);
  }
  try {
    if (isFileUrl(url) && url !== ':memory:' && !url.includes(':memory:')) {
      // WAL lets the site build and `status` read while a refresh writes; it persists in the file.
      await client.execute('PRAGMA journal_mode=WAL');
      await client.execute('PRAGMA synchronous=NORMAL');
    }
    const db = drizzle(client, { schema });
    if (opts.migrate !== false) await migrate(db, { migrationsFolder: MIGRATIONS });
    return { db, client, url, close: () => client.close() };
  } catch (err) {
    client.close();
    throw new DatabaseError(`db: cannot use ${redact(url)}: ${(err as Error).message}`);
  }
}

/** Never print credentials that may sit in a URL. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@').replace(/(authToken|token)=[^&]+/gi, '$1=***');
}
