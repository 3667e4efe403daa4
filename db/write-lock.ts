/**
 * The one way writes reach the database: queued one at a time inside this process, and patient
 * with other processes (SQLITE_BUSY is waited out, see db/busy.ts). Every write path — drizzle
 * queries, transactions, batches, migrations — goes through the client this returns.
 *
 * Why a queue: the embedded libSQL driver runs statements synchronously, and SQLite's busy handler
 * sleeps inside that call. If one async task holds a write transaction on one pooled connection and
 * another task issues a write on a second connection, the second blocks the whole event loop
 * waiting for a lock that the first can never release (its continuation cannot run) — a deadlock
 * that ends in SQLITE_BUSY. Queuing writes here makes them wait as promises instead. Reads go
 * straight through (WAL lets them run beside a writer).
 *
 * Why IMMEDIATE: a deferred transaction that reads first and writes later takes the write lock
 * half-way, and if another process wrote in between SQLite refuses it with SQLITE_BUSY at once
 * (no busy wait can help, the snapshot is stale). Beginning every write transaction IMMEDIATE
 * takes the lock at BEGIN, where waiting and retrying are safe.
 *
 * Why one writer connection (embedded files): the driver keeps a pool of connections and opens a
 * new one whenever a read arrives while a transaction holds another, and per-connection pragmas
 * (synchronous) are not carried over. Writes that landed on such a connection ran with SQLite's
 * default synchronous=FULL — an fsync per commit, ~3 ms of blocked event loop per stored article —
 * instead of the NORMAL that WAL mode is meant to run with here. Since writes take turns anyway,
 * they all go to one connection of their own, set up once (and again after a reconnect).
 */
import type { Client, InStatement, Transaction, TransactionMode } from '@libsql/client';
import { retryBusy } from './busy.ts';

function isRead(stmt: InStatement): boolean {
  const sql = typeof stmt === 'string' ? stmt : stmt.sql;
  return /^\s*select\b/i.test(sql);
}

/** A write transaction takes the write lock when it begins (see above). */
const writeMode = (mode?: TransactionMode): TransactionMode => (mode === 'read' ? 'read' : 'write');

export interface WriteGuardOptions {
  /**
   * Queue writes inside this process. Embedded files need it for the reason above. A libSQL server
   * does its own locking, but it needs it too: with writes in flight side by side, two `extract
   * --all` processes sharing a pass on sqld both sat idle for minutes, waiting on the server with a
   * retry timer pending (1–2 runs in 4 of tests/integration/reextract.test.ts; 0 in 8 since) — most
   * likely an autocommit write (an attempt count, a lease) refused as busy behind a batch
   * transaction of its own process, retried with backoff. Queued, a process has one write in flight.
   */
  queue: boolean;
  /** Drop the writer's connection before a busy retry (embedded files; see onBusy below). */
  reconnectOnBusy?: boolean;
  /** The URL of a database we must not write: every write is refused, named as read-only. */
  readOnly?: string;
  /** A client with one connection that every write goes through (reads use `client`'s pool). */
  writer?: Client;
  /** Per-connection statements the writer runs before its first write and after each reconnect. */
  writerSetup?: string[];
}

/** Statements a read-only database still answers (queries, and pragmas that only report). */
const READ_ONLY_OK = /^\s*(select|with|explain)\b|^\s*pragma\s+\w+\s*(\(\s*\w*\s*\))?\s*;?\s*$/i;

export class ReadOnlyDatabaseError extends Error {
  override name = 'ReadOnlyDatabaseError';
  readonly code = 'FACTDESK_DB_READ_ONLY';
}

