/**
 * Runs `factdesk build --json` as a child process (the project's Node 24, with the launcher's V8 flag)
 * and measures what a user waits for and what the machine needs: wall time, the peak RSS of the node
 * process (VmHWM, and /usr/bin/time's maximum when present) and of the whole process tree (sampled sum
 * of VmRSS: pagefind indexes in a child binary). Optionally with --cpu-prof, summarised by file.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface BuildMeasure {
  ok: boolean;
  wallS: number;
  /** Peak RSS of the node build process (max of VmHWM and /usr/bin/time's figure), MB. */
  nodePeakMb: number;
  /** Peak sampled sum of VmRSS over the build's process tree, MB. */
  treePeakMb: number;
  /** factdesk build's own report (steps in ms), when it printed one. */
  report: {
    ms: number;
    mode?: string;
    steps: Record<string, number>;
    indexedPages: number;
    outDir: string;
    pages?: { rendered: number; linked: number };
    search?: { mode: string; shardsWritten: number; delta: number };
    timeline?: { shards: number; built: number };
    exports?: { companies: number; exported: number };
  } | null;
  /** CPU seconds of the node build process (user + system), from /usr/bin/time; pagefind's are its own. */
  cpuS: number | null;
  stderrTail: string;
  profile?: ProfileSummary;
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by source file (bundled page chunks keep their route in the name). */
  files: { file: string; ms: number }[];
  functions: { fn: string; file: string; ms: number }[];
}

function procStatus(pid: number): Record<string, string> | null {
  try {
    const out: Record<string, string> = {};
    for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
      const i = line.indexOf(':');
      if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
    }
    return out;
  } catch {
    return null;
  }
}

const kb = (s: string | undefined) => (s ? Number.parseInt(s, 10) || 0 : 0);

/** pid and all its descendants, from /proc/<pid>/stat parent links. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid);
      if (list) list.push(Number(d));
      else children.set(ppid, [Number(d)]);
    } catch {
      /* gone */
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

export async function runBuild(opts: { root: string; databaseUrl: string; outDir: string | null; profileDir?: string; full?: boolean; logFile?: string }): Promise<BuildMeasure> {
  const node = path.join(opts.root, 'node_modules', '.bin', 'node');
  const nodeArgs = ['--max-semi-space-size=16'];
  if (opts.profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`, '--cpu-prof-interval=1000');
  const args = [...nodeArgs, 'bin/factdesk.js', 'build', '--json', ...(opts.outDir ? ['--out', opts.outDir] : []), ...(opts.full ? ['--full'] : [])];
  const timeFile = path.join(opts.outDir ? path.dirname(opts.outDir) : opts.root, `.bench-site-time-${process.pid}.txt`);
  const useTime = existsSync('/usr/bin/time');
  const cmd = useTime ? '/usr/bin/time' : node;
  const argv = useTime ? ['-v', '-o', timeFile, node, ...args] : args;
  const t0 = performance.now();
  const child = spawn(cmd, argv, { cwd: opts.root, env: { ...process.env, DATABASE_URL: opts.databaseUrl, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  // The whole stderr (the build trace among it) goes to logFile when asked; the tail is kept for errors.
  const log = opts.logFile ? createWriteStream(opts.logFile) : null;
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
    log?.write(d);
  });
  let nodeHwm = 0;
  let treePeak = 0;
  const sample = () => {
    if (child.pid === undefined) return;
    let sum = 0;
    for (const pid of tree(child.pid)) {
      const st = procStatus(pid);
      if (!st) continue;
      sum += kb(st.VmRSS);
      if (/node/.test(st.Name ?? '')) nodeHwm = Math.max(nodeHwm, kb(st.VmHWM));
    }
    treePeak = Math.max(treePeak, sum);
  };
  const timer = setInterval(sample, 100);
  const code: number | null = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(timer);
  log?.end();
  const wallS = (performance.now() - t0) / 1000;
  let timeMax = 0;
  let cpuS: number | null = null;
  if (useTime && existsSync(timeFile)) {
    const t = readFileSync(timeFile, 'utf8');
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(t);
    timeMax = m ? Number(m[1]) : 0;
    const u = /User time \(seconds\): ([\d.]+)/.exec(t);
    const sys = /System time \(seconds\): ([\d.]+)/.exec(t);
    if (u && sys) cpuS = Number(u[1]) + Number(sys[1]);
  }
  let report: BuildMeasure['report'] = null;
  const json = stdout.slice(stdout.indexOf('{'), stdout.lastIndexOf('}') + 1);
  try {
    if (json) report = JSON.parse(json);
  } catch {
    report = null;
  }
  const out: BuildMeasure = {
    ok: code === 0,
    wallS,
    nodePeakMb: Math.max(nodeHwm, timeMax) / 1024,
    treePeakMb: treePeak / 1024,
    report,
    cpuS,
    stderrTail: stderr.split('\n').slice(-15).join('\n'),
  };
  if (opts.profileDir) out.profile = summariseProfiles(opts.profileDir, opts.root);
  return out;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time per file and per function over every .cpuprofile in dir (the build's node processes). */
export function summariseProfiles(dir: string, root: string): ProfileSummary {
  const files = new Map<string, number>();
  const fns = new Map<string, { fn: string; file: string; ms: number }>();
  let total = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
    const p = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CpuProfile;
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
    for (const [id, ms] of self) {
      const n = byId.get(id);
      if (!n) continue;
      total += ms;
      const file = shortFile(n.callFrame.url, root) || `(${n.callFrame.functionName || 'native'})`;
      files.set(file, (files.get(file) ?? 0) + ms);
      const key = `${n.callFrame.functionName}@${file}:${n.callFrame.lineNumber}`;
      const e = fns.get(key) ?? { fn: n.callFrame.functionName || '(anonymous)', file: `${file}:${n.callFrame.lineNumber + 1}`, ms: 0 };
      e.ms += ms;
      fns.set(key, e);
    }
  }
  return {
    totalMs: total,
    files: [...files].map(([file, ms]) => ({ file, ms })).sort((a, b) => b.ms - a.ms).slice(0, 25),
    functions: [...fns.values()].sort((a, b) => b.ms - a.ms).slice(0, 25),
  };
}

function shortFile(url: string, root: string): string {
  let u = url.replace(/^file:\/\//, '');
  if (u.startsWith(root)) u = u.slice(root.length).replace(/^\//, '');
  // Staged builds live under node_modules/.factdesk-build/<uuid>/: keep the part after the uuid.
  u = u.replace(/node_modules\/\.factdesk-build\/[0-9a-f-]+\//, '<build>/');
  return u.replace(/\?.*$/, '');
}

export interface DistSize {
  bytes: number;
  files: number;
  folders: Record<string, { bytes: number; files: number }>;
}

/** Total size of <out>/client and of its main folders (the node_modules link of --out builds is skipped). */
export function distSize(clientDir: string, folders: string[]): DistSize {
  const walk = (d: string): { bytes: number; files: number } => {
    let bytes = 0;
    let files = 0;
    if (!existsSync(d)) return { bytes, files };
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) {
        const s = walk(p);
        bytes += s.bytes;
        files += s.files;
      } else if (e.isFile()) {
        bytes += statSync(p).size;
        files++;
      }
    }
    return { bytes, files };
  };
  const all = walk(clientDir);
  return { ...all, folders: Object.fromEntries(folders.map((f) => [f, walk(path.join(clientDir, f))])) };
}
