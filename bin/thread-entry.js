// The first module of the CLI's worker threads when the CLI runs with its module hooks
// (bin/module-hooks.js): in-thread hooks do not carry over to a new thread, and a thread's own module
// cannot register them itself (its imports are all resolved before any of its code runs). So the
// thread starts here, registers them, and only then loads its module, named in workerData.
// For a pool (piscina), this module's default export runs each task through that module's.
// src/shared/worker-options.ts makes the thread's options.
import './module-hooks.js';
import { workerData } from 'node:worker_threads';

const loaded = import(workerData.factdeskThreadModule);
if (workerData.factdeskThreadPool) {
  // A pool's thread (piscina): each task awaits the module, so its failure is that task's error;
  // caught here only so it is not also an unhandled rejection of the thread.
  loaded.catch(() => undefined);
} else {
  // A thread that runs no task (the build's outputs thread) does its work as its module loads: a
  // module that fails to load fails the thread with its own error (the Worker's 'error' event), as
  // it would have had the thread started in it.
  await loaded;
}

export default async function task(...args) {
  const mod = await loaded;
  return mod.default(...args);
}
