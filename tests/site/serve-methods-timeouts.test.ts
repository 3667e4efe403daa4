/**
 * `factdesk serve` as a client meets it (issue 10, item 10), through the real CLI on the sample site:
 * every HTTP method but GET and HEAD gets the documented 405 (JSON with an Allow header on /api/*,
 * text on static paths) — TRACE used to be a 500 and form POSTs Astro's 403 — and a client that drips
 * its request headers is cut off when the headers timeout says, not up to 30 s later (Node checks
 * timeouts only every connectionsCheckingInterval).
 */
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServe } from '../helpers/cli.ts';

const built = inject('site');
const HEADERS_TIMEOUT_S = 1.5;
let serve: ChildProcess;
let origin: URL;

beforeAll(async () => {
  const env = { ...process.env, DATABASE_URL: built.databaseUrl, FACTDESK_API_BURST: '100000', FACTDESK_API_RATE: '100000' };
  const started = await startServe(['--dist', built.distDir, '--headers-timeout', String(HEADERS_TIMEOUT_S)], env);
  serve = started.serve;
  origin = new URL(started.url);
}, 60_000);

afterAll(() => {
  serve?.kill('SIGKILL');
});

function request(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: origin.hostname, port: origin.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Every method Node's parser accepts, except the two we serve and CONNECT (it has no request event). */
const OTHER_METHODS = http.METHODS.filter((m) => !['GET', 'HEAD', 'CONNECT'].includes(m));

describe('methods other than GET and HEAD', () => {
  it('get 405 JSON with Allow on every /api/* path, whatever the method and body', async () => {
    expect(OTHER_METHODS).toEqual(expect.arrayContaining(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE']));
    const wrong: string[] = [];
    for (const path of ['/api/facts', '/api/search?q=klarna', '/api/companies', '/api/nothing-here']) {
      for (const method of OTHER_METHODS) {
        // A form body is what made Astro answer 403 text/plain before the method was even looked at.
        const hasBody = !['TRACE', 'OPTIONS'].includes(method);
        const r = await request(method, path, hasBody ? { 'content-type': 'application/x-www-form-urlencoded' } : {}, hasBody ? 'a=1' : undefined);
        const ok =
          r.status === 405 &&
          r.headers.allow === 'GET, HEAD' &&
          r.headers['content-type'] === 'application/json; charset=utf-8' &&
          JSON.parse(r.body || '{}')?.error?.code === 'method_not_allowed';
        if (!ok) wrong.push(`${method} ${path} → ${r.status} ${r.headers['content-type']} ${r.body.slice(0, 60)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
  it('get 405 text with Allow on static paths, and CONNECT is refused the same way', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']) {
      const r = await request(method, '/companies/');
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
      expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
    const raw = await new Promise<string>((resolve, reject) => {
      const s = net.connect(Number(origin.port), origin.hostname, () => s.write('CONNECT /api/facts HTTP/1.1\r\nHost: x\r\n\r\n'));
      let text = '';
      s.setEncoding('utf8').on('data', (d: string) => (text += d));
      s.on('close', () => resolve(text));
      s.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 405 /);
    expect(raw).toMatch(/\r\nAllow: GET, HEAD\r\n/);
    expect(JSON.parse(raw.split('\r\n\r\n')[1]!).error.code).toBe('method_not_allowed');
    // GET still works on both.
    expect((await request('GET', '/companies/')).status).toBe(200);
    expect((await request('GET', '/api/companies')).status).toBe(200);
  });
});

describe('the headers timeout', () => {
  it('closes a socket that drips header bytes once the timeout has passed, within a second of slack', async () => {
    const t0 = performance.now();
    let sent = 0;
    const { ms, answer } = await new Promise<{ ms: number; answer: string }>((resolve, reject) => {
      const s = net.connect(Number(origin.port), origin.hostname, () => s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
      // One byte every 50 ms keeps the socket busy (no idle timeout would fire) but never ends the headers.
      const drip = setInterval(() => {
        if (!s.destroyed) s.write('X-Slow: drip\r\n'.charAt(sent++ % 14));
      }, 50);
      // Give up well before the old behaviour (checks every 30 s) would have closed it.
      const cap = setTimeout(() => s.destroy(), 10_000);
      let answer = '';
      s.setEncoding('utf8').on('data', (d: string) => (answer += d));
      s.on('close', () => {
        clearInterval(drip);
        clearTimeout(cap);
        resolve({ ms: performance.now() - t0, answer });
      });
      s.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    });
    console.log(`slow-header socket closed after ${Math.round(ms)} ms (timeout ${HEADERS_TIMEOUT_S * 1000} ms, ${sent} bytes dripped)`);
    expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_S * 1000 - 100);
    expect(ms).toBeLessThan(HEADERS_TIMEOUT_S * 1000 + 1000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // The server is still fine for everyone else.
    expect((await request('GET', '/')).status).toBe(200);
  });
});
