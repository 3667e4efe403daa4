/**
 * The timeline as a journalist uses it, in Debian Chromium at 1280 and 390 px, checked against the
 * sample database (read here with plain SQL, not through the site's code):
 * - `?q=layoffs` finds every layoff fact, and "laid off", "job cuts", "redundancies" find the same set;
 * - a speaker's surname finds all their quotes;
 * - a company filter counts what the company's fact sheet counts, and lists exactly those facts;
 * - entries run newest first by period end capped at the report, a full year after its months, a
 *   plan for a later period where it was reported, and each entry says its period's span;
 * - every entry's badge is its stored corroboration and its source count the articles that state it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { factsByCompany } from '../../src/lib/site/queries.ts';
import { launchChromium, screenshot, serveBuilt, watchErrors, type ServedSite } from '../helpers/browser.ts';

const site = inject('site');

interface DbFact {
  id: string;
  company: string;
  kind: string;
  label: string | null;
  asOf: string | null;
  speaker: string | null;
  statement: string;
  corroboration: string;
}
let facts = new Map<string, DbFact>();
/** fact id → distinct articles whose current revision states it, and how many of those are not copies */
let sources = new Map<string, { all: number; independent: number }>();
let published = new Map<number, string | null>();
let sheetCount = new Map<string, number>();

let served: ServedSite;
let browser: Browser;

beforeAll(async () => {
  const handle = await openDb(site.databaseUrl);
  try {
    const q = async <T,>(sql: string) => (await handle.client.execute(sql)).rows as unknown as T[];
    facts = new Map(
      (await q<DbFact>(`select f.id, c.slug as company, f.kind, f.label, f.as_of as asOf, f.speaker, f.statement, f.corroboration
        from facts f join companies c on c.id = f.company_id where not f.retracted`)).map((f) => [String(f.id), f]),
    );
    sources = new Map(
      (await q<{ id: string; n: number; x: number }>(`select fs.fact_id as id, count(distinct a.id) as n,
          count(distinct case when a.copy_of_id is null then a.id end) as x
        from fact_sources fs join articles a on a.id = fs.article_id and a.revision = fs.revision group by fs.fact_id`)).map((r) => [String(r.id), { all: Number(r.n), independent: Number(r.x) }]),
    );
    published = new Map((await q<{ id: number; p: string | null }>('select id, published_at as p from articles')).map((r) => [Number(r.id), r.p ? String(r.p).slice(0, 10) : null]));
    // The shared definition of the facts a company's sheet counts (src/lib/site/queries.ts).
    sheetCount = new Map([...(await factsByCompany(handle.db))].map(([slug, rows]) => [slug, rows.length]));
  } finally {
    handle.close();
  }
  served = await serveBuilt(site.distDir, { ...process.env, DATABASE_URL: site.databaseUrl });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  expect(await served?.stop()).toBe(0);
});

const WIDTHS = [1280, 390] as const;

async function open(path: string, width: number): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors = watchErrors(page);
  const res = await page.goto(new URL(path, served.url).href, { waitUntil: 'networkidle' });
  expect(res?.status(), path).toBe(200);
  if (path.includes('?')) await page.waitForSelector('#timeline-status[data-state=done]');
  return { page, errors };
}

interface Shown {
  id: string;
  datetime: string;
  when: string;
  ahead: string | null;
  badge: string | null;
  badgeText: string | null;
  sources: string | null;
  evidence: string | null;
  text: string;
}

/** What each entry on the page shows, in page order. */
async function entries(page: Page): Promise<Shown[]> {
  return page.locator('#timeline-results li.fact, ol.timeline li.fact').evaluateAll((els) =>
    els.map((li) => ({
      id: li.getAttribute('data-fact-id') ?? '',
      datetime: li.querySelector('.when time')?.getAttribute('datetime') ?? '',
      when: li.querySelector('.when time')?.textContent ?? '',
      ahead: li.querySelector('.when .ahead')?.textContent ?? null,
      badge: li.querySelector('.badge')?.getAttribute('data-corroboration') ?? null,
      badgeText: li.querySelector('.badge')?.textContent ?? null,
      sources: li.querySelector('.sources')?.textContent ?? null,
      evidence: li.querySelector('a[href*="#fact-"]')?.getAttribute('href') ?? null,
      text: li.textContent ?? '',
    })),
  );
}

/** Every result of a search: "Show more" until it goes. */
async function allResults(page: Page): Promise<Shown[]> {
  const more = page.locator('#timeline-more');
  while (await more.isVisible()) {
    await more.click();
    await page.waitForSelector('#timeline-status[data-state=done]');
  }
  return entries(page);
}

// ── the truth, from the database ──

/** The layoff facts, by what they say: a workforce change whose label or statement names layoffs,
 * job cuts, people laid off or redundancies, or cutting a number of jobs or staff. */
