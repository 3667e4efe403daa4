/**
 * Progress on a terminal only: one line on stderr, redrawn in place, at most ~10 times a second.
 * Nothing is printed when stderr is not a TTY (cron, pipes, CI) or when --json is on.
 */
export interface Progress {
  update(label: string, done: number, total: number): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, enabled: boolean): Progress {
  if (!enabled || !stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(label, done, total) {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : 0;
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      stream.write(`\r\x1b[2K${label.padEnd(6)} ${bar} ${done}/${total}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
