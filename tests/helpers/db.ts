/** A fresh libSQL file database in a temp folder, migrated, for one test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb, type OpenDb } from '../../db/client.ts';

export interface TempDb extends OpenDb {
  dir: string;
  cleanup(): void;
}

export async function tempDb(): Promise<TempDb> {
  const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-test-'));
  const url = `file:${path.join(dir, 'test.db')}`;
  const handle = await openDb(url);
  return {
    ...handle,
    dir,
    cleanup() {
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
