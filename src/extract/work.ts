/**
 * Where an extract run's articles come from, a batch at a time: the ones asked for by id, or claims
 * on a queue (the extraction queue, or what a re-extraction pass has left) under leases, so that
 * several workers share it. Only a batch's rows are in memory at once, however long the queue, and
 * the count of what is left (for progress) is read from the queue's index.
 */
import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles } from '../../db/schema.ts';
import { claimArticles, releaseArticles, remainingArticles, type Work } from './leases.ts';

export type { Work };

/** The columns an article is extracted from. */
export type QueuedArticle = Awaited<ReturnType<typeof loadArticles>>[number];

function loadArticles(db: Db, ids: number[]) {
  return db
    .select({
      id: articles.id,
      title: articles.title,
      text: articles.text,
      publishedAt: articles.publishedAt,
      outlet: articles.outlet,
      url: articles.url,
      revision: articles.revision,
      paywalled: articles.paywalled,
      truncated: articles.truncated,
      flags: articles.flags,
      attempts: articles.extractionAttempts,
    })
    .from(articles)
    .where(inArray(articles.id, ids))
    .orderBy(asc(articles.id));
}

export interface WorkSource {
  /** Whether the articles are claimed from a queue (then the attempt limit applies, and leases). */
  readonly queued: boolean;
  /** The next articles to extract; empty when there are none left for this run. */
  next(limit: number): Promise<QueuedArticle[]>;
  /** Articles of the work not read yet, by anyone (the ones asked for: those not handed out yet). */
  remaining(): Promise<number>;
  /** An article handed out that this run has finished with, read or not. */
  settled(id: number): void;
  /** One this run tried without bringing it out of the queue (to try again later): not claimed again. */
  leftInQueue(id: number): void;
  /** Frees the leases on what was handed out and never settled (the run stopped first). */
  release(): Promise<void>;
}

/** The articles asked for, in id order, read even when done; no leases. */
export function articlesById(db: Db, ids: number[]): WorkSource {
  let at = 0;
  const wanted = [...new Set(ids)].sort((a, b) => a - b);
  return {
    queued: false,
    async next(limit) {
      const slice = wanted.slice(at, at + limit);
      at += slice.length;
      return slice.length ? loadArticles(db, slice) : [];
    },
    async remaining() {
      return wanted.length - at;
    },
    settled() {},
    leftInQueue() {},
    async release() {},
  };
}

/** Claims on a queue under this worker's leases. */
export function claimedWork(db: Db, worker: string, work: Work, now: () => Date = () => new Date()): WorkSource {
  const held = new Set<number>();
  const skip = new Set<number>();
  return {
    queued: true,
    async next(limit) {
      const ids = await claimArticles(db, worker, now(), work, limit, skip);
      for (const id of ids) held.add(id);
      return ids.length ? loadArticles(db, ids) : [];
    },
    remaining: () => remainingArticles(db, work),
    settled(id) {
      held.delete(id);
    },
    leftInQueue(id) {
      skip.add(id);
    },
    async release() {
      await releaseArticles(db, worker, [...held]);
      held.clear();
    },
  };
}
