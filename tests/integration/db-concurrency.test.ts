/**
 * Many async tasks writing one embedded database at once. Without the in-process write queue
 * (db/write-lock.ts) a second writer blocks the event loop inside SQLite's busy handler while the
 * first transaction waits for its continuation: a deadlock that ends in SQLITE_BUSY.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { feeds } from '../../db/schema.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

let db: TempDb;
beforeEach(async () => (db = await tempDb()));
afterEach(() => db.cleanup());

it('runs interleaved transactions and single writes from concurrent tasks without SQLITE_BUSY', async () => {
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0
        ? db.db.insert(feeds).values({ url: `https://example.com/single-${i}` })
        : db.db.transaction(async (tx) => {
            await tx.insert(feeds).values({ url: `https://example.com/tx-${i}` });
            await new Promise((r) => setTimeout(r, 5)); // yield while holding the write lock
            await tx.update(feeds).set({ title: `feed ${i}` }).where(eq(feeds.url, `https://example.com/tx-${i}`));
          }),
    ),
  );
  expect(Date.now() - t0).toBeLessThan(5000);
  const [row] = await db.db.select({ n: sql<number>`count(*)` }).from(feeds);
  expect(Number(row!.n)).toBe(30);
});

it('rolls back a failed transaction and lets the next writer in', async () => {
  await expect(
    db.db.transaction(async (tx) => {
      await tx.insert(feeds).values({ url: 'https://example.com/a' });
      throw new Error('boom');
    }),
  ).rejects.toThrow('boom');
  await db.db.insert(feeds).values({ url: 'https://example.com/b' });
  expect((await db.db.select().from(feeds)).map((f) => f.url)).toEqual(['https://example.com/b']);
});
