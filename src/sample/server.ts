/**
 * The bundled sample outlet: a tiny static file server for content/sample (four fictional news sites
 * with feeds, an OPML list and article pages). Used by the default run and by end-to-end tests.
 *
 * - `{{ORIGIN}}` in .html/.xml/.opml/.json/.txt files is replaced by the server's origin at serve time.
 *   The replacement works on a latin1 string, so pages in windows-1252 / iso-8859-1 keep their bytes.
 * - content/sample/headers.json maps a path to extra response headers (e.g. a charset only sent over HTTP).
 * - ETag (hash of the served bytes) + If-None-Match and Last-Modified + If-Modified-Since give 304s;
 *   gzip when Accept-Encoding allows it. Paths are resolved inside the root only; anything else is a 404.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface SampleServerOptions {
  /** Default: Number(process.env.FACTDESK_SAMPLE_PORT) || 4380. Pass 0 for an ephemeral port. */
  port?: number;
  /** Default: 127.0.0.1. */
  host?: string;
  /** Directory to serve. Default: content/sample in the project (found from this file, not the cwd). */
  root?: string;
}

export interface SampleServer {
  /** e.g. http://127.0.0.1:4380 (no trailing slash). */
  origin: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_SAMPLE_ROOT = fileURLToPath(new URL('../../content/sample/', import.meta.url));
const PLACEHOLDER = '{{ORIGIN}}';
const TEMPLATED = new Set(['.html', '.xml', '.opml', '.json', '.txt']);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.opml': 'text/x-opml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
};

/** URL of the OPML file listing every sample feed. */
export function sampleOpmlUrl(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/sample.opml`;
}

/** Feeds are told apart by their root element, as a browser or feed reader would sniff them. */
function xmlType(body: Buffer): string {
  const head = body.subarray(0, 1024).toString('latin1');
  if (/<feed[\s>]/.test(head)) return 'application/atom+xml; charset=utf-8';
  if (/<rss[\s>]/.test(head)) return 'application/rss+xml; charset=utf-8';
  return 'application/xml; charset=utf-8';
}

function contentType(ext: string, body: Buffer): string {
  if (ext === '.xml') return xmlType(body);
  return TYPES[ext] ?? 'application/octet-stream';
}

function isCompressible(type: string): boolean {
  return /^text\/|xml|json|javascript/.test(type);
}

/** True when the client accepts gzip (or *) with a non-zero quality. */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let gzip: number | undefined;
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    if (name.trim() === 'gzip' || name.trim() === 'x-gzip') gzip = quality;
    else if (name.trim() === '*') star = quality;
  }
  return (gzip ?? star ?? 0) > 0;
}

/** If-None-Match uses the weak comparison: W/"x" matches "x". */
function etagMatches(header: string, etag: string): boolean {
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || bare(t) === bare(etag));
}

/** Maps a request target to a file inside root, or null if it escapes root or can't be decoded. */
function resolveInside(root: string, target: string): string | null {
  const rawPath = target.split(/[?#]/, 1)[0] ?? '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const file = path.resolve(root, '.' + decoded);
  const rel = path.relative(root, file);
  if (rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) return null;
  return file;
}

type Headers = Record<string, Record<string, string>>;

async function loadExtraHeaders(root: string): Promise<Headers> {
  try {
    const parsed = JSON.parse(await readFile(path.join(root, 'headers.json'), 'utf8')) as Record<string, unknown>;
    const out: Headers = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (key.startsWith('/') && value && typeof value === 'object') out[key] = value as Record<string, string>;
    }
    return out;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}

function send(res: http.ServerResponse, status: number, text: string, extra: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

export async function startSampleServer(opts: SampleServerOptions = {}): Promise<SampleServer> {
  const root = path.resolve(opts.root ?? DEFAULT_SAMPLE_ROOT);
  const host = opts.host ?? '127.0.0.1';
  const wantedPort = opts.port ?? (Number(process.env.FACTDESK_SAMPLE_PORT) || 4380);
  const extraHeaders = await loadExtraHeaders(root);
  let origin = '';

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
    let file = resolveInside(root, req.url ?? '/');
    if (!file) return send(res, 404, 'Not found\n');
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      const urlPath = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
      // Collapse leading slashes so "//host" can never become a protocol-relative redirect.
      if (!urlPath.endsWith('/')) return send(res, 301, 'Moved\n', { Location: '/' + urlPath.replace(/^\/+/, '') + '/' });
      file = path.join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) return send(res, 404, 'Not found\n');

    const ext = path.extname(file).toLowerCase();
    let body = await readFile(file);
    if (TEMPLATED.has(ext)) body = Buffer.from(body.toString('latin1').replaceAll(PLACEHOLDER, origin), 'latin1');

    const urlKey = '/' + path.relative(root, file).split(path.sep).join('/');
    // Header names are kept lower-case so headers.json can override any of them.
    const headers: Record<string, string> = {
      'content-type': contentType(ext, body),
      'cache-control': 'no-cache',
      'last-modified': info.mtime.toUTCString(),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      vary: 'Accept-Encoding',
      'x-content-type-options': 'nosniff',
    };
    for (const [name, value] of Object.entries(extraHeaders[urlKey] ?? {})) headers[name.toLowerCase()] = value;
    const etag = headers.etag ?? '';

    // RFC 9110: If-None-Match wins over If-Modified-Since when both are present.
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const notModified = inm
      ? etagMatches(inm, etag)
      : ims !== undefined && !Number.isNaN(Date.parse(ims)) && Math.floor(info.mtimeMs / 1000) * 1000 <= Date.parse(ims);
    if (notModified) {
      const { 'content-type': _type, ...rest } = headers;
      res.writeHead(304, rest);
      return void res.end();
    }

    if (body.length > 256 && isCompressible(headers['content-type'] ?? '') && acceptsGzip(req.headers['accept-encoding'])) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
      headers.etag = `W/${etag}`; // the gzip bytes differ; a weak tag still revalidates
    }
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, 'Internal server error\n');
      else res.destroy(err instanceof Error ? err : undefined);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wantedPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    origin,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// `npx tsx src/sample/server.ts` serves the sample outlet until interrupted.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const s = await startSampleServer();
  console.log(`Factdesk sample outlet at ${s.origin}/ (feeds: ${sampleOpmlUrl(s.origin)})`);
  const stop = () => void s.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
