#!/usr/bin/env -S node --max-semi-space-size=16
// --max-semi-space-size=16: on a machine with lots of RAM V8 sizes the young generation so large that
// merely loading drizzle-orm leaves ~230 MB RSS; 16 MB semi-spaces cut a 100k-fact export from 301 MB
// to 201 MB peak RSS at the same speed (npm run bench:export). npm scripts pass the same flag.
// Launcher for the factdesk CLI. Factdesk needs Node >= 22.12 (the project pins Node 24 as a
// devDependency, so `npm start`, `npm run` and `npx factdesk` use it even where the system Node is older).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `factdesk needs Node.js >= 22.12 but this is ${process.version}.\n` +
      `Run it through npm (npx factdesk …, npm start) to use the project's pinned Node 24.\n`,
  );
  process.exit(1);
}
// The compiled code of the CLI's modules (types stripped, V8 bytecode) is kept on disk between runs
// (os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off):
// a build started ~800 ms after its process before, ~600 ms with it, and every cron refresh starts
// the same way. Node checks each entry against the source, so a changed file is compiled afresh.
// Worker threads (pages, extraction, the build's outputs) only use it when the environment names it.
const { enableCompileCache } = await import('node:module');
const compileCache = enableCompileCache?.();
if (compileCache?.directory && !process.env.NODE_DISABLE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE ??= compileCache.directory;
// Relative imports inside ES-module packages resolved without Node's slow path (see the file).
await import('./module-hooks.js');
// Node 22.18+/23.6+ run TypeScript by stripping types natively (faster start-up); older ones go through tsx.
if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit once stdout has drained (piped exports), without waiting on idle keep-alive sockets.
process.stdout.write('', () => process.exit(code));
