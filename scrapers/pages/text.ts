/**
 * Main-text extraction: our boilerplate pre-cleaning (clean.ts), then Readability over linkedom,
 * then paragraph-level post-cleaning (this file).
 *
 * Readability keeps one container; when the article continues in sibling blocks (page builders,
 * columns, forum posts) the region found by region.ts replaces its output. When cleaning lost the
 * article (the output is nearly empty on a page with prose), a fresh parse is read with light
 * cleaning; when the page's JSON-LD articleBody holds far more text than the DOM gave, it is used.
 *
 * Post-cleaning works on the paragraph list, each paragraph with its link density and source tag,
 * and drops: recirculation teasers ("Read more: …", "Lesen Sie auch: …", "You may also like" and the
 * link list after it), calls to action, captions and credits, author boxes, bylines/datelines/kickers
 * above the first real paragraph, a repeated headline, and link-dense or headline-like clusters at the
 * end. The phrases, in many languages, are in phrases.ts.
 */
import { Readability } from '@mozilla/readability';
import { lightClean, preClean, unlinkEmbeds } from './clean.ts';
import { guardDepth, htmlToText, nodeToBlocks, normalizeSpace, parseDocument, prepareHtml, type Block } from './html.ts';
import { readJsonLd } from './metadata.ts';
import { AUTHOR_BIO, AUTHOR_HEADING, CAPTION_RE, COMMENT_CTA, CONTACT_RE, CREDIT_RE, CTA_RE, MODERATION_RE, RECIRC_HEADING, SIGN_OFF_RE, TEASER_PREFIX } from './phrases.ts';
import { scanProse } from './prose.ts';
import { articleRegion } from './region.ts';

const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE_RE = new RegExp(
  `\\b(?:${MONTHS})\\.?\\s+\\d{1,2}\\b|\\b\\d{1,2}\\.?\\s+(?:${MONTHS})\\b|\\b\\d{4}-\\d{2}-\\d{2}\\b|\\b\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}\\b|\\b\\d{1,2}:\\d{2}\\s*(?:[ap]\\.?m\\.?)?|\\b(?:updated|published|posted|last modified)\\b|\\b\\d+\\s+(?:minutes?|hours?|days?|weeks?)\\s+ago\\b`,
  'i',
);
const BYLINE_RE = /^(?:by|from|por|von|par|door|di|da|de|written by|words by|reporting by)\s+\p{Lu}/iu;

