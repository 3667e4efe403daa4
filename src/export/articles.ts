/**
 * Articles export, streamed: rows are read in id order in pages of 500, so exporting a large
 * database needs constant memory. JSON wraps the records in a versioned envelope; NDJSON is one
 * record per line for `jq`/`duckdb` pipelines.
 */
import { and, asc, eq, gt, gte, isNull, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { writer } from './stream.ts';
import type { Db } from '../../db/client.ts';
import { articles, feeds } from '../../db/schema.ts';

export const ARTICLES_SCHEMA_VERSION = 1;

export interface ArticleExportFilter {
  /** Only articles published (or, if undated, first seen) on or after this ISO date. */
  since?: string;
  feedId?: number;
  /** Leave out reprints (articles that are copies of an earlier one). */
  noCopies?: boolean;
  /** Leave out the text (metadata only). */
  noText?: boolean;
}

export interface ArticleRecord {
  id: number;
  url: string | null;
  title: string | null;
  outlet: string | null;
  author: string | null;
  language: string | null;
  description: string | null;
  publishedAt: string | null;
  modifiedAt: string | null;
  firstSeenAt: string;
  fetchedAt: string;
  feed: { id: number; url: string; title: string | null } | null;
  guid: string | null;
  revision: number;
  wordCount: number;
  contentHash: string;
  simhash: string;
  paywalled: boolean;
  truncated: boolean;
  flags: string[];
  textSource: string;
  copyOf: { id: number; url: string | null } | null;
  text?: string;
}

const PAGE = 500;

export async function* exportArticles(db: Db, filter: ArticleExportFilter = {}): AsyncGenerator<ArticleRecord> {
  const original = alias(articles, 'original');
  let lastId = 0;
  for (;;) {
    const conds: SQL[] = [gt(articles.id, lastId)];
    if (filter.feedId !== undefined) conds.push(eq(articles.feedId, filter.feedId));
    if (filter.noCopies) conds.push(isNull(articles.copyOfId));
    if (filter.since) conds.push(gte(articles.publishedAt, filter.since));
    const rows = await db
      .select({ a: articles, feed: { id: feeds.id, url: feeds.url, title: feeds.title }, originalUrl: original.url })
      .from(articles)
      .leftJoin(feeds, eq(feeds.id, articles.feedId))
      .leftJoin(original, eq(original.id, articles.copyOfId))
      .where(and(...conds))
      .orderBy(asc(articles.id))
      .limit(PAGE);
    for (const { a, feed, originalUrl } of rows) {
      const rec: ArticleRecord = {
        id: a.id,
        url: a.url,
        title: a.title,
        outlet: a.outlet,
        author: a.author,
        language: a.language,
        description: a.description,
        publishedAt: a.publishedAt,
        modifiedAt: a.modifiedAt,
        firstSeenAt: a.firstSeenAt,
        fetchedAt: a.fetchedAt,
        feed: feed?.id != null ? feed : null,
        guid: a.guid,
        revision: a.revision,
        wordCount: a.wordCount,
        contentHash: a.contentHash,
        simhash: a.simhash,
        paywalled: a.paywalled,
        truncated: a.truncated,
        flags: JSON.parse(a.flags) as string[],
        textSource: a.textSource,
        copyOf: a.copyOfId != null ? { id: a.copyOfId, url: originalUrl } : null,
      };
      if (!filter.noText) rec.text = a.text;
      yield rec;
    }
    if (rows.length < PAGE) return;
    lastId = rows[rows.length - 1]!.a.id;
  }
}

/** Writes the export to a stream as NDJSON or as one JSON document, respecting backpressure. */
export async function writeArticles(
  out: NodeJS.WritableStream,
  records: AsyncIterable<ArticleRecord>,
  format: 'json' | 'ndjson',
  now: Date = new Date(),
): Promise<number> {
  const write = writer(out);
  let n = 0;
  if (format === 'json') {
    await write(`{"schemaVersion":${ARTICLES_SCHEMA_VERSION},"generatedAt":${JSON.stringify(now.toISOString())},"articles":[`);
  }
  for await (const r of records) {
    if (format === 'json') await write(`${n ? ',' : ''}\n${JSON.stringify(r)}`);
    else await write(JSON.stringify(r) + '\n');
    n++;
  }
  if (format === 'json') await write(`${n ? '\n' : ''}]}\n`);
  return n;
}
