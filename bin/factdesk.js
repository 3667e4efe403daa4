#!/usr/bin/env node
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
// Node 22.18+/23.6+ run TypeScript by stripping types natively (faster start-up); older ones go through tsx.
if (!process.features.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit once stdout has drained (piped exports), without waiting on idle keep-alive sockets.
process.stdout.write('', () => process.exit(code));
