/**
 * The fact-sheet charts as the page gets them (src/lib/site/chart.ts → chart-svg.ts): SVG the strict
 * CSP allows, hostile text kept as text, one line per series, disputed points apart, and the table rows
 * equal to the plotted points with their evidence links.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { companyCharts } from '../../../src/lib/site/chart.ts';
import { CHART } from '../../../src/lib/site/chart-svg.ts';
import { evidenceHref } from '../../../src/lib/site/links.ts';
import type { FactRow, SourceRow } from '../../../src/lib/site/queries.ts';

const EVIL = `<script>alert(1)</script> & "Co" </svg><img src=x onerror=alert(2)>`;

let n = 0;
function fact(kind: string, asOf: string, value: number, over: Partial<FactRow> = {}): FactRow {
  return {
    id: `f${++n}`,
    kind,
    value,
    valueHigh: null,
    unit: 'USD',
    asOf,
    label: null,
    status: null,
    speaker: null,
    quote: null,
    statement: 's',
    corroboration: 'single-source',
    createdAt: '2025-01-01T00:00:00Z',
    company: 'evil',
    companyName: EVIL,
    conflictsWith: [],
    ...over,
  };
}
function source(f: FactRow, articleId: number, outlet = 'Wire'): SourceRow {
  return { factId: f.id, articleId, title: 't', outlet, url: null, publishedAt: `2025-0${(articleId % 9) + 1}-01T00:00:00Z`, evidence: 'e', copyOfId: null };
}

function sheetOf(facts: FactRow[], sources: SourceRow[]) {
  const sourcesByFact: Record<string, SourceRow[]> = {};
  for (const s of sources) (sourcesByFact[s.factId] ??= []).push(s);
  return { company: { name: EVIL }, chartFacts: facts, sourcesByFact };
}

const svgDom = (svg: string) => parseHTML(`<!doctype html><html><body>${svg}</body></html>`).document;

describe('fact-sheet chart SVG', () => {
  const facts = [
    fact('net_income', '2022', -1e9, { id: 'y22' }),
    fact('net_income', '2024', 21e6, { id: 'y24' }),
    fact('net_income', '2024-Q1', -47e6, { id: 'q1' }),
    fact('net_income', '2025-Q1', -99e6, { id: 'q5', corroboration: 'disputed' }),
    fact('net_income', '2025-Q2', -53e6, { id: 'q6' }),
    fact('net_income', '2025-Q3', -40e6, { id: 'q7' }),
    fact('net_income', '2025', -150e6, { id: 'fc', label: 'forecast' }),
  ];
  const sources = facts.map((f, i) => source(f, i + 1, i === 0 ? EVIL : 'Wire'));
  const [chart] = companyCharts(sheetOf(facts, sources), ['net_income']);

  it('has no <style>, no style attributes and no Plot classes, so the CSP needs no unsafe-inline', () => {
    expect(chart!.svg).not.toMatch(/<style/i);
    expect(chart!.svg).not.toMatch(/\sstyle=/i);
    expect(chart!.svg).not.toMatch(/class="[^"]*plot-/);
    const svg = svgDom(chart!.svg).querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('viewBox')).toBe(`0 0 ${CHART.width} ${CHART.height}`);
    expect(svg.getAttribute('font-size')).toBe(String(CHART.fontSize));
    // One image to assistive technology: no ARIA on its parts (axe: aria-prohibited-attr on a role-less <g>).
    expect(svg.querySelectorAll('[aria-label], [aria-description]').length).toBe(0);
  });

  it('keeps a hostile company or outlet name as text', () => {
    const svg = chart!.svg;
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(svg).not.toMatch(/<\/svg>.+/s);
    const doc = svgDom(svg);
    expect(doc.querySelectorAll('script, img').length).toBe(0);
    expect(doc.querySelector('svg > title')!.textContent).toBe(`${EVIL}: net income over time`);
    // The outlet reaches the tooltip of the point it reported, whole.
    expect(doc.querySelector('[data-fact="y22"] title')!.textContent).toBe(`−$1 billion, 2022 (annual) — ${EVIL}`);
    expect(chart!.rows.find((r) => r.factId === 'y22')!.sources[0]!.outlet).toBe(EVIL);
  });

  it('draws one line per kind of period, joining only its undisputed points, and disputed points hollow', () => {
    const doc = svgDom(chart!.svg);
    const paths = [...doc.querySelectorAll('path[data-line]')];
    expect(paths.map((p) => p.getAttribute('data-line'))).toEqual(['annual', 'quarterly']); // one forecast: no line
    const vertices = (d: string) => d.split(/[ML]/).filter(Boolean).length;
    expect(paths.map((p) => vertices(p.getAttribute('d')!))).toEqual([2, 3]); // the disputed quarter is off the line
    const markers = [...doc.querySelectorAll('[data-fact]:not(text)')].map((m) => [m.getAttribute('data-fact'), m.getAttribute('data-series')]);
    expect(markers.sort()).toEqual(
      [['fc', 'annual-forecast'], ['q1', 'quarterly'], ['q5', 'quarterly'], ['q6', 'quarterly'], ['q7', 'quarterly'], ['y22', 'annual'], ['y24', 'annual']].sort(),
    );
    const disputed = doc.querySelector('[data-fact="q5"]')!;
    expect(disputed.getAttribute('data-disputed')).toBe('true');
    expect(disputed.parentElement!.getAttribute('fill')).toBe('#fff');
    expect(doc.querySelector('[data-fact="q6"]')!.parentElement!.getAttribute('fill')).not.toBe('#fff');
    expect(chart!.anyDisputed).toBe(true);
    expect(chart!.legend.map((l) => [l.name, l.points, l.joined, l.dash !== null])).toEqual([
      ['annual', 2, true, false],
      ['quarterly', 4, true, false],
      ['annual forecast', 1, false, true],
    ]);
  });

  it('names the unit on the axis and labels points with their value, inside the box', () => {
    const doc = svgDom(chart!.svg);
    expect(doc.querySelector('text.chart-unit')!.textContent).toBe('USD billion');
    expect(chart!.unitLabel).toBe('USD billion');
    const labels = [...doc.querySelectorAll('text.chart-label')];
    expect(labels.length).toBeGreaterThan(0);
    for (const l of labels) {
      const row = chart!.rows.find((r) => r.factId === l.getAttribute('data-fact'))!;
      expect(l.textContent).toBe(row.value);
      // The same width estimate the renderer uses is generous for system-ui; here it must fit the viewBox.
      const w = l.textContent!.length * CHART.fontSize * 0.62;
      const x = Number(l.getAttribute('x'));
      const a = l.getAttribute('text-anchor');
      const x0 = a === 'middle' ? x - w / 2 : a === 'end' ? x - w : x;
      expect(x0).toBeGreaterThanOrEqual(0);
      expect(x0 + w).toBeLessThanOrEqual(CHART.width);
      expect(Number(l.getAttribute('y'))).toBeGreaterThanOrEqual(CHART.fontSize);
      expect(Number(l.getAttribute('y'))).toBeLessThanOrEqual(CHART.height);
    }
    // The latest point (the third quarter of 2025, later than the middle of 2025) is labelled first.
    expect(labels[0]!.getAttribute('data-fact')).toBe('q7');
  });

  it('tables exactly the plotted points, in time order, with their evidence links', () => {
    expect(chart!.rows.map((r) => [r.period, r.value, r.series, r.disputed])).toEqual([
      ['2022', '−$1 billion', 'annual', false],
      ['2024-Q1', '−$47 million', 'quarterly', false],
      ['2024', '$21 million', 'annual', false],
      ['2025-Q1', '−$99 million', 'quarterly', true],
      ['2025-Q2', '−$53 million', 'quarterly', false],
      ['2025', '−$150 million', 'annual forecast', false],
      ['2025-Q3', '−$40 million', 'quarterly', false],
    ]);
    const doc = svgDom(chart!.svg);
    const plotted = [...doc.querySelectorAll('[data-fact]:not(text)')].map((m) => m.getAttribute('data-fact')).sort();
    expect(chart!.rows.map((r) => r.factId).sort()).toEqual(plotted);
    expect(chart!.rows[0]!.sources.map((s) => s.href)).toEqual([evidenceHref(1, 'y22')]);
  });
});

describe('fact-sheet chart table', () => {
  it('lists the sources of same-value reports folded into a point, each article once', () => {
    const a = fact('valuation', '2021', 45.6e9, { id: 'v2021' });
    const b = fact('valuation', '2021-06', 45.6e9, { id: 'v2106' });
    const c = fact('valuation', '2022-07', 6.7e9, { id: 'v2207' });
    const [chart] = companyCharts(sheetOf([a, b, c], [source(a, 1, 'Early Wire'), source(a, 2), source(b, 2), source(b, 3, 'Ledger'), source(c, 4)]), ['valuation', 'revenue']);
    expect(chart!.heading).toBe('Valuation');
    expect(chart!.rows.map((r) => [r.factId, r.period, r.sources.map((s) => s.href)])).toEqual([
      ['v2106', '2021-06', [evidenceHref(1, 'v2021'), evidenceHref(2, 'v2106'), evidenceHref(3, 'v2106')]],
      ['v2207', '2022-07', [evidenceHref(4, 'v2207')]],
    ]);
    expect(chart!.legend.map((l) => l.name)).toEqual(['reported']);
  });

  it('gives no chart to a kind without a dated figure', () => {
    expect(companyCharts(sheetOf([fact('revenue', '2024', 1e9)], []), ['valuation'])).toEqual([]);
  });
});

describe('fact-sheet chart with a feed-sized unit', () => {
  it('cuts an overlong unit on the axis to the box and keeps it whole in the props', () => {
    const unit = 'x'.repeat(300);
    const [chart] = companyCharts(sheetOf([fact('headcount', '2024', 10, { unit }), fact('headcount', '2025', 12, { unit })], []), ['headcount']);
    const shown = svgDom(chart!.svg).querySelector('text.chart-unit')!.textContent!;
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.length * CHART.fontSize * 0.62).toBeLessThanOrEqual(CHART.width - 4);
    expect(chart!.unitLabel).toBe(unit);
  });
});
