/**
 * One page request of a run, shared by every item that links to the same canonical URL: the stored
 * article's validators make it conditional, and only an HTML body is read in full.
 */
import type { FetchResult } from '../http/fetcher.ts';
import { classifyPage, mayBeHtml, type PageKind } from '../pages/content-kind.ts';
import { findValidators } from '../store.ts';
import type { RunContext } from './context.ts';

export interface PageFetch {
  existing: Awaited<ReturnType<typeof findValidators>>;
  res: FetchResult;
  kind: PageKind;
}

export async function fetchPage(ctx: RunContext, url: string, key: string): Promise<PageFetch> {
  const existing = await findValidators(ctx.db, key);
  const res = await ctx.fetcher.fetch(url, {
    kind: 'page',
    wantsBody: mayBeHtml,
    etag: existing?.etag ?? null,
    lastModified: existing?.lastModified ?? null,
  });
  const kind: PageKind = res.status === 'ok' ? await classifyPage(res.contentType, res.body) : { html: true };
  return { existing, res, kind };
}
