/**
 * The Factdesk database, for all three stages: collect (feeds, feed_items, articles, revisions),
 * extract (companies, facts, fact_sources, summaries, llm_cache) and the run log (runs, run_failures).
 *
 * Times are ISO-8601 UTC strings: they sort correctly as text, read well in the sqlite shell and
 * survive the trip through a remote libSQL server unchanged.
 */
import { sql } from 'drizzle-orm';
import {
  blob,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

export const feeds = sqliteTable(
  'feeds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    url: text('url').notNull(),
    title: text('title'),
    siteUrl: text('site_url'),
    category: text('category'),
    /** rss | atom | rdf | json, as detected on the last successful fetch. */
    format: text('format'),
    etag: text('etag'),
    lastModified: text('last_modified'),
    /** RSS <ttl> or Cache-Control max-age, in minutes: a lower bound for the next poll. */
    ttlMinutes: integer('ttl_minutes'),
    lastFetchedAt: text('last_fetched_at'),
    lastSuccessAt: text('last_success_at'),
    /** When the feed is due again; null means "due now". Pushed back on errors and on Retry-After. */
    nextFetchAt: text('next_fetch_at'),
    /** Consecutive failures; drives exponential backoff. Reset on success. Never deletes the feed. */
    errorCount: integer('error_count').notNull().default(0),
    lastError: text('last_error'),
    lastErrorAt: text('last_error_at'),
    /** Worker lease, so overlapping runs never process the same feed twice (see issue on workers). */
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: text('lease_expires_at'),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('feeds_url_uq').on(t.url), index('feeds_next_fetch_idx').on(t.nextFetchAt)],
);

/**
 * Every item a feed has announced. Written in the same transaction as the feed's new ETag, so a run
 * killed after reading a feed (which would answer 304 next time) still knows which pages it owes:
 * pending items are the durable work queue of the collector.
 */
export const feedItems = sqliteTable(
  'feed_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    feedId: integer('feed_id')
      .notNull()
      .references(() => feeds.id, { onDelete: 'cascade' }),
    guid: text('guid').notNull(),
    url: text('url'),
    title: text('title'),
    author: text('author'),
    publishedAt: text('published_at'),
    updatedAt: text('updated_at'),
    /** Plain text of the item's content/description: the fallback body and the paywall yardstick. */
    contentText: text('content_text'),
    /** Hash of what the feed said about the item; a change re-queues the page fetch. */
    itemHash: text('item_hash').notNull(),
    /** pending | done | failed | skipped */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    articleId: integer('article_id').references((): AnySQLiteColumn => articles.id, { onDelete: 'set null' }),
    discoveredAt: text('discovered_at').notNull().default(now),
    processedAt: text('processed_at'),
  },
  (t) => [
    uniqueIndex('feed_items_feed_guid_uq').on(t.feedId, t.guid),
    index('feed_items_status_idx').on(t.status, t.feedId),
    index('feed_items_article_idx').on(t.articleId),
  ],
);

export const articles = sqliteTable(
  'articles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Identity: the canonical URL (trackers, fragments, default ports dropped; http ≡ https), or
     * `guid:<feed url>#<guid>` for feed items that have no link. */
    key: text('key').notNull(),
    url: text('url'),
    feedId: integer('feed_id').references(() => feeds.id, { onDelete: 'set null' }),
    guid: text('guid'),
    title: text('title'),
    outlet: text('outlet'),
    author: text('author'),
    language: text('language'),
    description: text('description'),
    publishedAt: text('published_at'),
    modifiedAt: text('modified_at'),
    firstSeenAt: text('first_seen_at').notNull().default(now),
    fetchedAt: text('fetched_at').notNull().default(now),
    /** Clean main text of the current revision, paragraphs separated by a blank line. */
    text: text('text').notNull(),
    wordCount: integer('word_count').notNull().default(0),
    contentHash: text('content_hash').notNull(),
    /** 64-bit simhash (16 hex chars) of the text; its bands are in article_fingerprints. */
    simhash: text('simhash').notNull(),
    /** The earliest article this one repeats (syndicated reprint, near-identical copy). */
    copyOfId: integer('copy_of_id').references((): AnySQLiteColumn => articles.id, { onDelete: 'set null' }),
    paywalled: integer('paywalled', { mode: 'boolean' }).notNull().default(false),
    truncated: integer('truncated', { mode: 'boolean' }).notNull().default(false),
    /** JSON array of reasons: 'jsonld-not-free', 'paywall-marker', 'shorter-than-feed', 'feed-text-only'… */
    flags: text('flags').notNull().default('[]'),
    /** 'page' when the text came from the article page, 'feed' when only the feed's content was usable. */
    textSource: text('text_source').notNull().default('page'),
    revision: integer('revision').notNull().default(1),
    /** Validators of the page, for conditional GET when it is fetched again. */
    etag: text('etag'),
    lastModified: text('last_modified'),
    /** pending | done | failed — the extract stage's queue. */
    extractionStatus: text('extraction_status').notNull().default('pending'),
    extractedAt: text('extracted_at'),
    /**
     * Extraction attempts since the last success or new revision, counted before each try so that a
     * try which kills or hangs the process counts too; past the limit the article is failed, not retried.
     */
    extractionAttempts: integer('extraction_attempts').notNull().default(0),
    /** Why the last extraction failed (over its time budget, an extractor error), or null. */
    extractionError: text('extraction_error'),
    /**
     * The re-extraction pass (extraction_passes.id) that last read this article, 0 for none: a pass
     * works through the articles below its id, so one resumed after a crash skips what it already read.
     */
    extractionPass: integer('extraction_pass').notNull().default(0),
    /** Extract worker lease (src/extract/leases.ts), so several processes share the queue without doubles. */
    extractionLeaseOwner: text('extraction_lease_owner'),
    extractionLeaseExpiresAt: text('extraction_lease_expires_at'),
  },
  (t) => [
    uniqueIndex('articles_key_uq').on(t.key),
    index('articles_hash_idx').on(t.contentHash),
    index('articles_published_idx').on(t.publishedAt),
    // The two extraction queues with their leases: a claim reads the index alone, never the row
    // (these columns sit after the text, whose overflow pages would be read to reach them).
    index('articles_extraction_idx').on(t.extractionStatus, t.extractionLeaseExpiresAt, t.extractionLeaseOwner),
    index('articles_extraction_pass_idx').on(t.extractionPass, t.extractionLeaseExpiresAt, t.extractionLeaseOwner),
    index('articles_copy_of_idx').on(t.copyOfId),
    // Covers the copy check's "simhash of these candidate ids" (scrapers/store.ts): a few index pages
    // instead of one table page per candidate, since every article row is as large as its text.
    index('articles_id_simhash_idx').on(t.id, t.simhash),
  ],
);

