import { exportArticles, writeArticles } from '../../export/articles.ts';
import { parseDate } from '../../shared/dates.ts';
import { UsageError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { withDb, writeExport } from '../runtime.ts';

const command: Command = {
  name: 'export articles',
  details: `JSON: {"schemaVersion":1,"generatedAt":…,"articles":[…]}. NDJSON: one article per line.
Each article has url, title, outlet, author, language, publishedAt, feed, revision, flags (paywalled,
truncated, feed-text-only…), copyOf {id, url} for reprints, and text (paragraphs separated by a blank line).`,
  options: {
    format: { type: 'string', valueName: 'json|ndjson', description: 'output format (default json)' },
    out: { type: 'string', valueName: 'file', description: 'write to a file instead of stdout' },
    since: { type: 'string', valueName: 'date', description: 'only articles published on or after this date' },
    feed: { type: 'string', valueName: 'id', description: 'only articles of this feed' },
    'no-copies': { type: 'boolean', description: 'leave out reprints of earlier articles' },
    'no-text': { type: 'boolean', description: 'metadata only' },
  },
  async run(ctx) {
    const format = (ctx.flags.format as string | undefined) ?? 'json';
    if (format !== 'json' && format !== 'ndjson') throw new UsageError('--format must be json or ndjson');
    let since: string | undefined;
    if (ctx.flags.since) {
      since = parseDate(ctx.flags.since as string) ?? undefined;
      if (!since) throw new UsageError(`--since: not a date: ${ctx.flags.since}`);
    }
    const feedFlag = ctx.flags.feed as string | undefined;
    if (feedFlag !== undefined && !/^\d+$/.test(feedFlag)) throw new UsageError('--feed expects a feed id');
    return withDb(ctx.config, async ({ db }) => {
      await writeExport(ctx, 'articles', (out) =>
        writeArticles(
          out,
          exportArticles(db, {
            since,
            feedId: feedFlag ? Number(feedFlag) : undefined,
            noCopies: ctx.flags['no-copies'] === true,
            noText: ctx.flags['no-text'] === true,
          }),
          format,
        ),
      );
      return 0;
    });
  },
};
export default command;
