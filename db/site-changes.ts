/**
 * The site's change log (schema.ts siteChanges, migration 0008): what it says and keeping it small.
 * The site build keeps the rows it read with the log's mark and re-reads only what the log names
 * after it (src/lib/site/row-base.ts). Its rows matter only after such a mark: a build that keeps a
 * new one removes the rows before it, and a database that is written to but seldom built (an
 * API-only deployment, a site built elsewhere) is trimmed by its writer to the newest LOG_KEEP rows.
 * A build whose mark is older than what is left reads every row once, as it would without the log.
 */
import { clientOf, type Db } from './client.ts';

/** The log's triggers (migration 0008): a mark is trusted only while all of them are there. */
export const LOG_TRIGGERS = [
  'site_changes_facts_ai',
  'site_changes_facts_au',
  'site_changes_facts_ad',
  'site_changes_companies_au',
  'site_changes_companies_ad',
  'site_changes_fact_sources_ai',
  'site_changes_fact_sources_au',
  'site_changes_fact_sources_ad',
  'site_changes_articles_au',
  'site_changes_articles_ad',
];

/** ~40 MB of log; at 10k articles a day (~6 rows each) about two weeks of writes. */
export const LOG_KEEP = 1_000_000;

/** Where the log stood: its last sequence number and that row's random stamp. */
export interface LogMark {
  seq: number;
  stamp: string;
}

/** What the log names after a mark: facts and articles by id, companies by id. */
export interface LoggedKeys {
  facts: string[];
  companies: number[];
  articles: number[];
}

/**
 * Where the log stands now, or null when a mark taken now could not be followed later (no log, or
 * one of its triggers missing). Read before the rows kept with it: a write after it is logged after it.
 */
export async function logMark(db: Db): Promise<LogMark | null> {
  const c = clientOf(db);
  try {
    const t = await c.execute({ sql: `select count(*) as n from sqlite_master where type = 'trigger' and name in (select value from json_each(?))`, args: [JSON.stringify(LOG_TRIGGERS)] });
    if (Number(t.rows[0]?.n) !== LOG_TRIGGERS.length) return null;
    const r = await c.execute('select seq, cast(stamp as text) as stamp from site_changes order by seq desc limit 1');
    const row = r.rows[0];
    return row ? { seq: Number(row.seq), stamp: String(row.stamp) } : null;
  } catch {
    return null; // a database from before the log (read-only, so not migrated)
  }
}

/**
 * The keys written after `from` up to `to` (a mark taken now), or null when the log cannot vouch for
 * `from`: its row there is gone (trimmed) or carries another stamp (another database, or a copy with
 * another history since), or `to` is before it (a database restored from before).
 */
export async function loggedSince(db: Db, from: LogMark, to: LogMark): Promise<LoggedKeys | null> {
  if (to.seq < from.seq) return null;
  const c = clientOf(db);
  const at = await c.execute({ sql: 'select cast(stamp as text) as stamp from site_changes where seq = ?', args: [from.seq] });
  if (String(at.rows[0]?.stamp ?? '') !== from.stamp) return null;
  const logged = await c.execute({ sql: 'select kind, key from site_changes where seq > ? and seq <= ? group by kind, key', args: [from.seq, to.seq] });
  const keys: LoggedKeys = { facts: [], companies: [], articles: [] };
  for (const r of logged.rows) {
    if (r.kind === 'fact') keys.facts.push(String(r.key));
    else if (r.kind === 'company') keys.companies.push(Number(r.key));
    else if (r.kind === 'article') keys.articles.push(Number(r.key));
  }
  return keys;
}

/**
 * Removes the rows before `seq`, as far as the database lets it: a read-only or busy one keeps them
 * (SQLite's short busy wait, no retries: the next mark or refresh tries again).
 */
export async function pruneChangesBefore(db: Db, seq: number): Promise<void> {
  await clientOf(db)
    .execute({ sql: 'delete from site_changes where seq < ?', args: [seq] })
    .catch(() => undefined);
}

/** Keeps the newest `keep` rows (LOG_KEEP), as far as the database lets it. */
export async function trimChanges(db: Db, keep = LOG_KEEP): Promise<void> {
  await clientOf(db)
    .execute({ sql: 'delete from site_changes where seq <= (select max(seq) from site_changes) - ?', args: [keep] })
    .catch(() => undefined);
}
