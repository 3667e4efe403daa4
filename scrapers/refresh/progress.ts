/** Progress callbacks for a TTY: feeds as they are refreshed, pages as they are collected. */
import type { RefreshStats } from './stats.ts';

export interface RefreshProgress {
  phase: 'feeds' | 'pages';
  done: number;
  total: number;
}

export class Progress {
  private feedsDone = 0;
  private pagesDone = 0;
  private pagesTotal = 0;

  private readonly stats: RefreshStats;
  private readonly onProgress?: (p: RefreshProgress) => void;

  constructor(stats: RefreshStats, onProgress?: (p: RefreshProgress) => void) {
    this.stats = stats;
    this.onProgress = onProgress;
  }

  feedDone(): void {
    this.onProgress?.({ phase: 'feeds', done: ++this.feedsDone, total: this.stats.feedsDue });
  }

  /** Pages become known feed by feed, so the total grows during the run. */
  pagesOwed(n: number): void {
    this.pagesTotal += n;
  }

  pageDone(): void {
    this.onProgress?.({ phase: 'pages', done: ++this.pagesDone, total: this.pagesTotal });
  }
}
