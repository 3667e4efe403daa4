/**
 * Fills tests/eval/articles/sample-*.json with the clean text of the 13 bundled sample articles.
 *
 *   npx tsx bench/eval-make-sample.ts
 *
 * Text comes from the real page extractor (scrapers/pages) over content/sample/<path>, decoded the
 * way the collector does (HTTP charset from content/sample/headers.json, else <meta>/sniffing). For a
 * page that is truncated/paywalled and whose feed item carries at least 1.5× the words, the feed's
 * content text is used instead (same rule as scrapers/refresh.ts) — that is the Ledger Wire credit-
 * losses page, whose JSON gets "textFrom": "feed". Existing `facts` (hand annotations) are kept:
 * files are merged by id, only text/metadata are refreshed. Facts whose evidence no longer occurs in
 * the refreshed text are reported.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBody } from '../scrapers/http/charset.ts';
import { extractArticle } from '../scrapers/pages/index.ts';
import { parseFeed } from '../scrapers/feeds/parse.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sampleDir = path.join(root, 'content/sample');
const outDir = path.join(root, 'tests/eval/articles');
const ORIGIN = 'http://sample.factdesk.test';

interface ExpectedArticle {
  path: string;
  url: string;
  outlet: string;
  feed: string;
  title: string;
  publishedAt: string;
}

const expected = JSON.parse(readFileSync(path.join(sampleDir, 'expected.json'), 'utf8')) as { articles: ExpectedArticle[] };
const headers = JSON.parse(readFileSync(path.join(sampleDir, 'headers.json'), 'utf8')) as Record<string, Record<string, string>>;

const wordCount = (s: string): number => (s.match(/\S+/g) ?? []).length;

function readServed(p: string): Buffer {
  // The server replaces {{ORIGIN}} byte-safely; pages are ASCII-compatible encodings.
  const raw = readFileSync(path.join(sampleDir, p));
  return Buffer.from(raw.toString('latin1').replaceAll('{{ORIGIN}}', ORIGIN), 'latin1');
}

async function main(): Promise<void> {
  const feeds = new Map<string, Awaited<ReturnType<typeof parseFeed>>>();
  let written = 0;
  for (const a of expected.articles) {
    if (!feeds.has(a.feed)) {
      const body = decodeBody(readServed(a.feed), 'application/xml', 'xml');
      feeds.set(a.feed, await parseFeed(body.text, ORIGIN + a.feed));
    }
    const url = a.url.replace('{{ORIGIN}}', ORIGIN);
    const item = feeds.get(a.feed)!.items.find((i) => i.url === url);
    const contentType = headers[a.path]?.['Content-Type'] ?? 'text/html; charset=utf-8';
    const html = decodeBody(readServed(a.path), contentType, 'html').text;
    const page = extractArticle(html, url, { feedTitle: a.outlet, feedContentText: item?.contentText ?? null });
    let text = page.text;
    let textFrom: 'page' | 'feed' = 'page';
    const feedText = item?.contentText ?? '';
    if (page.truncated && wordCount(feedText) >= wordCount(text) * 1.5) {
      text = feedText;
      textFrom = 'feed';
    }
    const id = 'sample-' + path.basename(a.path, '.html');
    const file = path.join(outDir, id + '.json');
    const old = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { facts?: Array<{ evidence: string }> }) : null;
    const facts = old?.facts ?? [];
    for (const f of facts) if (!text.includes(f.evidence)) console.warn(`${id}: evidence not in refreshed text: ${f.evidence}`);
    const doc = {
      id,
      source: `sample:${a.path}`,
      textFrom,
      title: a.title,
      outlet: a.outlet,
      publishedAt: a.publishedAt,
      url: a.url.replace('{{ORIGIN}}', 'http://127.0.0.1:4380'),
      text,
      facts,
    };
    writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
    written++;
    console.log(`${id}: ${wordCount(text)} words from ${textFrom}, ${facts.length} facts kept`);
  }
  console.log(`wrote ${written} files to ${path.relative(root, outDir)}`);
}

await main();
