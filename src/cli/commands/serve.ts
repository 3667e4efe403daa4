/**
 * `factdesk serve`: the built site plus its on-demand API. Astro's node adapter provides the request
 * handler (static files from <dist>/client, API routes from <dist>/server); this wraps it in our own
 * HTTP server so every response — static files included, which the adapter's own server sends without
 * a hook — carries the security headers below.
 */
import compression from 'compression';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FatalError, UsageError } from '../../shared/errors.ts';
import { type Command, print, printJson, untilAborted } from '../command.ts';
import { withDb } from '../runtime.ts';
import { DEFAULT_DIST } from './build.ts';
// One policy for the header and the page <meta> tag (astro.config.mjs): src/lib/api/security.ts.
import { SECURITY_HEADERS } from '../../lib/api/security.ts';

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void | Promise<void>;

export interface ServedSite {
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

export async function serveSite(opts: { host?: string; port?: number; distDir?: string } = {}): Promise<ServedSite> {
  const distDir = path.resolve(opts.distDir ?? DEFAULT_DIST);
  const entry = path.join(distDir, 'server', 'entry.mjs');
  if (!existsSync(entry)) throw new FatalError(`no built site in ${distDir}: run \`factdesk build\` first`);
  // The adapter's standalone entry starts its own server on import unless told not to.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  process.env.ASTRO_NODE_LOGGING = 'disabled';
  const { handler } = (await import(pathToFileURL(entry).href)) as { handler: NodeHandler };
  // gzip for text responses (HTML, JSON search shards, exports), as any CDN in front would do: the
  // timeline's search files shrink 5–7×, which is what a browser actually downloads.
  const gzip = compression({ threshold: 1024 });
  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    if (req.method !== 'GET' && req.method !== 'HEAD' && !req.url?.startsWith('/api/')) {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
      return;
    }
    gzip(req as Parameters<typeof gzip>[0], res as Parameters<typeof gzip>[1], () => {
      Promise.resolve(handler(req, res)).catch((err: unknown) => {
        // Never send the stack to the client; keep it for the operator.
        console.error(`factdesk serve: ${req.method} ${req.url}:`, err);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Internal error\n');
      });
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4321, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const command: Command = {
  name: 'serve',
  summary: 'Serve the built site and its API (Ctrl-C to stop).',
  details: 'The API reads DATABASE_URL at request time; the pages are the ones `factdesk build` wrote.',
  options: {
    port: { type: 'string', valueName: 'port', description: 'port (default 4321; 0 picks a free one)' },
    host: { type: 'string', valueName: 'host', description: 'address to listen on (default 127.0.0.1)' },
    dist: { type: 'string', valueName: 'dir', description: 'the built site (default dist/, as written by factdesk build --out)' },
  },
  async run(ctx) {
    const port = Number(ctx.flags.port ?? 4321);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0–65535');
    // The API opens the database without migrating (the bundle has no migrations folder): bring it up
    // to date here, so a database from an older Factdesk has the search index before the first query.
    await withDb(ctx.config, async () => undefined);
    const site = await serveSite({ host: (ctx.flags.host as string | undefined) ?? '127.0.0.1', port, distDir: ctx.flags.dist as string | undefined });
    if (ctx.json) printJson(ctx, { url: site.url });
    else print(ctx, `Factdesk site on ${site.url}  (Ctrl-C to stop)`);
    await untilAborted(ctx.signal);
    await site.close();
    return 0;
  },
};
export default command;
