/**
 * Progress on a terminal: one line on stderr, redrawn in place, at most ~10 times a second, with the
 * rate and the time left once there is enough to go on. Nothing is drawn when stderr is not a TTY
 * (cron, pipes, CI) or when --json is on; a long job there can instead log a plain line every so
 * often (`log`), so that a re-extraction of a large corpus run under nohup or cron still says how far
 * it got and how long it has to go.
 */
export interface Progress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

export interface ProgressOptions {
  /** Where a line goes every `everyMs` when stderr is not a terminal (e.g. the command's info log). */
  log?: (line: string) => void;
  everyMs?: number;
  now?: () => number;
}

/** Seconds of work before a rate (and so a time left) is worth showing. */
const SETTLE_MS = 2_000;

/** "45 s", "4 min 05 s", "2 h 07 min". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Rate and time left for a job that began at `startedAt` and has `done` of `total` behind it. */
export function estimate(done: number, total: number, startedAt: number, now: number): { perS: number; leftMs: number } | null {
  const elapsed = now - startedAt;
  if (elapsed < SETTLE_MS || done <= 0 || done >= total) return null;
  const perS = (done / elapsed) * 1000;
  return { perS, leftMs: ((total - done) / perS) * 1000 };
}

function describe(done: number, total: number, startedAt: number, now: number): string {
  const e = estimate(done, total, startedAt, now);
  return e ? ` · ${e.perS >= 10 ? e.perS.toFixed(0) : e.perS.toFixed(1)}/s · ${formatDuration(e.leftMs)} left` : '';
}

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, enabled: boolean, opts: ProgressOptions = {}): Progress {
  const now = opts.now ?? Date.now;
  if (!enabled) return { update() {}, done() {} };
  // The rate is per label: a refresh's feeds and its pages are two jobs.
  let job = { label: '', startedAt: 0, lastDone: 0 };
  const track = (label: string, done: number) => {
    if (label !== job.label || done < job.lastDone) job = { label, startedAt: now(), lastDone: done };
    job.lastDone = done;
  };
  if (!stream.isTTY) {
    const log = opts.log;
    if (!log) return { update() {}, done() {} };
    const every = opts.everyMs ?? 30_000;
    let next = now() + every;
    return {
      update(label, done, total) {
        track(label, done);
        if (now() < next || done >= total) return;
        next = now() + every;
        log(`${label}: ${done} of ${total} (${Math.floor((done / Math.max(1, total)) * 100)}%)${describe(done, total, job.startedAt, now())}`);
      },
      done() {},
    };
  }
  let last = 0;
  let shown = false;
  return {
    update(label, done, total) {
      track(label, done);
      const t = now();
      if (done < total && t - last < 100) return;
      last = t;
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : 0;
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      stream.write(`\r\x1b[2K${label.padEnd(6)} ${bar} ${done}/${total}${describe(done, total, job.startedAt, t)}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
