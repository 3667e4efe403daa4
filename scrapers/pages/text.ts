/**
 * Main-text extraction: Readability over linkedom, with our own boilerplate pre-cleaning (clean.ts)
 * before it and paragraph-level post-cleaning after it (this file).
 *
 * Post-cleaning works on the paragraph list Readability's container yields, each paragraph with its
 * link density and source tag, and drops: recirculation teasers ("Read more: …", "You may also like"
 * and the link list after it), captions and photo credits, bylines/datelines/kickers above the first
 * real paragraph, a repeated headline, and link-dense or headline-like clusters at the end.
 */
import { Readability } from '@mozilla/readability';
import { findTextCore, preClean, unlinkEmbeds } from './clean.ts';
import { guardDepth, nodeToBlocks, normalizeSpace, parseDocument, prepareHtml, type Block } from './html.ts';

/** Short blocks that start with one of these words (then ":" / "|" / "»" / end) are teasers or furniture. */
const TEASER_PREFIX =
  /^(?:read more|read next|read also|also read|see more|see also|more from|more on|more|related(?: articles?| stories| content| coverage| links?| news| posts?| reading)?|recommended(?: for you| stories| articles)?|you may also like|you might also like|you may like|don'?t miss|most read|most popular|trending(?: now)?|advert(?:isement)?s?|ads?|sponsored(?: content)?|continue reading(?: below)?|story continues below|article continues below|click here|sign up|subscribe|follow us|share this(?: article| story)?|share on|share|tweet|watch|listen|video|photos?|images?|pictured|credit|caption|close|comments?|tags?|topics?|filed under|editor'?s picks?|top stories|latest(?: news| stories)?|further reading|what to read next|up next|next article|previous article)\s*(?:[:|»>\-–—.…]+|$)/i;

/** Caption and credit shapes. */
const CAPTION_RE = [
  // A credit's body stops at the next "(" too: a run of "(photo:(photo:…" is then scanned once, not once per "(".
  /\((?:image|photo|picture|pic|credit|foto|imagem|source)s?(?: credits?)?\s*:[^()]*\)\s*$/i,
  /^(?:photo|image|picture|foto|imagem|credit)s?(?: credits?| by)?\s*:/i,
  /(?:credit|photograph|photo)\s*:\s*[^.!?]{0,80}$/i,
  /^(?:image|photo|slide|picture)\s+\d+\s+(?:of|\/)(?:\s*\/)?\s*\d+/i,
  /^\d+\s*(?:of|\/)\s*\d+\S/i,
  /\bthis slideshow requires javascript\b/i,
  /^(?:©|\(c\)|copyright\b)/i,
  // Wire-service captions: "In this Dec. 12, 2006, file photo, …"
  /^in this\b.{0,60}?\b(?:photo|photograph|image|picture|video|frame grab)\b/i,
  /^this\b.{0,40}?\b(?:photo|photograph|image|picture)\b.{0,30}?\b(?:shows|taken|provided|released|made available|courtesy)\b/i,
  /^[^.!?]{0,60}\b(?:getty images|shutterstock|ap photo|afp|reuters|epa|alamy|istock(?:photo)?|bloomberg|associated press)\b[^.!?]{0,30}$/i,
];

const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE_RE = new RegExp(
  `\\b(?:${MONTHS})\\.?\\s+\\d{1,2}\\b|\\b\\d{1,2}\\.?\\s+(?:${MONTHS})\\b|\\b\\d{4}-\\d{2}-\\d{2}\\b|\\b\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}\\b|\\b\\d{1,2}:\\d{2}\\s*(?:[ap]\\.?m\\.?)?|\\b(?:updated|published|posted|last modified)\\b|\\b\\d+\\s+(?:minutes?|hours?|days?|weeks?)\\s+ago\\b`,
  'i',
);
const BYLINE_RE = /^(?:by|from|por|von|par|door|di|da|de|written by|words by|reporting by)\s+\p{Lu}/iu;
const CONTACT_RE = /^(?:e-?mail|follow|contact|reach)\b.{0,120}(?:@|twitter|facebook|instagram|https?:\/\/)/i;

const SENTENCE_END = /[.!?…:;"'”’)\]。！？」』）]$/;

function wordCount(s: string): number {
  return s.split(' ').length;
}
function linkDensity(b: Block): number {
  return b.text.length ? b.linkChars / b.text.length : 0;
}
const URL_LIKE = /^(?:https?:\/\/|www\.)\S+$|^[\w-]+(?:\.[\w-]+)+(?:\/\S*)?$/i;

/** Calls to action anywhere in a short paragraph. */
const CTA_RE = /\bclick(?:ing)? here\b|\b(?:sign up|subscribe)\b.{0,80}\bnewsletters?\b|\bnewsletters?\b.{0,80}\b(?:sign up|subscribe)\b|\bget (?:the|our) (?:free )?app\b|^\[\w[^\]]*\].*\[\/\w+\]$/i;
/** Comment-section invitations; only as a whole short paragraph. */
const COMMENT_CTA = /^(?:join the (?:conversation|discussion|debate)|leave a (?:comment|reply)|tell us what you think|have your say|post a comment|add a comment)\b/i;

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

/** Headings that introduce a list of links to other articles. */
const RECIRC_HEADING =
  /^(?:you may also like|you might also like|you may like|more from|more in|more on|more stories|more news|more articles|more \p{L}+ news|related|recommended|most read|most popular|popular|trending|don'?t miss|read more|read next|also read|see also|latest|top stories|editor'?s picks?|what to read next|further reading|more like this|around the web|elsewhere|in case you missed it|from our partners|promoted|sponsored)\b/iu;

export function postClean(blocks: Block[], titles: string[]): Block[] {
  const titleKeys = new Set(titles.flatMap((t) => [t, ...t.split(/(?<!\s)\s+[|\-–—:]\s+/)]).map(normKey).filter((k) => k.length > 10));
  let out = blocks.filter((b) => !isTeaser(b) && !isCaption(b) && !isTimestampLine(b) && !titleKeys.has(normKey(b.text)) && !CONTACT_RE.test(b.text));

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

/** Fallback: the paragraphs of the best-scored text container (see findTextCore). */
export function coreBlocks(doc: Document): Block[] {
  if (!doc.body) return [];
  return nodeToBlocks(findTextCore(doc.body));
}

/** Main text from an already parsed document (mutates it). */
export function mainTextFromDocument(doc: Document): string {
  const titles = titleCandidates(doc);
  preClean(doc);
  unlinkEmbeds(doc);
  const big = doc.querySelectorAll('*').length > MAX_READABILITY_ELEMENTS;
  let blocks: Block[] = [];
  if (!big) {
    try {
      blocks = readabilityBlocks(doc);
    } catch {
      blocks = [];
    }
  }
  if (!blocks.length) blocks = coreBlocks(doc);
  return postClean(blocks, titles)
    .map((b) => b.text)
    .join('\n\n');
}

/** Extracts the main article text of a page: paragraphs separated by "\n\n". Never throws. */
export function extractMainText(html: string, url: string): string {
  void url;
  try {
    const doc = parseDocument(prepareHtml(html));
    if (!doc || !guardDepth(doc)) return '';
    return mainTextFromDocument(doc);
  } catch {
    return '';
  }
}
