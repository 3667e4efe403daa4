/**
 * What lets the extract stage write attempt counts in batches (src/extract/pipeline.ts): the counts
 * that must be written before each try. Finished articles go through the group commit in
 * src/shared/group-commit.ts.
 */

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
