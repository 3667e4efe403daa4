/** Human-readable summaries of a refresh, shared by `refresh` and `start`. */
import type { RefreshReport } from '../../scrapers/refresh.ts';
import type { ExtractReport } from '../extract/pipeline.ts';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function formatRefresh(r: RefreshReport): string {
  const s = r.stats;
  const lines = [
    `refresh #${r.runId} ${r.status} in ${(s.durationMs / 1000).toFixed(1)} s`,
    `  feeds     ${s.feedsDue} due: ${s.feedsFetched} fetched, ${s.feedsNotModified} not modified, ${s.feedsFailed} failed; ${s.itemsQueued} new or changed items`,
    `  pages     ${s.pagesFetched} fetched, ${s.pagesNotModified} not modified, ${s.pagesFailed} failed${s.pagesSkipped ? `, ${s.pagesSkipped} skipped (not HTML)` : ''}`,
    `  articles  ${s.articlesNew + s.articlesCopies} new (${plural(s.articlesCopies, 'copy', 'copies')} of earlier ones), ${s.articlesRevised} revised, ${s.articlesUnchanged} unchanged${s.articlesFromFeedText ? `; ${s.articlesFromFeedText} with text taken from the feed` : ''}`,
  ];
  if (r.failures.length) {
    lines.push(`failures (${r.failures.length}):`);
    for (const f of r.failures.slice(0, 50)) lines.push(`  ${f.scope.padEnd(5)} ${f.code.padEnd(18)} ${f.message}`);
    if (r.failures.length > 50) lines.push(`  … and ${r.failures.length - 50} more (factdesk refresh --json lists all)`);
  }
  return lines.join('\n');
}

export function formatExtract(r: ExtractReport): string {
  const s = r.stats;
  const reasons = Object.entries(s.rejectedBy)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    `extract #${r.runId} ${r.status} in ${(s.durationMs / 1000).toFixed(1)} s with ${r.extractor}`,
    `  articles  ${s.articles} queued: ${s.extracted} extracted, ${s.failed} failed`,
    ...(r.pass ? [`  pass      #${r.pass.id}${r.pass.joined ? ' (joined)' : ''}, ${r.pass.articles} articles: ${r.pass.finished ? 'finished' : 'still open (other workers are on it, or articles wait for a retry: extract --all goes on with it)'}`] : []),
    `  facts     ${s.factsAccepted} kept of ${s.factsProposed} proposed${s.factsRejected ? `; ${s.factsRejected} rejected by grounding (${reasons})` : ''}`,
  ];
  if (s.promptTokens || s.completionTokens) lines.push(`  tokens    ${s.promptTokens} prompt + ${s.completionTokens} completion`);
  if (r.failures.length) {
    lines.push(`failures (${r.failures.length}):`);
    for (const f of r.failures.slice(0, 50)) lines.push(`  ${f.code.padEnd(18)} ${f.message}`);
  }
  return lines.join('\n');
}
