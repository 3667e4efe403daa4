/**
 * Article leases, as scrapers/leases.ts does it for feeds: several extract processes (on one machine
 * or several, one libSQL server) share a queue without reading an article twice. A worker claims a
 * small batch with ONE conditional UPDATE … WHERE id IN (SELECT … LIMIT n) — atomic in SQLite and
 * libSQL, so two workers cannot both win an article — reads it, and the write that stores its
 * reading clears the lease. A lease left by a worker that died expires; a dead worker on this host
 * is noticed at once and its leases are freed (releaseDeadLeases).
 */
import { hostname } from 'node:os';
import { and, eq, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { processAlive } from '../../db/queries/runs.ts';
import { articles } from '../../db/schema.ts';

/** Long enough for a batch of slow (LLM) articles; a crashed worker's articles come back after this at the latest. */
export const ARTICLE_LEASE_MS = 30 * 60_000;

/** What a run works through: the extraction queue, or what a re-extraction pass has still to read. */
export type Work = { kind: 'pending' } | { kind: 'pass'; pass: number };

function workCondition(work: Work): SQL {
  return work.kind === 'pending' ? eq(articles.extractionStatus, 'pending') : lt(articles.extractionPass, work.pass);
}

const free = (nowIso: string) => or(isNull(articles.extractionLeaseExpiresAt), lte(articles.extractionLeaseExpiresAt, nowIso))!;

/**
 * Claims up to `limit` articles of `work` that no live worker holds, oldest id first within the
 * queue's index, leaving out `exclude` (articles this run already tried). Returns their ids.
 *
 * In a pass, an article that failed before gets a fresh start: it is put back in the queue with no
 * attempts counted — once. Should it then end the process, it is still pending when claimed again,
 * its attempts keep counting, and the pipeline gives it up after the usual number of tries.
 */
export async function claimArticles(db: Db, worker: string, now: Date, work: Work, limit: number, exclude: Iterable<number> = []): Promise<number[]> {
  const nowIso = now.toISOString();
  const ex = [...exclude];
  const conds = [workCondition(work), free(nowIso)];
  // One JSON parameter, not one per id: far below SQLite's bound-parameter limit however long the run.
  if (ex.length) conds.push(sql`${articles.id} not in (select value from json_each(${JSON.stringify(ex)}))`);
  const where = and(...conds)!;
  const set: Record<string, unknown> = { extractionLeaseOwner: worker, extractionLeaseExpiresAt: new Date(now.getTime() + ARTICLE_LEASE_MS).toISOString() };
  if (work.kind === 'pass') {
    set.extractionAttempts = sql`case when ${articles.extractionStatus} = 'failed' then 0 else ${articles.extractionAttempts} end`;
    set.extractionStatus = sql`case when ${articles.extractionStatus} = 'failed' then 'pending' else ${articles.extractionStatus} end`;
  }
  const rows = await db
    .update(articles)
    .set(set)
    // The same conditions inside and out: the subquery picks n candidates from the index, the
    // outer WHERE keeps the UPDATE conditional on each row as it is written.
    .where(and(where, sql`${articles.id} in (select ${articles.id} from ${articles} where ${where} limit ${Math.max(1, limit)})`))
    .returning({ id: articles.id });
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** Articles of `work` not read yet, leased or not (for progress; read from the queue's index). */
export async function remainingArticles(db: Db, work: Work): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(articles).where(workCondition(work));
  return Number(row?.n ?? 0);
}

/** Frees this worker's leases on these articles (claimed, never read: the run stopped first). */
export async function releaseArticles(db: Db, worker: string, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await db
      .update(articles)
      .set({ extractionLeaseOwner: null, extractionLeaseExpiresAt: null })
      .where(and(eq(articles.extractionLeaseOwner, worker), inArray(articles.id, ids.slice(i, i + 500))));
  }
}

/**
 * Frees the leases held by workers of this host whose process is gone (killed, crashed), so their
 * articles are read again now rather than when the leases expire. Owners are `host:pid` (WORKER_ID);
 * leases of other hosts, or of workers named otherwise, are left to expire. Returns the dead owners.
 */
export async function releaseDeadLeases(db: Db, now: Date): Promise<string[]> {
  const rows = await db
    .selectDistinct({ owner: articles.extractionLeaseOwner })
    .from(articles)
    .where(and(isNotNull(articles.extractionLeaseOwner), sql`${articles.extractionLeaseExpiresAt} > ${now.toISOString()}`));
  const host = `${hostname()}:`;
  const dead = rows
    .map((r) => r.owner!)
    .filter((o) => o.startsWith(host) && /^\d+$/.test(o.slice(host.length)))
    .filter((o) => Number(o.slice(host.length)) !== process.pid && !processAlive(Number(o.slice(host.length))));
  if (dead.length) await db.update(articles).set({ extractionLeaseOwner: null, extractionLeaseExpiresAt: null }).where(inArray(articles.extractionLeaseOwner, dead));
  return dead;
}
