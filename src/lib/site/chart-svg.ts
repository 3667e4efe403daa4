/**
 * Draws one fact-sheet chart as an SVG string at build time: Observable Plot over linkedom's DOM, so
 * charts read without JavaScript. The output suits the site's strict CSP: Plot's inline <style> and
 * generated class are removed and any style="…" attribute is stripped (the CSS lives in site.css,
 * "charts" section); everything else is presentation attributes. Every text goes in as a DOM text node
 * and is serialised escaped, so a label or company name holding "<script>" or "&" stays text.
 *
 * Size: a 380 × 240 viewBox with 13 px text, scaled to its column. The smallest column is a 390 px phone's
 * (about 358 px wide), where text renders at ≥ 12 px; labels are placed only where they fit inside the box.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { timeAxis, valueAxis } from './chart-axis.ts';
import { linePoints, type ChartData, type ChartFact, type ChartPoint, type Series, type SeriesGrain } from './chart-series.ts';

export const CHART = { width: 380, height: 240, fontSize: 13 } as const;

/** How a series looks: its colour and marker follow its period length; a forecast is dashed, with crosses. */
export interface SeriesStyle {
  color: string;
  symbol: 'circle' | 'square' | 'diamond' | 'triangle' | 'cross';
  dash: string | null;
}
const BY_GRAIN: Record<SeriesGrain, Omit<SeriesStyle, 'dash'>> = {
  year: { color: '#1f5fa8', symbol: 'circle' },
  half: { color: '#6a3d9a', symbol: 'diamond' },
  quarter: { color: '#0b7a53', symbol: 'square' },
  month: { color: '#a8431a', symbol: 'triangle' },
  any: { color: '#1f5fa8', symbol: 'circle' },
};
export function seriesStyle(s: Pick<Series, 'grain' | 'forecast'>): SeriesStyle {
  const base = BY_GRAIN[s.grain];
  return s.forecast ? { color: base.color, symbol: 'cross', dash: '5,4' } : { ...base, dash: null };
}

export interface RenderOptions<F extends ChartFact> {
  /** The chart's accessible name (the SVG's <title>). */
  title: string;
  /** A point's tooltip: value, period, series and sources. */
  describe: (p: ChartPoint<F>, s: Series<F>) => string;
  /** The short visible label of a point ("$6.7 billion"). */
  label: (p: ChartPoint<F>) => string;
}

let doc: Document | undefined;
/** One detached document for every chart of a build: Plot only creates elements in it. */
function chartDocument(): Document {
  doc ??= parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
  return doc;
}

/** A rough width of a text in px: wide enough for system-ui digits and letters, so a label never leaves the box. */
const textWidth = (s: string, size: number) => s.length * size * 0.62;

/** `s`, or as much of it as fits `width` px followed by "…". */
function fitText(s: string, width: number, size: number): string {
  if (textWidth(s, size) <= width) return s;
  const chars = [...s];
  return `${chars.slice(0, Math.max(1, Math.floor(width / (size * 0.62)) - 1)).join('')}…`;
}

