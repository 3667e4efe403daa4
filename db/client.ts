/**
 * Opens the database named by DATABASE_URL, applies migrations, and sets the pragmas that make an
 * embedded file safe for one writer and many readers. Every command goes through here, so a fresh
 * machine needs no separate "migrate" step.
 */
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema.ts';
import { guardWrites } from './write-lock.ts';
import { databaseProblem, type DatabaseProblem } from '../src/shared/errors.ts';

export type Db = LibSQLDatabase<typeof schema>;

/**
 * The libSQL client under a drizzle database (drizzle keeps it as $client): for what drizzle has no
 * words for — a transaction of our own, a statement built at run time. Under a transaction's Db it is
 * the transaction.
 */
export function clientOf(db: Db): Client {
  return (db as Db & { $client: Client }).$client;
}

export interface OpenDb {
  db: Db;
  client: Client;
  url: string;
  /** A file we may not write (read-only media or permissions): reads work, writes are refused. */
  readOnly: boolean;
  close(): void;
}

export class DatabaseError extends Error {
  override name = 'DatabaseError';
  /** What is wrong, when known (see databaseProblem in src/shared/errors.ts). */
  code?: DatabaseProblem['code'];
  constructor(message: string, opts?: { cause?: unknown; code?: DatabaseProblem['code'] }) {
    super(message, { cause: opts?.cause });
    this.code = opts?.code;
  }
}

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * How long SQLite itself waits for another process's lock before answering SQLITE_BUSY. Short on
 * purpose: the embedded driver waits synchronously, with the event loop blocked (fetch timers,
 * signals), so longer waits happen in db/busy.ts as async retries with backoff instead.
 */
const BUSY_TIMEOUT_MS = 500;

/**
 * What the writer connection runs before it writes (db/write-lock.ts). synchronous is per connection:
 * NORMAL in WAL mode keeps every committed transaction through a killed process and the file always
 * consistent; only a power cut may lose the last commits, which a rerun fetches and stores again.
 */
const WRITER_PRAGMAS = [
  'PRAGMA synchronous=NORMAL',
  // A checkpoint runs inside the commit that crosses the threshold, on the main thread. At SQLite's
  // 1,000 pages (4 MB) extraction's scattered index pages are copied back again and again; 10,000
  // (a WAL of up to ~40 MB) measured 97-114 articles/s against 89-90 on one 2,000-article pass
  // (bench:extract's 400 articles barely fill it: within noise there). Durability is unchanged.
  'PRAGMA wal_autocheckpoint=10000',
];

function isFileUrl(url: string): boolean {
  return url.startsWith('file:') || url === ':memory:';
}

/** The file a `file:` URL names ('' when it names none), null for in-memory and remote databases. */
function filePath(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const p = (url.slice('file:'.length).split('?')[0] ?? '').replace(/^\/\/(?=\/)/, '');
  if (p === ':memory:') return null;
  return p && path.resolve(p);
}

/** Creates the parent folder of a `file:` database so `file:data/factdesk.db` works on a fresh clone. */
function ensureParentDir(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
}

/** An existing file we cannot write, or whose folder we cannot write (SQLite's -wal/-shm live there). */
function isReadOnlyFile(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    accessSync(file, constants.W_OK);
    accessSync(path.dirname(file), constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

/**
 * A read-only WAL database without its -shm file cannot be opened in place (SQLite must create
 * the -shm beside it). Nothing can change it there, so reading a private copy is the same thing.
 */
function snapshotCopy(file: string): { url: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-ro-'));
  const copy = path.join(dir, path.basename(file));
  copyFileSync(file, copy);
  return { url: `file:${copy}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function fail(err: unknown, url: string): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const problem = databaseProblem(err, url);
  return new DatabaseError(problem?.message ?? `db: cannot use ${redact(url)}: ${(err as Error)?.message ?? String(err)}`, {
    cause: err,
    code: problem?.code,
  });
}

export async function openDb(
  url: string = process.env.DATABASE_URL || 'file:data/factdesk.db',
  authToken: string | undefined = process.env.DATABASE_AUTH_TOKEN || undefined,
  /** Readers that run where the migrations folder is not shipped (the site's bundled build) skip it;
   * every writer migrates. */
  opts: { migrate?: boolean } = {},
): Promise<OpenDb> {
  const file = filePath(url);
  if (file === '') {
    // libSQL would open an empty in-memory database and every command would "succeed" on nothing.
    throw new DatabaseError(`DATABASE_URL=${url} names no file: give a path such as file:data/factdesk.db`, { code: 'no-file' });
  }
  const readOnly = file !== null && isReadOnlyFile(file);
  let client: Client;
  let cleanup = () => {};
  try {
    if (file && !readOnly) ensureParentDir(file);
    client = createClient({ url, authToken, timeout: BUSY_TIMEOUT_MS });
    if (readOnly) {
      try {
        await client.execute('select count(*) from sqlite_master');
      } catch (err) {
        if (!/^SQLITE_CANTOPEN/.test(String((err as { code?: unknown }).code))) throw err;
        client.close();
        const copy = snapshotCopy(file!);
        cleanup = copy.cleanup;
        client = createClient({ url: copy.url, timeout: BUSY_TIMEOUT_MS });
      }
    }
    // A file we write gets one connection of its own for writes, set up for WAL (db/write-lock.ts).
    const writer = file && !readOnly ? createClient({ url, timeout: BUSY_TIMEOUT_MS, concurrency: 1 }) : undefined;
    // Writes queue in this process for a libSQL server too (db/write-lock.ts: one of our own
    // transactions must never wait on another of our own writes).
    client = guardWrites(client, { queue: true, reconnectOnBusy: isFileUrl(url), readOnly: readOnly ? url : undefined, writer, writerSetup: writer ? WRITER_PRAGMAS : undefined });
  } catch (err) {
    cleanup();
    throw fail(err, url);
  }
  try {
    if (isFileUrl(url) && !url.includes(':memory:') && !readOnly) {
      // WAL lets the site build and `status` read while a refresh writes; it persists in the file.
      await client.execute('PRAGMA journal_mode=WAL');
    }
    const db = drizzle(client, { schema });
    // A read-only file cannot be migrated; it is read as it is (status, export, build).
    if (opts.migrate !== false && !readOnly) await migrate(db, { migrationsFolder: MIGRATIONS });
    else if (readOnly) await client.execute('select count(*) from sqlite_master'); // corrupt or unreadable: say so now
    return {
      db,
      client,
      url,
      readOnly,
      close: () => {
        client.close();
        cleanup();
      },
    };
  } catch (err) {
    client.close();
    cleanup();
    throw fail(err, url);
  }
}

/** Never print credentials that may sit in a URL. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@').replace(/(authToken|token)=[^&]+/gi, '$1=***');
}
