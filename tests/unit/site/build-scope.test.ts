/**
 * The build's shared reads (src/lib/site/build-scope.ts): one load per name while a scope is open,
 * and a read another thread made (seedShared) answering in place of a load of its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/client.ts';
import { openBuildScope, seedShared, shared } from '../../../src/lib/site/build-scope.ts';

// shared() keys by name inside a scope; the handle is only the key outside one.
const db = {} as Db;
let close: (() => void) | null = null;
afterEach(() => {
  close?.();
  close = null;
});

describe('a build scope', () => {
  it('loads a name once, whoever asks', async () => {
    close = openBuildScope();
    let loads = 0;
    const load = async () => ++loads;
    expect(await shared('x', db, load)).toBe(1);
    expect(await shared('x', {} as Db, load)).toBe(1);
    expect(loads).toBe(1);
  });

  it('answers a seeded name with the seeded rows and never loads it', async () => {
    close = openBuildScope();
    const rows = [{ id: 'f1' }, { id: 'f2' }];
    seedShared('allFacts', rows);
    let loads = 0;
    expect(await shared('allFacts', db, async () => (loads++, []))).toBe(rows);
    expect(loads).toBe(0);
  });

  it('forgets what was seeded when the scope closes, and refuses a seed outside one', async () => {
    close = openBuildScope();
    seedShared('allFacts', ['seeded']);
    close();
    close = null;
    expect(() => seedShared('allFacts', [])).toThrow(/outside a build scope/);
    close = openBuildScope();
    expect(await shared('allFacts', db, async () => ['read'])).toEqual(['read']);
  });
});
