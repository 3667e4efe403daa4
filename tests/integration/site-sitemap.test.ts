/**
 * The sitemap over a real libSQL database: every page the build writes is listed once, and a site
 * with more URLs than one sitemap file may hold gets a sitemap index whose files hold them all, each
 * within the limit — the files the build plans and the files the routes answer being the same.
 * The limit is lowered (FACTDESK_SITEMAP_URLS) so a dozen articles stand in for 50,000.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOMParser } from 'linkedom';
import { articles, companies, facts } from '../../db/schema.ts';
import { sitePlan } from '../../src/lib/site/site-plan.ts';
import { siteSitemap, siteSitemapPart, sitemapLimit, sitemapParts, SITEMAP_LIMIT } from '../../src/lib/site/sitemap.ts';
import { tempDb, type TempDb } from '../helpers/db.ts';

const base = new URL('https://facts.example.org/');
let t: TempDb;
beforeEach(async () => {
  t = await tempDb();
  const cos = await t.db
    .insert(companies)
    .values([
      { slug: 'orvane', name: 'Orvane' },
      { slug: 'tillpoint', name: 'Tillpoint' },
      // Left by an old version: no page is built for it, so the sitemap must not list one.
      { slug: '', name: 'Ωmega' },
    ])
    .returning();
  // Companies are listed (and get pages) for their facts.
  for (const c of cos) await t.db.insert(facts).values({ id: `f-${c.id}`, companyId: c.id, kind: 'revenue', value: 1e6, unit: 'USD', asOf: '2024', statement: 's', extractor: 'rules/2', confidence: 0.8 });
  for (let id = 1; id <= 12; id++) {
    await t.db.insert(articles).values({ id, key: `k${id}`, url: `https://news.example/${id}`, title: `Story ${id}`, publishedAt: `2025-01-${String(id).padStart(2, '0')}T09:00:00Z`, text: 'x', contentHash: `h${id}`, simhash: '0000000000000000' });
  }
});
afterEach(() => {
  delete process.env.FACTDESK_SITEMAP_URLS;
  t.cleanup();
});

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
const locs = (xml: string, sel: string) => [...parse(xml).querySelectorAll(sel)].map((l) => l.textContent!.replace(base.href, '/'));
const ALL = ['/', '/companies/', '/timeline/', '/search/', '/sources/', '/exports/', '/companies/orvane/', '/companies/tillpoint/', ...Array.from({ length: 12 }, (_, i) => `/articles/${12 - i}/`)];

describe('sitemap', () => {
  it('lists every page once in one file while they fit, newest articles first, and no page the build does not write', async () => {
    const xml = await siteSitemap(t.db, base);
    expect(locs(xml, 'urlset > url > loc')).toEqual(ALL);
    expect(await siteSitemapPart(t.db, base, 1)).toBeNull(); // no index, so no parts
  });

  it('past the limit, is an index whose files hold every URL once, each within the limit', async () => {
    const limit = 7;
    const index = await siteSitemap(t.db, base, limit);
    const parts = locs(index, 'sitemapindex > sitemap > loc');
    expect(parts).toEqual(['/sitemaps/1.xml', '/sitemaps/2.xml', '/sitemaps/3.xml']); // 20 URLs, 7 a file
    const listed: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const urls = locs((await siteSitemapPart(t.db, base, n, limit))!, 'urlset > url > loc');
      expect(urls.length).toBeLessThanOrEqual(limit);
      listed.push(...urls);
    }
    expect(listed).toEqual(ALL);
    expect(await siteSitemapPart(t.db, base, 4, limit)).toBeNull();
    expect(await siteSitemapPart(t.db, base, 0, limit)).toBeNull();
  });

  it('has the build write each file of the index, with the limit from FACTDESK_SITEMAP_URLS', async () => {
    process.env.FACTDESK_SITEMAP_URLS = '7';
    expect(sitemapLimit()).toBe(7);
    const plan = await sitePlan(t.db);
    const planned = plan.pages.filter((p) => p.path.startsWith('/sitemap')).map((p) => [p.path, p.file, p.fp]);
    expect(planned).toEqual([
      ['/sitemap.xml', 'sitemap.xml', null],
      ['/sitemaps/1.xml', 'sitemaps/1.xml', null],
      ['/sitemaps/2.xml', 'sitemaps/2.xml', null],
      ['/sitemaps/3.xml', 'sitemaps/3.xml', null],
    ]);
    // What the routes answer for those paths is what was checked above (same limit, same entries).
    expect(locs(await siteSitemap(t.db, base), 'sitemapindex > sitemap > loc')).toHaveLength(3);
  });

  it('takes the protocol limit unless a smaller whole number is asked for', () => {
    expect(sitemapLimit({})).toBe(SITEMAP_LIMIT);
    expect(sitemapLimit({ FACTDESK_SITEMAP_URLS: '100000' })).toBe(SITEMAP_LIMIT);
    expect(sitemapLimit({ FACTDESK_SITEMAP_URLS: '2.5' })).toBe(SITEMAP_LIMIT);
    expect(sitemapLimit({ FACTDESK_SITEMAP_URLS: '10' })).toBe(10);
    expect([0, 1, 50_000, 50_001, 100_000, 150_001].map((n) => sitemapParts(n, SITEMAP_LIMIT))).toEqual([1, 1, 1, 2, 2, 4]);
  });
});
