/**
 * src/lib/site/row-base.ts on a real, migrated libSQL file: the rows a build keeps, patched with what
 * the change log (migration 0008's triggers) names since, are exactly the rows and order a full read
 * gives — after every kind of write the stages (or a hand in the sqlite shell) make to the tables the
 * rows come from. And a base the log cannot vouch for is not used.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type OpenDb } from '../../db/client.ts';
import { readBulk } from '../../db/bulk-read.ts';
import { logMark, pruneChangesBefore, trimChanges } from '../../db/site-changes.ts';
import { FACT_ROWS, SOURCE_ROWS, type CurrentSource, type StoredFactRow } from '../../src/lib/site/queries.ts';
import { applyPatch, baseFile, changesSince, loadBase, writeBase, type RowBase } from '../../src/lib/site/row-base.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-row-base-'));
let h: OpenDb;

const fresh = async (handle: OpenDb = h) => ({
  allFacts: await readBulk<StoredFactRow>(handle.db, FACT_ROWS),
  currentSources: await readBulk<CurrentSource>(handle.db, SOURCE_ROWS),
});

async function run(...statements: string[]): Promise<void> {
  for (const s of statements) await h.client.execute(s);
}

/** The base kept now, written to a file and read back as a build does. */
async function keep(name: string, handle: OpenDb = h): Promise<RowBase> {
  const mark = (await logMark(handle.db))!;
  expect(mark).not.toBeNull();
  const file = baseFile(path.join(dir, name));
  expect(writeBase(file, mark, await fresh(handle))).toBe(true);
  return loadBase(file)!;
}

/** The base patched with the changes since it, as the next build would see them. */
async function patched(base: RowBase, handle: OpenDb = h) {
  const found = await changesSince(handle.db, { ...base, rows: base.allFacts.length + base.currentSources.length });
  expect(found, 'the log vouches for the base').not.toBeNull();
  return applyPatch(base, found!.patch);
}

const article = (id: number, title: string, published: string, copyOf: number | null = null) =>
  `insert into articles (id, url, key, title, outlet, published_at, text, content_hash, simhash, copy_of_id)
   values (${id}, 'https://news.example/${id}', 'k${id}', '${title}', 'Outlet ${id % 3}', ${published ? `'${published}'` : 'null'}, 'text ${id}', 'h${id}', 's${id}', ${copyOf ?? 'null'})`;
const fact = (id: string, company: number, asOf: string | null, value: number | null, conflicts: string | null = null) =>
  `insert into facts (id, company_id, kind, value, unit, as_of, statement, extractor, confidence, conflicts_with)
   values ('${id}', ${company}, 'revenue', ${value ?? 'null'}, 'USD', ${asOf ? `'${asOf}'` : 'null'}, 'Statement of ${id}', 'rules', 0.8, ${conflicts ? `'${conflicts}'` : 'null'})`;
const source = (factId: string, articleId: number, start: number, revision = 1) =>
  `insert into fact_sources (fact_id, article_id, revision, evidence, start, "end", extractor) values ('${factId}', ${articleId}, ${revision}, 'evidence ${factId}', ${start}, ${start + 10}, 'rules')`;

beforeAll(async () => {
  h = await openDb(`file:${path.join(dir, 'site.db')}`);
  await run(
    `insert into companies (id, slug, name) values (1, 'klarna', 'Klarna'), (2, 'affirm', 'Affirm'), (3, 'adyen', 'Adyen')`,
    article(1, 'Klarna results', '2024-05-01T08:00:00Z'),
    article(2, 'Klarna copies', '2024-05-02T08:00:00Z', 1),
    article(3, 'Affirm quarter', '2024-02-10T08:00:00Z'),
    article(4, 'Undated', ''),
    fact('f1', 1, '2024', 2.3e9),
    fact('f2', 1, '2023-Q4', 0.1 + 0.2),
    fact('f3', 2, null, null),
    fact('f4', 2, '2024-Q1', 45.6e9, '["f1"]'),
    fact('f5', 3, '2022', 6.7e9),
    source('f1', 1, 0),
    source('f1', 2, 5),
    source('f2', 1, 40),
    source('f3', 3, 0),
    source('f4', 3, 30),
    source('f4', 4, 0),
    source('f5', 4, 20),
    source('f5', 3, 60, 0), // an older revision's: not current
  );
});

