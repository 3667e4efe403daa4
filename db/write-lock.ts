/**
 * One writer at a time inside this process, queued asynchronously.
 *
 * Why: the embedded libSQL driver runs statements synchronously, and SQLite's busy handler sleeps
 * inside that call. If one async task holds a write transaction on one pooled connection and another
 * task issues a write on a second connection, the second blocks the whole event loop waiting for
 * a lock that the first can never release (its continuation cannot run) — a deadlock that ends in
 * SQLITE_BUSY. Queuing writes here makes them wait as promises instead. Reads go straight through
 * (WAL lets them run beside a writer); other processes are still handled by the busy timeout.
 */
import type { Client, InStatement, Transaction, TransactionMode } from '@libsql/client';

function isRead(stmt: InStatement): boolean {
  const sql = typeof stmt === 'string' ? stmt : stmt.sql;
  return /^\s*select\b/i.test(sql);
}

export function serializeWrites(client: Client): Client {
  let tail: Promise<void> = Promise.resolve();
  /** Resolves, in call order, to a function that lets the next writer in. */
  const lock = (): Promise<() => void> => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const prev = tail;
    tail = prev.then(() => held);
    return prev.then(() => {
      let done = false;
      return () => {
        if (!done) (done = true), release();
      };
    });
  };
  const locked =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const release = await lock();
      try {
        return await fn(...args);
      } finally {
        release();
      }
    };

  const execute = client.execute.bind(client) as (stmt: InStatement) => Promise<Awaited<ReturnType<Client['execute']>>>;
  const overrides: Partial<Client> = {
    execute: ((stmt: InStatement, args?: unknown) => {
      const s = args === undefined ? stmt : ({ sql: stmt as string, args } as InStatement);
      return isRead(s) ? execute(s) : locked(execute)(s);
    }) as Client['execute'],
    batch: locked(client.batch.bind(client)) as Client['batch'],
    migrate: locked(client.migrate.bind(client)) as Client['migrate'],
    executeMultiple: locked(client.executeMultiple.bind(client)) as Client['executeMultiple'],
    transaction: (async (mode?: TransactionMode) => {
      if (mode === 'read') return client.transaction(mode);
      const release = await lock();
      let tx: Transaction;
      try {
        tx = await client.transaction(mode);
      } catch (err) {
        release();
        throw err;
      }
      // The lock is held until the transaction settles, however it settles.
      const settle =
        <A extends unknown[], R>(fn: (...a: A) => R) =>
        (...a: A): R => {
          try {
            const r = fn(...a);
            if (r instanceof Promise) return r.finally(release) as R;
            release();
            return r;
          } catch (e) {
            release();
            throw e;
          }
        };
      return new Proxy(tx, {
        get(target, prop, receiver) {
          if (prop === 'commit' || prop === 'rollback' || prop === 'close') {
            return settle((target[prop] as (...a: unknown[]) => unknown).bind(target));
          }
          const v = Reflect.get(target, prop, receiver) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
    }) as Client['transaction'],
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof Client];
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
