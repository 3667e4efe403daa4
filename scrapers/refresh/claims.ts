/**
 * Load due feeds: claim a few at a time and come back for more as they are done, so N workers on one
 * database split the due feeds instead of the first one taking them all. A worker holds at most about
 * `concurrency` feeds; each goes feed → its pages on its own, so no batch waits for its slowest feed.
 * Feeds stay leased to this run until it ends and are never claimed twice by it.
 */
import type { Db } from '../../db/client.ts';
import { claimFeeds, releaseFeeds, type ClaimOptions } from '../leases.ts';
import { feedsOwingItems, type Feed } from '../state.ts';

export interface ClaimLoopOptions extends Pick<ClaimOptions, 'feedIds' | 'all'> {
  worker: string;
  concurrency: number;
  /** Feeds claimed at a time. */
  batchSize: number;
  now: () => Date;
  aborted: () => boolean;
}

/**
 * Runs `work` once for every feed this run can claim, and frees every lease when done. `owes` says
 * whether the feed had items owed when it was claimed (feedsOwingItems).
 */
export async function forEachClaimedFeed(db: Db, o: ClaimLoopOptions, work: (feed: Feed, owes: boolean) => Promise<void>): Promise<void> {
  const window = Math.max(o.batchSize, o.concurrency);
  const worked = new Set<number>();
  const inFlight = new Set<Promise<void>>();
  let broken: { err: unknown } | undefined;
  try {
    while (!o.aborted() && !broken) {
      const claimed = await claimFeeds(db, o.worker, o.now(), { feedIds: o.feedIds, all: o.all, limit: o.batchSize, exclude: worked });
      if (claimed.length === 0) break;
      const owing = await feedsOwingItems(db, claimed.map((f) => f.id));
      for (const feed of claimed) {
        worked.add(feed.id);
        // A failure here is the database itself (feed and page failures are recorded, not thrown):
        // stop claiming, let the feeds in flight settle, then end the run with it.
        const p: Promise<void> = work(feed, owing.has(feed.id))
          .catch((err: unknown) => void (broken ??= { err }))
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      while (inFlight.size > window - o.batchSize) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (broken) throw broken.err;
  } finally {
    await releaseFeeds(db, o.worker);
  }
}
