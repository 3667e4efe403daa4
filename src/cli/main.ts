/**
 * The `factdesk` command table and the only place that turns errors into exit codes.
 * Each command lives in commands/<name>.ts and is loaded only when it runs.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../shared/config.ts';
import { databaseProblem, EXIT, FatalError, UsageError } from '../shared/errors.ts';
import { createLogger } from '../shared/log.ts';
import type { Command, OptionSpec } from './command.ts';
import { argsProblem } from './suggest.ts';

type Loader = () => Promise<{ default: Command }>;

/**
 * Command name → its one-line summary and module. Order is the order shown in help. The summaries
 * live here, not in the modules, so `factdesk --help` lists what each command does without loading
 * all of them (1.4 s of imports against 0.2 s).
 */
const COMMANDS: Record<string, { summary: string; load: Loader }> = {
  start: {
    summary: 'The main job on defaults: sample outlet → refresh → extract → build the site → serve it.',
    load: () => import('./commands/start.ts'),
  },
  refresh: {
    summary: 'Fetch due feeds and their new articles, store clean text and metadata, then extract facts.',
    load: () => import('./commands/refresh.ts'),
  },
  'feeds add': {
    summary: 'Add a feed (RSS, Atom, JSON Feed) or a site whose pages announce one.',
    load: () => import('./commands/feeds-add.ts'),
  },
  'feeds import': {
    summary: 'Add every feed of an OPML file (nested outlines are flattened; feeds already present are skipped).',
    load: () => import('./commands/feeds-import.ts'),
  },
  'feeds export': {
    summary: 'Print the feed list as OPML 2.0 (for other readers, or to move Factdesk to another machine).',
    load: () => import('./commands/feeds-export.ts'),
  },
  'feeds list': {
    summary: 'Show the feeds with their last fetch, error count and article count.',
    load: () => import('./commands/feeds-list.ts'),
  },
  'feeds remove': {
    summary: 'Remove a feed. Its articles stay in the database (they are evidence for facts).',
    load: () => import('./commands/feeds-remove.ts'),
  },
  extract: {
    summary: 'Turn stored articles into facts with sources (new and changed articles by default).',
    load: () => import('./commands/extract.ts'),
  },
  status: {
    summary: 'Last runs, failing feeds and why, work waiting (pages, extraction), totals and LLM tokens spent.',
    load: () => import('./commands/status.ts'),
  },
  prune: {
    summary: 'Free space: drop the raw HTML kept with article revisions older than an age (text, facts and revisions stay).',
    load: () => import('./commands/prune.ts'),
  },
  schedule: {
    summary: 'Keep refreshing on a schedule in one long-running process (for hosts without cron).',
    load: () => import('./commands/schedule.ts'),
  },
  'export facts': {
    summary: 'Stream facts with their sources in the facts contract (schemaVersion 1) as JSON, NDJSON or CSV.',
    load: () => import('./commands/export-facts.ts'),
  },
  'export articles': {
    summary: 'Stream stored articles (metadata, clean text, flags, copy-of) as JSON or NDJSON.',
    load: () => import('./commands/export-articles.ts'),
  },
  build: {
    summary: 'Build the static site (fact sheets, timeline, articles, search, exports) from the database.',
    load: () => import('./commands/build.ts'),
  },
  serve: {
    summary: 'Serve the built site and its API (Ctrl-C to stop).',
    load: () => import('./commands/serve.ts'),
  },
  sample: {
    summary: 'Serve the bundled sample outlet (four fictional fintech news sites with feeds) on 127.0.0.1.',
    load: () => import('./commands/sample.ts'),
  },
};

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'show help for the command' },
  json: { type: 'boolean', description: 'print machine-readable JSON on stdout' },
  'log-format': { type: 'string', valueName: 'text|json', description: 'log lines on stderr as text (default) or JSON' },
  quiet: { type: 'boolean', short: 'q', description: 'only print warnings and errors on stderr' },
};

const ENV_HELP = `Environment:
  DATABASE_URL                      database (default file:data/factdesk.db; http(s)://, libsql:// for a libSQL server)
  DATABASE_AUTH_TOKEN               token for a remote libSQL server
  FACTDESK_ALLOW_PRIVATE_NETWORKS   1 to allow fetching from private/loopback addresses (off by default)
  FACTDESK_SAMPLE_PORT              port of the bundled sample outlet (default 4380)
  FACTDESK_EXTRACTOR                rules (default, offline) or llm
  OPENAI_API_KEY, OPENAI_BASE_URL   the LLM endpoint (OpenAI, Ollama, vLLM, llama.cpp…)
  FACTDESK_MODEL, FACTDESK_MAX_TOKENS   model name (default gpt-4o-mini); token cap per run
  FACTDESK_CONCURRENCY, FACTDESK_PER_HOST_CONCURRENCY, FACTDESK_FETCH_TIMEOUT_MS, FACTDESK_MAX_BODY_BYTES,
  FACTDESK_RESPECT_ROBOTS, FACTDESK_USER_AGENT, FACTDESK_LOG_FORMAT`;

function mainHelp(): string {
  return `factdesk — fintech news in, facts with sources out

Usage: factdesk <command> [options]    (factdesk <command> --help for details)

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`)
  .join('\n')}

${ENV_HELP}

