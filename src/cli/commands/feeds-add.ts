import { addFeeds, FeedUrlError } from '../../../db/queries/feeds.ts';
import { UsageError } from '../../shared/errors.ts';
import { print, printJson, type Command } from '../command.ts';
import { withDb } from '../runtime.ts';

const command: Command = {
  name: 'feeds add',
  usage: '<url>',
  summary: 'Add an RSS, Atom or JSON Feed URL to the list the next refresh reads.',
  options: {
    title: { type: 'string', valueName: 'title', description: 'display name (default: the feed’s own title)' },
    category: { type: 'string', valueName: 'name', description: 'a group name, kept in OPML exports' },
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    return withDb(ctx.config, async ({ db }) => {
      let result;
      try {
        result = await addFeeds(db, [
          { url: ctx.args[0]!, title: ctx.flags.title as string | undefined, category: ctx.flags.category as string | undefined },
        ]);
      } catch (err) {
        if (err instanceof FeedUrlError) throw new UsageError(err.message);
        throw err;
      }
      const feed = result.added[0];
      if (ctx.json) printJson(ctx, { added: result.added, existing: result.existing });
      else if (feed) print(ctx, `added feed ${feed.id}: ${feed.url}`);
      else print(ctx, `already in the list: ${ctx.args[0]}`);
      return 0;
    });
  },
};
export default command;
