/** OncePerKey: one task per key, shared by announced callers, and by later announcements while recent. */
import { describe, expect, it } from 'vitest';
import { OncePerKey } from '../../../scrapers/http/once-per-key.ts';

describe('OncePerKey', () => {
  it('runs a key once for callers announced in two batches (two feeds sharing a page)', async () => {
    let runs = 0;
    const once = new OncePerKey<string>();
    const task = async () => `body ${++runs}`;
    once.expect(['a', 'a']);
    const first = [once.take('a', task), once.take('a', task)];
    expect(await Promise.all(first.map((x) => x.result))).toEqual(['body 1', 'body 1']);
    // The second feed announces the same page only after the first feed is done with it.
    once.expect(['a']);
    const later = once.take('a', task);
    expect(await later.result).toBe('body 1');
    expect([first[0]!.first, first[1]!.first, later.first]).toEqual([true, false, false]);
    expect(runs).toBe(1);
  });

  it('keeps only a bounded number of finished results', async () => {
    let runs = 0;
    const once = new OncePerKey<number>([], { keepRecent: 2 });
    for (const k of ['a', 'b', 'c']) await once.take(k, async () => ++runs).result;
    await once.take('a', async () => ++runs).result; // 'a' was evicted: fetched again
    await once.take('c', async () => ++runs).result; // 'c' is still recent
    expect(runs).toBe(4);
  });
});
