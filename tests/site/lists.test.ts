/**
 * The lists of the built sample site in real Chromium, at a desktop and a phone width: /search/ pages
 * through every result (the set seen equals what the database's search index and the API hold),
 * /companies/ sorts by each column in the order computed here from the exported facts (latest
 * valuation by period, worked out independently of src/shared/facts/latest.ts) and filters by name,
 * with JavaScript and without it, and /sources/ shows its fetch times and fits a phone. Every page
 * visited must load without console errors (CSP violations are console errors), failed requests or
 * axe-core violations.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { formatValue } from '../../src/shared/facts/format.ts';
import { ExportSchema, type ExportedFact } from '../helpers/facts-contract.ts';
import { checkApiAnswer } from '../helpers/contracts.ts';
import { axeViolations, launchChromium, screenshot, serveBuilt, watchErrors, type ServedSite } from '../helpers/browser.ts';

const site = inject('site');
const WIDTHS = [1280, 390] as const;

let served: ServedSite;
let browser: Browser;
let withJs: BrowserContext;
let withoutJs: BrowserContext;

let facts: ExportedFact[];

interface FeedRow {
  title: string | null;
  url: string;
  lastFetchedAt: string | null;
  nextFetchAt: string | null;
}
let feeds: FeedRow[];
/** Article ids the database's search index holds for "klarna". */
let klarnaArticles: string[];

beforeAll(async () => {
  facts = ExportSchema.parse(JSON.parse(readFileSync(path.join(site.distDir, 'client/exports/facts.json'), 'utf8'))).facts;
  const db = await openDb(site.databaseUrl);
  try {
    const f = await db.client.execute('select title, url, last_fetched_at, next_fetch_at from feeds');
    feeds = f.rows.map((r) => ({ title: r.title as string | null, url: r.url as string, lastFetchedAt: r.last_fetched_at as string | null, nextFetchAt: r.next_fetch_at as string | null }));
    const s = await db.client.execute({ sql: "select ref from search_fts where search_fts match ? and kind = 'article'", args: ['"klarna"'] });
    klarnaArticles = s.rows.map((r) => String(r.ref)).sort();
  } finally {
    db.close();
  }
  served = await serveBuilt(site.distDir, { ...process.env, DATABASE_URL: site.databaseUrl });
  browser = await launchChromium();
  withJs = await browser.newContext();
  withoutJs = await browser.newContext({ javaScriptEnabled: false });
});

afterAll(async () => {
  await browser?.close();
  expect(await served?.stop()).toBe(0);
});

async function open(ctx: BrowserContext, p: string, width: number): Promise<{ page: Page; errors: string[] }> {
  const page = await ctx.newPage();
  await page.setViewportSize({ width, height: 900 });
  const errors = watchErrors(page);
  const res = await page.goto(new URL(p, served.url).href, { waitUntil: 'networkidle' });
  expect(res?.status(), p).toBe(200);
  return { page, errors };
}

