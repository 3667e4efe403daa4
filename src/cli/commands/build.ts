/**
 * `factdesk build`: renders the static site from the database (DATABASE_URL) into dist/. The pages
 * read the database at build time through src/lib/site; the API routes stay on-demand.
 */
import { fileURLToPath } from 'node:url';
import { print, printJson, type Command } from '../command.ts';
import { withDb } from '../runtime.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export async function buildSite(): Promise<{ ms: number; outDir: string }> {
  const t0 = Date.now();
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build } = await import('astro');
  await build({ root: PROJECT_ROOT, logLevel: 'warn' });
  return { ms: Date.now() - t0, outDir: `${PROJECT_ROOT}dist` };
}

const command: Command = {
  name: 'build',
  summary: 'Build the static site (fact sheets, timeline, articles, exports) from the database into dist/.',
  details: 'Reads DATABASE_URL (migrating it first). Serve the result with `factdesk serve`.',
  async run(ctx) {
    // Open once so a fresh or old database is migrated before the pages query it.
    await withDb(ctx.config, async () => undefined);
    const r = await buildSite();
    if (ctx.json) printJson(ctx, r);
    else print(ctx, `built the site in ${(r.ms / 1000).toFixed(1)} s → ${r.outDir}`);
    return 0;
  },
};
export default command;