/**
 * Re-extractions of every stored article (`factdesk extract --all`). One is open at a time; a run
 * that finds it open joins it (another worker, or a rerun after a crash) instead of starting over.
 */
export const extractionPasses = sqliteTable('extraction_passes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  extractor: text('extractor').notNull(),
  /** Articles it had to read when it began. */
  articles: integer('articles').notNull().default(0),
  startedAt: text('started_at').notNull().default(now),
  /** Set when every article below it has been read (or it gave way to a pass with another extractor). */
  finishedAt: text('finished_at'),
});

/**
 * Near-duplicate lookup keys of each article: its simhash cut into bands ("<position>:<hex>"; two
 * fingerprints within Hamming distance d share at least one of d+1 bands) and hashes of its longer
 * paragraphs ("p:<hex>"; reprints repeat whole paragraphs). Candidates are an indexed lookup, then
 * confirmed on the text (scrapers/dedup/similarity.ts).
 */
export const articleFingerprints = sqliteTable(
  'article_fingerprints',
  {
    fp: text('fp').notNull(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.fp, t.articleId] }), index('article_fingerprints_article_idx').on(t.articleId)],
);

/** Every version of an article's text. Revision n of an article is immutable once written. */
export const articleRevisions = sqliteTable(
  'article_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    fetchedAt: text('fetched_at').notNull(),
    title: text('title'),
    text: text('text').notNull(),
    contentHash: text('content_hash').notNull(),
    /** gzip of the raw page as fetched (decoded to UTF-8), kept for re-extraction; `prune` clears it. */
    rawHtml: blob('raw_html', { mode: 'buffer' }),
  },
  (t) => [uniqueIndex('article_revisions_uq').on(t.articleId, t.revision)],
);

export const companies = sqliteTable(
  'companies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    /** JSON array of alternative names used in text. */
    aliases: text('aliases').notNull().default('[]'),
    ticker: text('ticker'),
    /** 'registry' when it comes from content/companies, 'text' when recognised in an article. */
    origin: text('origin').notNull().default('text'),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('companies_slug_uq').on(t.slug)],
);

