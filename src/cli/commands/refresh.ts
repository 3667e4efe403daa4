import { refresh } from '../../../scrapers/refresh.ts';
import { UsageError } from '../../shared/errors.ts';
import { print, printJson, type Command } from '../command.ts';
import { createProgress } from '../progress.ts';
import { formatRefresh } from '../report.ts';
import { createFetcher, withDb } from '../runtime.ts';

const command: Command = {
  name: 'refresh',
  summary: 'Fetch due feeds and their new articles; store clean text and metadata.',
  details: `Feeds are due by their schedule (ttl, Cache-Control, backoff after errors); --all ignores it.
Work a killed run left behind is resumed. Failures of single feeds or pages are recorded in the run,
printed at the end and included in --json; the exit code is 0 whenever the run itself happened.`,
  options: {
    feed: { type: 'string', multiple: true, valueName: 'id', description: 'only this feed (repeatable)' },
    all: { type: 'boolean', description: 'fetch every feed, due or not (conditional GET keeps it cheap)' },
    'no-extract': { type: 'boolean', description: 'collect only (fact extraction arrives with the extract stage)' },
    concurrency: { type: 'string', valueName: 'n', description: 'concurrent feed/page pipelines (default FACTDESK_CONCURRENCY)' },
  },
  async run(ctx) {
    const feedIds = (ctx.flags.feed as string[] | undefined)?.map((f) => {
      if (!/^\d+$/.test(f)) throw new UsageError(`--feed expects a feed id, got ${f}`);
      return Number(f);
    });
    const concurrency = ctx.flags.concurrency ? Number(ctx.flags.concurrency) : ctx.config.concurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency must be a positive integer');
    return withDb(ctx.config, async ({ db }) => {
      const fetcher = createFetcher(ctx.config, ctx.log);
      const progress = createProgress(ctx.stderr, !ctx.json);
      try {
        const report = await refresh({
          db,
          fetcher,
          feedIds,
          all: ctx.flags.all === true,
          concurrency,
          log: ctx.log,
          signal: ctx.signal,
          onProgress: (p) => progress.update(p.phase, p.done, p.total),
        });
        progress.done();
        if (ctx.json) printJson(ctx, report);
        else print(ctx, formatRefresh(report));
        return report.status === 'interrupted' ? 130 : 0;
      } finally {
        progress.done();
        await fetcher.close();
      }
    });
  },
};
export default command;