/** Elements whose box reaches past the right edge of the viewport (what a phone would clip or scroll). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > w + 0.5) out.push(`${el.tagName.toLowerCase()}.${el.className} right=${Math.round(r.right)} > ${w}`);
    }
    return out;
  });
}

describe('/search/ pages through every result', () => {
  for (const width of WIDTHS) {
    it(`walks "klarna" page by page to its last result, and the set seen is the index's (${width}px)`, async () => {
      expect(klarnaArticles.length).toBeGreaterThan(10); // more than one page of ten, or this proves nothing
      const { page, errors } = await open(withJs, '/search/?q=klarna', width);
      const seen: string[] = [];
      for (let n = 1; ; n++) {
        await page.waitForSelector('#search-status[data-state=done]');
        expect(await page.locator('#search-status').textContent()).toMatch(new RegExp(`^${klarnaArticles.length} articles`));
        expect(await page.locator('#search-pages').textContent()).toContain(`Page ${n} of ${Math.ceil(klarnaArticles.length / 10)}`);
        const hrefs = await page.locator('#search-results > li > a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
        expect(hrefs.length).toBeGreaterThan(0);
        // The list numbering continues across pages.
        expect(await page.locator('#search-results').getAttribute('start')).toBe(String(seen.length + 1));
        seen.push(...hrefs);
        const next = page.locator('#search-pages a[rel=next]');
        if ((await next.count()) === 0) break;
        await next.click();
        await page.waitForURL(new RegExp(`[?&]page=${n + 1}(&|$)`));
        expect(n).toBeLessThan(20);
      }
      await screenshot(page, `search-klarna-last-page-${width}px`);
      expect(seen.length).toBe(new Set(seen).size); // no result twice
      expect(seen.map((h) => /^\/articles\/(\d+)\/$/.exec(h)?.[1] ?? h).sort()).toEqual(klarnaArticles);
      // The API, walked page by page to its end, answers the same set.
      const api: string[] = [];
      for (let offset: number | null = 0; offset !== null; ) {
        const url = new URL(`/api/search?q=klarna&kind=article&limit=4&offset=${offset}`, served.url);
        // Each page is checked against the published openapi.json as it is read.
        const b = (await checkApiAnswer('GET', url, await fetch(url))) as { results: { ref: string }[]; nextOffset: number | null };
        api.push(...b.results.map((r) => r.ref));
        offset = b.nextOffset;
        expect(api.length).toBeLessThan(100);
      }
      expect(api.length).toBe(new Set(api).size);
      expect(api.sort()).toEqual(klarnaArticles);
      // The last page is linkable: reloading its URL shows the same results; Back returns to the previous page.
      const lastUrl = page.url();
      const again = await open(withJs, new URL(lastUrl).pathname + new URL(lastUrl).search, width);
      await again.page.waitForSelector('#search-status[data-state=done]');
      const lastHrefs = await again.page.locator('#search-results > li > a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      expect(lastHrefs).toEqual(seen.slice(-lastHrefs.length));
      await page.goBack();
      await page.waitForFunction(() => !location.search.includes('page=') || location.search.includes('page=1'));
      await page.waitForSelector('#search-status[data-state=done]');
      expect(await page.locator('#search-results > li > a').first().getAttribute('href')).toBe(seen[0]);
      expect(await overflowing(page)).toEqual([]);
      expect(await axeViolations(again.page)).toEqual([]);
      expect([...errors, ...again.errors]).toEqual([]);
    });
  }
});

// ---- /companies/: the expected orders, computed from the export ----

/** Where a reported period ends, as YYYY-MM-DD (undated: ""), worked out here rather than by src/shared. */
function periodEnd(asOf: string | null): string {
  if (!asOf) return '';
  const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})$/.exec(asOf))) return `${m[1]}-12-31`;
  if ((m = /^(\d{4})-Q([1-4])$/.exec(asOf))) return lastDay(Number(m[1]), Number(m[2]) * 3);
  if ((m = /^(\d{4})-H([12])$/.exec(asOf))) return lastDay(Number(m[1]), Number(m[2]) * 6);
  if ((m = /^(\d{4})-(\d{2})$/.exec(asOf))) return lastDay(Number(m[1]), Number(m[2]));
  if (/^\d{4}-\d{2}-\d{2}$/.test(asOf)) return asOf;
  throw new Error(`a period this test does not know: ${asOf}`);
}
/** The shortest period wins a tie of ends: a month is more precise than the year it closes. */
function periodLength(asOf: string | null): number {
  return asOf === null ? 99 : /^\d{4}$/.test(asOf) ? 4 : /H/.test(asOf) ? 3 : /Q/.test(asOf) ? 2 : asOf.length === 7 ? 1 : 0;
}

interface Expected {
  slug: string;
  name: string;
  facts: number;
  /** The latest valuations by period (more than one only when two actuals share the period exactly). */
  valuations: ExportedFact[];
  reported: string | null;
}

