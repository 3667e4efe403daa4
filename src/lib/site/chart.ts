/**
 * Tiny SVG line chart generator, pure TS. Every text node is escaped here, so the output is safe
 * for set:html even when labels come from the database.
 */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface Point {
  label: string;
  value: number;
}

export interface ChartOptions {
  title: string;
  desc?: string;
  format?: (v: number) => string;
  width?: number;
  height?: number;
}

export function lineChart(points: Point[], opts: ChartOptions): string {
  const W = opts.width ?? 480;
  const H = opts.height ?? 220;
  const fmt = opts.format ?? ((v: number) => String(v));
  const pad = { l: 90, r: 36, t: 16, b: 40 };
  const values = points.map((p) => p.value);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values) || 1;
  const x = (i: number) => pad.l + (points.length <= 1 ? (W - pad.l - pad.r) / 2 : (i * (W - pad.l - pad.r)) / (points.length - 1));
  const y = (v: number) => pad.t + ((hi - v) * (H - pad.t - pad.b)) / (hi - lo || 1);
  const desc = opts.desc ?? points.map((p) => `${p.label}: ${fmt(p.value)}`).join('; ');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" class="chart">`,
    `<title>${escapeXml(opts.title)}</title>`,
    `<desc>${escapeXml(desc)}</desc>`,
    `<line x1="${pad.l}" y1="${y(lo)}" x2="${pad.l}" y2="${y(hi)}" stroke="currentColor" />`,
    `<line x1="${pad.l}" y1="${y(0)}" x2="${W - pad.r}" y2="${y(0)}" stroke="currentColor" />`,
    `<text x="${pad.l - 6}" y="${y(hi) + 4}" text-anchor="end" font-size="11">${escapeXml(fmt(hi))}</text>`,
    `<text x="${pad.l - 6}" y="${y(lo) + 4}" text-anchor="end" font-size="11">${escapeXml(fmt(lo))}</text>`,
  ];
  if (points.length > 1)
    parts.push(
      `<polyline fill="none" stroke="#1f5fa8" stroke-width="2" points="${points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ')}" />`,
    );
  points.forEach((p, i) => {
    parts.push(`<circle cx="${x(i)}" cy="${y(p.value)}" r="4" fill="#1f5fa8" />`);
    parts.push(`<text x="${x(i)}" y="${H - pad.b + 18}" text-anchor="middle" font-size="11">${escapeXml(p.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
