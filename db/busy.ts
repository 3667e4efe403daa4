/**
 * Waiting out another process's write lock. Several factdesk processes may write one database file
 * (three `extract --all` and a `refresh` from cron); SQLite lets one write at a time and tells the
 * others SQLITE_BUSY. That is "wait", never "fail": the busy timeout (db/client.ts) waits a little
 * inside SQLite, and past it the operation is tried again with jittered backoff (p-retry), with the
 * event loop free in between, for up to BUSY_PATIENCE_MS. Only operations that had not changed
 * anything yet are retried: an autocommit statement, a batch or migration (rolled back whole), and
 * the BEGIN of a transaction — which is why write transactions begin IMMEDIATE (db/write-lock.ts):
 * they wait for the lock at BEGIN, where waiting is safe, never half-way through.
 */
import pRetry from 'p-retry';

/** How long a writer keeps waiting for other processes before the command gives up. */
export const BUSY_PATIENCE_MS = 120_000;

/** SQLITE_BUSY / SQLITE_LOCKED (and their extended codes), however the driver wrapped them. */
export function isBusy(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? '');
    if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
    if (/\bdatabase is locked\b|\bSQLITE_BUSY\b/.test(String((e as Error).message ?? ''))) return true;
  }
  return false;
}

/**
 * Runs `fn`, waiting out SQLITE_BUSY. `onBusy` runs before each new attempt: on an embedded file
 * the refused statement is still open on its connection (SQLite keeps a write that could not get
 * the lock resumable, and the driver only finalises statements when they are garbage-collected),
 * and a later COMMIT on that connection fails with "cannot commit transaction - SQL statements in
 * progress". So the caller drops its connections there, and the retry starts on fresh ones.
 */
export function retryBusy<R>(fn: () => Promise<R>, onBusy?: () => unknown): Promise<R> {
  return pRetry(fn, {
    onFailedAttempt: async ({ error }) => {
      if (onBusy && isBusy(error)) await onBusy();
    },
    retries: Infinity,
    maxRetryTime: BUSY_PATIENCE_MS,
    minTimeout: 20,
    maxTimeout: 1_000,
    factor: 1.7,
    randomize: true,
    shouldRetry: ({ error }) => isBusy(error),
  });
}
