import { addFeeds, FeedUrlError, normaliseFeedUrl } from '../../../db/queries/feeds.ts';
import { detectFeedFormat } from '../../../scrapers/feeds/detect.ts';
import { discoverFeeds } from '../../../scrapers/feeds/discover.ts';
import { parseFeed } from '../../../scrapers/feeds/parse.ts';
import { FatalError, UsageError } from '../../shared/errors.ts';
import { print, printJson, type Command, type CommandContext } from '../command.ts';
import { withDb } from '../runtime.ts';
import { createFetcher } from '../stages.ts';

interface Resolved {
  url: string;
  title: string | null;
  /** Other feeds the page announced, shown so the user can add them too. */
  alternatives: string[];
  note: string | null;
}

/** What to do about a URL that could not be checked, after the reason. */
function checkAdvice(err: Error): string {
  const local = (err as { code?: string }).code === 'blocked-address';
  return (
    'Not added. ' +
    (local ? 'Set FACTDESK_ALLOW_PRIVATE_NETWORKS=1 to allow feeds on this machine or a private network, or ' : 'Check the URL, or ') +
    'add it unchecked with --force (each refresh will try it and record why it fails).'
  );
}

/**
 * What the URL is: a feed (kept, with its title), or a page announcing feeds (its first feed is
 * taken). A URL that cannot be fetched now is refused unless --force: a typo would otherwise sit in
 * the list failing every refresh, and the user would learn it only from `factdesk status`.
 */
async function resolve(ctx: CommandContext, url: string, force: boolean): Promise<Resolved> {
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
    const reason = (err as Error).message.replace(/^fetch: /, '');
    if (!force) throw new FatalError(`could not check ${url}: ${reason}. ${checkAdvice(err as Error)}`);
    return { url, title: null, alternatives: [], note: `could not check it now (${reason}); added anyway (--force)` };
  } finally {
    await fetcher.close();
  }
}

const command: Command = {
  name: 'feeds add',
  usage: '<url>',
  details: `The URL is fetched once: a feed is added with its own title; a web page is searched for the
feeds it announces (<link rel="alternate">) and the first is added. A URL that cannot be fetched
now is not added (exit 1) unless --force; --no-check adds the URL as given without fetching it.`,
  options: {
    title: { type: 'string', valueName: 'title', description: 'display name (default: the feed’s own title)' },
    category: { type: 'string', valueName: 'name', description: 'a group name, kept in OPML exports' },
    force: { type: 'boolean', description: 'add the URL even if it cannot be fetched now' },
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
    const r: Resolved = ctx.flags['no-check'] ? { url: given, title: null, alternatives: [], note: null } : await resolve(ctx, given, ctx.flags.force === true);
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
