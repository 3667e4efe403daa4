/**
 * One task per key, its result shared by every caller that asks for the same key — with a known
 * number of callers, so the result is dropped as soon as the last one has it. The refresh uses it to
 * fetch a page once per run even when 50 feed items link to it, without keeping every page body of a
 * 5,000-page run in memory until the end.
 */
export class OncePerKey<T> {
  private readonly expected = new Map<string, number>();
  private readonly running = new Map<string, Promise<T>>();
  /**
   * Results whose announced callers have all taken them, kept for a few more: feeds are collected
   * one by one, so a second feed's items announce a page only after the first feed's are done with
   * it. Bounded, so a long run still does not keep every page body.
   */
  private readonly recent = new Map<string, Promise<T>>();
  private readonly keepRecent: number;

  /** `keys` has one entry per future call to `take` (repeats are how sharing is announced). */
  constructor(keys: Iterable<string> = [], opts: { keepRecent?: number } = {}) {
    this.keepRecent = opts.keepRecent ?? 32;
    this.expect(keys);
  }

  /** Announces more future calls (one entry per call). */
  expect(keys: Iterable<string>): void {
    for (const k of keys) this.expected.set(k, (this.expected.get(k) ?? 0) + 1);
  }

  /**
   * The result for `key`: `first` is true for the caller whose `task` ran (it counts the request);
   * the others get the same promise, including its rejection.
   */
  take(key: string, task: () => Promise<T>): { result: Promise<T>; first: boolean } {
    const left = (this.expected.get(key) ?? 1) - 1;
    let result = this.running.get(key) ?? this.recent.get(key);
    const first = result === undefined;
    if (result === undefined) {
      result = task();
      // Callers handle the rejection; this keeps an unshared one from being reported as unhandled.
      result.catch(() => {});
    }
    if (left > 0) {
      this.expected.set(key, left);
      this.running.set(key, result);
    } else {
      this.expected.delete(key);
      this.running.delete(key);
      this.recent.delete(key);
      this.recent.set(key, result);
      if (this.recent.size > this.keepRecent) this.recent.delete(this.recent.keys().next().value!);
    }
    return { result, first };
  }
}
