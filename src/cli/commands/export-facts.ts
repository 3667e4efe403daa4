import { exportFacts, writeFacts } from '../../export/facts.ts';
import { FACT_KINDS } from '../../extract/types.ts';
import { parseDate } from '../../shared/dates.ts';
import { UsageError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { withDb, writeExport } from '../runtime.ts';

const command: Command = {
  name: 'export facts',
  summary: 'Stream facts with their sources in the facts contract (schemaVersion 1) as JSON, NDJSON or CSV.',
  details: `JSON: {"schemaVersion":1,"generatedAt":…,"facts":[…]}; NDJSON: one fact per line; CSV: one row per
(fact, source), RFC 4180. Every source's evidence is an exact substring of the stored article text at
[start, end). See ../shared/design/facts-contract.md.`,
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
      await writeExport(ctx, 'facts', (out) =>
        writeFacts(out, exportFacts(db, { company: ctx.flags.company as string | undefined, kind, since }), format),
      );
      return 0;
    });
  },
};
export default command;
