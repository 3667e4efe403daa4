/**
 * The fact-sheet charts of the built sample site in Debian Chromium, at a desktop and a phone width,
 * checked against the facts in the site's database: every chart's text is legible (≥ 11 px rendered)
 * and inside its SVG, the value axis names the unit, each kind of period is its own line, and the table
 * under each chart lists exactly the plotted points with the database's values and evidence links.
 * No console error, CSP violation or axe violation on any of these pages.
 */
import { createClient } from '@libsql/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatValue } from '../../src/shared/facts/format.ts';
import { isForecast } from '../../src/shared/facts/latest.ts';
import { grainOf, overlapping, periodSpan } from '../../src/shared/facts/periods.ts';
import { axeViolations, launchChromium, screenshot, serveBuilt, watchErrors, type ServedSite } from '../helpers/browser.ts';

const site = inject('site');
const KINDS = ['headcount', 'valuation', 'revenue', 'net_income', 'credit_losses'];
const FLOWS = new Set(['revenue', 'net_income', 'credit_losses']);
const WIDTHS = [1280, 390];

interface DbFact {
  id: string;
  slug: string;
  kind: string;
  value: number;
  unit: string | null;
  asOf: string;
  label: string | null;
  corroboration: string;
}

let served: ServedSite;
let browser: Browser;
/** Every current, valued, dated fact of a charted kind, by company slug. */
const factsBySlug = new Map<string, DbFact[]>();
/** The articles each fact was read from. */
const articlesOf = new Map<string, Set<number>>();

beforeAll(async () => {
  const db = createClient({ url: site.databaseUrl });
  const rows = await db.execute(
    `select f.id, c.slug, f.kind, f.value, f.unit, f.as_of, f.label, f.corroboration from facts f join companies c on c.id = f.company_id
     where f.retracted = 0 and f.value is not null and f.as_of is not null and f.kind in (${KINDS.map(() => '?').join(',')})`,
    KINDS,
  );
  for (const r of rows.rows) {
    const f: DbFact = { id: String(r.id), slug: String(r.slug), kind: String(r.kind), value: Number(r.value), unit: r.unit === null ? null : String(r.unit), asOf: String(r.as_of), label: r.label === null ? null : String(r.label), corroboration: String(r.corroboration) };
    if (!periodSpan(f.asOf)) continue;
    factsBySlug.set(f.slug, [...(factsBySlug.get(f.slug) ?? []), f]);
  }
  for (const r of (await db.execute('select fact_id, article_id from fact_sources')).rows) {
    const set = articlesOf.get(String(r.fact_id)) ?? new Set<number>();
    set.add(Number(r.article_id));
    articlesOf.set(String(r.fact_id), set);
  }
  db.close();
  served = await serveBuilt(site.distDir, { ...process.env, DATABASE_URL: site.databaseUrl });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  expect(await served?.stop()).toBe(0);
});

/** The line a fact belongs on, stated here independently of the site's code: flows split by period length, levels do not, forecasts apart. */
function expectedSeries(f: DbFact): string {
  const grain = FLOWS.has(f.kind) ? ({ year: 'annual', half: 'half-year', quarter: 'quarterly', month: 'monthly', day: 'monthly' } as const)[grainOf(f.asOf)!] : 'reported';
  if (!isForecast(f)) return grain;
  return FLOWS.has(f.kind) ? `${grain} forecast` : 'forecast';
}

interface SeenChart {
  id: string;
  captionFirst: boolean;
  caption: string;
  svgBox: { x: number; y: number; w: number; h: number };
  texts: { text: string; px: number; x: number; y: number; w: number; h: number }[];
  unit: string;
  lines: { key: string; vertices: number }[];
  markers: { fact: string; series: string; disputed: boolean; hollow: boolean; title: string }[];
  labels: { fact: string; text: string }[];
  legend: string[];
  rows: { fact: string; cells: string[]; links: string[] }[];
}

async function open(path: string, width: number): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  // Registered before any page script runs (over CDP, so the site's CSP does not apply to it).
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  const errors = watchErrors(page);
  const res = await page.goto(new URL(path, served.url).href, { waitUntil: 'networkidle' });
  expect(res?.status(), path).toBe(200);
  return { page, errors };
}

