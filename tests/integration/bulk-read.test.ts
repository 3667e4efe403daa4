/**
 * db/bulk-read.ts against a real libSQL file: whole-table reads as JSON documents give exactly the
 * rows, values and order the driver gives (doubles to the last bit, booleans, NULLs first), also when
 * the table is read in several chunks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBulk } from '../../db/bulk-read.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let db: TempDb;

interface Row {
  id: number;
  name: string | null;
  score: number | null;
  flag: boolean;
}

beforeAll(async () => {
  db = await tempDb();
  await db.client.execute('create table t (id integer primary key, name text, score real, flag integer not null)');
  // Values JSON would round (15 digits), a NULL score, text that needs escaping, ties on name.
  const rows: [number, string | null, number | null, number][] = [
    [1, 'b', 0.1 + 0.2, 1],
    [2, null, 1234567.891234567, 0],
    [3, 'a', null, 1],
    [4, 'b', -13.333333333333334, 0],
    [5, 'a "quoted"\n\u2028line', 45600000000, 1],
    [6, 'A', 1e-7, 0],
    [7, 'b', 2 / 3, 1],
  ];
  for (const r of rows) await db.client.execute({ sql: 'insert into t values (?, ?, ?, ?)', args: r });
});

afterAll(() => db.cleanup());

describe('readBulk', () => {
  it('gives the rows, values and order the driver gives, in one chunk or several', async () => {
    const want = (await db.client.execute('select id, name, score, flag from t order by name, id')).rows.map((r) => ({
      id: Number(r.id),
      name: r.name as string | null,
      score: r.score as number | null,
      flag: r.flag === 1,
    }));
    for (const chunk of [100, 3, 1]) {
      const got = await readBulk<Row>(
        db.db,
        {
          columns: { id: ['t.id', 'int'], name: ['t.name', 'text'], score: ['t.score', 'real'], flag: ['t.flag', 'bool'] },
          from: 'from t',
          chunkBy: { rowid: 't.id', table: 't' },
          orderBy: ['t.name', 't.id'],
        },
        chunk,
      );
      expect(got, `chunks of ${chunk}`).toEqual(want);
    }
    expect(want[0]!.name).toBeNull(); // NULL sorts first, as in SQLite
    expect(want.find((r) => r.id === 1)!.score).toBe(0.1 + 0.2);
  });

  it('reads a JSON list of strings as a list, and any other cell (malformed, NULL, not a list) as []', async () => {
    await db.client.execute('create table l (id integer primary key, ids text)');
    const cells: [number, string | null][] = [
      [1, '["f1","f2"]'],
      [2, '[]'],
      [3, null],
      [4, '["f3", 7, null, "f4"]'],
      [5, 'not json ['],
      [6, '{"a":"f5"}'],
      [7, '"f6"'],
      [8, '["quote \\" and \\u2028"]'],
    ];
    for (const c of cells) await db.client.execute({ sql: 'insert into l values (?, ?)', args: c });
    const got = await readBulk<{ id: number; ids: string[] }>(db.db, { columns: { id: ['l.id', 'int'], ids: ['l.ids', 'strings'] }, from: 'from l', chunkBy: { rowid: 'l.id', table: 'l' }, orderBy: ['l.id'] }, 3);
    expect(got).toEqual([
      { id: 1, ids: ['f1', 'f2'] },
      { id: 2, ids: [] },
      { id: 3, ids: [] },
      { id: 4, ids: ['f3', 'f4'] },
      { id: 5, ids: [] },
      { id: 6, ids: [] },
      { id: 7, ids: [] },
      { id: 8, ids: ['quote " and \u2028'] },
    ]);
  });

  it('applies the condition and reads nothing from an empty table', async () => {
    const cols = { id: ['t.id', 'int'] as [string, 'int'] };
    const some = await readBulk<{ id: number }>(db.db, { columns: cols, from: 'from t', where: 't.flag = 1', chunkBy: { rowid: 't.id', table: 't' }, orderBy: ['t.id'] }, 2);
    expect(some.map((r) => r.id)).toEqual([1, 3, 5, 7]);
    await db.client.execute('create table e (id integer primary key)');
    expect(await readBulk<{ id: number }>(db.db, { columns: { id: ['e.id', 'int'] }, from: 'from e', chunkBy: { rowid: 'e.id', table: 'e' }, orderBy: ['e.id'] })).toEqual([]);
  });
});
