/**
 * The provenance walk over a built site: every link to a fact's evidence lands on an anchor that exists
 * in that article, and wherever a sentence is shown beside the link (timeline entries, the RSS feed),
 * the linked article holds that very sentence at the anchor. Returns what it saw and every problem.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';

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

export interface WalkResult {
  links: number;
  sentences: number;
  problems: string[];
}

export function walkProvenance(distDir: string): WalkResult {
  const client = path.join(distDir, 'client');
  const articlePage = new Map<string, cheerio.CheerioAPI>();
  const article = (id: string) => {
    let $ = articlePage.get(id);
    if (!$) articlePage.set(id, ($ = cheerio.load(readFileSync(path.join(client, 'articles', id, 'index.html'), 'utf8'))));
    return $;
  };
  // Overlapping facts nest their marks, so the evidence is the outermost mark around the anchor.
  const marked = ($a: cheerio.CheerioAPI, sel: string) => {
    const anchor = $a(sel);
    return anchor.length === 1 ? norm(anchor.parents('mark.evidence').last().text() || anchor.text()) : null;
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
      const text = marked(article(id!), `[id="fact-${decodeURIComponent(factId!)}"]`);
      if (text === null) return void problems.push(`${path.relative(client, file)}: ${href} has no anchor in article ${id}`);
      const shown = $(a).closest('li.fact').find('p.statement').text();
      if (!shown) return;
      sentences++;
      if (!text.includes(norm(shown)) && !norm(shown).includes(text)) problems.push(`${path.relative(client, file)}: shows “${norm(shown).slice(0, 80)}” but article ${id} marks “${text.slice(0, 80)}”`);
    });
  }
  // The RSS feed: each item's description is the linked article's sentence.
  const rss = cheerio.load(readFileSync(path.join(client, 'facts.xml'), 'utf8'), { xmlMode: true });
  rss('item').each((_, item) => {
    const link = new URL(rss(item).find('link').text());
    const m = /^\/articles\/(\d+)\/$/.exec(link.pathname);
    if (!m) return;
    const text = marked(article(m[1]!), `[id="${decodeURIComponent(link.hash.slice(1))}"]`);
    const said = norm(rss(item).find('description').text());
    sentences++;
    if (!text || (!text.includes(said) && !said.includes(text))) problems.push(`facts.xml: “${said.slice(0, 80)}” links to article ${m[1]} marking “${(text ?? '').slice(0, 80)}”`);
  });
  return { links, sentences, problems };
}
