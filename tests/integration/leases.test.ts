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
