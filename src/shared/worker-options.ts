/**
 * How the CLI starts a worker thread so that it starts as fast as the CLI does: with the CLI's module
 * hooks (bin/module-hooks.js), which in-thread hooks do not pass on to a new thread by themselves.
 * The thread then starts in bin/thread-entry.js, which registers them and loads the thread's module.
 * Outside the CLI (tests, scripts) no hook is registered and the thread starts in its own module.
 */
const HOOKS = Symbol.for('factdesk.module-hooks');
const ENTRY = new URL('../../bin/thread-entry.js', import.meta.url).href;

export interface ThreadStart {
  /** The module the thread starts in. */
  filename: string;
  /** The thread's workerData: `data`, plus the module to load when the thread starts in the entry. */
  workerData: Record<string, unknown>;
}

/**
 * Where a thread running `module` (a file URL) starts, and with what workerData. A `pool` thread
 * (piscina) runs `module`'s default export per task, and a module that fails to load fails each task;
 * any other thread fails with it when it starts.
 */
export function threadStart(module: string, data: Record<string, unknown> = {}, { pool = false } = {}): ThreadStart {
  const hooked = Boolean((globalThis as { [HOOKS]?: string })[HOOKS]);
  return hooked
    ? { filename: ENTRY, workerData: { ...data, factdeskThreadModule: module, ...(pool ? { factdeskThreadPool: true } : {}) } }
    : { filename: module, workerData: data };
}
