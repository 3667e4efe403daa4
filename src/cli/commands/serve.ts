/**
 * `factdesk serve`: the built site plus its on-demand API, on the @astrojs/node standalone server.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { FatalError, UsageError } from '../../shared/errors.ts';
import { print, type Command } from '../command.ts';
import { PROJECT_ROOT } from './build.ts';

export async function serveSite(host: string, port: number): Promise<string> {
  const entry = `${PROJECT_ROOT}dist/server/entry.mjs`;
  if (!existsSync(entry)) throw new FatalError('no built site in dist/: run `factdesk build` first');
  process.env.HOST = host;
  process.env.PORT = String(port);
  await import(pathToFileURL(entry).href); // standalone mode starts listening on import
  return `http://${host}:${port}/`;
}

const command: Command = {
  name: 'serve',
  summary: 'Serve the built site and its API (Ctrl-C to stop).',
  options: {
    port: { type: 'string', valueName: 'port', description: 'port (default 4321)' },
    host: { type: 'string', valueName: 'host', description: 'address to listen on (default 127.0.0.1)' },
  },
  async run(ctx) {
    const port = Number(ctx.flags.port ?? 4321);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError('--port must be 1–65535');
    const url = await serveSite((ctx.flags.host as string | undefined) ?? '127.0.0.1', port);
    print(ctx, `Factdesk site on ${url}`);
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    return 0;
  },
};
export default command;
