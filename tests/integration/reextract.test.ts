/**
 * Re-extraction at scale through the real CLI on real libSQL files (issue 15): `factdesk extract
 * --all` after an extractor upgrade changes only what the new version reads differently — unchanged
 * facts keep their rows (rowid, created_at, updated_at) and their sources, new claims are added,
 * claims no longer read go — and ends with the database a fresh extraction by the new version gives;
 * killed with SIGKILL half-way, the rerun reads only what the killed run had not stored; two
 * processes started together — on one file, or on a libSQL server as machines would — share the pass
 * under leases, neither reading what the other read. The
 * end state, corroboration and disputes included, is in every case that of one uninterrupted run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { BIN, runCli } from '../helpers/cli.ts';
import { newsCorpus, simulateOlderReading, storeCorpus } from '../helpers/news-corpus.ts';
import { startSqld, type Sqld } from '../helpers/sqld.ts';

const ARTICLES = 400;
const corpus = newsCorpus({ articles: ARTICLES, paragraphs: 8, reprintEvery: 25 });
let dir: string;
let sqld: Sqld;

const env = (url: string) => ({ ...process.env, DATABASE_URL: url, FACTDESK_EXTRACT_TIMEOUT_MS: '60000' });

async function corpusDb(name: string): Promise<string> {
  const url = `file:${path.join(dir, name)}`;
  const h = await openDb(url);
  await storeCorpus(h.client, corpus);
  h.close();
  return url;
}

async function extract(url: string, args: string[] = []) {
  const r = await runCli(['extract', '--json', ...args], env(url), { timeoutMs: 170_000 });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    status: string;
    stats: { articles: number; extracted: number; failed: number };
    pass?: { id: number; joined: boolean; finished: boolean };
  };
}

async function rows(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const c = createClient({ url });
  try {
    return (await c.execute(sql)).rows.map((r) => ({ ...r }));
  } finally {
    c.close();
  }
}

/** What was read, extractor names aside (a claim read as before keeps the version that first read it). */
async function state(url: string) {
  return {
    // A claim several articles make takes its statement and confidence from whichever was written
    // first, which concurrent threads decide; a single-source fact's are its source's.
    facts: await rows(
      url,
      `select f.id, c.slug, f.kind, f.value, f.value_high, f.unit, f.status, f.as_of, f.corroboration, f.conflicts_with, f.retracted,
              case when (select count(*) from fact_sources s where s.fact_id = f.id) = 1
                then json_array(f.direction, f.change_pct, f.approximate, f.label, f.speaker, f.quote, f.statement, f.confidence) end as reading
       from facts f join companies c on c.id = f.company_id order by f.id`,
    ),
    sources: await rows(url, `select fact_id, article_id, revision, evidence, start, "end", partial from fact_sources order by fact_id, article_id, revision, start`),
    articles: await rows(url, `select id, extraction_status, extraction_lease_owner from articles order by id`),
    briefs: await rows(url, `select c.slug, s.text from summaries s join companies c on c.id = s.company_id order by c.slug`),
    queued: await rows(url, `select * from reconcile_queue`),
  };
}

type State = Awaited<ReturnType<typeof state>>;
let reference: State;