Exit codes: 0 the command ran (single feed or page failures are recorded and shown, not fatal),
1 it could not run (bad configuration, database unreachable, unreadable file), 2 bad command line.
`;
}

function commandHelp(cmd: Command, summary: string): string {
  const opts = { ...cmd.options, ...GLOBAL_OPTIONS };
  const lines = Object.entries(opts).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : ''}`;
    return `  ${flag.padEnd(34)} ${o.description}`;
  });
  return `Usage: factdesk ${cmd.name}${cmd.usage ? ` ${cmd.usage}` : ''} [options]

${summary}
${cmd.details ? `\n${cmd.details}\n` : ''}
Options:
${lines.join('\n')}
`;
}

/** A command that could not run: one line on stderr, and with --json a report on stdout too. */
function fatal(name: string, json: boolean, code: string, message: string): number {
  process.stderr.write(`factdesk ${name}: ${message}\n`);
  if (json) process.stdout.write(JSON.stringify({ status: 'failed', error: { code, message } }, null, 2) + '\n');
  return EXIT.failure;
}

/** Finds the longest command name that prefixes argv ("feeds add" before "feeds"). */
function resolve(argv: string[]): { name: string; rest: string[] } | null {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    if (COMMANDS[name]) return { name, rest: argv.slice(words) };
  }
  return null;
}

/** The reader of stdout went away (`factdesk export facts | head`): nothing more is wanted. */
function isClosedPipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}

/**
 * A closed stdout ends the command quietly with 0, as Unix tools do: the write that met it
 * emits 'error' on the stream (an uncaught exception without this listener), and any later one
 * would fail the same way. Whatever the command stored so far is complete (one transaction each).
 */
function quitOnClosedPipe(err: Error): void {
  if (isClosedPipe(err)) process.exit(EXIT.ok);
  throw err;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const stderr = process.stderr;
  if (!process.stdout.listeners('error').includes(quitOnClosedPipe)) process.stdout.on('error', quitOnClosedPipe);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(mainHelp());
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    process.stdout.write('factdesk 0.1.0\n');
    return EXIT.ok;
  }
  const found = resolve(argv);
  if (!found) {
    const group = Object.keys(COMMANDS).filter((n) => n.startsWith(`${argv[0]} `));
    stderr.write(
      group.length
        ? `factdesk ${argv[0]}: expected one of: ${group.map((g) => g.split(' ')[1]).join(', ')}\n`
        : `factdesk: unknown command "${argv[0]}". Run factdesk --help.\n`,
    );
    return EXIT.usage;
  }
  const entry = COMMANDS[found.name]!;
  const cmd = (await entry.load()).default;
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted); // second Ctrl-C: leave now
    stderr.write(`\n${sig}: finishing the current items, then stopping (again to quit at once)\n`);
    controller.abort();
    // A supervisor's SIGTERM must end the process within a few seconds even if some request hangs;
    // every article already stored is complete (one transaction each), the rest stays queued, and the
    // next run marks this one interrupted if it could not record that itself.
    setTimeout(() => process.exit(EXIT.interrupted), 5_000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Known before the command runs, so a command that fails still answers --json with a report.
  const json = found.rest.includes('--json');
  try {
    const options = Object.fromEntries(
      Object.entries({ ...cmd.options, ...GLOBAL_OPTIONS }).map(([k, o]) => {
        const { description: _d, valueName: _v, ...spec } = o;
        return [k, spec];
      }),
    );
    let parsed;
    try {
      parsed = parseArgs({ args: found.rest, options, allowPositionals: true, strict: true });
    } catch (err) {
      throw new UsageError(argsProblem(err as NodeJS.ErrnoException, Object.keys(options)));
    }
    const flags = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if (flags.help) {
      process.stdout.write(commandHelp(cmd, entry.summary));
      return EXIT.ok;
    }
    const args = parsed.positionals;
    if (args.length < (cmd.minArgs ?? 0) || args.length > (cmd.maxArgs ?? 0)) {
      throw new UsageError(`expected ${cmd.usage ?? 'no arguments'}`);
    }
    const logFormat = flags['log-format'];
    if (logFormat !== undefined && logFormat !== 'text' && logFormat !== 'json') {
      throw new UsageError('--log-format must be text or json');
    }
    const config = loadConfig(process.env, logFormat ? { logFormat } : {});
    const log = createLogger({ format: config.logFormat, level: flags.quiet ? 'warn' : 'info' });
    return await cmd.run({
      args,
      flags,
      config,
      log,
      json: flags.json === true,
      stdout: process.stdout,
      stderr,
      signal: controller.signal,
    });
  } catch (err) {
    if (isClosedPipe(err)) return EXIT.ok;
    if (err instanceof UsageError) {
      stderr.write(`factdesk ${cmd.name}: ${err.message}\nRun factdesk ${cmd.name} --help for usage.\n`);
      return EXIT.usage;
    }
    // The database cannot be used (full disk, read-only, unreachable, not a database…): one line
    // that says what to do, whichever query met it first — never a stack of the query.
    const problem = databaseProblem(err, process.env.DATABASE_URL || 'file:data/factdesk.db');
    if (problem) return fatal(cmd.name, json, problem.code, problem.message);
    if (err instanceof ConfigError || err instanceof FatalError || (err as Error)?.name === 'DatabaseError') {
      return fatal(cmd.name, json, (err as Error).name === 'ConfigError' ? 'config' : 'fatal', (err as Error).message);
    }
    stderr.write(`factdesk ${cmd.name}: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
    if (json) process.stdout.write(JSON.stringify({ status: 'failed', error: { code: 'unexpected', message: String((err as Error)?.message ?? err) } }, null, 2) + '\n');
    return EXIT.failure;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
