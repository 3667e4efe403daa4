/**
 * The `factdesk` command table and the only place that turns errors into exit codes.
 * Each command lives in commands/<name>.ts and is loaded only when it runs.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../shared/config.ts';
import { databaseProblem, EXIT, FatalError, UsageError } from '../shared/errors.ts';
import { createLogger } from '../shared/log.ts';
import type { Command, OptionSpec } from './command.ts';

type Loader = () => Promise<{ default: Command }>;

/** Command name → module. Order is the order shown in help. */
const COMMANDS: Record<string, Loader> = {
  start: () => import('./commands/start.ts'),
  refresh: () => import('./commands/refresh.ts'),
  'feeds add': () => import('./commands/feeds-add.ts'),
  'feeds import': () => import('./commands/feeds-import.ts'),
  'feeds export': () => import('./commands/feeds-export.ts'),
  'feeds list': () => import('./commands/feeds-list.ts'),
  'feeds remove': () => import('./commands/feeds-remove.ts'),
  extract: () => import('./commands/extract.ts'),
  status: () => import('./commands/status.ts'),
  prune: () => import('./commands/prune.ts'),
  schedule: () => import('./commands/schedule.ts'),
  'export facts': () => import('./commands/export-facts.ts'),
  'export articles': () => import('./commands/export-articles.ts'),
  build: () => import('./commands/build.ts'),
  serve: () => import('./commands/serve.ts'),
  sample: () => import('./commands/sample.ts'),
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
${Object.keys(COMMANDS)
  .map((n) => `  ${n}`)
  .join('\n')}

${ENV_HELP}

Exit codes: 0 the command ran (single feed or page failures are recorded and shown, not fatal),
1 it could not run (bad configuration, database unreachable, unreadable file), 2 bad command line.
`;
}

function commandHelp(cmd: Command): string {
  const opts = { ...cmd.options, ...GLOBAL_OPTIONS };
  const lines = Object.entries(opts).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : ''}`;
    return `  ${flag.padEnd(34)} ${o.description}`;
  });
  return `Usage: factdesk ${cmd.name}${cmd.usage ? ` ${cmd.usage}` : ''} [options]

${cmd.summary}
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

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const stderr = process.stderr;
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
  const cmd = (await COMMANDS[found.name]!()).default;
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
      throw new UsageError((err as Error).message);
    }
    const flags = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if (flags.help) {
      process.stdout.write(commandHelp(cmd));
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
