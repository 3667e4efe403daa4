/**
 * Whole-table reads for the site build. The driver turns each cell of a result into a property of a
 * row object, which is most of the time a 50k-row read takes (three times SQLite's own work); asking
 * SQLite for the rows as one JSON document (json_group_array of json_array) and parsing that is
 * several times faster. Reads go in chunks of `chunk` rowids (so no document outgrows a string, and
 * each row is read once: paging with OFFSET would sort the whole table again for every page), and the
 * rows are put in order here, as SQLite orders them: NULL first, then numbers, then text by code unit
 * (the keys the site sorts by are ASCII: ids, dates, ISO times).
 *
 * SQLite writes a REAL into JSON with 15 significant digits; a double needs 17 to come back exactly,
 * so REAL columns travel as printf('%!.17g') text (the ! lifts SQLite's 16-digit cap) and are turned
 * back into numbers here. Booleans are
 * stored as 0/1 and come back as booleans. A `strings` column holds a JSON list of strings as text:
 * SQLite embeds it in the row's document when it is valid JSON (json()), so the one parse of the
 * document reads it too, and anything but a list of strings reads as [] (a malformed cell is no list).
 */
import { clientOf, type Db } from './client.ts';

export type BulkType = 'text' | 'int' | 'real' | 'bool' | 'strings' | 'any';

export interface BulkQuery<T> {
  /** Column name → [SQL expression, type]. */
  columns: { [K in keyof T]: [string, BulkType] };
  /** FROM and joins. */
  from: string;
  /** WHERE condition, if any. */
  where?: string;
  /** Values for the condition's `?` placeholders. */
  args?: (string | number | null)[];
  /** The rowid the reads are cut by (an INTEGER PRIMARY KEY or rowid of the main table), and that table. */
  chunkBy: { rowid: string; table: string };
  /** Sort keys, ascending: a total order. */
  orderBy: string[];
}

type Key = string | number | null;

/** SQLite's ascending order of values: NULL, then numbers, then text. */
export function compareKey(a: Key, b: Key): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const ta = typeof a;
  const tb = typeof b;
  if (ta !== tb) return ta === 'number' ? -1 : 1;
  return a < b ? -1 : 1;
}

/** A `strings` cell as parsed with the document: its strings when it is a list, else []. */
function stringList(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.every((x) => typeof x === 'string') ? (v as string[]) : v.filter((x): x is string => typeof x === 'string');
}

/**
 * Turns a row's cells into its object with one object literal, compiled once per read. Filled in
 * property by property instead, an object of more than 16 properties (a fact row has 22) is one V8
 * keeps as a hash table ("dictionary mode"), and every later read of its properties — the build's
 * fingerprints, fact sheets, timeline and exports, millions of them — is a lookup in it. At 10k
 * articles a thread exporting from its own read took ~0.85 s where one exporting from a structured
 * clone of it (fast properties again) took ~0.43 s; with the literal the build's read of facts and
 * sources went from ~1.0 to ~0.75 s and its plan from ~1.3 to ~1.1 s. The names are the query's own
 * column names (code, not data); the cells are passed in, never written into the source.
 */
export function rowMaker<T>(names: string[], types: BulkType[]): (row: unknown[]) => T {
  // In a literal "__proto__" would set the prototype, not a property.
  if (names.includes('__proto__')) throw new Error('readBulk: a column cannot be named __proto__');
  const cell = (i: number): string => {
    const v = `r[${i}]`;
    switch (types[i]) {
      case 'strings':
        return `list(${v})`;
      case 'real':
        return `(${v} === null ? null : Number(${v}))`;
      case 'bool':
        return `(${v} === null ? null : ${v} === 1 || ${v} === true)`;
      default:
        return v;
    }
  };
  const body = `return { ${names.map((n, i) => `${JSON.stringify(n)}: ${cell(i)}`).join(', ')} };`;
  const make = new Function('list', 'r', body) as (list: typeof stringList, r: unknown[]) => T;
  return (row) => make(stringList, row);
}

export async function readBulk<T>(db: Db, q: BulkQuery<T>, chunk = 100_000): Promise<T[]> {
  const client = clientOf(db);
  const names = Object.keys(q.columns) as (keyof T & string)[];
  const exprs = names.map((n) => {
    const [expr, type] = q.columns[n];
    if (type === 'real') return `iif((${expr}) is null, null, printf('%!.17g', ${expr}))`;
    if (type === 'strings') return `iif(json_valid(${expr}), json(${expr}), null)`;
    return expr;
  });
  const cells = [...exprs, ...q.orderBy].join(', ');
  const where = `${q.where ? `(${q.where}) and ` : ''}${q.chunkBy.rowid} > ? and ${q.chunkBy.rowid} <= ?`;
  const sql = `select json_group_array(json_array(${cells})) as j ${q.from} where ${where}`;
  const range = await client.execute(`select min(rowid) as lo, max(rowid) as hi from ${q.chunkBy.table}`);
  const lo = Number(range.rows[0]?.lo ?? 0);
  const hi = Number(range.rows[0]?.hi ?? 0);
  const make = rowMaker<T>(names, names.map((n) => q.columns[n][1]));
  const rows: { o: T; k: Key[] }[] = [];
  const nk = q.orderBy.length;
  for (let from = lo - 1; from < hi; from += chunk) {
    const r = await client.execute({ sql, args: [...(q.args ?? []), from, Math.min(hi, from + chunk)] });
    for (const row of JSON.parse(String(r.rows[0]?.j ?? '[]')) as unknown[][]) {
      rows.push({ o: make(row), k: row.slice(names.length, names.length + nk) as Key[] });
    }
  }
  rows.sort((a, b) => {
    for (let i = 0; i < nk; i++) {
      const c = compareKey(a.k[i]!, b.k[i]!);
      if (c) return c;
    }
    return 0;
  });
  return rows.map((r) => r.o);
}
