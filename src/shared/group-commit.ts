/**
 * Group commit, for the stages that write one item at a time from many concurrent tasks (collect:
 * one article per fetched page; extract: one reading per article). See the function.
 */

/**
 * Group commit: items handed in while a batch is being written wait and go together in the next one
 * (at most `max`), so a write costs one transaction per batch rather than per item.
 *
 * `lingerMs`: how long an item may wait for others to join its batch when there are fewer than
 * `max`. Without it an item that arrives while nothing is being written is written at once — right
 * when items come faster than a batch is written (extract: a worker's readings), but a collector's
 * articles come one every few milliseconds and a write takes less, so every batch held one article
 * and paid a whole commit for it (~0.8 ms of WAL writes and checkpointing, bench:collect). A few
 * milliseconds of latency on a background job buys batches of several.
 */
export function groupCommit<T, R>(write: (items: T[]) => Promise<R[]>, max: number, opts: { lingerMs?: number } = {}): (item: T) => Promise<R> {
  const linger = opts.lingerMs ?? 0;
  const waiting: { item: T; at: number; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let writing = false;
  /** Wakes a lingering batch as soon as it is full. */
  let full: (() => void) | undefined;
  const drain = async () => {
    writing = true;
    while (waiting.length) {
      // A batch's statements run back to back without yielding to the event loop, so items that
      // came in meanwhile (worker messages) are only queued once it has yielded: let them in first.
      await new Promise((r) => setImmediate(r));
      const left = waiting[0]!.at + linger - performance.now();
      if (waiting.length < max && left > 0) {
        await new Promise<void>((r) => {
          const timer = setTimeout(r, left);
          full = () => (clearTimeout(timer), r());
        });
        full = undefined;
      }
      const batch = waiting.splice(0, max);
      try {
        const out = await write(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(out[i]!));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    writing = false;
  };
  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, at: performance.now(), resolve, reject });
      if (!writing) void drain();
      else if (waiting.length >= max) full?.();
    });
}
