/** The run log: one row per refresh/extract, failures with reasons, and crash detection. */
import { and, eq, inArray } from 'drizzle-orm';
import { hostname } from 'node:os';
import type { Db } from '../client.ts';
import { runs, runFailures, type Run } from '../schema.ts';

export interface Failure {
  scope: 'feed' | 'page' | 'article';
  feedId?: number | null;
  url?: string | null;
  code: string;
  message: string;
}

export const WORKER_ID = `${hostname()}:${process.pid}`;

export async function startRun(db: Db, kind: 'refresh' | 'extract', worker = WORKER_ID): Promise<Run> {
  const [row] = await db.insert(runs).values({ kind, worker, pid: process.pid }).returning();
  return row!;
}

export async function recordFailure(db: Db, runId: number, f: Failure): Promise<void> {
  await db.insert(runFailures).values({
    runId,
    scope: f.scope,
    feedId: f.feedId ?? null,
    url: f.url ?? null,
    code: f.code,
    message: f.message.slice(0, 2000),
  });
}

export async function finishRun(
  db: Db,
  runId: number,
  status: 'finished' | 'failed' | 'interrupted',
  stats: Record<string, unknown>,
  error?: string,
): Promise<void> {
  await db
    .update(runs)
    .set({ status, stats: JSON.stringify(stats), error: error ?? null, finishedAt: new Date().toISOString() })
    .where(eq(runs.id, runId));
}

/** Whether a process of this host is still running. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM means it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs left 'running' by a process on this host that no longer exists were killed half-way; mark
 * them so `status` shows the crash, and return their worker ids (their feed leases can be freed).
 * `kind` limits it to one kind of run (extract marks only its own: a dead refresh's feed leases
 * are freed by the next refresh, which must still find it running). Their unfinished work is still queued (feed_items), so the next
 * run resumes it. Runs on other hosts are left to their own lease expiry.
 */
export async function markInterruptedRuns(db: Db, kind?: 'refresh' | 'extract'): Promise<string[]> {
  const host = hostname();
  const open = await db.select().from(runs).where(kind ? and(eq(runs.status, 'running'), eq(runs.kind, kind)) : eq(runs.status, 'running'));
  const dead = open.filter(
    (r) => r.pid != null && r.worker?.startsWith(`${host}:`) && r.pid !== process.pid && !processAlive(r.pid),
  );
  if (dead.length === 0) return [];
  await db
    .update(runs)
    .set({ status: 'interrupted', finishedAt: new Date().toISOString(), error: 'process ended before the run finished' })
    .where(and(eq(runs.status, 'running'), inArray(runs.id, dead.map((r) => r.id))));
  return [...new Set(dead.map((r) => r.worker!))];
}
