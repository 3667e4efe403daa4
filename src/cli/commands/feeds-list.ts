import { listFeeds } from '../../../db/queries/feeds.ts';
import { print, printJson, type Command } from '../command.ts';
import { withDb } from '../runtime.ts';

const command: Command = {
  name: 'feeds list',
  async run(ctx) {
    return withDb(ctx.config, async ({ db }) => {
      const list = await listFeeds(db);
      if (ctx.json) {
        printJson(ctx, { feeds: list });
        return 0;
      }
      if (list.length === 0) {
        print(ctx, 'no feeds yet: add one with `factdesk feeds add <url>` or `factdesk feeds import <file.opml>`');
        return 0;
      }
      for (const f of list) {
        const health = f.errorCount ? `${f.errorCount} error(s): ${f.lastError}` : f.lastSuccessAt ? 'ok' : 'not fetched yet';
        print(ctx, `${String(f.id).padStart(4)}  ${f.title ?? '(untitled)'}`);
        print(ctx, `      ${f.url}`);
        print(ctx, `      ${f.articleCount} article${f.articleCount === 1 ? '' : 's'}, ${f.pendingItems} pending · last fetch ${f.lastFetchedAt ?? 'never'} · ${health}`);
      }
      return 0;
    });
  },
};
export default command;
