/**
 * Renders pages through a release's built server, as files. The pages that read the database are
 * on-demand routes (src/middleware.ts); this loads the release's server entry in this process,
 * serves it on a loopback port only this build knows the token for, and asks it for each page. So a
 * build can render any subset of the site — all of it for a full build, only what changed for an
 * incremental one — without running Astro's bundler again.
 *
 * Astro puts the Content-Security-Policy of an on-demand page in a response header, and that of a
 * prerendered page in a <meta> tag. The files must carry it themselves on a static host, so the
 * header's policy is written into the page where Astro writes the tag for a prerendered one.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { FatalError } from '../../shared/errors.ts';
import { escapeAttr } from '../../lib/site/html.ts';
import { RENDER_ERROR_HEADER, RENDER_HEADER, RENDER_TOKEN_ENV } from '../../lib/site/render-guard.ts';

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface RenderedPage {
  body: Buffer;
  contentType: string;
}

export interface Renderer {
  render(sitePath: string): Promise<RenderedPage>;
  close(): Promise<void>;
}

/** Pages asked for at once: enough to batch the article texts a page loader reads (articles.ts). */
export const RENDER_CONCURRENCY = 16;

export async function startRenderer(releaseDir: string): Promise<Renderer> {
  const token = randomBytes(24).toString('hex');
  const previousToken = process.env[RENDER_TOKEN_ENV];
  process.env[RENDER_TOKEN_ENV] = token;
  // The adapter's standalone entry starts its own server on import unless told not to.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  process.env.ASTRO_NODE_LOGGING = 'disabled';
  const before = new Set(process.listeners('unhandledRejection'));
  const entry = pathToFileURL(path.join(releaseDir, 'server', 'entry.mjs')).href;
  const { handler } = (await import(entry)) as { handler: NodeHandler };
  const added = process.listeners('unhandledRejection').filter((l) => !before.has(l));
  const server = http.createServer((req, res) => handler(req, res));
  // The server and its only client share this thread, and a page can hold the thread for seconds
  // (a whole-site page at 100k articles), so the server's idle timeout (5 s) and the client's (4 s)
  // can come due in the same turn, one closing a socket the other is sending on. A 100k rebuild
  // failed once with "read ECONNRESET" while rendering: the server leaves idle sockets to the
  // client, which closes them when the build is done, and a dropped request is asked again
  // (withRetry).
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ connections: RENDER_CONCURRENCY, pipelining: 1 });
  const origin = `http://127.0.0.1:${port}`;
  return {
    async render(sitePath) {
      const r = await withRetry(() => request(`${origin}${sitePath}`, { dispatcher: agent, headers: { [RENDER_HEADER]: token } }));
      const body = Buffer.from(await r.body.arrayBuffer());
      if (r.statusCode !== 200) {
        const cause = header(r.headers[RENDER_ERROR_HEADER]);
        throw new FatalError(`${sitePath}: ${cause ? decodeURIComponent(cause) : `answered ${r.statusCode}`}`);
      }
      const contentType = header(r.headers['content-type']) ?? 'application/octet-stream';
      const csp = header(r.headers['content-security-policy']);
      return { body: csp && contentType.startsWith('text/html') ? withPolicyTag(body, csp) : body, contentType };
    },
    async close() {
      await agent.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const l of added) process.off('unhandledRejection', l as NodeJS.UnhandledRejectionListener);
      if (previousToken === undefined) delete process.env[RENDER_TOKEN_ENV];
      else process.env[RENDER_TOKEN_ENV] = previousToken;
    },
  };
}

/** Socket errors a fresh connection does not repeat: the request was not answered, so it is asked again. */
const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * A page asked for again, twice at most, when its connection dropped before it was answered (a
 * render is a GET of our own server: asking again is safe). Any other failure is the page's.
 */
async function withRetry<T>(ask: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ask();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 3 || !code || !DROPPED.has(code)) throw err;
    }
  }
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The policy as the <meta http-equiv> Astro writes into a prerendered page's head: first of the
 * head content it adds, before its stylesheet links (the page's own head ends where they start).
 * Only the head is decoded and searched: a year page of the timeline is ~330 kB, its head ~1 kB, and
 * decoding, copying and encoding whole pages again took ~2 ms each.
 */
export function withPolicyTag(html: Buffer, policy: string): Buffer {
  // "</head>" is ASCII, so its first byte offset is where the first one starts as text too.
  const headEnd = html.indexOf('</head>');
  if (headEnd < 0) return html;
  const s = html.toString('utf8', 0, headEnd);
  const firstStyle = s.lastIndexOf('<link rel="stylesheet"');
  // The first of Astro's stylesheet links: scan back over the run of them that ends the head.
  let at = s.length;
  if (firstStyle >= 0) {
    at = firstStyle;
    for (;;) {
      const prev = s.lastIndexOf('<link rel="stylesheet"', at - 1);
      if (prev < 0 || !/^(<link rel="stylesheet"[^>]*>)+$/.test(s.slice(prev, at))) break;
      at = prev;
    }
  }
  const cut = Buffer.byteLength(s.slice(0, at), 'utf8');
  const tag = `<meta http-equiv="content-security-policy" content="${escapeAttr(policy)}">`;
  return Buffer.concat([html.subarray(0, cut), Buffer.from(tag, 'utf8'), html.subarray(cut)]);
}