const LAYOFF_WORDS = /\blayoffs?\b|\blaid off\b|\blay(?:s|ing)? off\b|\bjob cuts?\b|\bredundanc(?:y|ies)\b/i;
const CUT_STAFF = /\bcut(?:s|ting)?\b[^.]{0,40}?\b(?:jobs|staff|workforce|employees)\b/i;
const says = (f: DbFact, re: RegExp) => re.test(f.label ?? '') || re.test(f.statement);
const layoffFacts = () => [...facts.values()].filter((f) => f.kind === 'workforce_change' && (says(f, LAYOFF_WORDS) || says(f, CUT_STAFF))).map((f) => f.id);

/** A period's last day, worked out here on its own. */
function periodEnd(asOf: string): string {
  let m = /^(\d{4})$/.exec(asOf);
  if (m) return `${m[1]}-12-31`;
  m = /^(\d{4})-Q([1-4])$/.exec(asOf);
  if (m) return lastDay(Number(m[1]), Number(m[2]) * 3);
  m = /^(\d{4})-H([12])$/.exec(asOf);
  if (m) return lastDay(Number(m[1]), Number(m[2]) * 6);
  m = /^(\d{4})-(\d{2})$/.exec(asOf);
  if (m) return lastDay(Number(m[1]), Number(m[2]));
  return asOf.slice(0, 10);
}
const lastDay = (y: number, month: number) => new Date(Date.UTC(y, month, 0)).toISOString().slice(0, 10);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** What the entry must say for its period: the span in words; "full year" only of money earned over it. */
const FLOWS = new Set(['revenue', 'net_income', 'credit_losses']);
function spanWords(asOf: string, kind: string): string {
  if (/^\d{4}$/.test(asOf)) return FLOWS.has(kind) ? `${asOf} (full year)` : asOf;
  const qh = /^(\d{4})-([QH]\d)$/.exec(asOf);
  if (qh) return `${qh[2]} ${qh[1]}`;
  const mo = /^(\d{4})-(\d{2})$/.exec(asOf);
  if (mo) return `${MONTHS[Number(mo[2]) - 1]} ${mo[1]}`;
  const d = /^(\d{4})-(\d{2})-(\d{2})/.exec(asOf)!;
  return `${Number(d[3])} ${MONTHS[Number(d[2]) - 1]} ${d[1]}`;
}
const BADGE_WORDS: Record<string, string> = { corroborated: 'corroborated', 'single-source': 'single source', disputed: 'disputed' };

