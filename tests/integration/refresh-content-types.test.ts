/**
 * Only HTML pages become articles: a real `factdesk refresh` (child process, libSQL file) of an
 * outlet on 127.0.0.1 whose feed links to PDFs (one served as application/pdf, one mislabelled
 * text/html) and an image. They are skipped with their reason, the run exits 0, and a PDF whose
 * feed item carries the full text keeps that text instead.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.ts';
import { addFeeds } from '../../db/queries/feeds.ts';
import { articles, feedItems } from '../../db/schema.ts';
import { runCli } from '../helpers/cli.ts';
import { startFakeOutlet, type FakeOutlet } from '../helpers/fake-outlet.ts';

/** A PDF with plenty of words in it: parsed as HTML it would pass for an article. `padBytes` makes it big. */
const pdfBytes = (title: string, padBytes = 0) =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Length 900 >>\nstream\nBT /F1 12 Tf (${title}) Tj ET\n` +
      'BT (Klarna said revenue rose 20% to $500 million in 2024 as customers and merchants grew across Europe and America.) Tj ET\n'.repeat(12) +
      `% ${'x'.repeat(padBytes)}\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
  );
/** Bodies over this are refused as too large; the quarterly report is bigger, and is still only skipped. */
const MAX_BODY_BYTES = 200_000;
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]),
  Buffer.alloc(200, 7),
]);
const annualText =
  'Monzo published its annual report today. Revenue rose 48% to $1.2 billion in 2024 and the bank reported its first full year of profit, ' +
  'with customers passing nine million across the United Kingdom and plans to expand into Europe and America next year.';

let dir: string;
let outlet: FakeOutlet;
const env = () => ({ ...process.env, DATABASE_URL: `file:${path.join(dir, 'types.db')}`, FACTDESK_ALLOW_PRIVATE_NETWORKS: '1', FACTDESK_MAX_BODY_BYTES: String(MAX_BODY_BYTES) });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-types-'));
  outlet = await startFakeOutlet({
    feeds: 1,
    perFeed: 2,
    extraItems: [
      { path: '/files/report.pdf', title: 'Quarterly report (PDF)', body: pdfBytes('Quarterly report', 3 * MAX_BODY_BYTES), contentType: 'application/pdf' },
      { path: '/files/mislabelled.pdf', title: 'Investor deck', body: pdfBytes('Investor deck'), contentType: 'text/html; charset=utf-8' },
      { path: '/img/chart.png', title: 'Chart of the week', body: png, contentType: 'image/png' },
      // A feed that pastes the file itself into its content: no link, and its text is a PDF.
      { path: '/none', noLink: true, title: 'Pasted report', contentHtml: pdfBytes('Pasted report').toString('latin1') },
      { path: '/files/annual.pdf', title: 'Annual report', body: pdfBytes('Annual report'), contentType: 'application/pdf', contentHtml: `<p>${annualText}</p>` },
    ],
  });
});
afterAll(async () => {
  await outlet.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('refresh of links that are not HTML pages', () => {
  // Three CLI processes on a busy machine: more room than the default 30 s.
  it('skips PDFs (even one over the size cap) and images with the reason, stores no PDF, exits 0, and never fetches them again', { timeout: 60_000 }, async () => {
    const setup = await openDb(env().DATABASE_URL);
    await addFeeds(setup.db, [{ url: outlet.feedUrl(0) }]);
    setup.close();
    const run = await runCli(['refresh', '--no-extract', '--json'], env());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { status: string; stats: Record<string, number>; failures: { code: string; url: string | null; message: string }[] };
    expect(report.status).toBe('finished');
    expect(report.stats.pagesSkipped).toBe(5);
    expect(report.stats.articlesNew).toBe(3); // the two pages and the annual report's feed text
    const skips = Object.fromEntries(report.failures.filter((f) => f.code === 'not-html' && f.url !== null).map((f) => [new URL(f.url!).pathname, f.message]));
    expect(skips).toEqual({
      '/files/report.pdf': `skipped ${outlet.origin}/files/report.pdf: a PDF document (application/pdf) by its first bytes, served as application/pdf`,
      '/files/mislabelled.pdf': `skipped ${outlet.origin}/files/mislabelled.pdf: a PDF document (application/pdf) by its first bytes, served as text/html`,
      '/img/chart.png': `skipped ${outlet.origin}/img/chart.png: an image (image/png) by its first bytes, served as image/png`,
      '/files/annual.pdf': `${outlet.origin}/files/annual.pdf is a PDF document (application/pdf) by its first bytes, served as application/pdf; kept the feed's text instead`,
    });
    expect(report.failures.find((f) => f.url === null)?.message).toMatch(
      /^skipped item extra-3: the feed's text is a PDF document \(application\/pdf\) by its first bytes$/,
    );
    expect(report.failures).toHaveLength(5);

    const db = await openDb(env().DATABASE_URL);
    try {
      const rows = await db.db.select().from(articles).orderBy(asc(articles.id));
      expect(rows.map((r) => r.title).sort()).toEqual(['Annual report', 'Fintech story 0-0', 'Fintech story 0-1']);
      for (const r of rows) {
        expect(r.text).not.toMatch(/%PDF|endobj|Tj ET|PNG/);
      }
      const annual = rows.find((r) => r.title === 'Annual report')!;
      expect(annual.text).toBe(annualText);
      expect(annual.textSource).toBe('feed');
      expect(JSON.parse(annual.flags)).toEqual(['feed-text-only', 'page-not-html']);
      expect(annual.truncated).toBe(true);

      const skipped = await db.db.select().from(feedItems).where(eq(feedItems.status, 'skipped')).orderBy(asc(feedItems.id));
      expect(skipped.map((i) => [i.title, i.lastError])).toEqual([
        ['Quarterly report (PDF)', 'not an article page: a PDF document (application/pdf) by its first bytes, served as application/pdf'],
        ['Investor deck', 'not an article page: a PDF document (application/pdf) by its first bytes, served as text/html'],
        ['Chart of the week', 'not an article page: an image (image/png) by its first bytes, served as image/png'],
        ['Pasted report', "not an article: the feed's text is a PDF document (application/pdf) by its first bytes"],
      ]);
    } finally {
      db.close();
    }

    const status = await runCli(['status'], env());
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/refresh\s+finished\s+\S+\s+5 failures/);

    // Skipped is final: a second run does not ask for the files again.
    const again = await runCli(['refresh', '--all', '--no-extract', '--json'], env());
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).stats.pagesSkipped).toBe(0);
    for (const p of ['/files/report.pdf', '/files/mislabelled.pdf', '/img/chart.png', '/files/annual.pdf']) expect(outlet.hits.get(p), p).toBe(1);
  });
});
