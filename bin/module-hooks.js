// Resolves the relative imports inside ES-module packages (node_modules/*) without Node's own
// resolver, which is needlessly slow for large packages on Node 24: for every module it resolves it
// looks up the package's "type" through getPackageScopeConfig, which re-parses the package.json's
// whole `exports` map each time. drizzle-orm's package.json is 179 kB with 447 exports and the CLI
// loads a few hundred of its modules: ~0.35–0.45 s of start-up on each thread (the CLI's, the build's
// outputs thread, each extraction and page thread), against ~0.08 s with this hook
// (docs/scale-site.md).
//
// What it does is what Node would conclude: a specifier "./x.js" or "../x.js" imported from a file
// under node_modules is that URL relative to the importer, and it is an ES module when the nearest
// package.json says "type": "module". Anything else (bare specifiers, other extensions, CommonJS
// packages, our own sources) goes to Node's resolver unchanged. A missing file still fails, when it
// is loaded, with ENOENT naming it.
//
// bin/factdesk.js registers it; worker threads start in bin/thread-entry.js, which registers it
// again there (src/shared/worker-options.ts), as in-thread hooks do not carry over to new threads.
import * as nodeModule from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory → the "type" of the package.json that governs it ('module', 'commonjs', or null). */
const typeOfDir = new Map();

function packageType(dir) {
  const walked = [];
  let d = dir;
  let type = null;
  for (;;) {
    const known = typeOfDir.get(d);
    if (known !== undefined) {
      type = known;
      break;
    }
    walked.push(d);
    let raw = null;
    try {
      raw = readFileSync(path.join(d, 'package.json'), 'utf8');
    } catch {
      // no package.json here: look further up, as Node does
    }
    if (raw !== null) {
      try {
        type = JSON.parse(raw).type ?? 'commonjs';
      } catch {
        type = null; // unreadable: leave the decision to Node
      }
      break;
    }
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const w of walked) typeOfDir.set(w, type);
  return type;
}

// registerHooks is Node 22.15+/23.5+; on an older Node the CLI starts the slow way.
if (nodeModule.registerHooks && !globalThis[Symbol.for('factdesk.module-hooks')]) {
  nodeModule.registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL;
      if (parent?.startsWith('file:') && parent.includes('/node_modules/') && specifier.endsWith('.js') && (specifier.startsWith('./') || specifier.startsWith('../'))) {
        const url = new URL(specifier, parent);
        if (packageType(path.dirname(fileURLToPath(url))) === 'module') return { url: url.href, format: 'module', shortCircuit: true };
      }
      return nextResolve(specifier, context);
    },
  });
  globalThis[Symbol.for('factdesk.module-hooks')] = import.meta.url;
}
