/**
 * Pathological text through the real extractors, start to finish: the rules extractor
 * (createRulesExtractor, as `extract` runs it) and the page text extractor (as `refresh` runs it).
 * A 1 MB run of capitals used to hold extraction for over 14 minutes (issue 10); ALL-CAPS
 * disclaimers are real text. The bounds are generous — linear work here takes well under a second —
 * so only super-linear behaviour fails them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { extractArticle as extractPage } from '../../../scrapers/pages/index.ts';
import { closeExtractPool, runInWorker } from '../../../src/extract/worker.ts';

const MB = 1_000_000;
const run = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
afterAll(() => closeExtractPool());

/** The rules extractor (createRulesExtractor in a worker thread) and grounding, stopped at `budgetMs`. */
async function rulesMs(text: string, budgetMs: number): Promise<{ ms: number; facts: number }> {
  const article = { id: 1, title: text.slice(0, 3000), text, publishedAt: '2026-05-01T00:00:00Z', outlet: 'Hostile Wire', url: 'https://hostile.example/a' };
  await runInWorker({ op: 'warm' }, { timeoutMs: 30_000, threads: 1 });
  const t = performance.now();
  const r = await runInWorker({ op: 'rules', article }, { timeoutMs: budgetMs, threads: 1 });
  return { ms: performance.now() - t, facts: r.grounding.accepted.length };
}

function pageMs(body: string): { ms: number; text: string } {
  const html = `<!doctype html><html><head><title>${body.slice(0, 3000)}</title></head><body><article><h1>Results</h1><p>${body}</p><p>Klarna said revenue rose 10% to $500 million in 2025.</p></article></body></html>`;
  const t = performance.now();
  const page = extractPage(html, 'https://hostile.example/a');
  return { ms: performance.now() - t, text: page.text };
}

describe('hostile text through the rules extractor', () => {
  it('a 1 MB line of capitals, followed by a real fact, finishes quickly and still finds the fact', async () => {
    const text = `${run('A', MB)}\n\nKlarna said revenue rose 10% to $500 million in 2025.`;
    const { ms, facts } = await rulesMs(text, 8_000);
    expect(ms).toBeLessThan(8_000);
    expect(facts).toBeGreaterThan(0);
  }, 60_000);

  it.each([
    ['capitalised words', 'ACME CORP DISCLAIMS ALL LIABILITY '],
    ['name-like words', 'Jean-Luc O’Brien '],
    ['capitals and dashes', 'A-'],
    ['capitals and apostrophes', "A'"],
    ['digits', '1'],
    ['digit groups', '1,000.'],
    ['spaces', ' '],
    ['tabs and no-break spaces', '\t\u00a0'],
    ['punctuation', '.,;:!?-…'],
    ['curly quotes', '“'],
    ['percentages', '5% '],
    ['money', '$1 '],
  ])('200k characters of %s', async (_name, unit) => {
    const { ms } = await rulesMs(run(unit, 200_000), 5_000);
    expect(ms).toBeLessThan(5_000);
  }, 60_000);
});

describe('hostile text through the page text extractor', () => {
  it('a 1 MB paragraph of capitals finishes quickly and is kept as text', () => {
    const { ms, text } = pageMs(run('A', MB));
    expect(ms).toBeLessThan(10_000);
    expect(text.startsWith('AAAAAAAAAA')).toBe(true);
  }, 60_000);

  it.each([
    ['capitalised words', 'ACME CORP DISCLAIMS ALL LIABILITY '],
    ['capitals and dashes', 'A-'],
    ['digits', '1'],
    ['punctuation', '.,;:!?-'],
    ['unclosed tags', '&lt;a-0-0 '],
    ['pipes', ' | '],
  ])('200k characters of %s', (_name, unit) => {
    const { ms } = pageMs(run(unit, 200_000));
    expect(ms).toBeLessThan(5_000);
  }, 60_000);
});
