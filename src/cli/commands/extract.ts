import { UsageError } from '../../shared/errors.ts';
import { print, printJson, type Command } from '../command.ts';
import { createProgress } from '../progress.ts';
import { formatExtract } from '../report.ts';
import { withDb } from '../runtime.ts';
import { buildExtractor, runExtract } from '../stages.ts';

export function parseExtractorFlag(v: unknown, fallback: 'rules' | 'llm'): 'rules' | 'llm' {
  if (v === undefined) return fallback;
  if (v !== 'rules' && v !== 'llm') throw new UsageError('--extractor must be rules or llm');
  return v;
}

const command: Command = {
  name: 'extract',
  details: `Every proposed fact is checked against the stored text: its evidence must be found there and its
value must appear in the evidence, or it is rejected and counted. Re-extracting an article changes only
what its new reading changes: fact ids stay stable, a claim read as before keeps its rows untouched,
new claims are added and claims no longer read are removed (retracted when an older revision still
states them). --all re-reads every stored article (after an extractor upgrade or a registry change) as
one pass: run it again after a crash, or on several processes or machines sharing one database, and
each joins the open pass, claims articles under leases and reads only what the pass has not. Progress
and the time left are drawn on a terminal, and logged every 30 s otherwise. The LLM extractor
(--extractor llm, or FACTDESK_EXTRACTOR=llm) needs OPENAI_API_KEY or OPENAI_BASE_URL; FACTDESK_MODEL
picks the model, FACTDESK_MAX_TOKENS caps a run.`,
  options: {
    article: { type: 'string', multiple: true, valueName: 'id', description: 're-extract this article (repeatable)' },
    all: { type: 'boolean', description: 're-extract every stored article (resumes or joins an open pass)' },
    extractor: { type: 'string', valueName: 'rules|llm', description: 'which extractor (default FACTDESK_EXTRACTOR or rules)' },
  },
  async run(ctx) {
    const ids = (ctx.flags.article as string[] | undefined)?.map((v) => {
      if (!/^\d+$/.test(v)) throw new UsageError(`--article expects an article id, got ${v}`);
      return Number(v);
    });
    const kind = parseExtractorFlag(ctx.flags.extractor, ctx.config.extractor);
    return withDb(ctx.config, async ({ db }) => {
      const extractor = await buildExtractor(db, ctx.config, kind);
      const progress = createProgress(ctx.stderr, !ctx.json, { log: (line) => ctx.log.info(line) });
      try {
        const report = await runExtract(ctx, db, extractor, progress, { articleIds: ids, all: ctx.flags.all === true });
        if (ctx.json) printJson(ctx, report);
        else print(ctx, formatExtract(report));
        return report.status === 'interrupted' ? 130 : 0;
      } finally {
        progress.done();
      }
    });
  },
};
export default command;
