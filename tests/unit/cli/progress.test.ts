/**
 * The progress line says how fast the job goes and how long it has left: on a terminal, redrawn in
 * place; elsewhere (cron, nohup, a pipe) a plain line through the log every so often, nothing else.
 */
import { describe, expect, it } from 'vitest';
import { createProgress, estimate, formatDuration } from '../../../src/cli/progress.ts';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WritableStream & { isTTY: boolean; writes: string[] };
}

describe('progress', () => {
  it('formats durations for people', () => {
    expect(formatDuration(44_600)).toBe('45 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(7_620_000)).toBe('2 h 07 min');
  });

  it('estimates the rate and the time left from the work done so far, once there is enough to go on', () => {
    expect(estimate(10, 100, 0, 1_000)).toBeNull(); // one second in: too early
    expect(estimate(300, 1_200, 0, 2_000)).toEqual({ perS: 150, leftMs: 6_000 });
    expect(estimate(1_200, 1_200, 0, 9_000)).toBeNull(); // done
  });

  it('draws the rate and the time left on a terminal', () => {
    let t = 0;
    const s = stream(true);
    const p = createProgress(s, true, { now: () => t });
    p.update('extract', 0, 50_000);
    t = 10_000;
    p.update('extract', 1_600, 50_000);
    expect(s.writes.at(-1)).toMatch(/extract .* 1600\/50000 · 160\/s · 5 min 03 s left$/);
    p.done();
    expect(s.writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('logs a plain line every so often when stderr is not a terminal, and draws nothing', () => {
    let t = 0;
    const s = stream(false);
    const lines: string[] = [];
    const p = createProgress(s, true, { now: () => t, log: (l) => lines.push(l), everyMs: 30_000 });
    p.update('extract', 0, 10_000);
    for (let i = 1; i <= 90; i++) {
      t = i * 1_000;
      p.update('extract', i * 100, 10_000);
    }
    expect(s.writes).toEqual([]);
    expect(lines).toEqual([
      'extract: 3000 of 10000 (30%) · 100/s · 1 min 10 s left',
      'extract: 6000 of 10000 (60%) · 100/s · 40 s left',
      'extract: 9000 of 10000 (90%) · 100/s · 10 s left',
    ]);
  });

  it('is silent with --json', () => {
    const s = stream(true);
    const lines: string[] = [];
    const p = createProgress(s, false, { log: (l) => lines.push(l) });
    p.update('extract', 5, 10);
    expect([s.writes, lines]).toEqual([[], []]);
  });
});
