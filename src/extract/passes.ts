/**
 * Re-extraction passes (`factdesk extract --all`). A pass reads every stored article once with one
 * extractor: each article read is stamped with the pass (articles.extraction_pass), and the pass is
 * what is still below it. A run that finds a pass open for its extractor joins it — another worker
 * sharing the work, or a rerun after a crash, which so skips what was already read — and the pass
 * finishes when nothing is left below it. A pass with another extractor open gives way.
 */
import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles, extractionPasses } from '../../db/schema.ts';

export type Pass = typeof extractionPasses.$inferSelect;

/** The open pass for `extractor`, started now unless one was open (then `joined`). */
export async function openPass(db: Db, extractor: string): Promise<{ pass: Pass; joined: boolean }> {
  const now = new Date().toISOString();
  await db.update(extractionPasses).set({ finishedAt: now }).where(and(isNull(extractionPasses.finishedAt), ne(extractionPasses.extractor, extractor)));
  // One statement, so two workers starting together start one pass between them.
  const started = await db.run(sql`
    insert into ${extractionPasses} (extractor, articles)
    select ${extractor}, (select count(*) from ${articles})
    where not exists (select 1 from ${extractionPasses} where finished_at is null)`);
  const [pass] = await db.select().from(extractionPasses).where(and(isNull(extractionPasses.finishedAt), eq(extractionPasses.extractor, extractor))).orderBy(desc(extractionPasses.id)).limit(1);
  // Another extractor's pass opened between the two statements: it gives way to this one, once more.
  if (!pass) return openPass(db, extractor);
  return { pass, joined: started.rowsAffected === 0 };
}

/** Finishes the pass if no article is left below it; returns whether it is finished. */
export async function finishPassIfDone(db: Db, id: number): Promise<boolean> {
  await db.run(sql`
    update ${extractionPasses} set finished_at = ${new Date().toISOString()}
    where id = ${id} and finished_at is null and not exists (select 1 from ${articles} where extraction_pass < ${id})`);
  const [p] = await db.select({ finishedAt: extractionPasses.finishedAt }).from(extractionPasses).where(eq(extractionPasses.id, id));
  return p?.finishedAt != null;
}
