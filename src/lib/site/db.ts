/**
 * One read-only database handle per build, opened from DATABASE_URL on first use through the same
 * openDb as every command, without migrating: the migrations folder is not reachable from Astro's
 * bundled chunks, and `factdesk build` migrates before it builds.
 */
import { openDb, type Db } from '../../../db/client.ts';

let handle: Promise<Db> | undefined;

export function siteDb(): Promise<Db> {
  handle ??= openDb(undefined, undefined, { migrate: false }).then((h) => h.db);
  return handle;
}
