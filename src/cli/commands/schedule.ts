/**
 * `factdesk schedule`: one long-lived process that refreshes on a cron pattern, for hosts without
 * cron. Each tick is a normal refresh (leases, per-feed schedules, extraction); ticks never overlap;
 * SIGTERM/SIGINT let the current tick finish its items, then the process exits 0.
 */
import { Cron } from 'croner';
import { refresh } from '../../../scrapers/refresh.ts';
import { extractArticles } from '../../extract/pipeline.ts';
import { UsageError } from '../../shared/errors.ts';
import { untilAborted, type Command } from '../command.ts';
import { formatExtract, formatRefresh } from '../report.ts';
import { withDb } from '../runtime.ts';
import { buildExtractor, createFetcher } from '../stages.ts';
import { parseExtractorFlag } from './extract.ts';

const command: Command = {
  name: 'schedule',
  details: `Every tick fetches the feeds that are due (each feed's own pace: ttl, Cache-Control, how often
it publishes, backoff after errors) and extracts facts. Ticks never overlap. SIGTERM or Ctrl-C
finishes the current items and exits 0. Logs one line per tick (--log-format json for JSON lines).`,
  options: {
    cron: { type: 'string', valueName: 'pattern', description: 'cron pattern, seconds allowed (default "*/5 * * * *": every 5 minutes)' },
    'no-extract': { type: 'boolean', description: 'collect only' },
    extractor: { type: 'string', valueName: 'rules|llm', description: 'which extractor (default FACTDESK_EXTRACTOR or rules)' },
  },
  async run(ctx) {
    const pattern = (ctx.flags.cron as string | undefined) ?? '*/5 * * * *';
    const kind = parseExtractorFlag(ctx.flags.extractor, ctx.config.extractor);
    return withDb(ctx.config, async ({ db }) => {
      const extractor = ctx.flags['no-extract'] ? undefined : await buildExtractor(db, ctx.config, kind);
      let ticking: Promise<void> = Promise.resolve();
      const tick = async () => {
        const fetcher = createFetcher(ctx.config, ctx.log);
        try {
          const r = await refresh({ db, fetcher, log: ctx.log, signal: ctx.signal, pageTimeoutMs: ctx.config.pageTimeoutMs });
          ctx.log.info(formatRefresh(r).split('\n')[0]!, { ...r.stats, failures: r.failures.length });
          if (extractor && r.status === 'finished' && !ctx.signal.aborted) {
            const e = await extractArticles({ db, extractor, log: ctx.log, signal: ctx.signal });
            ctx.log.info(formatExtract(e).split('\n')[0]!, { extracted: e.stats.extracted, facts: e.stats.factsAccepted });
          }
        } catch (err) {
          // One bad tick (database briefly unreachable…) is logged; the schedule goes on.
          ctx.log.error(`tick failed: ${(err as Error).message}`);
        } finally {
          await fetcher.close();
        }
      };
      let job: Cron;
      try {
        job = new Cron(pattern, { protect: true }, () => {
          ticking = tick();
          return ticking;
        });
      } catch (err) {
        throw new UsageError(`--cron: ${(err as Error).message}`);
      }
      ctx.log.info(`scheduled refresh "${pattern}", next at ${job.nextRun()?.toISOString() ?? 'never'}`);
      await untilAborted(ctx.signal);
      job.stop();
      await ticking;
      ctx.log.info('schedule stopped');
      return 0;
    });
  },
};
export default command;
