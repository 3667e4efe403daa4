import { afterEach, beforeEach, expect, it } from 'vitest';
import { addFeeds } from '../../db/queries/feeds.ts';
import { feeds } from '../../db/schema.ts';
import { claimFeeds, LEASE_MS, releaseFeeds } from '../../scrapers/leases.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let db: TempDb;
beforeEach(async () => {
  db = await tempDb();
  await addFeeds(db.db, [{ url: 'https://a.example/feed' }, { url: 'https://b.example/feed' }]);
});
afterEach(() => db.cleanup());

it('gives each feed to one worker until the lease is released or expires', async () => {
  const now = new Date('2025-01-01T00:00:00Z');
  expect(await claimFeeds(db.db, 'w1', now)).toHaveLength(2);
  expect(await claimFeeds(db.db, 'w2', now)).toHaveLength(0);
  // The holder may claim again (a resumed run of the same worker).
  expect(await claimFeeds(db.db, 'w1', now)).toHaveLength(2);
  // A lease left by a dead worker expires.
  const later = new Date(now.getTime() + LEASE_MS + 1);
  expect((await claimFeeds(db.db, 'w2', later)).map((f) => f.leaseOwner)).toEqual(['w2', 'w2']);
  await releaseFeeds(db.db, 'w2');
  expect(await claimFeeds(db.db, 'w3', later)).toHaveLength(2);
});

it('claims only due feeds unless asked for all or for given ones', async () => {
  const now = new Date('2025-01-01T00:00:00Z');
  const [a] = await claimFeeds(db.db, 'w1', now, { feedIds: [1] });
  expect(a!.id).toBe(1);
  await releaseFeeds(db.db, 'w1');
  await db.db.update(feeds).set({ nextFetchAt: '2025-01-01T01:00:00.000Z' });
  expect(await claimFeeds(db.db, 'w1', now)).toHaveLength(0);
  expect(await claimFeeds(db.db, 'w1', now, { all: true })).toHaveLength(2);
});

it('claims a bounded batch, so the next worker gets the next feeds; a run never reclaims what it worked on', async () => {
  const now = new Date('2025-01-01T00:00:00Z');
  expect((await claimFeeds(db.db, 'w1', now, { limit: 1 })).map((f) => f.id)).toEqual([1]);
  expect((await claimFeeds(db.db, 'w2', now, { limit: 1 })).map((f) => f.id)).toEqual([2]);
  expect(await claimFeeds(db.db, 'w3', now, { limit: 1 })).toEqual([]);
  // w1 still holds feed 1, but this run already did it: nothing left for it.
  expect(await claimFeeds(db.db, 'w1', now, { limit: 1, exclude: [1] })).toEqual([]);
});
