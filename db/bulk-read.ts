/**
 * Whole-table reads for the site build. The driver turns each cell of a result into a property of a
 * row object, which is most of the time a 50k-row read takes (three times SQLite's own work); asking
 * SQLite for the rows as one JSON document (json_group_array of json_array) and parsing that is
 * several times faster. Reads are cut into chunks of `chunk` rows, so no document outgrows a string.
 *
 * SQLite writes a REAL into JSON with 15 significant digits; a double needs 17 to come back exactly,
 * so REAL columns travel as printf('%.17g') text and are turned back into numbers here. Booleans are
 * stored as 0/1 and come back as booleans.
 */
import type { Client } from '@libsql/client';
import type { Db } from './client.ts';

export type BulkType = 'text' | 'int' | 'real' | 'bool' | 'any';

export interface BulkQuery<T> {
  /** Column name → [SQL expression, type]. */
  columns: { [K in keyof T]: [string, BulkType] };
  /** FROM … WHERE … (everything between SELECT's list and ORDER BY). */
  from: string;
  /** A total order, so chunks neither overlap nor miss a row. */
  orderBy: string;
}

export async function readBulk<T>(db: Db, q: BulkQuery<T>, chunk = 100_000): Promise<T[]> {
  const client = (db as Db & { $client: Client }).$client;
  const names = Object.keys(q.columns) as (keyof T & string)[];
  const exprs = names.map((n, i) => {
    const [expr, type] = q.columns[n];
    const value = type === 'real' ? `iif((${expr}) is null, null, printf('%.17g', ${expr}))` : expr;
    return `${value} as c${i}`;
  });
  // The rows' order is carried into the aggregate explicitly (row_number), not left to the planner.
  const sql = `select json_group_array(json_array(${names.map((_, i) => `c${i}`).join(', ')}) order by n) as j
    from (select ${exprs.join(', ')}, row_number() over (order by ${q.orderBy}) as n ${q.from} order by ${q.orderBy} limit ? offset ?)`;
  const types = names.map((n) => q.columns[n][1]);
  const out: T[] = [];
  for (let offset = 0; ; offset += chunk) {
    const r = await client.execute({ sql, args: [chunk, offset] });
    const rows = JSON.parse(String(r.rows[0]?.j ?? '[]')) as unknown[][];
    for (const row of rows) {
      const o = {} as Record<string, unknown>;
      for (let i = 0; i < names.length; i++) {
        const v = row[i];
        const t = types[i];
        o[names[i]!] = v === null ? null : t === 'real' ? Number(v) : t === 'bool' ? v === 1 || v === true : v;
      }
      out.push(o as T);
    }
    if (rows.length < chunk) return out;
  }
}
