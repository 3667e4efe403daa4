import { and, isNotNull, lt } from 'drizzle-orm';
import { articleRevisions } from '../../../db/schema.ts';
import { UsageError } from '../../shared/errors.ts';
import { print, printJson, type Command } from '../command.ts';
import { withDb } from '../runtime.ts';

/** "30d", "12h", "2w" → milliseconds. */
export function parseAge(v: string): number | null {
  const m = /^(\d+)\s*([hdw])$/i.exec(v.trim());
  if (!m) return null;
  const unit = { h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2]!.toLowerCase() as 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}

const command: Command = {
  name: 'prune',
  details: 'Raw pages are kept so articles can be re-extracted with better rules later; after pruning, re-extraction uses the stored clean text.',
  options: {
    'raw-older-than': { type: 'string', valueName: 'age', description: 'e.g. 30d, 12h, 2w (default 90d)' },
  },
  async run(ctx) {
    const age = parseAge((ctx.flags['raw-older-than'] as string | undefined) ?? '90d');
    if (age === null) throw new UsageError('--raw-older-than expects an age like 30d, 12h or 2w');
    const cutoff = new Date(Date.now() - age).toISOString();
    return withDb(ctx.config, async ({ db, client }) => {
      const rows = await db
        .update(articleRevisions)
        .set({ rawHtml: null })
        .where(and(isNotNull(articleRevisions.rawHtml), lt(articleRevisions.fetchedAt, cutoff)))
        .returning({ id: articleRevisions.id });
      // Give the space back to the file system (file databases only; a server manages its own).
      if (ctx.config.databaseUrl.startsWith('file:') && rows.length) await client.execute('VACUUM');
      if (ctx.json) printJson(ctx, { pruned: rows.length, before: cutoff });
      else print(ctx, `dropped the raw HTML of ${rows.length} revision(s) fetched before ${cutoff}`);
      return 0;
    });
  },
};
export default command;
