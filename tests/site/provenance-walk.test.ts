/**
 * Provenance by construction, checked on the built sample site: every link to a fact's evidence
 * lands on an anchor that exists in that article, and wherever a sentence is shown beside the link
 * (timeline entries), the linked article holds that very sentence at the anchor. A fact merged
 * from several articles must never show one source's sentence under another source's link.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { expect, inject, it } from 'vitest';

const site = inject('site');

function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith('.html')) out.push(p);
  }
  return out;
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

it('every evidence link lands on its anchor, and every sentence shown (timeline, RSS) is the linked article’s own', () => {
  const client = path.join(site.distDir, 'client');
  const articlePage = new Map<string, cheerio.CheerioAPI>();
  const article = (id: string) => {
    let $ = articlePage.get(id);
    if (!$) articlePage.set(id, ($ = cheerio.load(readFileSync(path.join(client, 'articles', id, 'index.html'), 'utf8'))));
    return $;
  };
  let links = 0;
  let sentences = 0;
  const problems: string[] = [];
  for (const file of htmlFiles(client)) {
    if (file.includes(`${path.sep}articles${path.sep}`)) continue; // in-page links of the article itself
    const $ = cheerio.load(readFileSync(file, 'utf8'));
    $('a[href*="#fact-"]').each((_, a) => {
      const href = $(a).attr('href')!;
      const m = /^\/articles\/(\d+)\/#fact-(.+)$/.exec(href);
      if (!m) return void problems.push(`${file}: unexpected evidence link ${href}`);
      links++;
      const [, id, factId] = m;
      const $a = article(id!);
      const anchor = $a(`[id="fact-${decodeURIComponent(factId!)}"]`);
      if (anchor.length !== 1) return void problems.push(`${path.relative(client, file)}: ${href} has no anchor in article ${id}`);
      const shown = $(a).closest('li.fact').find('p.statement').text();
      if (!shown) return;
      sentences++;
      // The anchor marks the evidence; overlapping facts nest their marks, so read the outermost one.
      const marked = norm(anchor.parents('mark.evidence').last().text() || anchor.text());
      if (!marked.includes(norm(shown)) && !norm(shown).includes(marked)) problems.push(`${path.relative(client, file)}: shows “${norm(shown).slice(0, 80)}” but article ${id} marks “${marked.slice(0, 80)}”`);
    });
  }
  // The RSS feed: each item's description is the linked article's sentence.
  const rss = cheerio.load(readFileSync(path.join(client, 'facts.xml'), 'utf8'), { xmlMode: true });
  rss('item').each((_, item) => {
    const link = new URL(rss(item).find('link').text());
    const m = /^\/articles\/(\d+)\/$/.exec(link.pathname);
    if (!m) return;
    const anchor = article(m[1]!)(`[id="${decodeURIComponent(link.hash.slice(1))}"]`);
    const marked = norm(anchor.parents('mark.evidence').last().text() || anchor.text());
    const said = norm(rss(item).find('description').text());
    sentences++;
    if (!marked || (!marked.includes(said) && !said.includes(marked))) problems.push(`facts.xml: “${said.slice(0, 80)}” links to article ${m[1]} marking “${marked.slice(0, 80)}”`);
  });
  expect(problems).toEqual([]);
  // The walk saw the site: the sample yields well over a hundred facts on the timeline.
  expect(links).toBeGreaterThan(100);
  expect(sentences).toBeGreaterThan(50);
});
