/**
 * Errors that say what the CLI does with them. Stage-specific errors (FetchError, FeedParseError)
 * are recorded per item and never end a run; these end the command with a specific exit code.
 */

/** Wrong flags or arguments: exit 2, with the message and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command cannot run at all (database unreachable, bad config, missing file): exit 1. */
export class FatalError extends Error {
  override name = 'FatalError';
}

export const EXIT = {
  ok: 0,
  /** The run could not happen: bad config, database unreachable, unreadable input file. */
  failure: 1,
  /** Bad command line. */
  usage: 2,
  /** Interrupted by SIGINT/SIGTERM (128 + 2). */
  interrupted: 130,
} as const;

/**
 * Why the database cannot be used, as one line that says what to do — or null when the error is
 * not about the database. Used where a command ends (src/cli/main.ts) and where the database is
 * opened (db/client.ts), so each of these is named once, the same way, whatever query hit it.
 * Walks the `cause` chain: drizzle wraps driver errors ("Failed query: …"), fetch wraps sockets.
 */
export interface DatabaseProblem {
  code: 'disk-full' | 'read-only' | 'not-a-database' | 'unreachable' | 'cannot-open' | 'locked' | 'no-file';
  message: string;
}

const NET_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

function* chain(err: unknown): Generator<{ name: string; code: string; message: string }> {
  const seen = new Set<unknown>();
  const todo = [err];
  while (todo.length) {
    const e = todo.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const o = e as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    yield { name: String(o.name ?? ''), code: String(o.code ?? ''), message: String(o.message ?? '') };
    todo.push(o.cause);
    if (Array.isArray(o.errors)) todo.push(...o.errors);
  }
}

/** `file:data/x.db` → `data/x.db`; remote URLs as given, without credentials. */
function where(url: string): string {
  if (url.startsWith('file:')) return url.slice('file:'.length).split('?')[0]!;
  return url.replace(/\/\/[^@/]*@/, '//***@').replace(/(authToken|token)=[^&]+/gi, '$1=***');
}

export function databaseProblem(err: unknown, url: string): DatabaseProblem | null {
  const at = where(url);
  // A socket error is the database's only when a database query failed on it (not an LLM call).
  let query = false;
  for (const { name, code, message } of chain(err)) {
    if (name === 'DatabaseError' && code) return { code: code as DatabaseProblem['code'], message };
    if (/^(DatabaseError|DrizzleQueryError|LibsqlError|LibsqlBatchError|HttpServerError)$/.test(name)) query = true;
    if (/^SQLITE_FULL/.test(code) || /database or disk is full/i.test(message)) {
      return { code: 'disk-full', message: `the disk holding the database (${at}) is full: free some space and run the command again; everything stored before is kept` };
    }
    if (/^SQLITE_READONLY/.test(code) || code === 'FACTDESK_DB_READ_ONLY' || /readonly database/i.test(message)) {
      return { code: 'read-only', message: `the database at ${at} is read-only: status and export still work; to refresh or extract, use a writable copy or fix its permissions` };
    }
    if (/^SQLITE_(NOTADB|CORRUPT)/.test(code) || /file is not a database|database disk image is malformed/i.test(message)) {
      return { code: 'not-a-database', message: `${at} is not a database (or is damaged): restore it from a backup, or point DATABASE_URL at another file` };
    }
    if (NET_CODES[code] && query) {
      return { code: 'unreachable', message: `cannot reach the database at ${at}: ${NET_CODES[code]}; start the libSQL server or fix DATABASE_URL` };
    }
    if (/^SQLITE_CANTOPEN/.test(code)) {
      return { code: 'cannot-open', message: `cannot open the database file ${at}: check the path and that its folder exists and is readable` };
    }
    if (/^SQLITE_(BUSY|LOCKED)/.test(code)) {
      return { code: 'locked', message: `the database at ${at} stayed locked by another process: let it finish, then run the command again` };
    }
  }
  return null;
}
