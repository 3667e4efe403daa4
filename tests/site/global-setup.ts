/**
 * Builds the sample site once for the whole site suite, the way a newcomer gets it: the real
 * `factdesk start` (sample outlet → refresh → extract → build) on a fresh database, with --no-serve so
 * each test file can serve the same build on its own port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { runCli } from '../helpers/cli.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    site: { dir: string; databaseUrl: string; distDir: string };
  }
}

let dir: string | undefined;

export async function setup(project: TestProject) {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-site-'));
  const databaseUrl = `file:${path.join(dir, 'site.db')}`;
  const distDir = path.join(dir, 'dist');
  const env = { ...process.env, DATABASE_URL: databaseUrl, FACTDESK_SAMPLE_PORT: '0', FACTDESK_ALLOW_PRIVATE_NETWORKS: '1' };
  const r = await runCli(['start', '--no-serve', '--out', distDir, '--json'], env, { timeoutMs: 170_000 });
  if (r.code !== 0) throw new Error(`factdesk start --no-serve failed (${r.code}):\n${r.stderr.slice(-4000)}`);
  project.provide('site', { dir, databaseUrl, distDir });
}

export async function teardown() {
  if (dir && !process.env.FACTDESK_KEEP_SITE) rmSync(dir, { recursive: true, force: true });
}