/** One claim (company, kind, period, value). Sources are in fact_sources. */
export const facts = sqliteTable(
  'facts',
  {
    /** Stable id: a hash of the normalised claim, so re-extraction yields the same id. */
    id: text('id').primaryKey(),
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    value: real('value'),
    valueHigh: real('value_high'),
    unit: text('unit'),
    direction: text('direction'),
    changePct: real('change_pct'),
    approximate: integer('approximate', { mode: 'boolean' }).notNull().default(false),
    label: text('label'),
    status: text('status'),
    asOf: text('as_of'),
    speaker: text('speaker'),
    quote: text('quote'),
    statement: text('statement').notNull(),
    extractor: text('extractor').notNull(),
    confidence: real('confidence').notNull(),
    /** single-source | corroborated | disputed — recomputed by reconcile. */
    corroboration: text('corroboration').notNull().default('single-source'),
    /** Disputed facts: JSON array of the ids of the facts from other independent outlets that contradict this one. */
    conflictsWith: text('conflicts_with'),
    /** Set when no current text states the fact any more (a correction removed it); kept, not deleted. */
    retracted: integer('retracted', { mode: 'boolean' }).notNull().default(false),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [
    // A reconcile group (company, kind, period); its prefix serves company + kind lookups. No index on
    // as_of alone: every read of facts by period is a company's (this index) or the whole table's
    // (read by rowid chunks, db/bulk-read.ts), and each index costs every fact write (0007).
    index('facts_company_kind_as_of_idx').on(t.companyId, t.kind, t.asOf),
  ],
);

export const factSources = sqliteTable(
  'fact_sources',
  {
    factId: text('fact_id')
      .notNull()
      .references(() => facts.id, { onDelete: 'cascade' }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    /** Exact substring of the article's stored text at [start, end). */
    evidence: text('evidence').notNull(),
    start: integer('start').notNull(),
    end: integer('end').notNull(),
    partial: integer('partial', { mode: 'boolean' }).notNull().default(false),
    extractor: text('extractor').notNull(),
  },
  (t) => [
    // Each revision of an article keeps its own sources: a correction does not erase what was said.
    primaryKey({ columns: [t.factId, t.articleId, t.revision, t.start] }),
    index('fact_sources_article_idx').on(t.articleId),
  ],
);

export const summaries = sqliteTable(
  'summaries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** 'article' or 'company' */
    subject: text('subject').notNull(),
    articleId: integer('article_id').references(() => articles.id, { onDelete: 'cascade' }),
    companyId: integer('company_id').references(() => companies.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    extractor: text('extractor').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('summaries_article_uq').on(t.articleId),
    uniqueIndex('summaries_company_uq').on(t.companyId),
  ],
);

/**
 * (company, kind, period) groups whose facts changed and whose corroboration and company brief are
 * still to be recomputed. Written in the same transaction as the change, emptied by the transaction
 * that reconciles them (src/extract/reconcile-queue.ts): a crash in between leaves the work queued.
 * `bucket` is the group's period part as reconcile keys it (src/extract/reconcile.ts).
 */
export const reconcileQueue = sqliteTable(
  'reconcile_queue',
  {
    companyId: integer('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    bucket: text('bucket').notNull(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.kind, t.bucket] })],
);

/** One row per refresh/extract run: what it did, how it ended. A crashed run stays 'running'. */
export const runs = sqliteTable(
  'runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** refresh | extract */
    kind: text('kind').notNull(),
    /** running | finished | failed | interrupted */
    status: text('status').notNull().default('running'),
    worker: text('worker'),
    pid: integer('pid'),
    startedAt: text('started_at').notNull().default(now),
    finishedAt: text('finished_at'),
    /** JSON object of counters (feeds, items, new articles, revisions, copies, unchanged, failures…). */
    stats: text('stats').notNull().default('{}'),
    error: text('error'),
  },
  (t) => [index('runs_started_idx').on(t.startedAt)],
);

/** Every feed or page that failed in a run, with its reason — shown at the end and kept for retries. */
export const runFailures = sqliteTable(
  'run_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    /** feed | page | article */
    scope: text('scope').notNull(),
    feedId: integer('feed_id').references(() => feeds.id, { onDelete: 'set null' }),
    url: text('url'),
    /** A stable machine-readable code (timeout, http-status, parse, robots-disallowed…). */
    code: text('code').notNull(),
    message: text('message').notNull(),
    at: text('at').notNull().default(now),
  },
  (t) => [index('run_failures_run_idx').on(t.runId)],
);

/** LLM responses keyed by model + prompt version + text hash, so a rerun costs no tokens. */
export const llmCache = sqliteTable('llm_cache', {
  key: text('key').primaryKey(),
  model: text('model').notNull(),
  promptVersion: text('prompt_version').notNull(),
  textHash: text('text_hash').notNull(),
  response: text('response').notNull(),
  promptTokens: integer('prompt_tokens').notNull().default(0),
  completionTokens: integer('completion_tokens').notNull().default(0),
  createdAt: text('created_at').notNull().default(now),
});

/**
 * What changed in the rows the site build reads whole (every current fact, every current source):
 * one row per written fact, company, fact source or article, appended by triggers on those tables
 * (migration 0008), so every writer is seen — collector, extractor, another worker, a hand in the
 * sqlite shell. A build keeps the rows it read with the sequence number it read them at
 * (src/lib/site/row-base.ts) and the next one re-reads only the facts and articles named after it.
 * `stamp` is random per row: a copy of the database with another history after that number (a backup
 * restored, then written to) has another stamp there, and the build reads everything again.
 */
export const siteChanges = sqliteTable('site_changes', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  /** 'fact' (key: fact id), 'company' (key: company id), 'article' (key: article id), 'origin' (the first row). */
  kind: text('kind').notNull(),
  key: text('key').notNull(),
  stamp: integer('stamp').notNull().default(sql`(random())`),
});

export type Feed = typeof feeds.$inferSelect;
export type FeedItemRow = typeof feedItems.$inferSelect;
export type Article = typeof articles.$inferSelect;
export type Run = typeof runs.$inferSelect;
