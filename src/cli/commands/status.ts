import { statusReport } from '../../../db/queries/status.ts';
import { print, printJson, type Command } from '../command.ts';
import { withDb } from '../runtime.ts';

const command: Command = {
  name: 'status',
  async run(ctx) {
    return withDb(ctx.config, async ({ db }) => {
      const s = await statusReport(db);
      if (ctx.json) {
        printJson(ctx, s);
        return 0;
      }
      print(ctx, `${s.totals.articles} articles (${s.totals.copies} copies), ${s.totals.facts} facts; ${s.feeds.total} feeds, ${s.feeds.failing} failing, ${s.feeds.dueNow} due now`);
      print(ctx, `waiting: ${s.queue.pagesPending} pages to fetch, ${s.queue.articlesPendingExtraction} articles to extract; failed: ${s.queue.pagesFailed} pages, ${s.queue.articlesFailedExtraction} extractions`);
      const re = s.reextraction;
      if (re) print(ctx, `re-extraction pass #${re.pass} (${re.extractor}, since ${re.startedAt}): ${re.left} of ${re.articles} articles left — \`factdesk extract --all\` goes on with it`);
      if (s.llm.cachedResponses) print(ctx, `LLM: ${s.llm.promptTokens} prompt + ${s.llm.completionTokens} completion tokens in ${s.llm.cachedResponses} cached answers`);
      print(ctx, '\nRecent runs:');
      if (s.runs.length === 0) print(ctx, '  none yet: run `factdesk refresh`');
      for (const r of s.runs) {
        print(ctx, `  #${String(r.id).padEnd(5)} ${r.kind.padEnd(8)} ${r.status.padEnd(12)} ${r.startedAt}${r.failures ? `  ${r.failures} failures` : ''}${r.error ? `  ${r.error}` : ''}`);
      }
      if (s.failingFeeds.length) {
        print(ctx, '\nFailing feeds:');
        for (const f of s.failingFeeds) {
          print(ctx, `  ${String(f.id).padStart(4)}  ${f.errorCount}× ${f.title ?? f.url}`);
          print(ctx, `        ${f.lastError ?? ''} (next try ${f.nextFetchAt ?? 'now'})`);
        }
      }
      return 0;
    });
  },
};
export default command;
