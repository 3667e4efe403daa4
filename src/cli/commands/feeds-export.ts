import { writeFile } from 'node:fs/promises';
import { listFeeds } from '../../../db/queries/feeds.ts';
import { toOpml } from '../../../scrapers/feeds/opml.ts';
import type { Command } from '../command.ts';
import { withDb } from '../runtime.ts';

const command: Command = {
  name: 'feeds export',
  options: { out: { type: 'string', valueName: 'file', description: 'write to a file instead of stdout' } },
  async run(ctx) {
    return withDb(ctx.config, async ({ db }) => {
      const list = await listFeeds(db);
      const xml = toOpml(
        list.map((f) => ({ url: f.url, title: f.title, siteUrl: f.siteUrl, category: f.category })),
        'Factdesk feeds',
      );
      if (ctx.flags.out) {
        await writeFile(ctx.flags.out as string, xml);
        ctx.stderr.write(`wrote ${list.length} feeds to ${ctx.flags.out}\n`);
      } else ctx.stdout.write(xml.endsWith('\n') ? xml : xml + '\n');
      return 0;
    });
  },
};
export default command;
