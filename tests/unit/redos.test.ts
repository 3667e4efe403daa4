/**
 * Every regex that runs on fetched or stored text (articles, feeds, pages, what the site shows) must
 * take linear time, or one hostile page can hold extraction for hours (issue 10: a 1 MB run of
 * capitals did). The patterns are gathered from the source with the TypeScript parser
 * (tests/helpers/regexes.ts), so a regex added later is checked without anyone listing it, two ways:
 *
 * - recheck, a maintained ReDoS analyser: for each pattern it reports an attack string when it finds
 *   one; we grow that attack to 100k characters and time it in V8, the engine we actually run on
 *   (recheck's fuzzer also flags patterns that are linear in V8, e.g. bounded repeats).
 * - V8 timing of every pattern on 100k-character runs of capitals, digits, blanks, punctuation,
 *   quotes, dashes… — the inputs hostile text is made of.
 *
 * recheck's verdicts are cached in tests/unit/redos-verdicts.json (`npm run redos:verdicts`); a
 * pattern missing from it — new or changed — is analysed here. Timing runs in a worker thread that
 * is stopped at the limit, so a quadratic pattern fails the test instead of hanging it.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse, attackString, hostileInputs, loadVerdicts, RegexTimer, verdictKey } from '../helpers/redos.ts';
import { regexesUnder, TEXT_DIRS, type FoundRegex } from '../helpers/regexes.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Long enough that quadratic work (5·10⁹ steps) takes many seconds, linear work milliseconds. */
const LENGTH = 100_000;
/** Generous: linear patterns with bounded repeats ({0,160}) take ~0.5 s at LENGTH on a busy machine. */
const LIMIT_MS = 3_000;

/**
 * Super-linear patterns that only ever see a short slice of text: where the slice is cut, and its
 * length. They are timed on inputs of that length instead (limit BOUNDED_LIMIT_MS).
 */
// `has`: a piece of the folded pattern that picks it out.
const BOUNDED: { file: string; has: string; maxLength: number; why: string }[] = [
  { file: 'src/extract/rules/companies.ts', has: '(?:^|[.!?]\\s+|\\n\\s*|[“"]\\s*)$', maxLength: 30, why: 'trustAmbiguous: the 30 characters before a name' },
  { file: 'src/extract/rules/quotes.ts', has: '(?<who1>[^\\s.;:“”"!?]', maxLength: 260, why: 'BEFORE_RE: findQuotes passes at most the 260 characters before a quote' },
  { file: 'src/extract/rules/quotes.ts', has: ',.*$', maxLength: 160, why: 'speakerFrom: an attribution phrase of at most 160 characters' },
];
const BOUNDED_LIMIT_MS = 50;

/** Patterns built at run time, so not checkable statically; each reviewed by hand. */
const DYNAMIC: { file: string; starts: string; why: string }[] = [
  { file: 'src/extract/rules/companies.ts', starts: 'new RegExp(`(?<![\\\\p{L}\\\\p{N}])(?:${aliases', why: 'an alternation of escaped literal names between lookarounds: one pass per position' },
  { file: 'src/extract/rules/companies.ts', starts: 'new RegExp(`(?<![\\\\p{L}\\\\p{N}])(?:${[...discovered]', why: 'an alternation of escaped literal names between lookarounds' },
  { file: 'src/extract/rules/companies.ts', starts: 'new RegExp(String.raw`\\b(?:executive|founder|CEO', why: 'fixed role words, one blank run, an escaped literal name' },
  { file: 'src/extract/rules/companies.ts', starts: 'new RegExp(`(?<![\\\\p{L}])${escapeRe(short)}', why: 'an escaped literal between lookarounds' },
  { file: 'src/extract/rules/companies.ts', starts: "new RegExp(escapeRe(n), 'g')", why: 'an escaped literal' },
  { file: 'src/extract/rules/quotes.ts', starts: 'new RegExp(`\\\\b(?:${[...full.keys()]', why: 'an alternation of escaped literal surnames' },
  { file: 'src/extract/rules/kinds.ts', starts: 'new RegExp(`^\\\\s*(?:in\\\\s+(?!(?:a|an|its|the|their|his|her)\\\\b)|of\\\\s+|worth of\\\\s+)?', why: "anchored, bounded words (none of them a conjunction), then a rule's own pattern (each rule pattern is checked here statically)" },
  { file: 'src/extract/rules/kinds.ts', starts: "new RegExp(r.re.source, 'i')", why: "a rule's own pattern (checked here statically) with the i flag" },
  { file: 'src/extract/normalise/numbers.ts', starts: 'new RegExp(\n  String.raw`(?<![\\w-])(?:(?<frac>', why: 'word numbers: alternations of fixed number words' },
];

