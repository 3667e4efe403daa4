/**
 * Messages for what a user typed wrong: the closest known word ("did you mean …?") and one-line
 * rewrites of node:util parseArgs errors, whose own text is long and quotes unevenly
 * ("… as in '-- "--bogus"").
 */
import { distance } from 'fastest-levenshtein';

/**
 * The known words closest to `typed`, best first: at most `max`, and only those a typo away
 * (an edit distance of at most a third of the longer word, at least 1) or sharing its start.
 */
export function closest(typed: string, known: readonly string[], max = 3): string[] {
  const t = typed.toLowerCase();
  return known
    .map((k) => ({ k, d: distance(t, k.toLowerCase()) }))
    .filter(({ k, d }) => d <= Math.max(1, Math.floor(Math.max(t.length, k.length) / 3)) || (t.length >= 3 && k.toLowerCase().startsWith(t)))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, max)
    .map(({ k }) => k);
}

/** " (did you mean a or b?)" or "" when nothing is close. */
export function didYouMean(typed: string, known: readonly string[], show: (k: string) => string = (k) => k): string {
  const near = closest(typed, known);
  return near.length ? ` (did you mean ${near.map(show).join(' or ')}?)` : '';
}

/** A parseArgs error as one short line that names the option and, for unknown ones, the nearest. */
export function argsProblem(err: NodeJS.ErrnoException, optionNames: readonly string[]): string {
  const option = /'(-[^' ]+)/.exec(err.message)?.[1];
  if (!option) return err.message;
  const flag = option.split('=')[0]!;
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const name = flag.replace(/^--?/, '');
      return `unknown option ${flag}${didYouMean(name, optionNames, (k) => `--${k}`)}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(err.message)) return `${flag} takes no value`;
      if (/ambiguous/.test(err.message)) return `${flag} needs a value (for a value starting with "-", write ${flag}=-…)`;
      return `${flag} needs a value`;
    default:
      return err.message;
  }
}