afterAll(() => {
  h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the rows a build keeps, patched with the change log', () => {
  it('reads back as the rows it was written from, in chunks, and not at all when the file is cut short', async () => {
    const base = await keep('round-trip');
    const rows = await fresh();
    expect({ allFacts: base.allFacts, currentSources: base.currentSources }).toEqual(rows);
    expect(base.allFacts.find((f) => f.id === 'f2')!.value).toBe(0.1 + 0.2);
    expect(base.allFacts.find((f) => f.id === 'f4')!.conflictsWith).toEqual(['f1']);
    // Two rows a line: a file of several chunks of each kind.
    const file = baseFile(path.join(dir, 'chunked'));
    expect(writeBase(file, base, rows, 2)).toBe(true);
    const back = loadBase(file)!;
    expect({ allFacts: back.allFacts, currentSources: back.currentSources }).toEqual(rows);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(1 + Math.ceil(rows.allFacts.length / 2) + Math.ceil(rows.currentSources.length / 2));
    // Cut at a line's end (it still parses) and in the middle of one.
    writeFileSync(file, `${lines.slice(0, -1).join('\n')}\n`);
    expect(loadBase(file)).toBeNull();
    writeFileSync(file, lines.join('\n').slice(0, -5));
    expect(loadBase(file)).toBeNull();
    // A value JSON cannot carry is not kept (it would come back as null).
    expect(writeBase(file, base, { ...rows, allFacts: [{ ...rows.allFacts[0]!, value: Infinity }] })).toBe(false);
  });

  it('equals a full read after each kind of write, alone and adding up from one base', async () => {
    const base = await keep('cumulative');
    const steps: [string, string[]][] = [
      ['a refresh: a new article, a new fact, a second source for an old one', [article(5, 'Klarna hires again', '2025-03-01T08:00:00Z'), fact('f6', 1, '2025', 700), source('f6', 5, 0), source('f2', 5, 30)]],
      ['a source span corrected', [`update fact_sources set start = 2, "end" = 9 where fact_id = 'f2' and article_id = 1`]],
      ['reconcile: a value, corroboration and conflicts rewritten', [`update facts set value = 2.4e9, corroboration = 'disputed', conflicts_with = '["f4"]', updated_at = '2026-01-01T00:00:00Z' where id = 'f1'`]],
      ['a correction: a fact retracted', [`update facts set retracted = 1 where id = 'f3'`]],
      ['a fact deleted, its sources with it', [`delete from fact_sources where fact_id = 'f5'`, `delete from facts where id = 'f5'`]],
      ['a company renamed (every fact row carries its slug and name)', [`update companies set name = 'Klarna Group', slug = 'klarna-group' where id = 1`]],
      // Each column a source row shows of its article, alone.
      ['an article retitled', [`update articles set title = 'Affirm, revised' where id = 3`]],
      ['an article redated', [`update articles set published_at = '2023-12-31T08:00:00Z' where id = 3`]],
      ['an article given another outlet and url', [`update articles set outlet = 'Wire', url = 'https://wire.example/3' where id = 3`]],
      ['a new revision of an article, its sources read again from it', [`update articles set revision = 2 where id = 4`, source('f4', 4, 3, 2)]],
      ['an original deleted: its copy is an original now', [`update articles set copy_of_id = null where copy_of_id = 1`, `delete from fact_sources where article_id = 1`, `delete from articles where id = 1`]],
      ['a fact moved to another company, and a source dropped by hand', [`update facts set company_id = 3 where id = 'f6'`, `delete from fact_sources where fact_id = 'f4' and article_id = 3`]],
      ['a retracted fact back', [`update facts set retracted = 0 where id = 'f3'`]],
      // The sqlite3 shell enforces no foreign keys unless asked: an article deleted there leaves its
      // source rows behind (no cascade, so no log row of theirs), which the join no longer finds.
      ['an article deleted in the shell, its source rows left', ['pragma foreign_keys = off', `delete from articles where id = 5`, 'pragma foreign_keys = on']],
      ['a company deleted in the shell, its facts left', ['pragma foreign_keys = off', `delete from companies where id = 2`, 'pragma foreign_keys = on']],
      ['a company deleted, its facts with it', [`delete from companies where id = 3`]],
    ];
    for (const [i, [what, sql]] of steps.entries()) {
      // From a base kept just before the write (only it is in the log after it), and from the first.
      const just = await keep(`step-${i}`);
      await run(...sql);
      const now = await fresh();
      expect(await patched(just), `${what}, alone`).toEqual(now);
      expect(await patched(base), `${what}, after the steps before it`).toEqual(now);
    }
    // The steps did change what the rows say (the comparison above is not of two empty lists).
    const now = await fresh();
    expect(now.allFacts.map((f) => f.company)).toContain('klarna-group');
    expect(now.currentSources.find((s) => s.articleId === 2)!.copyOfId).toBeNull();
  });

  it('is not used for a database with another history, without its triggers, or older than the base', async () => {
    const base = await keep('trust');
    const rows = base.allFacts.length + base.currentSources.length;
    // A copy with the same history is fine, and its own writes are patched in.
    const sameFile = path.join(dir, 'same.db');
    await h.client.execute(`vacuum into '${sameFile}'`);
    const same = await openDb(`file:${sameFile}`);
    await same.client.execute(`update facts set value = 1 where id = 'f1'`);
    expect(await patched(base, same)).toEqual(await fresh(same));
    same.close();
    // A copy that went its own way: made, then the original written to and a base kept there, then
    // the copy written to as often. The log row at the base's number is another one in the copy.
    const otherFile = path.join(dir, 'other.db');
    await h.client.execute(`vacuum into '${otherFile}'`);
    for (let i = 0; i < 3; i++) await run(`update facts set value = ${i} where id = 'f2'`);
    const later = await keep('trust-later');
    const other = await openDb(`file:${otherFile}`);
    for (let i = 0; i < 5; i++) await other.client.execute(`update facts set value = ${10 + i} where id = 'f1'`);
    expect((await logMark(other.db))!.seq).toBeGreaterThan(later.seq);
    expect(await changesSince(other.db, { ...later, rows })).toBeNull();
    // The same database restored from before the base (its log ends before the base's number).
    const restoredFile = path.join(dir, 'restored.db');
    await h.client.execute(`vacuum into '${restoredFile}'`);
    await run(`update facts set value = 2 where id = 'f2'`);
    const newest = await keep('trust-newest');
    const restored = await openDb(`file:${restoredFile}`);
    expect(await changesSince(restored.db, { ...newest, rows })).toBeNull();
    restored.close();
    other.close();
    // The log trimmed past the base (a refresh keeps only the newest rows): read everything.
    const trimmed = await keep('trimmed');
    for (let i = 0; i < 4; i++) await run(`update facts set value = ${20 + i} where id = 'f2'`);
    await trimChanges(h.db, 3);
    expect(Number((await h.client.execute('select count(*) as n from site_changes')).rows[0]!.n)).toBe(3);
    expect(await changesSince(h.db, { ...trimmed, rows })).toBeNull();
    // A build keeping a new base drops the rows before it, and the new base is patched as usual.
    const kept = await keep('pruned');
    await pruneChangesBefore(h.db, kept.seq);
    expect(Number((await h.client.execute('select min(seq) as m from site_changes')).rows[0]!.m)).toBe(kept.seq);
    await run(`update facts set value = 99 where id = 'f2'`);
    expect(await patched(kept)).toEqual(await fresh());
    // A trigger gone (a migration rebuilt the table): neither patched nor kept.
    await run('drop trigger site_changes_companies_au');
    expect(await logMark(h.db)).toBeNull();
    expect(await changesSince(h.db, { ...base, rows })).toBeNull();
  });
});
