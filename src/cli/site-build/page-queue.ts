/**
 * Pages two threads of a build render between them. The build's main thread (article pages, fact
 * sheets) and its outputs thread (timeline index and pages, exports) each have work only they can
 * do, and which one finishes first changes with the refresh: at 10k articles, after 200 new ones, the
 * main thread used to sit idle for ~1 s at the end while the other rendered the whole-site pages.
 * Those pages (site-plan.ts fixedPlan) need only the shared reads both threads hold, so both take
 * them from one list, each the next page nobody has claimed, once its own work is done: whichever is
 * free renders them, and no page is rendered twice.
 *
 * The claim is one counter in shared memory (Atomics.add), so neither thread waits on a message to
 * take a page; the list itself is made by one thread and sent to the other.
 */
import type { PlannedPage } from '../../lib/site/site-plan.ts';

export class PageQueue {
  private readonly next: Int32Array;
  readonly pages: readonly PlannedPage[];

  /**
   * `claims` is the shared counter (PageQueue.counter()); `pages` must be the same list, in the same
   * order, on every thread that claims from it.
   */
  constructor(claims: SharedArrayBuffer, pages: readonly PlannedPage[]) {
    this.next = new Int32Array(claims, 0, 1);
    this.pages = pages;
  }

  /** A counter to share (in a worker's workerData): no page claimed yet. */
  static counter(): SharedArrayBuffer {
    return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  }

  /** The next page no thread has taken, now this one's; undefined when all are taken. */
  claim(): PlannedPage | undefined {
    // Past the end the counter keeps counting: both threads ask once more each, at most a few times.
    const i = Atomics.add(this.next, 0, 1);
    return i < this.pages.length ? this.pages[i] : undefined;
  }
}
