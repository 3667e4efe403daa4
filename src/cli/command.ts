/** What a CLI command is: a name, its help, its flags (node:util parseArgs), and a run function. */
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/log.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & {
  description: string;
  /** Shown in help as --name <valueName>. */
  valueName?: string;
};

export interface CommandContext {
  args: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  config: Config;
  log: Logger;
  /** True when --json was given: print one JSON document on stdout and nothing else there. */
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  signal: AbortSignal;
}

export interface Command {
  /** e.g. "feeds add" */
  name: string;
  /** e.g. "<url>" */
  usage?: string;
  /** Longer help text shown by --help, after the usage line. */
  details?: string;
  options?: Record<string, OptionSpec>;
  /** Allowed positional argument counts. */
  minArgs?: number;
  maxArgs?: number;
  /** Returns the process exit code. */
  run(ctx: CommandContext): Promise<number>;
}

export function print(ctx: Pick<CommandContext, 'stdout'>, text = ''): void {
  ctx.stdout.write(text + '\n');
}

export function printJson(ctx: Pick<CommandContext, 'stdout'>, value: unknown): void {
  ctx.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Resolves when the command is asked to stop (Ctrl-C, SIGTERM): long-running commands wait on it. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