async function readCharts(page: Page): Promise<SeenChart[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('figure.chart')].map((fig) => {
      const svg = fig.querySelector('svg.chart-svg') as SVGSVGElement;
      const box = svg.getBoundingClientRect();
      const scale = svg.getScreenCTM()!.a;
      return {
        id: fig.id,
        captionFirst: fig.firstElementChild?.tagName === 'FIGCAPTION',
        caption: fig.querySelector('figcaption')!.textContent!.trim(),
        svgBox: { x: box.x, y: box.y, w: box.width, h: box.height },
        texts: [...svg.querySelectorAll('text')].map((t) => {
          const r = t.getBoundingClientRect();
          return { text: t.textContent ?? '', px: parseFloat(getComputedStyle(t).fontSize) * scale, x: r.x, y: r.y, w: r.width, h: r.height };
        }),
        unit: svg.querySelector('text.chart-unit')?.textContent ?? '',
        lines: [...svg.querySelectorAll('path[data-line]')].map((p) => ({ key: p.getAttribute('data-line')!, vertices: (p.getAttribute('d') ?? '').split(/[ML]/).filter(Boolean).length })),
        markers: [...svg.querySelectorAll('[data-fact]:not(text)')].map((m) => ({
          fact: m.getAttribute('data-fact')!,
          series: m.getAttribute('data-series')!,
          disputed: m.getAttribute('data-disputed') === 'true',
          hollow: getComputedStyle(m).fill === 'rgb(255, 255, 255)',
          title: m.querySelector('title')?.textContent ?? '',
        })),
        labels: [...svg.querySelectorAll('text.chart-label')].map((t) => ({ fact: t.getAttribute('data-fact')!, text: t.textContent ?? '' })),
        legend: [...fig.querySelectorAll('.chart-key li[data-series]')].map((li) => li.getAttribute('data-series')!),
        rows: [...fig.querySelectorAll('table.chart-points tbody tr')].map((tr) => ({
          fact: tr.getAttribute('data-fact')!,
          cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()),
          links: [...tr.querySelectorAll('td:last-child a')].map((a) => a.getAttribute('href')!),
        })),
      };
    }),
  );
}

const key = (series: string) => series.replace(/ /g, '-');

