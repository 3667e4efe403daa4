/**
 * ReDoS checking for tests/unit/redos.test.ts: verdicts from recheck (a maintained static + fuzzing
 * ReDoS analyser), and timing of a regex on a long input in V8 itself, the engine we run on.
 *
 * recheck takes seconds per pattern, too slow to run on ~400 patterns in every `npm test`, so its
 * verdicts are recorded in tests/unit/redos-verdicts.json keyed by pattern, flags and recheck
 * version (`npm run redos:verdicts` rewrites it). A pattern with no recorded verdict — a new or
 * changed regex — is analysed when the test runs.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { check } from 'recheck';

export const RECHECK_VERSION: string = (createRequire(import.meta.url)('recheck/package.json') as { version: string }).version;

export interface Attack {
  pumps: { prefix: string; pump: string }[];
  suffix: string;
}

export interface Verdict {
  status: 'safe' | 'vulnerable' | 'unknown';
  /** recheck's complexity summary or error kind. */
  summary: string;
  /** The attack recheck found, for vulnerable patterns: replayed in V8 by the test. */
  attack?: Attack;
}

export function verdictKey(source: string, flags: string): string {
  // The g flag changes how often a pattern is used, not what one search costs.
  return createHash('sha256').update(`${RECHECK_VERSION}\n${flags.replace(/g/g, '')}\n${source}`).digest('hex').slice(0, 24);
}

export const VERDICTS_FILE = new URL('../unit/redos-verdicts.json', import.meta.url);

export function loadVerdicts(): Record<string, Verdict> {
  try {
    return JSON.parse(readFileSync(VERDICTS_FILE, 'utf8')) as Record<string, Verdict>;
  } catch {
    return {};
  }
}

/** Runs recheck on one pattern (native binary when present, else its JS build). */
export async function analyse(source: string, flags: string, timeoutMs = 10_000): Promise<Verdict> {
  // A sticky pattern is only tried where the last one ended: analyse it anchored.
  const anchored = flags.includes('y') ? `^(?:${source})` : source;
  const r = await check(anchored, flags.replace(/[gy]/g, ''), { timeout: timeoutMs });
  if (r.status === 'safe') return { status: 'safe', summary: r.complexity.summary };
  if (r.status === 'vulnerable') {
    return {
      status: 'vulnerable',
      summary: r.complexity.summary,
      attack: { pumps: r.attack.pumps.map((p) => ({ prefix: p.prefix, pump: p.pump })), suffix: r.attack.suffix },
    };
  }
  return { status: 'unknown', summary: r.error.kind };
}

/** recheck's attack grown to about `length` characters (each pump repeated equally). */
export function attackString(a: Attack, length: number): string {
  const fixed = a.pumps.reduce((n, p) => n + p.prefix.length, a.suffix.length);
  const perRound = a.pumps.reduce((n, p) => n + p.pump.length, 0) || 1;
  const reps = Math.max(1, Math.ceil((length - fixed) / perRound));
  return a.pumps.map((p) => p.prefix + p.pump.repeat(reps)).join('') + a.suffix;
}

/**
 * Milliseconds V8 spends on `input` the way our code uses the pattern: every match for a g/y
 * pattern (exec loops, matchAll, replace), the first match otherwise (test, exec, match).
 */
export function timeRegex(source: string, flags: string, input: string): number {
  const re = new RegExp(source, flags);
  const t = performance.now();
  if (re.global || re.sticky) {
    re.lastIndex = 0;
    for (let m = re.exec(input); m; m = re.exec(input)) if (m[0] === '') re.lastIndex++;
  } else re.exec(input);
  return performance.now() - t;
}

/** Long runs of the characters hostile text is made of (capitals, digits, spaces, punctuation…). */
export function hostileInputs(length: number): Record<string, string> {
  const run = (unit: string) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  return {
    capitals: run('A'),
    'capital words': run('ACME CORP '),
    'capitalised words': run('Acme '),
    lowercase: run('a'),
    digits: run('1'),
    'digit groups': run('1,000.'),
    spaces: run(' '),
    tabs: run('\t'),
    'no-break spaces': run('\u00a0'),
    'mixed blanks': run(' \u00a0\t'),
    newlines: run('\n'),
    'blank lines': run('\n \n'),
    punctuation: run('.,;:!?-'),
    dashes: run('A-'),
    'curly quotes': run('“'),
    'straight quotes': run('"a'),
    apostrophes: run("A'"),
    percent: run('5% '),
    money: run('$1 '),
    angles: run('<a '),
    parentheses: run('(a:'),
    pipes: run(' | '),
    'non-ASCII capitals': run('ÀÉ'),
  };
}

// The timing runs in a worker thread: a quadratic pattern on a long input can take minutes, and only
// terminating the thread stops it. Plain JS (eval) so the worker needs no TypeScript loader.
const TIMING_WORKER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ source, flags, input }) => {
  const re = new RegExp(source, flags);
  const t = performance.now();
  if (re.global || re.sticky) {
    re.lastIndex = 0;
    for (let m = re.exec(input); m; m = re.exec(input)) if (m[0] === '') re.lastIndex++;
  } else re.exec(input);
  parentPort.postMessage(performance.now() - t);
});`;

/** Times patterns on inputs in a worker thread; a run over `limitMs` is stopped and reported as Infinity. */
export class RegexTimer {
  #worker: import('node:worker_threads').Worker | null = null;
  #Worker: typeof import('node:worker_threads').Worker;
  constructor(W: typeof import('node:worker_threads').Worker) {
    this.#Worker = W;
  }
  /**
   * The time measured inside the worker, so a thread's start-up isn't charged to the pattern; the
   * thread is stopped only when no answer has come `limitMs` plus a start-up allowance later.
   */
  async time(source: string, flags: string, input: string, limitMs: number): Promise<number> {
    this.#worker ??= new this.#Worker(TIMING_WORKER, { eval: true });
    const w = this.#worker;
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        w.removeAllListeners('message');
        w.removeAllListeners('error');
        void w.terminate();
        this.#worker = null;
        resolve(Infinity);
      }, limitMs + 5_000);
      w.once('message', (ms: number) => {
        clearTimeout(timer);
        w.removeAllListeners('error');
        resolve(ms);
      });
      w.once('error', (err) => {
        clearTimeout(timer);
        w.removeAllListeners('message');
        this.#worker = null;
        reject(err);
      });
      w.postMessage({ source, flags, input });
    });
  }
  async close(): Promise<void> {
    await this.#worker?.terminate();
    this.#worker = null;
  }
}
