/**
 * The "Over time" charts of a company fact sheet as typed props: for each key kind with dated figures,
 * the chart's title, its SVG (chart-svg.ts), a legend of its lines and the table of its points with
 * their sources. The page only renders these.
 */
import { formatValue } from '../../shared/facts/format.ts';
import { chartSeries, linePoints, type ChartPoint, type Series } from './chart-series.ts';
import { renderChart, seriesStyle, type SeriesStyle } from './chart-svg.ts';
import { formatDate, kindLabel } from './format.ts';
import { evidenceHref } from './links.ts';
import type { FactRow, SourceRow } from './queries.ts';

export interface ChartSource {
  href: string;
  outlet: string;
  date: string;
}

export interface ChartRow {
  factId: string;
  period: string;
  value: string;
  series: string;
  disputed: boolean;
  sources: ChartSource[];
}

export interface ChartLegendEntry extends SeriesStyle {
  key: string;
  name: string;
  points: number;
  /** Whether the series' points are joined (two or more undisputed ones). */
  joined: boolean;
}

export interface ChartProps {
  /** Element id of the figure ("chart-revenue"). */
  id: string;
  kind: string;
  /** The heading above the chart: "Revenue". */
  heading: string;
  /** The value axis' unit: "USD billion". */
  unitLabel: string;
  svg: string;
  legend: ChartLegendEntry[];
  anyDisputed: boolean;
  rows: ChartRow[];
}

interface SheetLike {
  company: { name: string };
  chartFacts: FactRow[];
  sourcesByFact: Record<string, SourceRow[]>;
}

/** One chart per kind in `kinds` that has a dated figure. */
export function companyCharts(sheet: SheetLike, kinds: readonly string[]): ChartProps[] {
  const out: ChartProps[] = [];
  for (const kind of kinds) {
    const data = chartSeries(sheet.chartFacts, kind);
    if (!data) continue;
    // Sources of a point: its own and those of the same-value reports folded into it, one per article.
    const sourcesOf = (p: ChartPoint<FactRow>): ChartSource[] => {
      const seen = new Set<number>();
      const list: ChartSource[] = [];
      for (const f of [p.fact, ...p.also])
        for (const s of sheet.sourcesByFact[f.id] ?? []) {
          if (seen.has(s.articleId)) continue;
          seen.add(s.articleId);
          list.push({ href: evidenceHref(s.articleId, f.id), outlet: s.outlet ?? s.title ?? 'article', date: formatDate(s.publishedAt) });
        }
      return list.sort((a, b) => a.date.localeCompare(b.date) || a.outlet.localeCompare(b.outlet));
    };
    const value = (p: ChartPoint<FactRow>) => formatValue(p.fact.value, data.unit);
    const { svg, unitLabel } = renderChart(data, {
      title: `${sheet.company.name}: ${kindLabel(kind)} over time`,
      label: value,
      describe: (p, s) => {
        const outlets = [...new Set(sourcesOf(p).map((x) => x.outlet))];
        return `${value(p)}, ${p.fact.asOf} (${s.name}${p.disputed ? ', disputed' : ''})${outlets.length ? ` — ${outlets.join(', ')}` : ''}`;
      },
    });
    const rows = data.series
      .flatMap((s: Series<FactRow>) => s.points.map((p) => ({ p, s })))
      .sort((a, b) => a.p.t - b.p.t || data.series.indexOf(a.s) - data.series.indexOf(b.s))
      .map(({ p, s }) => ({ factId: p.fact.id, period: p.fact.asOf, value: value(p), series: s.name, disputed: p.disputed, sources: sourcesOf(p) }));
    out.push({
      id: `chart-${kind}`,
      kind,
      heading: kindLabel(kind).replace(/^./, (c) => c.toUpperCase()),
      unitLabel,
      svg,
      legend: data.series.map((s) => ({ key: s.key, name: s.name, points: s.points.length, joined: linePoints(s).length > 1, ...seriesStyle(s) })),
      anyDisputed: data.series.some((s) => s.points.some((p) => p.disputed)),
      rows,
    });
  }
  return out;
}
