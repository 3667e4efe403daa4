/**
 * `npm start` on a fresh machine: the whole main job on the defaults, ending with the site served and
 * its URL printed; Ctrl-C (SIGTERM here) stops it cleanly.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('collects, extracts, builds and serves the sample, printing the URL', async () => {
  const env = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'start.db')}`, FACTDESK_SAMPLE_PORT: '0' };
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--out', path.join(dir, 'dist')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL after 150 s:\n${out}\n${err}`)), 150_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /Factdesk is on (http:\/\/\S+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((c) => reject(new Error(`start exited (${c}) before serving:\n${err}`)));
  });
  try {
    expect(out).toMatch(/Collected articles/);
    const home = await fetch(url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('/companies/klarna/');
    const sheet = await fetch(new URL('companies/klarna/', url));
    expect(sheet.status).toBe(200);
    const facts = await fetch(new URL('exports/facts.csv', url));
    expect(facts.status).toBe(200);
    expect((await facts.text()).split('\n').length).toBeGreaterThan(50);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
}, 180_000);