function expectedCompanies(): Expected[] {
  const by = new Map<string, ExportedFact[]>();
  for (const f of facts) by.set(f.company, [...(by.get(f.company) ?? []), f]);
  return [...by.entries()].map(([slug, fs]) => {
    const actual = fs.filter((f) => f.kind === 'valuation' && f.value !== null && !/forecast|target|guidance/i.test(f.label ?? ''));
    const best = actual.reduce<ExportedFact[]>((acc, f) => {
      if (acc.length === 0) return [f];
      // One valuation told at a year and at a month in it ("2022", "2022-07") is one moment: the month.
      const g = acc[0]!;
      const inside = (x: string | null, y: string | null) => !!x && !!y && x.startsWith(`${y}-`);
      if (f.value === g.value && f.unit === g.unit && (inside(f.asOf, g.asOf) || inside(g.asOf, f.asOf))) return inside(f.asOf, g.asOf) ? [f] : acc;
      const [a, b] = [periodEnd(f.asOf), periodEnd(acc[0]!.asOf)];
      if (a !== b) return a > b ? [f] : acc;
      const [la, lb] = [periodLength(f.asOf), periodLength(acc[0]!.asOf)];
      if (la !== lb) return la < lb ? [f] : acc;
      return [...acc, f];
    }, []);
    const days = fs.flatMap((f) => f.sources.map((s) => s.publishedAt?.slice(0, 10) ?? '')).filter(Boolean).sort();
    return { slug, name: fs[0]!.companyName, facts: fs.length, valuations: best, reported: days.at(-1) ?? null };
  });
}

type Key = 'name' | 'facts' | 'valuation' | 'reported';
const CURRENCIES = ['USD', 'EUR', 'GBP'];
function expectedOrder(rows: Expected[], key: Key, dir: 'asc' | 'desc'): string[] {
  const s = dir === 'asc' ? 1 : -1;
  const name = (a: Expected, b: Expected) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });
  const cur = (e: Expected) => {
    const c = e.valuations[0]!.unit ?? '';
    return CURRENCIES.includes(c) ? String(CURRENCIES.indexOf(c)) : `9${c}`;
  };
  return [...rows]
    .sort((a, b) => {
      if (key === 'name') return s * name(a, b);
      if (key === 'facts') return s * (a.facts - b.facts) || name(a, b);
      if (key === 'valuation') {
        if (!a.valuations.length || !b.valuations.length) return (a.valuations.length ? 0 : 1) - (b.valuations.length ? 0 : 1) || name(a, b);
        return cur(a).localeCompare(cur(b)) || s * (a.valuations[0]!.value! - b.valuations[0]!.value!) || name(a, b);
      }
      if (!a.reported || !b.reported) return (a.reported ? 0 : 1) - (b.reported ? 0 : 1) || name(a, b);
      return s * a.reported.localeCompare(b.reported) || name(a, b);
    })
    .map((e) => e.slug);
}

interface Rendered {
  slug: string;
  name: string;
  facts: string;
  valuation: string;
  reported: string;
}
async function renderedRows(page: Page): Promise<Rendered[]> {
  return page.locator('#companies-table tbody tr').evaluateAll((trs) =>
    trs
      .filter((tr) => !(tr as HTMLElement).hidden && (tr as HTMLElement).offsetParent !== null)
      .map((tr) => {
        const cells = Array.from((tr as HTMLTableRowElement).cells).map((c) => c.cloneNode(true) as HTMLElement);
        for (const c of cells) c.querySelectorAll('.sr-only').forEach((x) => x.remove());
        return { slug: (tr as HTMLElement).dataset.slug ?? '', name: cells[0]!.textContent!.trim(), facts: cells[1]!.textContent!.trim(), valuation: cells[2]!.textContent!.trim(), reported: cells[3]!.textContent!.trim() };
      }),
  );
}

/** Every rendered value agrees with the export: name, count, latest valuation with its period, last reported. */
function expectValuesTrue(rows: Rendered[], expected: Expected[]) {
  const by = new Map(expected.map((e) => [e.slug, e]));
  for (const r of rows) {
    const e = by.get(r.slug)!;
    expect(e, r.slug).toBeDefined();
    expect(r.name).toBe(e.name);
    expect(r.facts).toBe(String(e.facts));
    expect(r.reported).toBe(e.reported ?? '—');
    if (e.valuations.length === 0) expect(r.valuation, r.slug).toBe('—');
    else expect(e.valuations.map((v) => `${formatValue(v.value, v.unit, v.valueHigh)} (${v.asOf ?? 'date unknown'})`), r.slug).toContain(r.valuation);
  }
}

