/**
 * The run's record (the last step of a refresh, and its first): runs that died half-way are marked
 * and their leases freed so their queued work is resumed; this run gets a row, a failure row per
 * failed feed or page as it happens (a crash later still shows them), and its counts at the end.
 */
import type { Db } from '../../db/client.ts';
import { finishRun, markInterruptedRuns, recordFailure, startRun, type Failure } from '../../db/queries/runs.ts';
import type { Logger } from '../../src/shared/log.ts';
import { releaseLeasesOf } from '../leases.ts';
import type { RefreshStats } from './stats.ts';

export type { Failure };

/** Earlier runs of this host whose process is gone: marked interrupted, their feeds free to claim again. */
export async function resumeAfterCrash(db: Db, log: Logger): Promise<void> {
  const dead = await markInterruptedRuns(db);
  if (dead.length === 0) return;
  log.warn(`${dead.length} earlier run(s) ended without finishing; resuming their queued work`);
  await releaseLeasesOf(db, dead);
}

export class RunLog {
  readonly failures: Failure[] = [];

  private readonly db: Db;
  readonly id: number;

  private constructor(db: Db, id: number) {
    this.db = db;
    this.id = id;
  }

  static async start(db: Db, worker: string): Promise<RunLog> {
    const run = await startRun(db, 'refresh', worker);
    return new RunLog(db, run.id);
  }

  /** Keeps the failure for the report and writes it at once. */
  async fail(f: Failure): Promise<void> {
    this.failures.push(f);
    await recordFailure(this.db, this.id, f);
  }

  async finish(status: 'finished' | 'interrupted', stats: RefreshStats): Promise<void> {
    await finishRun(this.db, this.id, status, { ...stats, failures: this.failures.length });
  }
}
