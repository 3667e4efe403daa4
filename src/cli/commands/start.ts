/**
 * `npm start`: the main job on the built-in defaults. Serves the bundled sample outlet locally,
 * makes sure its feeds are in the list, refreshes, extracts facts, shows what was collected, builds
 * the site and serves it until Ctrl-C (or exits after the build with --no-serve).
 */
import { desc, eq, isNotNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { addFeeds } from '../../../db/queries/feeds.ts';
import { articles } from '../../../db/schema.ts';
import { parseOpml } from '../../../scrapers/feeds/opml.ts';
import { refresh } from '../../../scrapers/refresh.ts';
import { sampleOpmlUrl, startSampleServer } from '../../sample/server.ts';
import { FatalError } from '../../shared/errors.ts';
import { type Command, print, printJson, untilAborted } from '../command.ts';
import { createProgress } from '../progress.ts';
import { formatExtract, formatRefresh } from '../report.ts';
import { withDb } from '../runtime.ts';
import { buildExtractor, createFetcher, runExtract } from '../stages.ts';
import { companies, summaries } from '../../../db/schema.ts';
import { UsageError } from '../../shared/errors.ts';
import { BuildInterrupted, buildSite } from './build.ts';
import { serveSite } from './serve.ts';
import { assertPortFree } from '../ports.ts';

/** Starts the sample server, or reuses one already serving the sample on that port (`factdesk sample`). */
async function sampleServer(port: number): Promise<{ origin: string; close(): Promise<void> }> {
  try {
    return await startSampleServer({ port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    const origin = `http://127.0.0.1:${port}`;
    const res = await fetch(sampleOpmlUrl(origin)).catch(() => null);
    if (res?.ok) return { origin, close: async () => {} };
    throw new FatalError(`port ${port} is taken by another program; set FACTDESK_SAMPLE_PORT to a free port`);
  }
}

const command: Command = {
  name: 'start',
  details:
    'Uses DATABASE_URL (default file:data/factdesk.db). Safe to run again: nothing is stored twice.\n' +
    'Prints the site URL and serves until Ctrl-C; --no-serve stops after the build.',
  options: {
    limit: { type: 'string', valueName: 'n', description: 'how many recent articles to list (default 20)' },
    port: { type: 'string', valueName: 'port', description: 'port of the site (default 4321; 0 picks a free one)' },
    out: { type: 'string', valueName: 'dir', description: 'where to build the site (default dist/)' },
    'no-serve': { type: 'boolean', description: 'build the site, then exit instead of serving it' },
  },
  async run(ctx) {
    const limit = Math.max(1, Number(ctx.flags.limit ?? 20) || 20);
    const port = Number(ctx.flags.port ?? 4321);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0–65535');
    // The site's port is checked before the pipeline runs: finding it taken after minutes of work
    // (a second `npm start` beside a running one) wastes the run and ends in a socket error.
    if (!ctx.flags['no-serve']) await assertPortFree('127.0.0.1', port);
    const sample = await sampleServer(ctx.config.samplePort);
    let closing: Promise<void> | undefined;
    const server = { origin: sample.origin, close: () => (closing ??= sample.close()) };
    try {
      const opmlRes = await fetch(sampleOpmlUrl(server.origin));
      if (!opmlRes.ok) throw new FatalError(`sample outlet did not serve its OPML (HTTP ${opmlRes.status})`);
      const opml = parseOpml(await opmlRes.text());
      return await withDb(ctx.config, async ({ db, url }) => {
        const { added } = await addFeeds(db, opml.feeds);
        if (!ctx.json) {
          print(ctx, `Factdesk — database ${url}`);
          print(ctx, `sample outlet on ${server.origin}/ · ${opml.feeds.length} feeds (${added.length} new)`);
        }
        const extractor = await buildExtractor(db, ctx.config, ctx.config.extractor);
        const fetcher = createFetcher(ctx.config, ctx.log, [server.origin]);
        const progress = createProgress(ctx.stderr, !ctx.json);
        let report;
        try {
          report = await refresh({
            db,
            fetcher,
            all: true,
            concurrency: ctx.config.concurrency,
            pageTimeoutMs: ctx.config.pageTimeoutMs,
            log: ctx.log,
            signal: ctx.signal,
            onProgress: (p) => progress.update(p.phase, p.done, p.total),
          });
        } finally {
          progress.done();
          await fetcher.close();
        }
        const extract = await runExtract(ctx, db, extractor, progress);
        const briefs = await db
          .select({ name: companies.name, slug: companies.slug, text: summaries.text })
          .from(summaries)
          .innerJoin(companies, eq(companies.id, summaries.companyId))
          .where(isNotNull(summaries.companyId))
          .orderBy(companies.slug);
        const original = alias(articles, 'original');
        const recent = await db
          .select({
            id: articles.id,
            title: articles.title,
            outlet: articles.outlet,
            author: articles.author,
            publishedAt: articles.publishedAt,
            words: articles.wordCount,
            paywalled: articles.paywalled,
            truncated: articles.truncated,
            copyOfTitle: original.title,
            copyOfOutlet: original.outlet,
            url: articles.url,
          })
          .from(articles)
          .leftJoin(original, eq(original.id, articles.copyOfId))
          .orderBy(desc(articles.publishedAt), desc(articles.id))
          .limit(limit);
        if (ctx.signal.aborted) return 130;
        if (!ctx.json) {
          print(ctx, formatRefresh(report));
          print(ctx, formatExtract(extract));
          print(ctx, `\nCollected articles (newest ${recent.length}):`);
          for (const a of recent) {
            const marks = [a.paywalled ? 'paywalled' : '', a.truncated ? 'truncated' : '', a.copyOfOutlet ? `copy of ${a.copyOfOutlet}` : '']
              .filter(Boolean)
              .join(', ');
            print(ctx, `  ${(a.publishedAt ?? '????-??-??').slice(0, 10)}  ${(a.outlet ?? '?').padEnd(22).slice(0, 22)}  ${a.title ?? '(untitled)'}`);
            print(ctx, `              ${a.author ?? 'no author'} · ${a.words} words${marks ? ` · ${marks}` : ''}`);
          }
          if (briefs.length) {
            print(ctx, `\nCompanies (${briefs.length}):`);
            for (const b of briefs) print(ctx, `  ${b.text}`);
          }
          print(ctx, `\nBuilding the site…`);
        }
        let build;
        try {
          build = await buildSite(db, {
            outDir: ctx.flags.out as string | undefined,
            signal: ctx.signal,
            database: { url: ctx.config.databaseUrl, authToken: ctx.config.databaseAuthToken },
          });
        } catch (err) {
          if (!(err instanceof BuildInterrupted)) throw err;
          ctx.stderr.write(`factdesk start: ${err.message}\n`);
          return 130;
        }
        await server.close(); // the sample outlet is only needed while collecting
        const summary = { refresh: report, extract, articles: recent, companies: briefs, build };
        if (ctx.flags['no-serve']) {
          if (ctx.json) printJson(ctx, summary);
          else {
            print(ctx, `site built in ${(build.ms / 1000).toFixed(1)} s → ${build.outDir}`);
            print(ctx, `Serve it with: factdesk serve${ctx.flags.out ? ` --dist ${build.outDir}` : ''}`);
          }
          return 0;
        }
        const site = await serveSite({ host: '127.0.0.1', port, distDir: build.outDir });
        try {
          if (ctx.json) printJson(ctx, { ...summary, url: site.url });
          else {
            print(ctx, `site built in ${(build.ms / 1000).toFixed(1)} s`);
            print(ctx, `\nFactdesk is on ${site.url}  (Ctrl-C to stop)`);
            print(ctx, `  companies ${site.url}  ·  timeline ${site.url}timeline/  ·  exports ${site.url}exports/`);
            print(ctx, `Next: factdesk export facts --format csv --company klarna   ·   factdesk --help`);
          }
          await untilAborted(ctx.signal);
          return 0;
        } finally {
          await site.close();
        }
      });
    } finally {
      await server.close();
    }
  },
};
export default command;
