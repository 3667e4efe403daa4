import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { PageQueue } from '../../../src/cli/site-build/page-queue.ts';
import type { PlannedPage } from '../../../src/lib/site/site-plan.ts';

const pages: PlannedPage[] = Array.from({ length: 500 }, (_, i) => ({ path: `/p/${i}/`, file: `p/${i}/index.html`, fp: null }));

describe('the whole-site pages two threads share (PageQueue)', () => {
  it('hands each page to one claimer only, and every page to someone, however the claims interleave', () => {
    const claims = PageQueue.counter();
    const a = new PageQueue(claims, pages);
    const b = new PageQueue(claims, pages);
    const got: string[] = [];
    // Uneven turns: a takes three for every one b takes, until both come back empty.
    for (let turn = 0; ; turn++) {
      const p = turn % 4 === 3 ? b.claim() : a.claim();
      if (!p) break;
      got.push(p.path);
    }
    expect(b.claim()).toBeUndefined();
    expect(got).toHaveLength(pages.length);
    expect(new Set(got).size).toBe(pages.length);
  });

  it('shares the claims with another thread through the counter it was given', async () => {
    const claims = PageQueue.counter();
    // The other thread takes the first 200 claims on the same counter (what PageQueue.claim does there).
    const w = new Worker(`const { workerData, parentPort } = require('node:worker_threads');
      const next = new Int32Array(workerData, 0, 1);
      for (let i = 0; i < 200; i++) Atomics.add(next, 0, 1);
      parentPort.postMessage('done');`, { eval: true, workerData: claims });
    await new Promise((resolve, reject) => w.once('message', resolve).once('error', reject));
    await w.terminate();
    const q = new PageQueue(claims, pages);
    const mine: string[] = [];
    for (let p = q.claim(); p; p = q.claim()) mine.push(p.path);
    expect(mine).toHaveLength(300);
    expect(mine[0]).toBe('/p/200/');
  });
});