/** Rows only one side has, per table: {} when the two databases hold the same. */
function differences(got: State, want: State): Record<string, { extra: string[]; missing: string[] }> {
  const out: Record<string, { extra: string[]; missing: string[] }> = {};
  for (const k of Object.keys(want) as (keyof State)[]) {
    const g = got[k].map((r) => JSON.stringify(r));
    const w = want[k].map((r) => JSON.stringify(r));
    const extra = g.filter((r) => !w.includes(r));
    const missing = w.filter((r) => !g.includes(r));
    if (extra.length || missing.length) out[k] = { extra: extra.slice(0, 5), missing: missing.slice(0, 5) };
    else if (g.join('\n') !== w.join('\n')) out[k] = { extra: ['same rows, another order or another type'], missing: [] };
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-reextract-'));
  sqld = await startSqld();
  const url = await corpusDb('reference.db');
  const r = await extract(url);
  expect(r.stats.extracted).toBe(ARTICLES);
  reference = await state(url);
  // The corpus exercises what reconcile decides: agreement, disputes, copies.
  const kinds = new Set(reference.facts.map((f) => f.corroboration));
  expect([...kinds].sort()).toEqual(['corroborated', 'disputed', 'single-source']);
  expect(reference.queued).toEqual([]);
}, 180_000);
afterAll(async () => {
  await sqld?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('extract --all', () => {
  it('after a version bump changes only what the new version reads differently', async () => {
    const url = await corpusDb('bump.db');
    await extract(url);
    const older = await simulateOlderReading(url);
    expect(older.users).toBeGreaterThan(0);
    expect(older.extra).toBeGreaterThan(0);
    const sql = `select f.rowid, f.id, f.kind, f.created_at, f.updated_at, f.extractor from facts f order by f.id`;
    const before = new Map((await rows(url, sql)).map((f) => [f.id, f]));
    const sourcesBefore = new Map((await rows(url, `select rowid, fact_id, article_id from fact_sources`)).map((s) => [`${s.fact_id}|${s.article_id}`, s.rowid]));
    await new Promise((r) => setTimeout(r, 20)); // a rewritten row would carry a later timestamp

    const r = await extract(url, ['--all']);
    // Every article once, and the copies read before their original again (they may repeat what it now says).
    const copies = corpus.filter((a) => a.copyOf).length;
    expect(r.stats.extracted).toBeGreaterThanOrEqual(ARTICLES);
    expect(r.stats.extracted).toBeLessThanOrEqual(ARTICLES + copies);
    expect(r.pass).toMatchObject({ joined: false, finished: true });

    // What the new version reads, exactly as a fresh extraction by it.
    expect(differences(await state(url), reference)).toEqual({});
    const after = new Map((await rows(url, sql)).map((f) => [f.id, f]));
    // Users figures are new, the older reading's metrics are gone.
    expect([...after.values()].filter((f) => f.kind === 'users').every((f) => !before.has(f.id))).toBe(true);
    expect([...after.keys()].some((id) => String(id).startsWith('older'))).toBe(false);
    // Every other fact is the row it was: same rowid, never rewritten (headcounts: their score changed).
    let untouched = 0;
    for (const [id, f] of after) {
      const b = before.get(id);
      if (!b) continue;
      expect({ rowid: f.rowid, createdAt: f.created_at }, String(id)).toEqual({ rowid: b.rowid, createdAt: b.created_at });
      if (f.kind === 'headcount') continue;
      expect(f.updated_at, `${f.kind} ${id}`).toBe(b.updated_at);
      expect(f.extractor).toBe('rules/1'); // still the version that first read it
      untouched++;
    }
    expect(untouched).toBeGreaterThan(reference.facts.length / 2);
    expect([...after.values()].filter((f) => f.kind === 'headcount' && f.updated_at !== before.get(f.id)?.updated_at).length).toBeGreaterThan(0);
    // And so are their sources.
    const sourcesAfter = await rows(url, `select s.rowid, s.fact_id, s.article_id from fact_sources s join facts f on f.id = s.fact_id where f.kind <> 'users'`);
    const moved = sourcesAfter.filter((s) => sourcesBefore.get(`${s.fact_id}|${s.article_id}`) !== s.rowid);
    expect(moved).toEqual([]);

    // A second pass at the same version re-reads everything and changes nothing.
    const snapshot = await rows(url, `select rowid, id, updated_at from facts order by id`);
    const again = await extract(url, ['--all']);
    expect(again.pass).toMatchObject({ joined: false, finished: true });
    expect(again.stats.extracted).toBe(ARTICLES);
    expect(await rows(url, `select rowid, id, updated_at from facts order by id`)).toEqual(snapshot);
  }, 240_000);

  it('killed with SIGKILL half-way, is resumed by the next run, which reads only what is left', async () => {
    const url = await corpusDb('kill.db');
    const child = spawn(process.execPath, [BIN, 'extract', '--all'], { env: env(url), stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const c = createClient({ url, timeout: 5000 });
    let stored = 0;
    try {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && stored < 80) {
        stored = Number((await c.execute('select count(*) from articles where extraction_pass > 0').catch(() => ({ rows: [[0]] }))).rows[0]![0]);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const left = Number((await c.execute('select count(*) from articles where extraction_pass = 0')).rows[0]![0]);
    c.close();
    expect(stored, log).toBeGreaterThanOrEqual(80);
    expect(left, 'the run was killed before it finished').toBeGreaterThan(0);
    // `status` shows the pass left open.
    const status = await runCli(['status', '--json'], env(url));
    expect(JSON.parse(status.stdout).reextraction).toMatchObject({ pass: 1, extractor: 'rules/2', articles: ARTICLES, left });

    const r = await extract(url, ['--all']);
    expect(r.pass).toMatchObject({ joined: true, finished: true });
    expect(r.stats.articles).toBe(left);
    expect(r.stats.extracted).toBe(left); // nothing the killed run stored is read again
    expect(differences(await state(url), reference)).toEqual({});
    expect(JSON.parse((await runCli(['status', '--json'], env(url))).stdout).reextraction).toBeNull();
    expect(await rows(url, `select status, error from runs where kind = 'extract' order by id`)).toEqual([
      { status: 'interrupted', error: 'process ended before the run finished' },
      { status: 'finished', error: null },
    ]);
  }, 240_000);

});

describe.each([
  ['a file', async () => corpusDb('shared.db')],
  ['a libSQL server', async () => {
    const h = await openDb(sqld.url);
    await storeCorpus(h.client, corpus);
    h.close();
    return sqld.url;
  }],
])('extract --all on two processes sharing %s', (_name, seed) => {
  it('shares the pass: each reads some, none twice, and the end is one run\'s', async () => {
    const url = await seed();
    const [a, b] = await Promise.all([extract(url, ['--all']), extract(url, ['--all'])]);
    const read = [a!.stats.extracted, b!.stats.extracted];
    for (const n of read) expect(n, `articles read per process: ${read}`).toBeGreaterThan(0);
    expect(read[0]! + read[1]!).toBe(ARTICLES);
    expect(a!.pass!.id).toBe(b!.pass!.id);
    expect([a!.pass!.joined, b!.pass!.joined].sort()).toEqual([false, true]);
    expect(a!.pass!.finished || b!.pass!.finished).toBe(true);
    expect(differences(await state(url), reference)).toEqual({});
  }, 240_000);
});