/** Everything a chart must hold true against the database. */
function checkChart(slug: string, kind: string, c: SeenChart) {
  const where = `${slug} ${c.id}`;
  const dbFacts = factsBySlug.get(slug)!.filter((f) => f.kind === kind);
  const byId = new Map(dbFacts.map((f) => [f.id, f]));

  // Title first, unit on the axis and in the title.
  expect(c.captionFirst, where).toBe(true);
  const plotted = c.rows.map((r) => byId.get(r.fact));
  expect(plotted.every(Boolean), `${where}: every table row is a fact of this kind`).toBe(true);
  const unit = plotted[0]!.unit;
  expect(new Set(plotted.map((f) => f!.unit)), `${where}: one unit`).toEqual(new Set([unit]));
  const perUnit = new Map<string | null, number>();
  for (const f of dbFacts) perUnit.set(f.unit, (perUnit.get(f.unit) ?? 0) + 1);
  expect(Math.max(...perUnit.values()), `${where}: the chart's unit is the most reported`).toBe(perUnit.get(unit));
  if (unit === 'percent') expect(c.unit).toBe('%');
  else if (unit && /^[A-Z]{3}$/.test(unit)) expect(c.unit, where).toMatch(new RegExp(`^${unit}( (million|billion|trillion))?$`));
  else expect(c.unit, where).toContain(unit ?? 'value');
  expect(c.caption, where).toContain(`(${c.unit})`);

  // Legible and inside the box.
  expect(c.texts.length).toBeGreaterThan(3);
  for (const t of c.texts) {
    expect(t.px, `${where} "${t.text}" font size`).toBeGreaterThanOrEqual(11);
    const inside = t.x >= c.svgBox.x - 0.5 && t.y >= c.svgBox.y - 0.5 && t.x + t.w <= c.svgBox.x + c.svgBox.w + 0.5 && t.y + t.h <= c.svgBox.y + c.svgBox.h + 0.5;
    expect(inside, `${where} "${t.text}" ${JSON.stringify(t)} inside ${JSON.stringify(c.svgBox)}`).toBe(true);
  }

  // The table lists exactly the plotted points, with the database's values.
  expect(c.rows.map((r) => r.fact).sort(), `${where}: table rows = markers`).toEqual(c.markers.map((m) => m.fact).sort());
  for (const r of c.rows) {
    const f = byId.get(r.fact)!;
    const [period, value, series, disputed] = r.cells;
    expect([period, value, series, disputed], `${where} row ${r.fact}`).toEqual([f.asOf, formatValue(f.value, f.unit), expectedSeries(f), f.corroboration === 'disputed' ? 'disputed' : 'no']);
    const m = c.markers.find((x) => x.fact === r.fact)!;
    expect(m.series).toBe(key(series!));
    expect(m.disputed).toBe(f.corroboration === 'disputed');
    expect(m.hollow, `${where} ${r.fact}: hollow exactly when disputed`).toBe(f.corroboration === 'disputed');
    expect(m.title).toContain(`${value}, ${period} (${series}`);
  }
  // A fact of this unit not in the table was folded into a row: the same value at a nested period on
  // the same line, whose sources the row lists.
  const rowFacts = plotted as DbFact[];
  for (const f of dbFacts.filter((x) => x.unit === unit && !c.rows.some((r) => r.fact === x.id))) {
    const into = rowFacts.find((p) => expectedSeries(p) === expectedSeries(f) && Math.abs(p.value - f.value) <= 0.005 * Math.max(Math.abs(p.value), Math.abs(f.value)) && overlapping(p.asOf, f.asOf));
    expect(into, `${where}: ${f.id} (${f.asOf} ${f.value}) is plotted or folded`).toBeDefined();
  }
  for (const r of c.rows) {
    const f = byId.get(r.fact)!;
    const folded = dbFacts.filter((x) => x.unit === unit && !c.rows.some((y) => y.fact === x.id) && expectedSeries(x) === expectedSeries(f) && Math.abs(x.value - f.value) <= 0.005 * Math.max(Math.abs(x.value), Math.abs(f.value)) && overlapping(x.asOf, f.asOf));
    const articles = new Set([f, ...folded].flatMap((x) => [...(articlesOf.get(x.id) ?? [])]));
    const linked = r.links.map((h) => /^\/articles\/(\d+)\/#fact-(.+)$/.exec(h));
    expect(linked.every(Boolean), `${where}: evidence links ${r.links}`).toBe(true);
    expect(new Set(linked.map((m) => Number(m![1]))), `${where} ${r.fact}: one link per source article`).toEqual(articles);
    expect(linked.length).toBe(articles.size);
    for (const m of linked) expect([f, ...folded].map((x) => x.id)).toContain(decodeURIComponent(m![2]!));
  }

  // One line per kind of period: the lines the database calls for, never one joining two kinds.
  const want = new Set(rowFacts.map(expectedSeries));
  expect(new Set(c.legend), `${where}: legend`).toEqual(new Set([...want].map(key)));
  for (const s of want) {
    const undisputed = rowFacts.filter((f) => expectedSeries(f) === s && f.corroboration !== 'disputed').length;
    const lines = c.lines.filter((l) => l.key === key(s));
    expect(lines.map((l) => l.vertices), `${where}: line of ${s}`).toEqual(undisputed > 1 ? [undisputed] : []);
  }
  expect(c.lines.filter((l) => ![...want].map(key).includes(l.key)), `${where}: lines of no series`).toEqual([]);

  // Visible value labels where they fit: at least the latest point's, each saying its row's value.
  expect(c.labels.length, `${where}: labels`).toBeGreaterThan(0);
  for (const l of c.labels) expect(l.text).toBe(c.rows.find((r) => r.fact === l.fact)!.cells[1]);
}

describe('fact-sheet charts against the database', () => {
  it('the sample has companies with charts, and Klarna keeps annual and quarterly net income apart', () => {
    expect(factsBySlug.size).toBeGreaterThan(3);
    const klarna = factsBySlug.get('klarna')!.filter((f) => f.kind === 'net_income');
    expect(new Set(klarna.map(expectedSeries))).toEqual(new Set(['annual', 'quarterly']));
  });

  for (const width of WIDTHS) {
    it(`every company's charts at ${width} px: legible, inside the box, unit on the axis, one line per kind of period, the table equal to the database`, async () => {
      for (const slug of [...factsBySlug.keys()].sort()) {
        const { page, errors } = await open(`/companies/${encodeURIComponent(slug)}/`, width);
        const charts = await readCharts(page);
        const kinds = KINDS.filter((k) => factsBySlug.get(slug)!.some((f) => f.kind === k));
        expect(charts.map((c) => c.id), slug).toEqual(kinds.map((k) => `chart-${k}`));
        charts.forEach((c, i) => checkChart(slug, kinds[i]!, c));
        if (slug === 'klarna') {
          const net = charts.find((c) => c.id === 'chart-net_income')!;
          expect(net.lines.map((l) => l.key).sort()).toEqual(['annual', 'quarterly']);
          await screenshot(page, `charts-klarna-${width}px`);
          expect(await axeViolations(page)).toEqual([]);
        }
        if (slug === 'splitlane') await screenshot(page, `charts-splitlane-${width}px`);
        expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations), `${slug} CSP`).toEqual([]);
        expect(errors, slug).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${slug} sideways scroll`).toBeLessThanOrEqual(0);
        await page.close();
      }
    });
  }
});
