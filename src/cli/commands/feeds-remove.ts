import { findFeed, removeFeed } from '../../../db/queries/feeds.ts';
import { print, printJson, type Command } from '../command.ts';
import { withDb } from '../runtime.ts';

const command: Command = {
  name: 'feeds remove',
  usage: '<id|url>',
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    return withDb(ctx.config, async ({ db }) => {
      const feed = await findFeed(db, ctx.args[0]!);
      if (!feed) {
        if (ctx.json) printJson(ctx, { removed: null });
        ctx.stderr.write(`no such feed: ${ctx.args[0]}\n`);
        return 1;
      }
      await removeFeed(db, feed.id);
      if (ctx.json) printJson(ctx, { removed: { id: feed.id, url: feed.url } });
      else print(ctx, `removed feed ${feed.id}: ${feed.url}`);
      return 0;
    });
  },
};
export default command;
