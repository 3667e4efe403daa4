import { companyChoices, exportFacts, writeFacts } from '../../export/facts.ts';
import { FACT_KINDS } from '../../extract/types.ts';
import { parseDate } from '../../shared/dates.ts';
import { UsageError } from '../../shared/errors.ts';
import type { Command, CommandContext } from '../command.ts';
import { didYouMean } from '../suggest.ts';
import { withDb, writeExport } from '../runtime.ts';

/**
 * The slug a --company flag names: a slug as given, or a company's name or slug in other case
 * ("Klarna"). A name that matches nothing still exports (an empty file is a true answer), but says
 * so on stderr with the nearest slugs, since an empty CSV alone looks like a bug.
 */
async function knownCompany(ctx: CommandContext, db: Parameters<typeof companyChoices>[0], wanted: string | undefined): Promise<string | undefined> {
  if (wanted === undefined) return undefined;
  const choices = await companyChoices(db);
  if (choices.some((c) => c.slug === wanted)) return wanted;
  const folded = wanted.trim().toLowerCase();
  const same = choices.find((c) => c.slug.toLowerCase() === folded || c.name.toLowerCase() === folded);
  if (same) return same.slug;
  const slugs = choices.map((c) => c.slug);
  const some = slugs.length > 12 ? `${slugs.slice(0, 12).join(', ')} and ${slugs.length - 12} more` : slugs.join(', ') || 'none yet';
  ctx.stderr.write(
    `factdesk export facts: warning: no company "${wanted}"${didYouMean(folded, slugs)}, so the export is empty. ` +
      `Companies with facts: ${some}.\n`,
  );
  return wanted;
}

const command: Command = {
  name: 'export facts',
  details: `JSON: {"schemaVersion":1,"generatedAt":…,"facts":[…]}; NDJSON: one fact per line; CSV: one row per
(fact, source), RFC 4180. Every source's evidence is an exact substring of the stored article text at
[start, end). The contract is content/facts-contract.md (on the built site: /exports/contract.md).`,
  options: {
    format: { type: 'string', valueName: 'json|ndjson|csv', description: 'output format (default json)' },
    company: { type: 'string', valueName: 'slug', description: 'only this company (e.g. klarna)' },
    kind: { type: 'string', valueName: 'kind', description: `only this kind (${FACT_KINDS.join(', ')})` },
    since: { type: 'string', valueName: 'date', description: 'only facts with a source published on or after this date' },
    out: { type: 'string', valueName: 'file', description: 'write to a file instead of stdout' },
  },
  async run(ctx) {
    const format = (ctx.flags.format as string | undefined) ?? 'json';
    if (format !== 'json' && format !== 'ndjson' && format !== 'csv') throw new UsageError('--format must be json, ndjson or csv');
    const kind = ctx.flags.kind as string | undefined;
    if (kind && !(FACT_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${FACT_KINDS.join(', ')}`);
    let since: string | undefined;
    if (ctx.flags.since) {
      since = parseDate(ctx.flags.since as string) ?? undefined;
      if (!since) throw new UsageError(`--since: not a date: ${ctx.flags.since}`);
    }
    return withDb(ctx.config, async ({ db }) => {
      const company = await knownCompany(ctx, db, ctx.flags.company as string | undefined);
      await writeExport(ctx, 'facts', (out) => writeFacts(out, exportFacts(db, { company, kind, since }), format));
      return 0;
    });
  },
};
export default command;