/** The chart's SVG markup, and the unit its value axis names. */
export function renderChart<F extends ChartFact>(data: ChartData<F>, opts: RenderOptions<F>): { svg: string; unitLabel: string } {
  const { width: W, height: H, fontSize: FS } = CHART;
  const document = chartDocument();
  const all = data.series.flatMap((s) => s.points);
  const y = valueAxis(all.map((p) => p.fact.value), data.unit);
  const x = timeAxis(all.map((p) => p.span[0]), all.map((p) => p.span[1]));
  const marginLeft = Math.ceil(Math.max(...y.ticks.map((t) => textWidth(y.format(t), FS)))) + 14;
  const margin = { left: marginLeft, right: 22, top: FS + 14, bottom: FS + 16 };

  const marks: Plot.Markish[] = [];
  if (y.domain[0] < 0) marks.push(Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.6 }));
  for (const s of data.series) {
    const st = seriesStyle(s);
    const line = linePoints(s);
    // A lone point has no line; Plot would still emit an empty "M x,yZ" path for it.
    if (line.length > 1)
      marks.push(
        Plot.line(line, { x: 't', y: (p: ChartPoint<F>) => p.fact.value, stroke: st.color, strokeWidth: 2, strokeDasharray: st.dash ?? undefined, className: `chart-line chart-line-${s.key}` }),
      );
    const dots = (disputed: boolean) =>
      Plot.dot(
        s.points.filter((p) => p.disputed === disputed),
        {
          x: 't',
          y: (p: ChartPoint<F>) => p.fact.value,
          symbol: st.symbol,
          r: 4,
          stroke: st.color,
          strokeWidth: 2,
          // Disputed figures are hollow: the page says so next to the chart.
          fill: disputed ? '#fff' : st.color,
          title: (p: ChartPoint<F>) => opts.describe(p, s),
          className: `chart-dots chart-dots-${s.key}${disputed ? ' chart-disputed' : ''}`,
        },
      );
    marks.push(dots(false), dots(true));
  }

  const svg = Plot.plot({
    document,
    width: W,
    height: H,
    marginLeft: margin.left,
    marginRight: margin.right,
    marginTop: margin.top,
    marginBottom: margin.bottom,
    x: { type: 'utc', domain: x.domain.map((t) => new Date(t)), ticks: x.ticks.map((t) => new Date(t)), tickFormat: (d: Date) => x.format(d.getTime()), label: null },
    y: { domain: y.domain, ticks: y.ticks, tickFormat: y.format, label: null, grid: true },
    marks,
  }) as unknown as SVGSVGElement & { scale(n: 'x' | 'y'): { apply(v: unknown): number } };

  clean(svg);
  svg.setAttribute('class', 'chart-svg');
  svg.setAttribute('font-size', String(FS));
  svg.setAttribute('role', 'img');
  const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  title.textContent = opts.title;
  svg.insertBefore(title, svg.firstChild);

  // The unit names the value axis, at its top left; a unit too long for the box (it comes from the
  // feeds) is cut short here and read whole in the heading above the chart.
  const unitText = fitText(y.label, W - 8, FS);
  svg.appendChild(text(document, unitText, { x: 4, y: FS, 'text-anchor': 'start', class: 'chart-unit' }));

  // Value labels where they fit: the latest point of each series (the most recent first), then the
  // first of each series, never overlapping one another, a marker, the unit or the box's edge.
  const sx = (t: number) => svg.scale('x').apply(new Date(t));
  const sy = (v: number) => svg.scale('y').apply(v);
  const taken: Box[] = [];
  const plotArea: Box = { x0: margin.left, y0: 0, x1: W, y1: H - margin.bottom };
  const present = (p: ChartPoint<F> | undefined): p is ChartPoint<F> => !!p;
  const lasts = data.series.map((s) => s.points.at(-1)).filter(present).sort((a, b) => b.t - a.t);
  const firsts = data.series.map((s) => (s.points.length > 1 ? s.points[0] : undefined)).filter(present);
  const candidates = [...lasts, ...firsts];
  for (const p of new Set(candidates)) {
    const px = sx(p.t);
    const py = sy(p.fact.value);
    const str = opts.label(p);
    const w = textWidth(str, FS);
    for (const [anchor, ty] of [['middle', py - 9], ['middle', py + FS + 7], ['end', py - 9], ['end', py + FS + 7], ['start', py - 9], ['start', py + FS + 7]] as const) {
      const x0 = anchor === 'middle' ? px - w / 2 : anchor === 'end' ? px - w + 4 : px - 4;
      const box = { x0, x1: x0 + w, y0: ty - FS, y1: ty + 3 };
      const markerHit = all.some((q) => overlaps(box, { x0: sx(q.t) - 5, x1: sx(q.t) + 5, y0: sy(q.fact.value) - 5, y1: sy(q.fact.value) + 5 }));
      if (!inside(box, plotArea) || markerHit || taken.some((b) => overlaps(b, box)) || overlaps(box, { x0: 0, x1: textWidth(unitText, FS) + 8, y0: 0, y1: FS + 4 })) continue;
      taken.push(box);
      const tx = anchor === 'middle' ? px : anchor === 'end' ? px + 4 : px - 4;
      svg.appendChild(text(document, str, { x: round(tx), y: round(ty), 'text-anchor': anchor, class: 'chart-label', 'data-fact': p.fact.id }));
      break;
    }
  }
  markPoints(svg, data);
  return { svg: svg.outerHTML, unitLabel: y.label };
}

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const inside = (a: Box, b: Box) => a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1;
const round = (n: number) => String(Math.round(n * 10) / 10);

function text(document: Document, content: string, attrs: Record<string, string | number>): Element {
  const el = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.textContent = content;
  return el;
}

/**
 * Removes what the CSP forbids or our stylesheet replaces: <style> elements, style="…" attributes and
 * Plot's generated "plot-…" classes. Also Plot's aria-label on its groups: inside an SVG that is one
 * image (role="img", named by its <title>) a label on a role-less <g> is a prohibited ARIA attribute.
 */
function clean(root: Element): void {
  for (const s of [...root.querySelectorAll('style')]) s.remove();
  for (const el of [root, ...root.querySelectorAll('*')]) {
    el.removeAttribute('style');
    if (el !== root) for (const a of ['aria-label', 'aria-description', 'aria-hidden']) el.removeAttribute(a);
    const cls = el.getAttribute('class');
    if (cls !== null) {
      const kept = cls.split(/\s+/).filter((c) => c && !c.startsWith('plot-'));
      if (kept.length) el.setAttribute('class', kept.join(' '));
      else el.removeAttribute('class');
    }
  }
}

/**
 * Names each line by its series (data-line) and each marker by its fact and series (data-fact,
 * data-series), so the table under the chart and the tests can tie a marker to its figure. Plot draws
 * a mark's data in order.
 */
function markPoints(svg: Element, data: ChartData): void {
  for (const s of data.series) {
    for (const el of svg.querySelectorAll(`.chart-line-${s.key} path`)) el.setAttribute('data-line', s.key);
    for (const disputed of [false, true]) {
      const g = svg.querySelector(`.chart-dots-${s.key}${disputed ? '.chart-disputed' : ':not(.chart-disputed)'}`);
      const pts = s.points.filter((p) => p.disputed === disputed);
      const els = g ? [...g.children] : [];
      if (els.length !== pts.length) throw new Error(`chart ${data.kind}/${s.key}: Plot drew ${els.length} markers for ${pts.length} points`);
      els.forEach((el, i) => {
        el.setAttribute('data-series', s.key);
        el.setAttribute('data-fact', pts[i]!.fact.id);
        if (disputed) el.setAttribute('data-disputed', 'true');
      });
    }
  }
}
