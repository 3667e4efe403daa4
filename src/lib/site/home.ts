/**
 * Everything the home page shows, read in one place so the page (src/pages/index.astro) only lays it
 * out: totals and feed health from the status report, the companies with the most facts, the newest
 * facts and articles, and the last refresh.
 */
import type { Db } from '../../../db/client.ts';
import { statusReport } from '../../../db/queries/status.ts';
import { lastRun, listCompanies, newestArticles, newestReportedFacts } from './queries.ts';

/** Companies shown as cards; the rest are one link away on /companies/. */
export const HOME_TOP = 24;

export async function homePage(db: Db, now: Date = new Date()) {
  const [companies, facts, articles, run, status] = await Promise.all([
    listCompanies(db),
    newestReportedFacts(db, 12),
    newestArticles(db, 10),
    lastRun(db),
    statusReport(db, now, 1),
  ]);
  const top = [...companies].sort((a, b) => b.factCount - a.factCount || a.name.localeCompare(b.name)).slice(0, HOME_TOP);
  const runStats = run ? (JSON.parse(run.stats) as Record<string, number>) : {};
  return {
    companyCount: companies.length,
    top,
    facts,
    articles,
    run,
    runStats,
    totals: { facts: status.totals.facts, articles: status.totals.articles },
    feeds: status.feeds,
    pendingExtraction: status.queue.articlesPendingExtraction,
  };
}
