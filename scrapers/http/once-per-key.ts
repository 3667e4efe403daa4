/**
 * One task per key, its result shared by every caller that asks for the same key — with a known
 * number of callers, so the result is dropped as soon as the last one has it. The refresh uses it to
 * fetch a page once per run even when 50 feed items link to it, without keeping every page body of a
 * 5,000-page run in memory until the end.
 */
export class OncePerKey<T> {
  private readonly expected = new Map<string, number>();
  private readonly running = new Map<string, Promise<T>>();

  /** `keys` has one entry per future call to `take` (repeats are how sharing is announced). */
  constructor(keys: Iterable<string>) {
    for (const k of keys) this.expected.set(k, (this.expected.get(k) ?? 0) + 1);
  }

  /**
   * The result for `key`: `first` is true for the caller whose `task` ran (it counts the request);
   * the others get the same promise, including its rejection.
   */
  take(key: string, task: () => Promise<T>): { result: Promise<T>; first: boolean } {
    const left = (this.expected.get(key) ?? 1) - 1;
    let result = this.running.get(key);
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
    }
    return { result, first };
  }
}
