/**
 * Hostile lengths in real Chromium: a 3,000-character outlet name (once made the home page 36,722 px
 * wide), 500-character unbroken titles, authors, company names, speakers and labels, built by the real
 * `factdesk build` and served by `factdesk serve`. At 390 px and at 1280 px no page scrolls sideways
 * and nothing sticks out past the viewport, except inside a table's own scroll box. The same build's
 * static facts.csv opens as text in a spreadsheet (formula-leading cells neutralised).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, serveBuilt, watchErrors, type ServedSite } from '../helpers/browser.ts';
import { runCli } from '../helpers/cli.ts';
import { csvObjects, formulaCells } from '../helpers/csv.ts';
import { FORMULA, LONG, seedHostileStrings, type HostileIds } from '../helpers/hostile-strings.ts';

let dir: string;
let ids: HostileIds;
let served: ServedSite;
let browser: Browser;
const distDir = () => path.join(dir, 'dist');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-long-'));
  const env = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'long.db')}` };
  ids = await seedHostileStrings(env.DATABASE_URL);
  const build = await runCli(['build', '--out', distDir()], env, { timeoutMs: 170_000 });
  expect(build.code, build.stderr.slice(-3000)).toBe(0);
  served = await serveBuilt(distDir(), env);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** How far the page scrolls sideways, and what sticks out past the viewport outside a scroll box. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const scrollsX = (el: Element) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const out: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= vw + 1) continue;
      let p = el.parentElement;
      while (p && p !== document.body && !scrollsX(p)) p = p.parentElement;
      if (p && p !== document.body) {
        // Inside its own scroll box: fine, as long as the box itself fits.
        if (p.getBoundingClientRect().right <= vw + 1) continue;
      }
      out.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''} right=${Math.round(r.right)}`);
    }
    const tables = [...document.querySelectorAll('.table-wrap')].map((t) => t.scrollWidth - t.clientWidth);
    return { scrollWidth: document.documentElement.scrollWidth, viewport: window.innerWidth, stickingOut: out.slice(0, 5), tables };
  });
}

/** tablesFit: the page's tables need no sideways scrolling of their own either (company tables). */
const PAGES: { name: string; path: () => string; ready?: string; shows: string; tablesFit?: boolean }[] = [
  { name: 'home', path: () => '/', shows: LONG.outlet.slice(0, 40) },
  { name: 'companies', path: () => '/companies/', shows: LONG.company.slice(0, 40), tablesFit: true },
  { name: 'company', path: () => `/companies/${ids.longSlug}/`, shows: LONG.outlet.slice(0, 40), tablesFit: true },
  { name: 'company-formula', path: () => `/companies/${ids.formulaSlug}/`, shows: FORMULA.outlet, tablesFit: true },
  { name: 'article', path: () => `/articles/${ids.longArticle}/`, shows: LONG.author.slice(0, 40) },
  { name: 'timeline', path: () => '/timeline/', shows: LONG.speaker.slice(0, 40) },
  { name: 'timeline-search', path: () => '/timeline/?q=valued', ready: '#timeline-status[data-state=done]', shows: LONG.company.slice(0, 40) },
  { name: 'timeline-year', path: () => '/timeline/2025/', shows: LONG.label.slice(0, 40) },
  { name: 'search', path: () => '/search/?q=valued', ready: '#search-status[data-state=done]', shows: LONG.title.slice(0, 40) },
  { name: 'sources', path: () => '/sources/', shows: LONG.feedTitle.slice(0, 40) },
  { name: 'exports', path: () => '/exports/', shows: 'facts.csv' },
];

describe.each([390, 1280])('at %i px', (width) => {
  it.each(PAGES)('$name does not scroll sideways', async ({ name, path: p, ready, shows, tablesFit }) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    try {
      const errors = watchErrors(page);
      const res = await page.goto(new URL(p(), served.url).href, { waitUntil: 'networkidle' });
      expect(res?.status()).toBe(200);
      if (ready) await page.waitForSelector(ready, { timeout: 20_000 });
      // The hostile text is on the page (wrapped, not dropped or clipped away)…
      expect(await page.locator('body').textContent()).toContain(shows);
      const o = await overflow(page);
      await screenshot(page, `long-strings-${name}-${width}px`);
      // …and the page is no wider than the screen.
      expect(o.scrollWidth, `${name} at ${width}px: ${o.stickingOut.join(', ')}`).toBeLessThanOrEqual(o.viewport);
      expect(o.stickingOut).toEqual([]);
      if (tablesFit) expect(o.tables, `${name} at ${width}px: how far each table scrolls inside its box`).toEqual(o.tables.map(() => 0));
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

it('the built facts.csv neutralises formula-leading cells and keeps numbers numeric', () => {
  const csv = readFileSync(path.join(distDir(), 'client', 'exports', 'facts.csv'), 'utf8');
  expect(formulaCells(csv, ['value', 'valueHigh', 'changePct', 'start', 'end', 'confidence'])).toEqual([]);
  const loss = csvObjects(csv).find((r) => r.id === 'f-loss')!;
  expect(loss.source_outlet).toBe(`'${FORMULA.outlet}`);
  expect(loss.companyName).toBe(`'${FORMULA.companyName}`);
  expect(loss.value).toBe('-5000000');
});
