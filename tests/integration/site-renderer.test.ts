/**
 * The build's renderer (src/cli/site-build/render.ts) asks a release's server for each page over a
 * loopback connection. A connection can drop under a request (its server shares the thread with the
 * pages it renders; at 100k articles a rebuild failed with "read ECONNRESET"): the page is asked for
 * again on a fresh one, and a page that keeps failing fails with its own error. A stand-in release
 * whose server entry drops connections on purpose, real HTTP in between.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRenderer, type Renderer } from '../../src/cli/site-build/render.ts';

let dir: string;
let renderer: Renderer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-renderer-'));
  mkdirSync(path.join(dir, 'server'));
  // /flaky/<n>/ drops the connection the first n times it is asked for, then answers; /down/ always
  // drops it; /missing/ answers 404.
  writeFileSync(
    path.join(dir, 'server', 'entry.mjs'),
    `const asked = new Map();
export function handler(req, res) {
  const n = (asked.get(req.url) ?? 0) + 1;
  asked.set(req.url, n);
  const flaky = /^\\/flaky\\/(\\d+)\\/$/.exec(req.url);
  if (req.url === '/down/' || (flaky && n <= Number(flaky[1]))) return req.socket.destroy();
  if (req.url === '/missing/') { res.statusCode = 404; return res.end(); }
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end('<p>' + req.url + ' after ' + n + '</p>');
}
`,
  );
  renderer = await startRenderer(dir);
});
afterAll(async () => {
  await renderer?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the build renderer', () => {
  it('asks again for a page whose connection dropped before it was answered', async () => {
    expect((await renderer.render('/flaky/1/')).body.toString()).toBe('<p>/flaky/1/ after 2</p>');
    expect((await renderer.render('/flaky/2/')).body.toString()).toBe('<p>/flaky/2/ after 3</p>');
  });

  it('gives up after three tries with the connection error, and fails a page that answers an error at once', async () => {
    await expect(renderer.render('/down/')).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET|EPIPE|UND_ERR_CLOSED/) });
    await expect(renderer.render('/missing/')).rejects.toThrow('/missing/: answered 404');
  });
});
