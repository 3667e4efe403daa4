/**
 * The per-article budget is the article's, not the main thread's: an article that finished in time
 * is not failed because the main thread was held up past its deadline (a long synchronous database
 * statement — the embedded driver blocks the event loop while it runs), and one that really runs
 * over is still stopped.
 */
import { afterAll, expect, it } from 'vitest';
import { closeExtractPool, ExtractTimeoutError, runInWorker, warmExtractPool } from '../../../src/extract/worker.ts';

afterAll(() => closeExtractPool());

const article = { id: 1, title: 'Klarna results', text: 'Klarna said revenue rose 10% to $500 million in 2025.', publishedAt: '2026-05-01T00:00:00Z', outlet: 'Wire', url: null };

/** Blocks this thread as a long statement of the embedded driver does. */
function block(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* busy */
  }
}

it('does not fail an article that finished while the main thread was blocked past its deadline', async () => {
  await warmExtractPool(1);
  const task = runInWorker({ op: 'rules', article }, { timeoutMs: 300, threads: 1 });
  await new Promise((r) => setTimeout(r, 20)); // handed to the thread, its budget running
  // Blocked from the check phase, as a batch write is (it yields with setImmediate): the next turn of
  // the loop starts with the expired timer, before the thread's answer is read.
  await new Promise((r) => setImmediate(r));
  block(1_000);
  const r = await task;
  expect(r.grounding.accepted.map((f) => [f.kind, f.value])).toContainEqual(['revenue', 500_000_000]);
});

it('still stops an article that runs over its budget', async () => {
  const slow = { ...article, text: 'Klarna said revenue rose 10% to $500 million in 2025. '.repeat(40_000) };
  await expect(runInWorker({ op: 'rules', article: slow }, { timeoutMs: 200, threads: 1 })).rejects.toBeInstanceOf(ExtractTimeoutError);
});
