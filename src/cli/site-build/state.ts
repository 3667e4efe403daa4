/**
 * What a release was built from, written into the release folder beside client/ and server/ (not
 * deployed): the version of the code, and a fingerprint of the data behind every page, search record,
 * timeline shard and company export (src/lib/site/site-plan.ts). The next build reads the current
 * release's state, fingerprints the database again and rebuilds only what differs; everything else
 * is linked from this release. A release without a state, or built from other code, means a full
 * build.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileReplacing } from './files.ts';

export const STATE_FILE = 'build-state.json';

/** The timeline shards' terms and sizes a release was built with (src/lib/site/timeline.ts), for the next build. */
export function timelineTermsFile(releaseDir: string): string {
  return path.join(releaseDir, 'cache', 'timeline-terms.json');
}

const Fp = z.string().min(1).max(64);

export const BuildStateSchema = z.object({
  v: z.literal(1),
  /** codeVersion() of the sources the release's server bundle was built from. */
  code: Fp,
  builtAt: z.string(),
  /** Client files Astro's bundler wrote (assets, prerendered pages), relative to client/. */
  bundle: z.array(z.string()),
  /** Page file (relative to client/) → fingerprint; null for the pages rendered on every build. */
  pages: z.record(z.string(), Fp.nullable()),
  search: z.object({
    /** Shard number → the articles its index holds: id → [search fingerprint, pagefind result id]. */
    shards: z.record(z.string(), z.object({ base: z.record(z.string(), z.tuple([Fp, z.string()])) })),
    /** Articles indexed since, in client/pagefind-delta/ (new or changed), with their fingerprints. */
    delta: z.record(z.string(), Fp),
  }),
  /** Timeline shard file → fingerprint of its records. */
  timeline: z.record(z.string(), Fp),
  /** Company slug → [fingerprint of its facts and sources, number of facts exported]. */
  exports: z.record(z.string(), z.tuple([Fp, z.number().int().nonnegative()])),
});
export type BuildState = z.infer<typeof BuildStateSchema>;

export interface PreviousBuild {
  /** The release folder. */
  dir: string;
  state: BuildState;
}

export async function readState(releaseDir: string): Promise<BuildState | null> {
  const raw = await readFile(path.join(releaseDir, STATE_FILE), 'utf8').catch(() => null);
  if (raw === null) return null;
  try {
    const r = BuildStateSchema.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null; // unreadable: treated as no state (a full build)
  }
}

export async function writeState(releaseDir: string, state: BuildState): Promise<void> {
  await writeFileReplacing(path.join(releaseDir, STATE_FILE), JSON.stringify(state));
}

/** What the site's code is: a hash of every file the server bundle and the build are made from. */
export async function codeVersion(root: string): Promise<string> {
  const h = createHash('sha256');
  const files: string[] = [];
  const walk = async (rel: string) => {
    for (const e of (await readdir(path.join(root, rel), { withFileTypes: true }).catch(() => [])).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) await walk(r);
      else if (e.isFile()) files.push(r);
    }
  };
  for (const d of ['src', 'db', 'content']) await walk(d);
  files.push('astro.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json');
  for (const f of files) {
    h.update(f).update('\u0000');
    h.update(await readFile(path.join(root, f)).catch(() => Buffer.alloc(0))).update('\u0000');
  }
  return h.digest('base64url').slice(0, 22);
}
