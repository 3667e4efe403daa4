/**
 * The built sample site in real Chromium: what an analyst, a journalist and a researcher do first.
 * Every page visited must load without console errors, CSP violations or failed requests.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeViolations, launchChromium, screenshot, serveBuilt, watchErrors, type ServedSite } from '../helpers/browser.ts';

const site = inject('site');

let served: ServedSite;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  served = await serveBuilt(site.distDir, { ...process.env, DATABASE_URL: site.databaseUrl });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  expect(await served?.stop()).toBe(0);
});

async function open(path: string, width?: number): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  if (width) await page.setViewportSize({ width, height: 800 });
  const errors = watchErrors(page);
  const res = await page.goto(new URL(path, served.url).href, { waitUntil: 'networkidle' });
  expect(res?.status(), path).toBe(200);
  return { page, errors };
}

describe('company fact sheet', () => {
  it('shows the latest figures, charts, quotes and sources', async () => {
    const { page, errors } = await open('/companies/klarna/');
    await expect(page.locator('h1').textContent()).resolves.toContain('Klarna');
    expect(await page.locator('#latest ~ * table tbody tr, section[aria-labelledby=latest] tbody tr').count()).toBeGreaterThan(2);
    const charts = page.locator('figure svg');
    expect(await charts.count()).toBeGreaterThanOrEqual(2);
    // A chart is drawn, not an empty box: it has a line with points and a readable title.
    expect(await charts.first().locator('path, polyline, circle').count()).toBeGreaterThan(0);
    expect(await charts.first().locator(':scope > title').textContent()).toMatch(/Klarna/);
    const sources = page.locator('section[aria-labelledby=sources] li a');
    expect(await sources.count()).toBeGreaterThan(2);
    await screenshot(page, 'company-klarna');
    expect(errors).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { page, errors } = await open('/companies/klarna/', 390);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'company-klarna-390px');
    expect(errors).toEqual([]);
  });
});

describe('timeline', () => {
  it('finds a quote by its speaker', async () => {
    const { page, errors } = await open('/timeline/?q=Ambrose');
    await page.waitForSelector('#timeline-status[data-state=done]');
    const items = page.locator('#timeline-results li.fact');
    expect(await items.count()).toBeGreaterThan(0);
    expect(await items.first().textContent()).toMatch(/Rachel Ambrose/);
    await screenshot(page, 'timeline-search-ambrose');
    expect(errors).toEqual([]);
  });

  it('puts a filter in the URL and narrows the list', async () => {
    const { page, errors } = await open('/timeline/');
    const before = await page.locator('#timeline-results li.fact').count();
    expect(before).toBeGreaterThan(5);
    await page.selectOption('select[name=kind]', 'quote');
    await page.waitForURL(/[?&]kind=quote/);
    await page.waitForSelector('#timeline-status[data-state=done]');
    const kinds = await page.locator('#timeline-results li.fact').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.length).toBeLessThan(before);
    // Reloading the shared URL reproduces the same list.
    const shared = page.url();
    const again = await open(new URL(shared).pathname + new URL(shared).search);
    await again.page.waitForSelector('#timeline-status[data-state=done]');
    expect(await again.page.locator('#timeline-results li.fact').count()).toBe(kinds.length);
    expect(await again.page.locator('select[name=kind]').inputValue()).toBe('quote');
    expect([...errors, ...again.errors]).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('links each entry to its highlighted evidence in the article', async () => {
    const { page, errors } = await open('/timeline/?q=Ambrose');
    await page.waitForSelector('#timeline-status[data-state=done]');
    const item = page.locator('#timeline-results li.fact').first();
    const factId = await item.getAttribute('data-fact-id');
    await item.locator('a', { hasText: 'evidence' }).click();
    await page.waitForURL(new RegExp(`/articles/\\d+/#fact-${factId}$`));
    const mark = page.locator(`mark#fact-${factId}`);
    await expect(mark.count()).resolves.toBe(1);
    expect(await mark.evaluate((m) => m.matches(':target'))).toBe(true);
    const box = await mark.boundingBox();
    expect(box && box.y >= 0 && box.y < 900).toBe(true); // scrolled into view
    expect(await mark.textContent()).toMatch(/Klarna is showing/);
    await screenshot(page, 'article-evidence');
    expect(errors).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('article search and exports', () => {
  it('finds articles with pagefind', async () => {
    const { page, errors } = await open('/search/?q=Klarna');
    await page.waitForSelector('#search-status[data-state=done]');
    expect(await page.locator('#search-results li').count()).toBeGreaterThan(1);
    expect(await page.locator('#search-results li mark').count()).toBeGreaterThan(0);
    // Excerpts come from the article text, not from the byline and link around it.
    expect(await page.locator('#search-results li p').allTextContents()).not.toContainEqual(expect.stringMatching(/Read the original article|words\./));
    await screenshot(page, 'search-klarna');
    expect(errors).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('home links to companies and exports download as JSON', async () => {
    const { page, errors } = await open('/');
    expect(await page.locator('a[href="/companies/klarna/"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'home');
    expect(await axeViolations(page)).toEqual([]);
    const exp = await open('/exports/');
    const href = await exp.page.locator('a[href$="facts.json"]').first().getAttribute('href');
    const res = await exp.page.request.get(new URL(href!, served.url).href);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { schemaVersion: number; facts: unknown[] };
    expect(body.schemaVersion).toBe(1);
    expect(body.facts.length).toBeGreaterThan(50);
    expect([...errors, ...exp.errors]).toEqual([]);
  });
});
