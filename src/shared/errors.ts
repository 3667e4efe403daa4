/**
 * Errors that say what the CLI does with them. Stage-specific errors (FetchError, FeedParseError)
 * are recorded per item and never end a run; these end the command with a specific exit code.
 */

/** Wrong flags or arguments: exit 2, with the message and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The command cannot run at all (database unreachable, bad config, missing file): exit 1. */
export class FatalError extends Error {
  override name = 'FatalError';
}

export const EXIT = {
  ok: 0,
  /** The run could not happen: bad config, database unreachable, unreadable input file. */
  failure: 1,
  /** Bad command line. */
  usage: 2,
  /** Interrupted by SIGINT/SIGTERM (128 + 2). */
  interrupted: 130,
} as const;