const SORTS: { key: Key; header: string; first: 'asc' | 'desc' }[] = [
  { key: 'name', header: 'Company', first: 'asc' },
  { key: 'facts', header: 'Facts', first: 'desc' },
  { key: 'valuation', header: 'Latest valuation', first: 'desc' },
  { key: 'reported', header: 'Last reported', first: 'desc' },
];

describe('/companies/ sorts and filters', () => {
  it('the export gives this test something to sort: several valued and unvalued companies, several currencies', () => {
    const e = expectedCompanies();
    expect(e.filter((c) => c.valuations.length).length).toBeGreaterThan(3);
    expect(e.filter((c) => !c.valuations.length).length).toBeGreaterThan(0);
    expect(new Set(e.flatMap((c) => c.valuations.map((v) => v.unit))).size).toBeGreaterThan(1);
    // Klarna's newest article is not its latest valuation by period: the test tells the two apart.
    expect(e.find((c) => c.slug === 'klarna')!.valuations.map((v) => v.asOf)).toEqual(['2022-07']); // "$6.7bn in 2022" and "in July 2022": one moment, at the month
  });

  for (const width of WIDTHS) {
    it(`without JavaScript: by name first, and each heading leads to its pre-sorted page (${width}px)`, async () => {
      const expected = expectedCompanies();
      const { page, errors } = await open(withoutJs, '/companies/', width);
      let rows = await renderedRows(page);
      expect(rows.map((r) => r.slug)).toEqual(expectedOrder(expected, 'name', 'asc'));
      expectValuesTrue(rows, expected);
      expect(await page.locator('th[aria-sort=ascending]').textContent()).toContain('Company');
      // The filter needs the script; without it the box is not offered.
      expect(await page.locator('#companies-q').isVisible()).toBe(false);
      for (const s of SORTS) {
        for (const dir of s.key === 'name' ? (['desc', 'asc'] as const) : ([s.first, s.first === 'asc' ? 'desc' : 'asc'] as const)) {
          await page.locator(`th[data-key=${s.key}] a.sort`).click();
          await page.waitForLoadState('networkidle');
          rows = await renderedRows(page);
          expect(rows.map((r) => r.slug), `${s.key} ${dir}`).toEqual(expectedOrder(expected, s.key, dir));
          expect(await page.locator(`th[data-key=${s.key}]`).getAttribute('aria-sort')).toBe(dir === 'asc' ? 'ascending' : 'descending');
          expect(await page.locator('th[aria-sort]').count()).toBe(1);
        }
      }
      expectValuesTrue(rows, expected);
      expect(await overflowing(page)).toEqual([]);
      expect(errors).toEqual([]);
    });

    it(`with JavaScript: headings sort in place with aria-sort and a linkable address (${width}px)`, async () => {
      const expected = expectedCompanies();
      const { page, errors } = await open(withJs, '/companies/', width);
      expect(await renderedRows(page).then((r) => r.map((x) => x.slug))).toEqual(expectedOrder(expected, 'name', 'asc'));
      for (const s of SORTS) {
        for (const dir of s.key === 'name' ? (['desc', 'asc'] as const) : ([s.first, s.first === 'asc' ? 'desc' : 'asc'] as const)) {
          // A mark on the window survives an in-page sort and is gone after a page load.
          await page.evaluate(() => ((window as unknown as { sortMark: number }).sortMark = 1));
          await page.locator(`th[data-key=${s.key}] a.sort`).click();
          const navigated = await page.evaluate(() => (window as unknown as { sortMark?: number }).sortMark !== 1);
          const rows = await renderedRows(page);
          expect(rows.map((r) => r.slug), `${s.key} ${dir}`).toEqual(expectedOrder(expected, s.key, dir));
          expectValuesTrue(rows, expected);
          expect(await page.locator(`th[data-key=${s.key}]`).getAttribute('aria-sort')).toBe(dir === 'asc' ? 'ascending' : 'descending');
          expect(await page.locator('th[aria-sort]').count()).toBe(1);
          expect(navigated, 'sorted in place, not by loading a page').toBe(false);
          // The address is the pre-sorted page of that order: reloading it shows the same order.
          const path = new URL(page.url()).pathname;
          expect(path).toBe(s.key === 'name' && dir === 'asc' ? '/companies/' : `/companies/sorted/${s.key}-${dir}/`);
        }
      }
      await page.locator('th[data-key=valuation] a.sort').click();
      expect(new URL(page.url()).pathname).toBe('/companies/sorted/valuation-desc/');
      const reloaded = await open(withJs, '/companies/sorted/valuation-desc/', width);
      expect((await renderedRows(reloaded.page)).map((r) => r.slug)).toEqual(expectedOrder(expected, 'valuation', 'desc'));
      await screenshot(page, `companies-by-valuation-${width}px`);
      expect(await overflowing(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      expect([...errors, ...reloaded.errors]).toEqual([]);
    });

    it(`with JavaScript: the filter narrows by name, ignoring case and accents, and keeps the order (${width}px)`, async () => {
      const expected = expectedCompanies();
      const { page, errors } = await open(withJs, '/companies/sorted/facts-desc/', width);
      const box = page.locator('#companies-q');
      expect(await box.isVisible()).toBe(true);
      for (const q of ['KL', 'numera', 'a', 'zzzz']) {
        await box.fill(q);
        const want = expectedOrder(expected, 'facts', 'desc').filter((slug) => {
          const n = expected.find((e) => e.slug === slug)!.name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
          return n.includes(q.toLowerCase());
        });
        expect((await renderedRows(page)).map((r) => r.slug), q).toEqual(want);
        expect(await page.locator('#companies-status').textContent()).toBe(`${want.length} of ${expected.length} companies match “${q}”.`);
        expect(await page.evaluate(() => new URLSearchParams(location.search).get('q'))).toBe(q);
      }
      expect(expectedOrder(expected, 'facts', 'desc').filter((s) => /numera/.test(s))).toHaveLength(1);
      // A shared filtered address opens filtered.
      await box.fill('numera');
      const address = await page.evaluate(() => location.pathname + location.search);
      expect(address).toBe('/companies/sorted/facts-desc/?q=numera');
      const shared = await open(withJs, address, width);
      expect((await renderedRows(shared.page)).map((r) => r.slug)).toEqual(['numera']);
      expect(await shared.page.locator('#companies-q').inputValue()).toBe('numera');
      await screenshot(shared.page, `companies-filter-${width}px`);
      expect(await axeViolations(shared.page)).toEqual([]);
      expect([...errors, ...shared.errors]).toEqual([]);
    });
  }
});

describe('/sources/', () => {
  for (const width of WIDTHS) {
    it(`shows each feed's last and next fetch as UTC times and nothing overflows (${width}px)`, async () => {
      const { page, errors } = await open(withJs, '/sources/', width);
      const rows = await page.locator('table.sources tbody tr').evaluateAll((trs) =>
        trs.map((tr) => {
          const cells = (tr as HTMLTableRowElement).cells;
          const t = (i: number) => {
            const el = cells[i]!.querySelector('time');
            return el ? { datetime: el.getAttribute('datetime'), text: el.textContent } : null;
          };
          return { url: cells[0]!.querySelector('.url')?.textContent ?? '', last: t(3), next: t(4) };
        }),
      );
      expect(rows.length).toBe(feeds.length);
      const shown = (iso: string) => `${new Date(iso).toISOString().slice(0, 10)} ${new Date(iso).toISOString().slice(11, 16)} UTC`;
      for (const f of feeds) {
        const r = rows.find((x) => x.url === f.url)!;
        expect(r, f.url).toBeDefined();
        expect(r.last).toEqual({ datetime: new Date(f.lastFetchedAt!).toISOString(), text: shown(f.lastFetchedAt!) });
        if (f.nextFetchAt) expect(r.next).toEqual({ datetime: new Date(f.nextFetchAt).toISOString(), text: shown(f.nextFetchAt) });
      }
      expect(await overflowing(page)).toEqual([]);
      await screenshot(page, `sources-${width}px`);
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    });
  }
});
