/**
 * Keeping the site's change log (schema.ts siteChanges) from growing without end. Its rows matter
 * only after the base a site build keeps (src/lib/site/row-base.ts): a build that keeps a new base
 * removes the rows before it, and a database that is written to but seldom built (an API-only
 * deployment, a site built elsewhere) is trimmed by its writer to the newest LOG_KEEP rows. A build
 * whose base is older than what is left reads every row once, as it would without the log.
 */
import type { Client } from '@libsql/client';
import type { Db } from './client.ts';

/** ~40 MB of log; at 10k articles a day (~6 rows each) about two weeks of writes. */
export const LOG_KEEP = 1_000_000;

const client = (db: Db) => (db as Db & { $client: Client }).$client;

/**
 * Removes the rows before `seq`, as far as the database lets it: a read-only or busy one keeps them
 * (SQLite's short busy wait, no retries: the next base or refresh tries again).
 */
export async function pruneChangesBefore(db: Db, seq: number): Promise<void> {
  await client(db)
    .execute({ sql: 'delete from site_changes where seq < ?', args: [seq] })
    .catch(() => undefined);
}

/** Keeps the newest `keep` rows (LOG_KEEP), as far as the database lets it. */
export async function trimChanges(db: Db, keep = LOG_KEEP): Promise<void> {
  await client(db)
    .execute({ sql: 'delete from site_changes where seq <= (select max(seq) from site_changes) - ?', args: [keep] })
    .catch(() => undefined);
}
