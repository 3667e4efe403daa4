/**
 * Whole-table reads shared by everything one build renders and writes. `factdesk build` plans the
 * site (which pages changed) with its own copy of src/lib/site, then renders the changed pages through
 * the built server bundle, which carries a second copy of the same modules: both copies would read
 * all facts and sources again. While a build scope is open, reads are cached on globalThis under
 * one process-wide key, so both copies share one read of the database (and one copy in memory).
 *
 * Outside a scope (tests, scripts) each read is cached per database handle, as before. A long-running
 * server must never see either cache: `factdesk serve` renders no pages (src/middleware.ts) and its
 * API queries afresh.
 */
import type { Db } from '../../../db/client.ts';

const KEY = Symbol.for('factdesk.site.build-scope');
type Scope = Map<string, Promise<unknown>>;
type Holder = { [KEY]?: Scope };

const perDb = new WeakMap<Db, Map<string, Promise<unknown>>>();

/** Opens the build's scope (one database per build); the returned function closes and empties it. */
export function openBuildScope(): () => void {
  const holder = globalThis as Holder;
  const scope: Scope = new Map();
  holder[KEY] = scope;
  return () => {
    if (holder[KEY] === scope) delete holder[KEY];
    scope.clear();
  };
}

export function inBuildScope(): boolean {
  return (globalThis as Holder)[KEY] !== undefined;
}

/**
 * `load()` once per build scope (or per database handle outside one) under `name`. A failed read is
 * not kept: the next caller tries again and sees the error itself.
 */
export function shared<T>(name: string, db: Db, load: () => Promise<T>): Promise<T> {
  const scope = (globalThis as Holder)[KEY];
  let cache = scope;
  if (!cache) {
    cache = perDb.get(db);
    if (!cache) perDb.set(db, (cache = new Map()));
  }
  let p = cache.get(name) as Promise<T> | undefined;
  if (!p) {
    const c = cache;
    p = load();
    c.set(name, p);
    p.catch(() => {
      if (c.get(name) === p) c.delete(name);
    });
  }
  return p;
}

/**
 * Gives the open build scope a read another thread already made (the same query on the same
 * database, structured-cloned): `shared(name, …)` then answers with it instead of reading again.
 * Only inside a scope: outside one there is no build to share it with.
 */
export function seedShared(name: string, value: unknown): void {
  const scope = (globalThis as Holder)[KEY];
  if (!scope) throw new Error(`seedShared("${name}") outside a build scope`);
  scope.set(name, Promise.resolve(value));
}
