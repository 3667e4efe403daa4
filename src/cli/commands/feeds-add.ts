import { addFeeds, FeedUrlError, normaliseFeedUrl } from '../../../db/queries/feeds.ts';
import { detectFeedFormat } from '../../../scrapers/feeds/detect.ts';
import { discoverFeeds } from '../../../scrapers/feeds/discover.ts';
import { parseFeed } from '../../../scrapers/feeds/parse.ts';
import { UsageError } from '../../shared/errors.ts';
import { print, printJson, type Command, type CommandContext } from '../command.ts';
import { createFetcher, withDb } from '../runtime.ts';

interface Resolved {
  url: string;
  title: string | null;
  /** Other feeds the page announced, shown so the user can add them too. */
  alternatives: string[];
  note: string | null;
}

/**
 * What the URL is: a feed (kept, with its title), or a page announcing feeds (its first feed is
 * taken). Unreachable URLs are kept as given, with a note: the next refresh retries them.
 */
async function resolve(ctx: CommandContext, url: string): Promise<Resolved> {
  const fetcher = createFetcher(ctx.config, ctx.log);
  try {
    const res = await fetcher.fetch(url, { kind: 'feed' });
    if (res.status !== 'ok') return { url, title: null, alternatives: [], note: null };
    if (detectFeedFormat(res.text)) {
      const title = await parseFeed(res.text, res.url).then((f) => f.title, () => null);
      return { url, title, alternatives: [], note: null };
    }
    const found = discoverFeeds(res.text, res.url);
    if (found.length === 0) throw new UsageError(`no feed at ${url}: it is not a feed and the page announces none`);
    return {
      url: found[0]!.url,
      title: found[0]!.title,
      alternatives: found.slice(1).map((f) => f.url),
      note: `found the feed announced by ${url}`,
    };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    return { url, title: null, alternatives: [], note: `could not check it now (${(err as Error).message}); added as given` };
  } finally {
    await fetcher.close();
  }
}

const command: Command = {
  name: 'feeds add',
  usage: '<url>',
  summary: 'Add a feed (RSS, Atom, JSON Feed) or a site whose pages announce one.',
  details: `The URL is fetched once: a feed is added with its own title; a web page is searched for the
feeds it announces (<link rel="alternate">) and the first is added. --no-check adds the URL as given.`,
  options: {
    title: { type: 'string', valueName: 'title', description: 'display name (default: the feed’s own title)' },
    category: { type: 'string', valueName: 'name', description: 'a group name, kept in OPML exports' },
    'no-check': { type: 'boolean', description: 'do not fetch the URL; add it as given' },
  },
  minArgs: 1,
  maxArgs: 1,
  async run(ctx) {
    let given: string;
    try {
      given = normaliseFeedUrl(ctx.args[0]!);
    } catch (err) {
      if (err instanceof FeedUrlError) throw new UsageError(err.message);
      throw err;
    }
    const r: Resolved = ctx.flags['no-check'] ? { url: given, title: null, alternatives: [], note: null } : await resolve(ctx, given);
    return withDb(ctx.config, async ({ db }) => {
      const result = await addFeeds(db, [
        { url: r.url, title: (ctx.flags.title as string | undefined) ?? r.title, category: ctx.flags.category as string | undefined },
      ]);
      const feed = result.added[0];
      if (ctx.json) {
        printJson(ctx, { added: result.added, existing: result.existing, note: r.note, alternatives: r.alternatives });
        return 0;
      }
      if (r.note) print(ctx, r.note);
      if (feed) print(ctx, `added feed ${feed.id}: ${feed.title ?? '(untitled)'} ${feed.url}`);
      else print(ctx, `already in the list: ${r.url}`);
      for (const alt of r.alternatives) print(ctx, `  the page also announces ${alt}`);
      return 0;
    });
  },
};
export default command;
