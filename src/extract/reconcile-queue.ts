/**
 * Reconcile later, durably. The extract stage writes an article's facts and queues the (company,
 * kind, period) groups they changed in the same transaction; the queued groups are reconciled and
 * their companies' briefs rebuilt a chunk at a time, each chunk in one transaction that also takes
 * it off the queue. So a group is reconciled once per stretch of articles rather than once per
 * batch written (its facts are read whole each time: the cost that grows with the corpus), a crash
 * between the two leaves the work queued for the next run, and several workers can share it: a
 * group queued again after it was read is simply reconciled again.
 */
import { sql } from 'drizzle-orm';
import { insertRows, writeTransaction, type Execute, type SqlValue } from '../../db/bulk.ts';
import type { Db } from '../../db/client.ts';
import { reconcileQueue } from '../../db/schema.ts';
import { saveBrief } from './brief.ts';
import { groupBucket, groupOfBucket, reconcileGroups, type FactGroup } from './reconcile.ts';

/** Groups reconciled per transaction: short enough that other writers are not kept waiting long. */
const GROUPS_PER_TRANSACTION = 300;
/** Groups reconciled between two turns of the event loop. */
const GROUPS_PER_STEP = 25;
const turn = () => new Promise<void>((r) => setImmediate(r));

/** Queues groups for reconcileQueued, inside the caller's write transaction. */
export async function queueGroups(execute: Execute, groups: FactGroup[]): Promise<void> {
  const rows = new Map<string, SqlValue[]>();
  for (const g of groups) {
    const bucket = groupBucket(g);
    rows.set(`${g.companyId}|${g.kind}|${bucket}`, [g.companyId, g.kind, bucket]);
  }
  await insertRows(execute, reconcileQueue, [reconcileQueue.companyId, reconcileQueue.kind, reconcileQueue.bucket], [...rows.values()], 'on conflict do nothing');
}

/**
 * Reconciles every queued group and rebuilds the brief of each company among them; returns how
 * many groups were reconciled. Stops early, between transactions, once `signal` aborts. Groups are taken in company order, so a company's groups mostly
 * fall in one chunk and its brief is built once.
 */
export async function reconcileQueued(db: Db, extractor: string, signal?: AbortSignal): Promise<number> {
  let total = 0;
  // Stopped between transactions, each whole: what is left stays queued.
  while (!signal?.aborted) {
    const n = await writeTransaction(db, async (tx) => {
      const rows = await tx.values<[number, string, string]>(
        sql`select company_id, kind, bucket from ${reconcileQueue} order by company_id, kind, bucket limit ${GROUPS_PER_TRANSACTION}`,
      );
      if (!rows.length) return 0;
      // The embedded driver runs each statement synchronously, and awaiting one does not let the
      // event loop turn: a turn between pieces lets the worker threads' finished articles in and
      // their next ones out while a large chunk is reconciled.
      const groups = rows.map((r) => groupOfBucket(r[0], r[1], r[2]));
      for (let i = 0; i < groups.length; i += GROUPS_PER_STEP) {
        await reconcileGroups(tx, groups.slice(i, i + GROUPS_PER_STEP));
        await turn();
      }
      for (const id of new Set(rows.map((r) => r[0]))) {
        await saveBrief(tx, id, extractor);
        await turn();
      }
      const keys = sql.join(rows.map((r) => sql`(${r[0]}, ${r[1]}, ${r[2]})`), sql`, `);
      await tx.run(sql`delete from ${reconcileQueue} where (company_id, kind, bucket) in (values ${keys})`);
      return rows.length;
    });
    total += n;
    if (n < GROUPS_PER_TRANSACTION) break;
  }
  return total;
}

/** Whether anything is queued (a run that finds work left by a crashed one reconciles it first). */
export async function hasQueuedGroups(db: Db): Promise<boolean> {
  return (await db.values(sql`select 1 from ${reconcileQueue} limit 1`)).length > 0;
}
