/**
 * Collect each item a feed still owes, including items left pending by earlier (crashed) runs and
 * retryable failures, a bounded number of page pipelines at a time.
 */
import { canonicalUrl } from '../dedup/canonical-url.ts';
import { pendingItems, type Feed } from '../state.ts';
import type { RunContext } from './context.ts';
import { collectItem } from './item.ts';

export async function collectQueued(ctx: RunContext, feed: Feed): Promise<void> {
  const owed = ctx.aborted() ? [] : await pendingItems(ctx.db, feed.id);
  ctx.progress.pagesOwed(owed.length);
  // Many items may link to one page (a feed listing its home page 50 times, or two feeds sharing a
  // story): each canonical URL is fetched once per run and its items share the result.
  ctx.pages.expect(owed.flatMap(({ item }) => (item.url && canonicalUrl(item.url) ? [canonicalUrl(item.url)!] : [])));
  await Promise.all(
    owed.map(({ item, feedTitle, feedUrl }) =>
      ctx.pageLimit(async () => {
        if (ctx.aborted()) return;
        await collectItem(ctx, item, { feedTitle, feedUrl });
        ctx.progress.pageDone();
      }),
    ),
  );
}