const SENTENCE_END = /[.!?…:;"'”’)\]。！？」』）]$/;

function wordCount(s: string): number {
  return s.split(' ').length;
}
function linkDensity(b: Block): number {
  return b.text.length ? b.linkChars / b.text.length : 0;
}
const URL_LIKE = /^(?:https?:\/\/|www\.)\S+$|^[\w-]+(?:\.[\w-]+)+(?:\/\S*)?$/i;

function isTeaser(b: Block): boolean {
  if (b.text.length < 200 && TEASER_PREFIX.test(b.text)) return true;
  if (b.text.length < 250 && CTA_RE.test(b.text)) return true;
  if (b.text.length < 80 && COMMENT_CTA.test(b.text)) return true;
  // A paragraph that is nothing but a link with a headline: an inline "read this too" teaser.
  // Headings made of a link (product names, section heads) and bare URLs (sources) are kept.
  return linkDensity(b) > 0.9 && isHeadlineLike(b) && !b.quote && !b.heading && b.text.length > 20 && !URL_LIKE.test(b.text);
}
function isCaption(b: Block): boolean {
  return b.text.length < 400 && CAPTION_RE.some((re) => re.test(b.text));
}
/** A standalone "Published …/Updated …" timestamp line, wherever it sits. */
function isTimestampLine(b: Block): boolean {
  return b.text.length < 90 && /^(?:published|updated|posted|last (?:updated|modified)|first published)\b/i.test(b.text) && DATE_RE.test(b.text.slice(9));
}
/** A real prose paragraph: long enough, mostly not links, ends like a sentence. */
/** A full sentence of prose, however short: ten words or more, ending like a sentence, not a time stamp. */
function isLedeSentence(b: Block): boolean {
  return wordCount(b.text) >= 10 && SENTENCE_END.test(b.text) && /^\p{Lu}/u.test(b.text) && !/^(?:updated|published|posted|last (?:modified|updated)|first published|originally published)\b/i.test(b.text) && linkDensity(b) < 0.3;
}

function isProse(b: Block): boolean {
  return b.text.length >= 120 && linkDensity(b) < 0.5 && !b.heading;
}
function isHeadlineLike(b: Block): boolean {
  return b.text.length < 120 && !SENTENCE_END.test(b.text);
}

const normKey = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

export function postClean(blocks: Block[], titles: string[]): Block[] {
  const titleKeys = new Set(titles.flatMap((t) => [t, ...t.split(/(?<!\s)\s+[|\-–—:]\s+/)]).map(normKey).filter((k) => k.length > 10));
  let out = blocks.filter(
    (b) => !isTeaser(b) && !isCaption(b) && !isTimestampLine(b) && !titleKeys.has(normKey(b.text)) && !CONTACT_RE.test(b.text) && !(b.text.length < 250 && CREDIT_RE.test(b.text)),
  );

  // Recirculation headings and the link list that follows them.
  const kept: Block[] = [];
  for (let i = 0; i < out.length; i++) {
    const b = out[i]!;
    if (b.text.length < 60 && RECIRC_HEADING.test(b.text) && (b.heading || isHeadlineLike(b) || linkDensity(b) > 0.5)) {
      let j = i + 1;
      while (j < out.length && !isProse(out[j]!) && (linkDensity(out[j]!) > 0.5 || isHeadlineLike(out[j]!))) j++;
      i = j - 1;
      continue;
    }
    kept.push(b);
  }
  out = kept;

  // Furniture above the first prose paragraph: bylines, datelines, kickers, section labels.
  const firstProse = out.findIndex(isProse);
  if (firstProse > 0) {
    out = out.filter((b, i) => {
      if (i >= firstProse) return true;
      if (b.text.length > 150) return true;
      // A dateline holds a date; so does a one-sentence lede ("X priced its IPO at $40 a share on March 14,
      // 2025, ending months of speculation."), which is the article's first fact, not furniture.
      if (BYLINE_RE.test(b.text) || (DATE_RE.test(b.text) && !isLedeSentence(b))) return false;
      if (linkDensity(b) > 0.5) return false;
      if (wordCount(b.text) <= 3 && !SENTENCE_END.test(b.text)) return false;
      return true;
    });
  }

  // An author box at the end: its heading and the short bio lines after it; or a lone one-line bio.
  const authorAt = out.findIndex((b, i) => i > 0 && b.text.length < 60 && AUTHOR_HEADING.test(b.text) && out.length - i <= 4 && out.slice(i + 1).every((x) => x.text.length < 600));
  if (authorAt > 0) out = out.slice(0, authorAt);
  if (out.length > 1 && out[out.length - 1]!.text.length < 300 && AUTHOR_BIO.test(out[out.length - 1]!.text)) out = out.slice(0, -1);

  // Sign-offs at the very end: "Follow him on Twitter", "Join our forums…", comment-moderation notes.
  const signOff = (t: string): boolean => t.length < 400 && (SIGN_OFF_RE.test(t) || (t.length < 250 && MODERATION_RE.test(t)));
  while (out.length > 1 && signOff(out[out.length - 1]!.text)) out = out.slice(0, -1);

  // Link-dense list items are navigation wherever they are.
  out = out.filter((b) => !(b.tag === 'li' && linkDensity(b) > 0.7 && b.text.length < 150));

  // Trailing cluster after the last prose paragraph: link lists, and a few short headline-like
  // lines (captions, credits, sign-offs). A long run of short lines is kept: that is a list that
  // belongs to the article (tour dates, product lists, contact details).
  const lastProse = out.findLastIndex(isProse);
  if (lastProse >= 0) {
    let end = out.length;
    const dropLinks = (): void => {
      while (end > lastProse + 1 && linkDensity(out[end - 1]!) > 0.5) end--;
    };
    dropLinks();
    let run = 0;
    while (end - run > lastProse + 1) {
      const b = out[end - run - 1]!;
      if (isHeadlineLike(b) && wordCount(b.text) <= 12 && b.tag !== 'li' && !b.quote) run++;
      else break;
    }
    if (run <= 3) {
      end -= run;
      dropLinks();
    }
    out = out.slice(0, end);
  }
  return out;
}

/** Title candidates (og:title, <title>, h1) collected before Readability mutates the document. */
function titleCandidates(doc: Document): string[] {
  const out: string[] = [];
  const og = doc.querySelector('meta[property="og:title"]')?.getAttribute('content');
  if (og) out.push(og);
  const t = doc.querySelector('title')?.textContent;
  if (t) out.push(t);
  for (const h of Array.from(doc.querySelectorAll('h1')).slice(0, 3)) out.push(normalizeSpace(h.textContent ?? ''));
  return out;
}

/** Above this many elements Readability's cost explodes (seconds); use the linear fallback. */
export const MAX_READABILITY_ELEMENTS = 25_000;

export function readabilityBlocks(doc: Document): Block[] {
  const reader = new Readability<Node>(doc, { serializer: (n: Node) => n, charThreshold: 500 });
  const art = reader.parse();
  if (!art || !art.content) return [];
  return nodeToBlocks(art.content);
}

/** The article region (core container and the siblings that continue it, see region.ts) as blocks. */
interface RegionBlocks {
  blocks: Block[];
  /** The lead's prose paragraphs (standfirst), when the region found one above the core. */
  lead: Block[];
  prose: number;
  expanded: boolean;
}

export function regionBlocks(body: Element, byProse = false): RegionBlocks {
  const scan = scanProse(body);
  const region = articleRegion(byProse ? scan.proseCore : scan.core, scan.prose, body);
  const lead = region.lead ? nodeToBlocks(region.lead).filter((b) => !b.heading && b.text.length >= 50) : [];
  return { blocks: region.parts.flatMap((el) => nodeToBlocks(el)), lead, prose: region.prose, expanded: region.prose > region.coreProse };
}

/** Readability drops a lead whose container's class it dislikes ("entry-header"): put it back first. */
function withLead(blocks: Block[], lead: Block[]): Block[] {
  const have = new Set(blocks.map((b) => b.text));
  const missing = lead.filter((b) => !have.has(b.text));
  return missing.length ? [...missing, ...blocks] : blocks;
}

/** Characters in prose paragraphs (a sentence or more, mostly not links). */
function proseChars(blocks: Block[]): number {
  let n = 0;
  for (const b of blocks) if (b.text.length >= 50 && linkDensity(b) < 0.3 && !b.heading) n += b.text.length;
  return n;
}

/**
 * Whether the region found above Readability's container should replace its output: it holds
 * clearly more prose, and it contains nearly all of what Readability kept (so it is the same
 * article, extended, not another part of the page).
 */
function regionWins(region: { blocks: Block[]; prose: number }, readability: Block[]): boolean {
  const ours = proseChars(region.blocks);
  const theirs = proseChars(readability);
  if (ours < theirs * 1.2 + 100) return false;
  const texts = new Set(region.blocks.map((b) => b.text));
  let covered = 0;
  for (const b of readability) if (b.text.length >= 50 && texts.has(b.text)) covered += b.text.length;
  return covered >= theirs * 0.8;
}

/** The longest JSON-LD articleBody of the page, as paragraphs; read before Readability drops scripts. */
function jsonLdBody(doc: Document): string[] {
  const has = Array.from(doc.querySelectorAll('script')).some((s) => (s.textContent ?? '').includes('"articleBody"'));
  if (!has) return [];
  let best = '';
  for (const o of readJsonLd(doc)) {
    const b = o['articleBody'];
    if (typeof b === 'string' && b.length > best.length) best = b;
  }
  if (!best) return [];
  const text = /<\/?[a-z][^<>]*>/i.test(best) ? htmlToText(best) : best;
  return text.split(/\n+/).map(normalizeSpace).filter(Boolean);
}

/** Output this short while the page has this much prose means the extraction lost the article. */
const LOST_OUTPUT = 200;
const PAGE_PROSE = 400;

/** Main text from an already parsed document (mutates it). `reparse` gives a fresh copy for the fallback. */
export function mainTextFromDocument(doc: Document, reparse?: () => Document | null): string {
  const titles = titleCandidates(doc);
  const ldBody = jsonLdBody(doc);
  const pageProse = preClean(doc);
  unlinkEmbeds(doc);
  const region: RegionBlocks = doc.body ? regionBlocks(doc.body) : { blocks: [], lead: [], prose: 0, expanded: false };
  const big = doc.querySelectorAll('*').length > MAX_READABILITY_ELEMENTS;
  let blocks: Block[] = [];
  if (!big) {
    try {
      blocks = readabilityBlocks(doc);
    } catch {
      blocks = [];
    }
  }
  if (!blocks.length || (region.expanded && regionWins(region, blocks))) blocks = region.blocks;
  else blocks = withLead(blocks, region.lead);
  let out = postClean(blocks, titles);
  // Pre-cleaning can remove the real wrapper when the core finder picked a sidebar list: start
  // again from a fresh copy with only the never-text elements removed, from where the sentences are.
  if (textLength(out) < LOST_OUTPUT && pageProse >= PAGE_PROSE && reparse) {
    const fresh = reparse();
    if (fresh?.body && guardDepth(fresh)) {
      lightClean(fresh);
      const again = postClean(regionBlocks(fresh.body, true).blocks, titles);
      if (textLength(again) > textLength(out)) out = again;
    }
  }
  const text = out.map((b) => b.text);
  // The text may be only in JSON-LD (pages rendered by script), or the DOM gave a fraction of it.
  const ldLength = ldBody.reduce((n, p) => n + p.length, 0);
  if (ldLength >= 300 && ldLength > 2 * textLength(out)) return ldBody.join('\n\n');
  return text.join('\n\n');
}

function textLength(blocks: Block[]): number {
  return blocks.reduce((n, b) => n + b.text.length, 0);
}

/** Extracts the main article text of a page: paragraphs separated by "\n\n". Never throws. */
export function extractMainText(html: string, url: string): string {
  void url;
  try {
    const prepared = prepareHtml(html);
    const doc = parseDocument(prepared);
    if (!doc || !guardDepth(doc)) return '';
    return mainTextFromDocument(doc, () => parseDocument(prepared));
  } catch {
    return '';
  }
}