export function guardWrites(client: Client, opts: WriteGuardOptions = { queue: true }): Client {
  if (opts.readOnly) return refuseWrites(client, opts.readOnly);
  let tail: Promise<void> = Promise.resolve();
  /** Resolves, in call order, to a function that lets the next writer in. */
  const lock = (): Promise<() => void> => {
    if (!opts.queue) return Promise.resolve(() => {});
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
  const writer = opts.writer ?? client;
  let setUp = !opts.writerSetup?.length;
  /** Runs the writer's setup once per connection; called with the write queue held. */
  const ready = async (): Promise<void> => {
    if (setUp) return;
    for (const stmt of opts.writerSetup!) await writer.execute(stmt);
    setUp = true;
  };
  // Embedded files: a statement refused with SQLITE_BUSY stays open on its connection (db/busy.ts),
  // so drop the writer's connection before trying again. Safe here: it only happens while this
  // process holds its own write queue, so no write transaction of ours is open.
  const onBusy = (opts.reconnectOnBusy ?? opts.queue)
    ? async () => {
        await writer.reconnect();
        setUp = !opts.writerSetup?.length;
      }
    : undefined;
  const retry = <R>(fn: () => Promise<R>) => retryBusy(fn, onBusy);
  /** A read that lost its connection to such a reconnect is simply run again. */
  const read = <R>(fn: () => Promise<R>) =>
    retryBusy(() =>
      fn().catch((err: unknown) => {
        if ((err as { code?: string }).code === 'CLIENT_CLOSED' && !client.closed) return fn();
        throw err;
      }),
    );
  /** Queued, then retried while another process holds the lock. */
  const locked =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const release = await lock();
      try {
        return await retry(async () => (await ready(), fn(...args)));
      } finally {
        release();
      }
    };

  const query = client.execute.bind(client) as (stmt: InStatement) => Promise<Awaited<ReturnType<Client['execute']>>>;
  const execute = writer.execute.bind(writer) as (stmt: InStatement) => Promise<Awaited<ReturnType<Client['execute']>>>;
  const batch = writer.batch.bind(writer);
  const overrides: Partial<Client> = {
    execute: ((stmt: InStatement, args?: unknown) => {
      const s = args === undefined ? stmt : ({ sql: stmt as string, args } as InStatement);
      return isRead(s) ? read(() => query(s)) : locked(execute)(s);
    }) as Client['execute'],
    batch: ((stmts: InStatement[], mode?: TransactionMode) => locked(batch)(stmts, writeMode(mode))) as Client['batch'],
    // A migration is one transaction, rolled back whole when it fails: safe to run again.
    migrate: locked(writer.migrate.bind(writer)) as Client['migrate'],
    executeMultiple: locked(writer.executeMultiple.bind(writer)) as Client['executeMultiple'],
    transaction: (async (mode?: TransactionMode) => {
      if (mode === 'read') return read(() => client.transaction(mode));
      const release = await lock();
      let tx: Transaction;
      try {
        // Nothing has happened yet when BEGIN IMMEDIATE is refused, so it is the place to wait.
        tx = await retry(async () => (await ready(), writer.transaction(writeMode(mode))));
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
  if (opts.writer) {
    const w = opts.writer;
    overrides.close = () => {
      w.close();
      client.close();
    };
    overrides.reconnect = async () => {
      await w.reconnect();
      setUp = !opts.writerSetup?.length;
      await client.reconnect();
    };
  }
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof Client];
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * A database opened read-only (read-only media, no write permission): reads go through, writes are
 * refused before they reach SQLite — including on the private copy a WAL file without its -shm is
 * read from, where SQLite itself would accept them and lose them.
 */
function refuseWrites(client: Client, url: string): Client {
  const refuse = () => Promise.reject(new ReadOnlyDatabaseError(`the database at ${url} is read-only`));
  const text = (stmt: InStatement) => (typeof stmt === 'string' ? stmt : stmt.sql);
  const overrides: Partial<Client> = {
    execute: ((stmt: InStatement, args?: unknown) =>
      READ_ONLY_OK.test(text(stmt)) ? client.execute(stmt as string, args as never) : refuse()) as Client['execute'],
    batch: ((stmts: InStatement[], mode?: TransactionMode) =>
      stmts.every((s) => READ_ONLY_OK.test(text(s))) ? client.batch(stmts, mode === 'read' ? 'read' : mode) : refuse()) as Client['batch'],
    migrate: refuse as Client['migrate'],
    executeMultiple: refuse as Client['executeMultiple'],
    transaction: ((mode?: TransactionMode) => (mode === 'read' ? client.transaction('read') : refuse())) as Client['transaction'],
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof Client];
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
