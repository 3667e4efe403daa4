/**
 * Bulk writes. A write transaction with two handles: drizzle for ordinary queries, and the driver's
 * own execute for multi-row inserts built here, where drizzle's per-value query building costs as
 * much as SQLite's insert itself (the extract stage writes ~35 facts and sources per article).
 */
import type { Client, InValue } from '@libsql/client';
import { getTableName, type Column, type Table } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import { clientOf, type Db } from './client.ts';
import { retryBusy } from './busy.ts';
import * as schema from './schema.ts';

/** A value as the driver binds it. */
export type SqlValue = InValue;
export type Execute = (sql: string, args: SqlValue[]) => Promise<void>;
/** A read on the transaction's own connection, rows by column index: no query building on hot paths. */
export type Query = (sql: string, args: SqlValue[]) => Promise<ArrayLike<SqlValue>[]>;

/**
 * Runs `fn` in one write transaction (committed when it resolves, rolled back when it throws, as
 * db.transaction does) and hands it a drizzle database bound to that transaction and its execute.
 */
export function writeTransaction<R>(db: Db, fn: (tx: Db, execute: Execute, query: Query) => Promise<R>): Promise<R> {
  // Refused for another writer's lock (a libSQL server answers BUSY at the transaction's first
  // statement), the transaction was rolled back whole: nothing of it stands, so it is run again.
  return retryBusy(() => writeOnce(db, fn));
}

async function writeOnce<R>(db: Db, fn: (tx: Db, execute: Execute, query: Query) => Promise<R>): Promise<R> {
  const t = await clientOf(db).transaction('write');
  try {
    // Queries of a drizzle database over the transaction run on it (it has execute and batch).
    const tx = drizzle(t as unknown as Client, { schema });
    const result = await fn(
      tx,
      async (sql, args) => void (await t.execute({ sql, args })),
      async (sql, args) => (await t.execute({ sql, args })).rows as unknown as ArrayLike<SqlValue>[],
    );
    await t.commit();
    return result;
  } catch (err) {
    // A server that already ended the transaction (it refused a statement) has nothing to roll back;
    // its refusal, not "no transaction is active", is the error that says what happened.
    await t.rollback().catch(() => undefined);
    throw err;
  } finally {
    t.close();
  }
}

/** Rows per statement: SQLite caps the parameters bound to one statement. */
const ROWS_PER_STATEMENT = 40;
const statements = new Map<string, string>();

/**
 * `insert into table (columns) values (…), (…) <tail>` for `rows` (one value per column, as the
 * driver takes them: booleans as 0/1, no undefined), ROWS_PER_STATEMENT at a time. Columns left out
 * get their schema defaults, as they do from drizzle.
 */
export async function insertRows(execute: Execute, table: Table, columns: Column[], rows: SqlValue[][], tail = '', tailArgs: SqlValue[] = []): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const slice = rows.slice(i, i + ROWS_PER_STATEMENT);
    const key = `${getTableName(table)}|${columns.map((c) => c.name).join(',')}|${slice.length}|${tail}`;
    let sql = statements.get(key);
    if (!sql) {
      const row = `(${columns.map(() => '?').join(', ')})`;
      sql = `insert into "${getTableName(table)}" (${columns.map((c) => `"${c.name}"`).join(', ')}) values ${Array(slice.length).fill(row).join(', ')} ${tail}`;
      statements.set(key, sql);
    }
    await execute(sql, [...slice.flat(), ...tailArgs]);
  }
}
