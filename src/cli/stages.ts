/** The collect and extract stages as the commands run them: the fetcher from the configuration, the configured extractor, the extract run with its progress. */
import { Fetcher } from '../../scrapers/http/fetcher.ts';
import type { Db } from '../../db/client.ts';
import { createExtractor, ExtractorConfigError } from '../extract/index.ts';
import type { Extractor } from '../extract/types.ts';
import { extractArticles, type ExtractOptions, type ExtractReport } from '../extract/pipeline.ts';
import type { CommandContext } from './command.ts';
import type { Progress } from './progress.ts';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/log.ts';
import { FatalError } from '../shared/errors.ts';
import { sampleOrigins } from './runtime.ts';

export function createFetcher(config: Config, log: Logger, extraOrigins: string[] = []): Fetcher {
  return new Fetcher({
    onEvent(e) {
      if (e.type === 'retry') log.debug(`retrying ${e.url} in ${e.waitMs} ms: ${e.error.message}`);
      else if (e.type === 'host-blocked') log.info(`${e.host} asked us to wait until ${new Date(e.untilMs).toISOString()}`);
      else log.debug(`robots.txt of ${e.origin} unreadable, crawling as allowed: ${e.error.message}`);
    },
    userAgent: config.userAgent,
    totalTimeoutMs: config.fetchTimeoutMs,
    maxBytes: config.maxBodyBytes,
    concurrency: config.concurrency,
    perHostConcurrency: config.perHostConcurrency,
    allowPrivateNetworks: config.allowPrivateNetworks,
    allowedOrigins: [...sampleOrigins(config.samplePort), ...extraOrigins],
    respectRobots: config.respectRobots,
  });
}

/** The configured extractor; a missing LLM endpoint is a configuration error (exit 1), not a crash. */
export async function buildExtractor(db: Db, config: Config, kind: 'rules' | 'llm'): Promise<Extractor> {
  try {
    return await createExtractor(db, config, kind);
  } catch (err) {
    if (err instanceof ExtractorConfigError) throw new FatalError(err.message);
    throw err;
  }
}

/** The extract stage as every command runs it: the command's log, Ctrl-C, and the progress line. */
export async function runExtract(
  ctx: CommandContext,
  db: Db,
  extractor: Extractor,
  progress: Progress,
  select: Pick<ExtractOptions, 'articleIds' | 'all'> = {},
): Promise<ExtractReport> {
  try {
    return await extractArticles({
      db,
      extractor,
      ...select,
      log: ctx.log,
      signal: ctx.signal,
      timeoutMs: ctx.config.extractTimeoutMs,
      onProgress: (d, t) => progress.update('extract', d, t),
    });
  } finally {
    progress.done();
  }
}
