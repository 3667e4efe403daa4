/**
 * Removing old releases after a build (src/cli/site-releases.ts pruneReleases with detach): the
 * build's site is live by then, so the release two back leaves the listing at once (renamed) and a
 * detached process deletes its files; the current release and the one before it are never touched,
 * and a half-removed leftover (a remover that did not finish) is removed by a later prune.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pruneReleases } from '../../src/cli/site-releases.ts';

const root = mkdtempSync(path.join(tmpdir(), 'factdesk-prune-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A finished release with a few hundred files, as a build leaves it. */
function release(builds: string, name: string): string {
  const dir = path.join(builds, name);
  for (let i = 0; i < 300; i++) {
    mkdirSync(path.join(dir, 'client', 'articles', String(i)), { recursive: true });
    writeFileSync(path.join(dir, 'client', 'articles', String(i), 'index.html'), `<p>${name} ${i}</p>`);
  }
  writeFileSync(path.join(dir, '.factdesk-complete'), 'done\n');
  return dir;
}

async function gone(p: string, ms = 15_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!existsSync(p)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !existsSync(p);
}

describe('pruneReleases with detach', () => {
  it('takes old releases out of the listing at once and deletes them in a process of its own', async () => {
    const out = path.join(root, 'a', 'dist');
    const builds = `${out}.builds`;
    const oldest = release(builds, '20260101T000000000Z-p3999999');
    release(builds, '20260102T000000000Z-p3999999');
    release(builds, '20260103T000000000Z-p3999999');
    symlinkSync(path.join('dist.builds', '20260103T000000000Z-p3999999'), out, 'dir');
    const removed = await pruneReleases(out, '20260102T000000000Z-p3999999', { detach: true });
    expect(removed).toEqual(['20260101T000000000Z-p3999999']);
    // Right away: only the current release and the one before it are listed.
    const listed = readdirSync(builds).filter((n) => !n.startsWith('.removing-'));
    expect(listed.sort()).toEqual(['20260102T000000000Z-p3999999', '20260103T000000000Z-p3999999']);
    expect(existsSync(oldest)).toBe(false);
    // And soon the files themselves are gone, renamed folder and all.
    expect(await gone(path.join(builds, '.removing-20260101T000000000Z-p3999999'))).toBe(true);
    expect(readdirSync(builds).sort()).toEqual(['20260102T000000000Z-p3999999', '20260103T000000000Z-p3999999']);
    // The two it keeps are whole.
    expect(readdirSync(path.join(builds, '20260102T000000000Z-p3999999', 'client', 'articles'))).toHaveLength(300);
    expect(readdirSync(path.join(builds, '20260103T000000000Z-p3999999', 'client', 'articles'))).toHaveLength(300);
  });

  it('removes a leftover of a remover that did not finish on the next prune', async () => {
    const out = path.join(root, 'b', 'dist');
    const builds = `${out}.builds`;
    release(builds, '20260103T000000000Z-p3999999');
    symlinkSync(path.join('dist.builds', '20260103T000000000Z-p3999999'), out, 'dir');
    const leftover = release(builds, '.removing-20260101T000000000Z-p3999999');
    await pruneReleases(out);
    expect(await gone(leftover)).toBe(true);
    expect(readdirSync(builds)).toEqual(['20260103T000000000Z-p3999999']);
  });
});
