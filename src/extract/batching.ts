/**
 * The two pieces that let the extract stage write in batches (src/extract/pipeline.ts): a group
 * commit for finished articles, and the attempt counts that must be written before each try.
 */

/**
 * Group commit: items handed in while a batch is being written wait and go together in the next one
 * (at most `max`), so a write costs one transaction per batch rather than per item, and an item that
 * arrives when nothing is being written is written at once.
 */
export function groupCommit<T, R>(write: (items: T[]) => Promise<R[]>, max: number): (item: T) => Promise<R> {
  const waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    while (waiting.length) {
      // A batch's statements run back to back without yielding to the event loop, so items that
      // came in meanwhile (worker messages) are only queued once it has yielded: let them in first.
      await new Promise((r) => setImmediate(r));
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
      waiting.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}

export interface AttemptCounter {
  /** Resolves once queue[i] has its attempt counted (written); call it just before trying it. */
  before(i: number): Promise<void>;
  /** Articles counted ahead that were never tried (the run stopped first): their counts to undo. */
  untried(): Promise<number[]>;
}

/**
 * Attempt counts for a queue worked through roughly in order. Writes go one at a time, and a batch
 * being written holds the line for a while, so articles never tried before are counted `lead` at a
 * time ahead of the one starting (one statement each): starting an article then seldom waits for a
 * write. An article tried before without success (its count is above zero: a run ended during its
 * try) is counted on its own as it starts, so a crash it causes again counts against only it and
 * the articles being tried beside it.
 */
export function attemptCounter(queue: { id: number; attempts: number }[], lead: number, count: (ids: number[]) => Promise<void>): AttemptCounter {
  const written = new Map<number, Promise<void>>();
  const ahead = new Set<number>();
  let next = 0; // queue index up to which fresh articles have been counted
  const issue = (ids: number[]) => {
    const p = count(ids);
    p.catch(() => {}); // awaited by each article it counts
    for (const id of ids) written.set(id, p);
    return p;
  };
  const countAhead = (upTo: number) => {
    const ids: number[] = [];
    for (; next < Math.min(upTo, queue.length); next++) if (queue[next]!.attempts === 0) ids.push(queue[next]!.id);
    for (const id of ids) ahead.add(id);
    if (ids.length) issue(ids);
  };
  return {
    async before(i) {
      const a = queue[i]!;
      if (a.attempts > 0) return issue([a.id]);
      if (i >= next) countAhead(i + lead);
      if (next - i <= lead) countAhead(next + lead); // the next count goes out while this one is tried
      ahead.delete(a.id);
      return written.get(a.id);
    },
    async untried() {
      const ids = [...ahead];
      await Promise.allSettled(ids.map((id) => written.get(id)));
      return ids;
    },
  };
}
