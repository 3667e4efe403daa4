/**
 * One read-only database handle per build, opened from DATABASE_URL on first use. No migrations:
 * the site reads a database that `factdesk` has already created (openDb's migrations folder is not
 * reachable from Astro's bundled chunks).
 */
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import * as schema from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';

let handle: Db | undefined;

export function siteDb(): Promise<Db> {
  handle ??= drizzle(
    createClient({
      url: process.env.DATABASE_URL || 'file:data/factdesk.db',
      authToken: process.env.DATABASE_AUTH_TOKEN || undefined,
    }),
    { schema },
  );
  return Promise.resolve(handle);
}
