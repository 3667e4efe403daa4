/**
 * Where a built site lives, so a build is never half a site. The output path (dist/ or --out) is a
 * symlink to one complete release folder beside it:
 *
 *   dist -> dist.builds/20261201T232512123Z-p4242
 *   dist.builds/20261201T232512123Z-p4242/{client,server}   the current site
 *   dist.builds/20261201T221003456Z-p4100/                   the one before (kept for in-flight requests)
 *
 * A build writes a fresh release folder named after its process, and only when every step succeeded
 * does it point the link at it: a new symlink renamed over the old one, which is atomic, so a reader
 * resolving `dist` sees either the old site or the new one, never a mix or nothing. A killed build
 * leaves an unfinished folder whose process is gone; the next build removes it. `factdesk serve`
 * resolves the link per request (serve.ts), so it answers from the old release until the swap and
 * from the new one after it, and files it already opened stay readable (POSIX keeps an unlinked
 * file's data until the last handle closes).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readlink, realpath, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FatalError } from '../shared/errors.ts';

/** Written last into a release: a folder without it is an unfinished (or killed) build. */
const COMPLETE = '.factdesk-complete';
const RELEASE_NAME = /^(\d{8}T\d{9}Z)-p(\d+)$/;
const LINK_NAME = /^\.next-p(\d+)$/;
/** A release on its way out: renamed out of the listing, removed by a detached process. */
const REMOVING = '.removing-';

export interface Release {
  /** The output path the site is reached by (the symlink). */
  out: string;
  /** This build's folder inside <out>.builds/. */
  dir: string;
  name: string;
}

export function releasesDir(out: string): string {
  return `${out}.builds`;
}

/** Whether the process that owns a release folder is still running (so its build is in progress). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The release folder the output path points at now, or null (no build yet, or a plain folder). */
export async function currentRelease(out: string): Promise<string | null> {
  const st = await lstat(out).catch(() => null);
  if (!st?.isSymbolicLink()) return null;
  return path.basename(await readlink(out));
}

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[-:.]/g, '');
}

/** A new, empty release folder owned by this process. */
export async function createRelease(out: string): Promise<Release> {
  const st = await lstat(out).catch(() => null);
  if (st && !st.isDirectory() && !st.isSymbolicLink()) throw new FatalError(`${out} is a file, not a site folder: pick another --out`);
  const dir0 = releasesDir(out);
  await mkdir(dir0, { recursive: true });
  // Two builds of one process in the same millisecond would collide; wait for the next one.
  for (;;) {
    const name = `${stamp()}-p${process.pid}`;
    const dir = path.join(dir0, name);
    try {
      await mkdir(dir);
      return { out, dir, name };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await new Promise((r) => setTimeout(r, 2));
    }
  }
}

/**
 * Points the output path at a finished release. The new link is made under a temporary name and
 * renamed over the old one (rename(2) replaces a symlink atomically). A plain folder left by a
 * Factdesk from before releases (or a first --out into an existing folder) is moved into
 * <out>.builds/ first: the only moment the path is briefly missing, once.
 */
export async function swapIn(release: Release): Promise<void> {
  const { out, name } = release;
  await writeFile(path.join(release.dir, COMPLETE), `${new Date().toISOString()}\n`);
  const tmp = path.join(releasesDir(out), `.next-p${process.pid}`);
  await rm(tmp, { force: true });
  // Relative, so the pair can be moved or mounted elsewhere together.
  await symlink(path.join(path.basename(releasesDir(out)), name), tmp, 'dir');
  const st = await lstat(out).catch(() => null);
  if (st?.isDirectory()) await rename(out, path.join(releasesDir(out), `${stamp()}-p0`));
  await rename(tmp, out);
}

/**
 * Removes what no one needs: unfinished folders of builds whose process is gone, temporary links,
 * and finished releases other than the current one and the one before it (`previous`, the release
 * a swap just replaced; by default the newest other finished one), which stays for a `serve` still
 * finishing a request from it. Folders of builds still running are left alone.
 */
export async function pruneReleases(out: string, previous?: string | null, opts: { detach?: boolean } = {}): Promise<string[]> {
  const dir = releasesDir(out);
  if (!existsSync(dir)) return [];
  const current = await currentRelease(out);
  const entries = (await readdir(dir)).sort().reverse(); // newest first
  const removed: string[] = [];
  const detached: string[] = [];
  // A release is tens of thousands of files: deleting them takes seconds (most of it waiting on the
  // disk), after the new site is already live. With `detach` the release is renamed out of the
  // listing at once and a detached process deletes it; one that did not finish (the machine went
  // down) is found by its name on a later prune and removed again.
  const remove = async (name: string) => {
    const from = path.join(dir, name);
    if (!opts.detach) return rm(from, { recursive: true, force: true });
    const to = path.join(dir, `${REMOVING}${name}`);
    await rename(from, to).then(
      () => detached.push(to),
      () => rm(from, { recursive: true, force: true }),
    );
  };
  let keptPrevious = previous !== undefined;
  for (const name of entries) {
    if (name.startsWith(REMOVING)) {
      detached.push(path.join(dir, name)); // its remover may still be at it: never waited for
      continue;
    }
    if (name === current || name === previous) continue;
    const link = LINK_NAME.exec(name);
    if (link) {
      if (!processAlive(Number(link[1]))) await rm(path.join(dir, name), { force: true });
      continue;
    }
    const m = RELEASE_NAME.exec(name);
    if (!m) continue; // not ours: leave it
    const pid = Number(m[2]);
    // Another build still running owns it (unfinished, or finished and about to swap it in).
    if (pid !== 0 && pid !== process.pid && processAlive(pid)) continue;
    const complete = pid === 0 || existsSync(path.join(dir, name, COMPLETE));
    if (complete && !keptPrevious) {
      keptPrevious = true;
      continue;
    }
    await remove(name);
    removed.push(name);
  }
  if (detached.length) removeDetached(detached);
  return removed;
}

/**
 * Deletes the folders in a process of its own that outlives this one (the build exits as soon as its
 * site is live). Two removers on one folder (a later prune while one still runs) both end well:
 * each retries what the other took away.
 */
function removeDetached(dirs: string[]): void {
  const script =
    "const fs = require('node:fs');" +
    'for (const d of process.argv.slice(1)) for (let i = 0; i < 5; i++) { try { fs.rmSync(d, { recursive: true, force: true }); break; } catch {} }';
  try {
    const child = spawn(process.execPath, ['-e', script, '--', ...dirs], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined); // not started: a later prune finds the folders by name
    child.unref();
  } catch {
    // as above
  }
}

/** The real folder a site path leads to now (through the release link, if any). */
export function resolveSite(out: string): Promise<string> {
  return realpath(out);
}
