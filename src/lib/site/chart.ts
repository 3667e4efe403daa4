/**
 * Tiny SVG chart generator, pure TS, rendered at build time so charts read without JavaScript.
 * Every text node is escaped here, so the output is safe for set:html even when labels come from the
 * database; it uses presentation attributes only (no style="…"), which a strict CSP allows.
 *
 * Points sit on a real time axis: "2021" and "2025-Q1" are periods, so each is drawn at its middle
 * (2021.5, 2025.125) and a year of silence shows as a gap rather than as one evenly spaced step.
 */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface Point {
  /** The period as stored (asOf): "2024", "2024-H1", "2025-Q1", "2025-03", "2025-05-14". */
  label: string;
  value: number;
  /** Drawn hollow, so a reader sees which figures sources disagree on. */
  disputed?: boolean;
}

export interface ChartOptions {
  title: string;
  desc?: string;
  format?: (v: number) => string;
  width?: number;
  height?: number;
}

/** The middle of a period as a decimal year, or null when the label is not a period. */
export function periodMid(label: string): number | null {
  let m = /^(\d{4})$/.exec(label);
  if (m) return Number(m[1]) + 0.5;
  m = /^(\d{4})-H([12])$/.exec(label);
  if (m) return Number(m[1]) + (m[2] === '1' ? 0.25 : 0.75);
  m = /^(\d{4})-Q([1-4])$/.exec(label);
  if (m) return Number(m[1]) + (Number(m[2]) - 0.5) / 4;
  m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) return Number(m[1]) + (Number(m[2]) - 0.5) / 12;
  m = /^(\d{4})-(\d{2})-(\d{2})/.exec(label);
  if (m) return Number(m[1]) + (Number(m[2]) - 1) / 12 + (Number(m[3]) - 0.5) / 365;
  return null;
}

/** Year ticks: every year when few, else a step that keeps at most ~8 labels. */
function yearTicks(lo: number, hi: number): number[] {
  const first = Math.floor(lo);
  const last = Math.ceil(hi);
  const step = Math.max(1, Math.ceil((last - first) / 8));
  const out: number[] = [];
  for (let y = first; y <= last; y += step) out.push(y);
  return out;
}

export function lineChart(input: Point[], opts: ChartOptions): string {
  const W = opts.width ?? 480;
  const H = opts.height ?? 220;
  const fmt = opts.format ?? ((v: number) => String(v));
  const pad = { l: 90, r: 24, t: 16, b: 40 };
  const points = input
    .map((p) => ({ ...p, t: periodMid(p.label) }))
    .filter((p): p is Point & { t: number } => p.t !== null && Number.isFinite(p.value))
    .sort((a, b) => a.t - b.t);
  const desc = opts.desc ?? input.map((p) => `${p.label}: ${fmt(p.value)}${p.disputed ? ' (disputed)' : ''}`).join('; ');
  const head = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" class="chart">`,
    `<title>${escapeXml(opts.title)}</title>`,
    `<desc>${escapeXml(desc)}</desc>`,
  ];
  if (!points.length) return [...head, '</svg>'].join('');

  const values = points.map((p) => p.value);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values) || 1;
  // Half a year of margin either side so a single point or the edge years do not sit on the axis.
  const t0 = Math.floor(points[0]!.t);
  const t1 = Math.max(Math.ceil(points[points.length - 1]!.t), t0 + 1);
  const x = (t: number) => pad.l + ((t - t0) * (W - pad.l - pad.r)) / (t1 - t0);
  const y = (v: number) => pad.t + ((hi - v) * (H - pad.t - pad.b)) / (hi - lo || 1);
  const r = (n: number) => Math.round(n * 10) / 10;

  const parts = [
    ...head,
    `<line x1="${pad.l}" y1="${r(y(lo))}" x2="${pad.l}" y2="${r(y(hi))}" stroke="currentColor" />`,
    `<line x1="${pad.l}" y1="${r(y(0))}" x2="${W - pad.r}" y2="${r(y(0))}" stroke="currentColor" />`,
    `<text x="${pad.l - 6}" y="${r(y(hi) + 4)}" text-anchor="end" font-size="11" fill="currentColor">${escapeXml(fmt(hi))}</text>`,
  ];
  if (lo < 0) parts.push(`<text x="${pad.l - 6}" y="${r(y(lo) + 4)}" text-anchor="end" font-size="11" fill="currentColor">${escapeXml(fmt(lo))}</text>`);
  parts.push(`<text x="${pad.l - 6}" y="${r(y(0) + 4)}" text-anchor="end" font-size="11" fill="currentColor">0</text>`);
  for (const year of yearTicks(t0, t1)) {
    parts.push(`<line x1="${r(x(year))}" y1="${r(y(lo))}" x2="${r(x(year))}" y2="${r(y(lo) + 4)}" stroke="currentColor" />`);
    if (year < t1) parts.push(`<text x="${r(x(year + 0.5))}" y="${H - pad.b + 18}" text-anchor="middle" font-size="11" fill="currentColor">${year}</text>`);
  }
  // The line follows the undisputed figures (or all of them when every one is disputed).
  const lineSet = points.some((p) => !p.disputed) ? points.filter((p) => !p.disputed) : points;
  if (lineSet.length > 1)
    parts.push(`<polyline fill="none" stroke="#1f5fa8" stroke-width="2" points="${lineSet.map((p) => `${r(x(p.t))},${r(y(p.value))}`).join(' ')}" />`);
  for (const p of points) {
    const fill = p.disputed ? 'fill="#fff" stroke="#8a4b00" stroke-width="2"' : 'fill="#1f5fa8"';
    parts.push(`<circle cx="${r(x(p.t))}" cy="${r(y(p.value))}" r="4" ${fill}><title>${escapeXml(`${p.label}: ${fmt(p.value)}${p.disputed ? ' (disputed)' : ''}`)}</title></circle>`);
  }
  parts.push('</svg>');
  return parts.join('');
}
