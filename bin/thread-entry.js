// The first module of the CLI's worker threads when the CLI runs with its module hooks
// (bin/module-hooks.js): in-thread hooks do not carry over to a new thread, and a thread's own module
// cannot register them itself (its imports are all resolved before any of its code runs). So the
// thread starts here, registers them, and only then loads its module, named in workerData.
// For a pool (piscina), this module's default export runs each task through that module's.
// src/shared/worker-options.ts makes the thread's options.
import './module-hooks.js';
import { workerData } from 'node:worker_threads';

const loaded = import(workerData.factdeskThreadModule);
// Its failure is reported by the first task that awaits it (piscina's threads). A thread that runs
// no task (the build's outputs thread) would stop with no cause: left for the next session, as
// failing the thread here made a pool test time out once (tests/integration/hostile-parse).
loaded.catch(() => undefined);

export default async function task(...args) {
  const mod = await loaded;
  return mod.default(...args);
}