const found = regexesUnder(ROOT, TEXT_DIRS);
const where = (r: FoundRegex) => `${r.file}:${r.line} ${r.text.replace(/\s+/g, ' ').slice(0, 100)}`;
const boundOf = (r: FoundRegex) => BOUNDED.find((b) => b.file === r.file && !!r.source?.includes(b.has));

/** One entry per distinct pattern and flags (the same regex is often written in several places). */
function distinct(): FoundRegex[] {
  const seen = new Map<string, FoundRegex>();
  for (const r of found) if (r.source !== null && !seen.has(`${r.flags}/${r.source}`)) seen.set(`${r.flags}/${r.source}`, r);
  return [...seen.values()];
}

const timer = new RegexTimer(Worker);
afterAll(() => timer.close());

describe('regexes on fetched and stored text', () => {
  it('are gathered from the source, including the speaker patterns that were quadratic', () => {
    expect(found.length).toBeGreaterThan(300);
    const quotes = found.filter((r) => r.file === 'src/extract/rules/quotes.ts' && r.source?.includes('(?<name>'));
    expect(quotes.length).toBeGreaterThanOrEqual(4);
    // The folded source is the real pattern: it compiles, and PERSON is expanded inside it.
    for (const r of quotes) expect(() => new RegExp(r.source!, r.flags)).not.toThrow();
    expect(quotes.some((r) => r.source!.includes('\\p{Lu}'))).toBe(true);
  });

  it('built at run time are all reviewed (a new one must be added to DYNAMIC with a reason)', () => {
    const dynamic = found.filter((r) => r.source === null);
    const unreviewed = dynamic.filter((r) => !DYNAMIC.some((d) => d.file === r.file && r.text.startsWith(d.starts))).map(where);
    expect(unreviewed).toEqual([]);
    const stale = DYNAMIC.filter((d) => !dynamic.some((r) => d.file === r.file && r.text.startsWith(d.starts)));
    expect(stale).toEqual([]);
    expect(BOUNDED.filter((b) => !found.some((r) => boundOf(r) === b))).toEqual([]);
  });

  it(
    'stay fast in V8 on 100k-character runs of capitals, digits, blanks, punctuation, quotes and dashes',
    async () => {
      const inputs = Object.entries(hostileInputs(LENGTH));
      const short = Object.fromEntries(BOUNDED.map((b) => [b.maxLength, Object.entries(hostileInputs(b.maxLength))]));
      const slow: string[] = [];
      for (const r of distinct()) {
        const bound = boundOf(r);
        const limit = bound ? BOUNDED_LIMIT_MS : LIMIT_MS;
        for (const [name, input] of bound ? short[bound.maxLength]! : inputs) {
          const ms = await timer.time(r.source!, r.flags, input, limit);
          if (ms >= limit) {
            slow.push(`${where(r)} — over ${limit} ms on ${input.length} characters of ${name}`);
            break;
          }
        }
      }
      expect(slow).toEqual([]);
    },
    300_000,
  );

  it(
    'have no recheck attack that V8 is slow on',
    async () => {
      const verdicts = loadVerdicts();
      const slow: string[] = [];
      const unknown: string[] = [];
      for (const r of distinct()) {
        const v = verdicts[verdictKey(r.source!, r.flags)] ?? (await analyse(r.source!, r.flags));
        if (v.status === 'unknown') unknown.push(where(r)); // no attack found in time; the timing test covers it
        if (v.status !== 'vulnerable' || !v.attack) continue;
        const bound = boundOf(r);
        const limit = bound ? BOUNDED_LIMIT_MS : LIMIT_MS;
        const input = attackString(v.attack, bound?.maxLength ?? LENGTH);
        const ms = await timer.time(r.source!, r.flags, input, limit);
        if (ms >= limit) slow.push(`${where(r)} — recheck: ${v.summary}; V8 over ${limit} ms on its attack (${input.length} characters)`);
      }
      expect(slow).toEqual([]);
      // Most patterns get a verdict; a flood of timeouts would mean the analyser isn't really running.
      expect(unknown.length).toBeLessThan(distinct().length / 2);
    },
    600_000,
  );
});
