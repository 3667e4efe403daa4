/**
 * Files of a new release that are unchanged since the previous one are hard links to the previous
 * release's files: no bytes copied, and the two releases share them. That is only safe because no
 * build ever writes into an existing file: every write goes to a new file renamed into place
 * (writeFileReplacing), which gives the path a new inode and leaves the previous release's file as it
 * was. A file system without hard links (or a release on another device) gets copies instead.
 */
import { constants, copyFileSync, linkSync, mkdirSync, rmSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const madeDirs = new Set<string>();

async function ensureDir(dir: string): Promise<void> {
  if (madeDirs.has(dir)) return;
  await mkdir(dir, { recursive: true });
  madeDirs.add(dir);
  if (madeDirs.size > 50_000) madeDirs.clear();
}

/** `to` becomes the same file as `from` (a hard link, else a copy). */
export async function linkFile(from: string, to: string): Promise<void> {
  await ensureDir(path.dirname(to));
  try {
    await link(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      await rm(to, { force: true });
      await link(from, to).catch(() => copyFile(from, to, constants.COPYFILE_FICLONE));
    } else if (code === 'EXDEV' || code === 'EPERM' || code === 'EMLINK' || code === 'ENOTSUP') {
      await copyFile(from, to, constants.COPYFILE_FICLONE);
    } else throw err;
  }
}

/** Writes a new file at `file` (never into the existing one, which a previous release may share). */
export async function writeFileReplacing(file: string, data: string | Uint8Array): Promise<void> {
  await ensureDir(path.dirname(file));
  const tmp = `${file}.${process.pid}.partial`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/** Every file under dir, relative to it ('/'-separated), symlinks left out. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    const entries = await readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  await walk('');
  return out.sort();
}

/** Links every file under fromDir to the same place under toDir, a few at a time. */
export async function linkTree(fromDir: string, toDir: string, files?: string[]): Promise<number> {
  const list = files ?? (await listFiles(fromDir));
  await runLimited(list, 64, (f) => linkFile(path.join(fromDir, f), path.join(toDir, f)));
  return list.length;
}

/** fn over items with at most `limit` running at once; the first failure is thrown once all settled. */
export async function runLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  // By index, so an undefined item is still an item (runPulled stops at the first undefined).
  await runPulled(Math.min(limit, items.length), () => (next < items.length ? next++ : undefined), (i) => fn(items[i] as T));
}

/**
 * fn over what `next()` hands out (until it hands out undefined) with at most `limit` running at once;
 * the first failure is thrown once all settled, and no item is taken after it.
 */
export async function runPulled<T>(limit: number, next: () => T | undefined, fn: (item: T) => Promise<void>): Promise<void> {
  let failure: unknown = null;
  const worker = async () => {
    for (let item = next(); item !== undefined; item = failure === null ? next() : undefined) {
      try {
        await fn(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  if (failure !== null) throw failure;
}

/** linkFile, synchronously (for a writer that decides file by file inside a synchronous loop). */
export function linkFileSync(from: string, to: string): void {
  const dir = path.dirname(to);
  if (!madeDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  try {
    linkSync(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      rmSync(to, { force: true });
      linkSync(from, to);
    } else if (code === 'EXDEV' || code === 'EPERM' || code === 'EMLINK' || code === 'ENOTSUP') copyFileSync(from, to, constants.COPYFILE_FICLONE);
    else throw err;
  }
}
