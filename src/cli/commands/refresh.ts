import { WORKER_ID } from '../../../db/queries/runs.ts';
import { refresh } from '../../../scrapers/refresh.ts';
import type { ExtractReport } from '../../extract/pipeline.ts';
import type { Extractor } from '../../extract/types.ts';
import { parseExtractorFlag } from './extract.ts';
import { UsageError } from '../../shared/errors.ts';
import { print, printJson, type Command } from '../command.ts';
import { createProgress } from '../progress.ts';
import { formatExtract, formatRefresh } from '../report.ts';
import { withDb } from '../runtime.ts';
import { trimChanges } from '../../../db/site-changes.ts';
import { buildExtractor, createFetcher, runExtract } from '../stages.ts';

const command: Command = {
  name: 'refresh',
  details: `Feeds are due by their schedule (ttl, Cache-Control, backoff after errors); --all ignores it.
Work a killed run left behind is resumed. Feeds are leased for the run, so overlapping runs and
several workers on one database (DATABASE_URL=libsql://…) never process the same feed twice. Failures of single feeds or pages are recorded in the run,
printed at the end and included in --json; the exit code is 0 whenever the run itself happened.`,
  options: {
    feed: { type: 'string', multiple: true, valueName: 'id', description: 'only this feed (repeatable)' },
    all: { type: 'boolean', description: 'fetch every feed, due or not (conditional GET keeps it cheap)' },
    'no-extract': { type: 'boolean', description: 'collect only; `factdesk extract` can run later' },
    extractor: { type: 'string', valueName: 'rules|llm', description: 'which extractor (default FACTDESK_EXTRACTOR or rules)' },
    concurrency: { type: 'string', valueName: 'n', description: 'concurrent feed/page pipelines (default FACTDESK_CONCURRENCY)' },
    worker: { type: 'string', valueName: 'name', description: 'lease owner name when several workers share a database (default host:pid)' },
  },
  async run(ctx) {
    const feedIds = (ctx.flags.feed as string[] | undefined)?.map((f) => {
      if (!/^\d+$/.test(f)) throw new UsageError(`--feed expects a feed id, got ${f}`);
      return Number(f);
    });
    const concurrency = ctx.flags.concurrency ? Number(ctx.flags.concurrency) : ctx.config.concurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency must be a positive integer');
    const kind = parseExtractorFlag(ctx.flags.extractor, ctx.config.extractor);
    return withDb(ctx.config, async ({ db }) => {
      // Build the extractor first: a misconfigured LLM should stop the command before it fetches anything.
      let extractor: Extractor | undefined;
      if (!ctx.flags['no-extract']) {
        extractor = await buildExtractor(db, ctx.config, kind);
      }
      const fetcher = createFetcher(ctx.config, ctx.log);
      const progress = createProgress(ctx.stderr, !ctx.json);
      try {
        const report = await refresh({
          db,
          fetcher,
          feedIds,
          all: ctx.flags.all === true,
          concurrency,
          pageTimeoutMs: ctx.config.pageTimeoutMs,
          // Keep host:pid in the owner id so a dead worker's leases are freed at once on this host.
          worker: ctx.flags.worker ? `${WORKER_ID}:${ctx.flags.worker as string}` : undefined,
          log: ctx.log,
          signal: ctx.signal,
          onProgress: (p) => progress.update(p.phase, p.done, p.total),
        });
        progress.done();
        let extract: ExtractReport | undefined;
        if (extractor && report.status === 'finished') {
          extract = await runExtract(ctx, db, extractor, progress);
        }
        // The site's change log is read only by builds; a database seldom built would keep all of it.
        await trimChanges(db);
        if (ctx.json) printJson(ctx, { ...report, extract });
        else print(ctx, formatRefresh(report) + (extract ? `\n${formatExtract(extract)}` : ''));
        return report.status === 'interrupted' || extract?.status === 'interrupted' ? 130 : 0;
      } finally {
        progress.done();
        await fetcher.close();
      }
    });
  },
};
export default command;