/** Each entry against the database: badge, source count, period words and date. */
function checkEntries(shown: Shown[], where: string) {
  const problems: string[] = [];
  for (const e of shown) {
    const f = facts.get(e.id);
    if (!f) {
      problems.push(`${where}: ${e.id} is not a current fact`);
      continue;
    }
    if (e.badge !== f.corroboration || e.badgeText !== BADGE_WORDS[f.corroboration]) problems.push(`${where}: ${e.id} badge ${e.badge}/${e.badgeText}, stored ${f.corroboration}`);
    const s = sources.get(e.id);
    if (s && e.evidence) {
      const want = s.all === 1 ? (s.independent ? '1 source' : '1 source (a copy)') : `${s.all} sources, ${s.independent} independent`;
      if (e.sources !== want) problems.push(`${where}: ${e.id} says "${e.sources}", the database has ${want}`);
    }
    const article = e.evidence ? Number(/^\/articles\/(\d+)\//.exec(e.evidence)![1]) : null;
    const pub = article !== null ? (published.get(article) ?? null) : null;
    if (f.asOf) {
      if (!FLOWS.has(f.kind) && e.when.includes('full year')) problems.push(`${where}: ${e.id} (${f.kind}) calls ${f.asOf} a full year`);
      if (!e.when.startsWith(spanWords(f.asOf, f.kind))) problems.push(`${where}: ${e.id} shows "${e.when}" for ${f.asOf}`);
      const end = periodEnd(f.asOf);
      const want = pub && pub < end ? pub : end;
      if (e.datetime !== want) problems.push(`${where}: ${e.id} (${f.asOf}, reported ${pub}) dated ${e.datetime}, want ${want}`);
    } else if (pub && e.datetime !== pub) problems.push(`${where}: ${e.id} (no period) dated ${e.datetime}, reported ${pub}`);
  }
  return problems;
}

/** Newest first; a full year after (above, in this newest-first list) every month of it that ended by its date. */
function checkOrder(shown: Shown[], where: string) {
  const problems: string[] = [];
  for (let n = 1; n < shown.length; n++) {
    if (shown[n - 1]!.datetime < shown[n]!.datetime) problems.push(`${where}: ${shown[n - 1]!.id} (${shown[n - 1]!.datetime}) above ${shown[n]!.id} (${shown[n]!.datetime})`);
  }
  shown.forEach((y, yi) => {
    const yo = facts.get(y.id)?.asOf;
    if (!yo || !/^\d{4}$/.test(yo)) return;
    shown.forEach((m, mi) => {
      const mo = facts.get(m.id)?.asOf;
      if (mo && mo.startsWith(`${yo}-`) && /^\d{4}-\d{2}$/.test(mo) && periodEnd(mo) <= y.datetime && mi < yi) problems.push(`${where}: month ${m.id} (${mo}) above the full year ${y.id} (${yo})`);
    });
  });
  return problems;
}

describe('search that finds', () => {
  const QUERIES = ['layoffs', 'laid off', 'job cuts', 'redundancies'];

  for (const width of WIDTHS) {
    it(`finds every layoff fact for layoffs, laid off, job cuts and redundancies alike (${width} px)`, async () => {
      const expected = layoffFacts();
      // the sample's layoffs: Solvik 210 people / 24%, Kestrel 20% / 260, Coinbase 18%, Klarna 10%
      expect(expected.length).toBeGreaterThanOrEqual(6);
      let first: string[] | null = null;
      for (const q of QUERIES) {
        const { page, errors } = await open(`/timeline/?q=${encodeURIComponent(q)}`, width);
        const shown = await allResults(page);
        const ids = shown.map((e) => e.id).sort();
        expect(ids, q).toEqual(expect.arrayContaining(expected));
        // nothing else but facts whose own words are about layoffs ("rather than layoffs" counts)
        for (const id of ids.filter((i) => !expected.includes(i))) expect(says(facts.get(id)!, LAYOFF_WORDS) || says(facts.get(id)!, CUT_STAFF), `${q}: ${id} ${facts.get(id)!.statement}`).toBe(true);
        expect(await page.locator('#timeline-status').textContent()).toBe(`${ids.length} facts`);
        if (first) expect(ids, `${q} finds what "${QUERIES[0]}" finds`).toEqual(first);
        first ??= ids;
        expect([...checkEntries(shown, q), ...checkOrder(shown, q)]).toEqual([]);
        if (q === 'layoffs') await screenshot(page, `timeline-layoffs-${width}px`);
        if (width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
        expect(errors).toEqual([]);
        await page.close();
      }
    });
  }

  it("finds a speaker's quotes by their surname", async () => {
    const quotes = [...facts.values()].filter((f) => f.kind === 'quote' && f.speaker);
    const counts = new Map<string, number>();
    for (const f of quotes) {
      const surname = f.speaker!.split(' ').pop()!;
      counts.set(surname, (counts.get(surname) ?? 0) + 1);
    }
    const [surname] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const theirs = quotes.filter((f) => f.speaker!.split(' ').includes(surname)).map((f) => f.id);
    expect(theirs.length).toBeGreaterThan(1);
    const { page, errors } = await open(`/timeline/?q=${encodeURIComponent(surname.toLowerCase())}`, 1280);
    const ids = (await allResults(page)).map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(theirs));
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('counts that agree with the fact sheet', () => {
  it('a company filter counts and lists exactly the facts its fact sheet counts', async () => {
    for (const slug of ['klarna', 'solvik']) {
      const want = sheetCount.get(slug)!;
      // the rendered fact sheet says the same number
      const sheet = await open(`/companies/${slug}/`, 1280);
      const said = /\b(\d+) facts? from \d+ articles?\b/.exec((await sheet.page.locator('main').textContent()) ?? '');
      expect(said, `${slug} fact sheet states a fact count`).not.toBeNull();
      expect(Number(said![1]), `${slug} fact sheet`).toBe(want);
      await sheet.page.close();

      const { page, errors } = await open(`/timeline/?company=${slug}`, 1280);
      const status = (await page.locator('#timeline-status').textContent()) ?? '';
      expect(status, slug).toMatch(new RegExp(`^${want} facts( — showing the newest \\d+)?$`));
      const ids = (await allResults(page)).map((e) => e.id).sort();
      expect(ids).toEqual([...facts.values()].filter((f) => f.company === slug).map((f) => f.id).sort());
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});

describe('order, periods and badges', () => {
  for (const width of WIDTHS) {
    it(`lists newest reported first, each entry with its period span, its badge and its sources (${width} px)`, async () => {
      const { page, errors } = await open('/timeline/', width);
      const shown = await entries(page);
      // The sample fits on the page: every current fact is here.
      expect(shown.map((e) => e.id).sort()).toEqual([...facts.keys()].sort());
      expect([...checkEntries(shown, '/timeline/'), ...checkOrder(shown, '/timeline/')]).toEqual([]);
      // A plan for a later period is not "newest": it sits at its report, flagged.
      const ahead = shown.filter((e) => {
        const f = facts.get(e.id)!;
        return f.asOf && e.datetime < periodEnd(f.asOf) && Date.parse(periodEnd(f.asOf)) - Date.parse(e.datetime) > 31 * 86_400_000;
      });
      expect(ahead.length).toBeGreaterThan(0); // the sample has Tillpoint's hiring plan for 2026, forecasts for 2025
      for (const e of ahead) expect(e.ahead, e.id).toMatch(/^plan or forecast, reported \d{1,2} [A-Z][a-z]{2} \d{4}$/);
      expect(ahead.map((e) => e.id)).not.toContain(shown[0]!.id);
      expect(shown.filter((e) => e.ahead).length).toBe(ahead.length);
      await screenshot(page, `timeline-${width}px`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
