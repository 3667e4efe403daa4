/**
 * Nothing stops the line (issue 10, "done means"): one real `factdesk refresh` (child process, libSQL
 * file, outlet on 127.0.0.1) of a feed with a page carrying a 1 MB run of capitals, a company named
 * in Cyrillic and two PDFs (one served as application/pdf, one mislabelled text/html), then a real
 * `factdesk build`. Both exit 0, together in under 30 s; no PDF becomes an article; the Cyrillic
 * company gets its page; the capitals page is stored and its extraction ended (done or failed with a
 * reason), never left hanging.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { addFeeds } from '../../db/queries/feeds.ts';
import { articles, companies } from '../../db/schema.ts';
import { runCli } from '../helpers/cli.ts';
import { startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';

const page = (title: string, body: string) =>
  Buffer.from(`<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><article><h1>${title}</h1>${body}</article></body></html>`);
const pdf = (title: string) =>
  Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\nBT (${title}: revenue rose 20% to $500 million in 2024 as customers grew.) Tj ET\n`.repeat(20) + '%%EOF\n');

// A press release whose disclaimer is one capitalised run of about a megabyte, with ordinary prose around it.
const capitals = Array.from({ length: 90_000 }, (_, i) => ['NOTHING', 'HEREIN', 'CONSTITUTES', 'AN', 'OFFER', 'OR', 'SOLICITATION'][i % 7]).join(' ');
const pressRelease = page(
  'Lendora reports record quarter',
  `<p>Lendora, the US online lender, said revenue rose 18% to $212 million in the first quarter of 2025, its best quarter yet.</p><p>${capitals}.</p><p>The company employs about 1,400 people.</p>`,
);
const cyrillic = page(
  'Sberbank raises money',
  '<p>Сбербанк, a Moscow-based lender, raised $900 million in new funding in March 2025, the bank said on Tuesday.</p><p>The lender said the money would fund lending to small businesses across the region.</p>',
);

let dir: string;
let outlet: FakeOutlet;
const env = () => ({ ...process.env, DATABASE_URL: `file:${path.join(dir, 'hostile.db')}`, FACTDESK_ALLOW_PRIVATE_NETWORKS: '1' });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-hostile-line-'));
  outlet = await startFakeOutlet({
    feeds: 1,
    perFeed: 1,
    extraItems: [
      { path: '/news/lendora-record-quarter', title: 'Lendora reports record quarter', body: pressRelease, contentType: 'text/html; charset=utf-8' },
      { path: '/news/sberbank-raises', title: 'Sberbank raises money', body: cyrillic, contentType: 'text/html; charset=utf-8' },
      { path: '/files/results.pdf', title: 'Results (PDF)', body: pdf('Results'), contentType: 'application/pdf' },
      { path: '/files/deck.pdf', title: 'Investor deck', body: pdf('Investor deck'), contentType: 'text/html; charset=utf-8' },
    ],
  });
});
afterAll(async () => {
  await outlet.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a hostile feed through refresh and build', () => {
  it('finishes in under 30 s with exit 0, stores no PDF, and builds a page for the Cyrillic company', { timeout: 120_000 }, async () => {
    const setup = await openDb(env().DATABASE_URL);
    await addFeeds(setup.db, [{ url: outlet.feedUrl(0) }]);
    setup.close();

    const t0 = Date.now();
    const refresh = await runCli(['refresh', '--json'], env(), { timeoutMs: 60_000 });
    const out = path.join(dir, 'site');
    const build = await runCli(['build', '--out', out], env(), { timeoutMs: 90_000 });
    const elapsed = Date.now() - t0;

    expect(refresh.code, refresh.stderr).toBe(0);
    expect(build.code, build.stderr).toBe(0);
    expect(elapsed).toBeLessThan(30_000);

    const report = JSON.parse(refresh.stdout) as { stats: Record<string, number> };
    expect(report.stats.pagesSkipped).toBe(2);

    const check = await openDb(env().DATABASE_URL);
    const stored = await check.db.select({ url: articles.url, text: articles.text, status: articles.extractionStatus }).from(articles);
    const names = (await check.db.select({ name: companies.name, slug: companies.slug }).from(companies)).map((c) => `${c.name}=${c.slug}`);
    check.close();
    expect(stored.some((a) => /%PDF|\.pdf$/.test(`${a.text} ${a.url}`))).toBe(false);
    const release = stored.find((a) => a.url?.endsWith('/news/lendora-record-quarter'));
    expect(release?.text.length).toBeGreaterThan(500_000);
    expect(release?.status).not.toBe('pending');
    expect(names).toContain('Сбербанк=sberbank');
    expect(existsSync(path.join(out, 'client', 'companies', 'sberbank', 'index.html'))).toBe(true);
    expect(readFileSync(path.join(out, 'client', 'companies', 'sberbank', 'index.html'), 'utf8')).toContain('Сбербанк');
  });
});
