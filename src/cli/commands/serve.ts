/**
 * `factdesk serve`: the built site plus its on-demand API. Astro's node adapter provides the request
 * handler (static files from <dist>/client, API routes from <dist>/server); this wraps it in our own
 * HTTP server so every response — static files included, which the adapter's own server sends without
 * a hook — carries the security headers below. The site path is resolved per request, so a rebuild's
 * swap (src/cli/site-releases.ts) is picked up without a restart.
 */
import compression from 'compression';
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FatalError, UsageError } from '../../shared/errors.ts';
import { type Command, print, printJson, untilAborted } from '../command.ts';
import { withDb } from '../runtime.ts';
import { DEFAULT_DIST } from './build.ts';
import { portTakenMessage } from '../ports.ts';
// One policy for the header and the page <meta> tag (astro.config.mjs): src/lib/api/security.ts.
import { SECURITY_HEADERS } from '../../lib/api/security.ts';
import { ALLOWED_METHODS, errorBody } from '../../lib/api/respond.ts';

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void | Promise<void>;

export interface ServedSite {
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

export interface ServeOptions {
  host?: string;
  port?: number;
  distDir?: string;
  /**
   * How long a client may take to send its request headers (default 20 s); slower sockets get a
   * 408 and are closed. Node only checks every `connectionsCheckingInterval` (30 s by default, which
   * let a slow-header socket live ~46 s), so the check runs often enough for this to hold.
   */
  headersTimeoutMs?: number;
}

export const DEFAULT_HEADERS_TIMEOUT_MS = 20_000;

/**
 * The adapter's handler for whichever release the site path leads to now. A build swaps the
 * release link (src/cli/site-releases.ts); the next request resolves the new folder and imports its
 * server bundle (a new module URL, so a new instance, whose static files and lazily loaded chunks
 * all come from that release). Requests already running finish on the old one.
 */
function releaseHandlers(distDir: string): () => Promise<NodeHandler> {
  let current: { dir: string; handler: Promise<NodeHandler>; listeners: Function[] } | undefined;
  const broken = new Set<string>();
  const load = async (dir: string): Promise<{ handler: NodeHandler; listeners: Function[] }> => {
    // The adapter adds an unhandledRejection logger per instance; keep only the newest one's.
    const before = new Set(process.listeners('unhandledRejection'));
    const mod = (await import(pathToFileURL(path.join(dir, 'server', 'entry.mjs')).href)) as { handler: NodeHandler };
    return { handler: mod.handler, listeners: process.listeners('unhandledRejection').filter((l) => !before.has(l)) };
  };
  return async () => {
    const dir = await realpath(distDir).catch(() => undefined);
    if (current && (!dir || dir === current.dir || broken.has(dir))) return current.handler;
    if (!dir) throw new FatalError(`no built site in ${distDir}: run \`factdesk build\` first`);
    const previous = current;
    const entry: NonNullable<typeof current> = { dir, handler: Promise.resolve(undefined as never), listeners: [] };
    // One promise for every request that arrives while the new release loads.
    entry.handler = load(dir).then(
      (loaded) => {
        entry.listeners = loaded.listeners;
        for (const l of previous?.listeners ?? []) process.off('unhandledRejection', l as NodeJS.UnhandledRejectionListener);
        return loaded.handler;
      },
      (err: unknown) => {
        if (!previous) throw err;
        // Not a site we can serve (a folder someone swapped in by hand?): keep the last good one.
        console.error(`factdesk serve: cannot load the site in ${dir}, still serving ${previous.dir}:`, err);
        broken.add(dir);
        if (current === entry) current = previous;
        return previous.handler;
      },
    );
    current = entry;
    return entry.handler;
  };
}

function isApiPath(url: string | undefined): boolean {
  const p = (url ?? '/').split('?')[0]!;
  return p === '/api' || p.startsWith('/api/');
}

export async function serveSite(opts: ServeOptions = {}): Promise<ServedSite> {
  const distDir = path.resolve(opts.distDir ?? DEFAULT_DIST);
  if (!existsSync(path.join(distDir, 'server', 'entry.mjs'))) throw new FatalError(`no built site in ${distDir}: run \`factdesk build\` first`);
  // The adapter's standalone entry starts its own server on import unless told not to.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  process.env.ASTRO_NODE_LOGGING = 'disabled';
  const handlerNow = releaseHandlers(distDir);
  await handlerNow();
  // gzip for text responses (HTML, JSON search shards, exports), as any CDN in front would do: the
  // timeline's search files shrink 5–7×, which is what a browser actually downloads.
  const gzip = compression({ threshold: 1024 });
  const headersTimeout = opts.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const server = http.createServer(
    {
      headersTimeout,
      // Node refuses a request timeout below the headers timeout.
      requestTimeout: Math.max(30_000, headersTimeout),
      // Slack on the timeouts above: at most a second (a tenth of a short test timeout).
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(headersTimeout / 10))),
    },
    (req, res) => {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
      const method = req.method ?? 'GET';
      // Refused here, before the adapter: it turns TRACE into a 500 (a fetch Request cannot carry it)
      // and form-typed POSTs into Astro's 403 text answer, where the documented answer is 405.
      if (method !== 'GET' && method !== 'HEAD') {
        res.setHeader('Allow', ALLOWED_METHODS);
        res.setHeader('Cache-Control', 'no-store');
        // The body (if any) is not read: close the connection after the answer, so a keep-alive
        // client does not send its next request into a socket the server is dropping.
        res.setHeader('Connection', 'close');
        if (isApiPath(req.url)) {
          res.writeHead(405, { 'Content-Type': 'application/json; charset=utf-8' });
          res.end(errorBody('method_not_allowed', `${method.slice(0, 20)} is not allowed; use GET`));
        } else {
          res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
        }
        return;
      }
      const fail = (err: unknown) => {
        // Never send the stack to the client; keep it for the operator.
        console.error(`factdesk serve: ${req.method} ${req.url}:`, err);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Internal error\n');
      };
      // The release is chosen when the request arrives, and the whole answer comes from it.
      handlerNow().then((handler) => {
        gzip(req as Parameters<typeof gzip>[0], res as Parameters<typeof gzip>[1], () => {
          Promise.resolve(handler(req, res)).catch(fail);
        });
      }, fail);
    },
  );
  // CONNECT never reaches the request handler (Node emits 'connect'); answer it the same way.
  server.on('connect', (req: http.IncomingMessage, socket: Duplex) => {
    const body = isApiPath(req.url) ? errorBody('method_not_allowed', 'CONNECT is not allowed; use GET') : 'Method not allowed\n';
    const type = isApiPath(req.url) ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
    const headers = { ...SECURITY_HEADERS, Allow: ALLOWED_METHODS, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' };
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${body}`);
  });
  const host = opts.host ?? '127.0.0.1';
  const wanted = opts.port ?? 4321;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new FatalError(portTakenMessage(host, wanted)) : err),
    );
    server.listen(wanted, host, () => resolve());
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
  details: 'The API reads DATABASE_URL at request time; the pages are the ones `factdesk build` wrote.',
  options: {
    port: { type: 'string', valueName: 'port', description: 'port (default 4321; 0 picks a free one)' },
    host: { type: 'string', valueName: 'host', description: 'address to listen on (default 127.0.0.1)' },
    dist: { type: 'string', valueName: 'dir', description: 'the built site (default dist/, as written by factdesk build --out)' },
    'headers-timeout': { type: 'string', valueName: 's', description: 'seconds a client may take to send its request headers (default 20)' },
  },
  async run(ctx) {
    const port = Number(ctx.flags.port ?? 4321);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0–65535');
    const headersS = Number(ctx.flags['headers-timeout'] ?? DEFAULT_HEADERS_TIMEOUT_MS / 1000);
    if (!Number.isFinite(headersS) || headersS <= 0 || headersS > 3600) throw new UsageError('--headers-timeout must be 0–3600 seconds');
    // The API opens the database without migrating (the bundle has no migrations folder): bring it up
    // to date here, so a database from an older Factdesk has the search index before the first query.
    await withDb(ctx.config, async () => undefined);
    const site = await serveSite({
      host: (ctx.flags.host as string | undefined) ?? '127.0.0.1',
      port,
      distDir: ctx.flags.dist as string | undefined,
      headersTimeoutMs: Math.round(headersS * 1000),
    });
    if (ctx.json) printJson(ctx, { url: site.url });
    else print(ctx, `Factdesk site on ${site.url}  (Ctrl-C to stop)`);
    await untilAborted(ctx.signal);
    await site.close();
    return 0;
  },
};
export default command;
