/**
 * Paywall and truncation detection.
 *
 * - `jsonld-not-free`: the article's JSON-LD (or one of its hasPart sections) says
 *   isAccessibleForFree: false (boolean or the strings "False"/"false"/"no").
 * - `paywall-marker`: an element whose class/id names a paywall (paywall, meter, subscriber-only, …).
 * - `paywall-text`: a short element saying "Subscribe to continue reading" and the like.
 * - `shorter-than-feed`: the extracted text is under 60% of the feed's own text for the item.
 * - `teaser-ellipsis`: the text ends with "…", "..." or "[…]" (a cut-off teaser).
 *
 * paywalled = any of the first three; truncated = either of the last two.
 */
import { classWords } from './clean.ts';
import { normalizeSpace } from './html.ts';

type JsonObject = { [k: string]: unknown };

function notFree(v: unknown): boolean {
  if (v === false) return true;
  if (typeof v === 'string') return /^\s*(?:false|no|0)\s*$/i.test(v);
  return false;
}

/** True when a JSON-LD object (or its hasPart parts) declares the content not free. */
export function jsonLdNotFree(objs: JsonObject[]): boolean {
  const seen = new Set<unknown>();
  const check = (o: unknown, depth: number): boolean => {
    if (depth > 5 || !o || typeof o !== 'object' || seen.has(o)) return false;
    seen.add(o);
    if (Array.isArray(o)) return o.some((x) => check(x, depth + 1));
    const obj = o as JsonObject;
    if ('isAccessibleForFree' in obj && notFree(obj.isAccessibleForFree)) return true;
    return check(obj.hasPart, depth + 1);
  };
  return objs.some((o) => check(o, 0));
}

const MARKER_WORDS = new Set(['paywall', 'paywalled', 'metered', 'regwall', 'subscriberonly', 'premiumcontent', 'contentlocked', 'lockedcontent', 'piano']);
const MARKER_PAIRS = new Set(['pay wall', 'subscriber only', 'subscribers only', 'premium content', 'premium article', 'premium lock', 'content locked', 'locked content', 'article locked', 'registration wall', 'reg wall', 'meter wall', 'article meter', 'meter count', 'piano offer', 'tp modal']);

/** Whether a class/id string names a paywall element. */
export function isPaywallName(s: string): boolean {
  if (!s) return false;
  for (const tok of s.split(/\s+/)) {
    const words = classWords(tok);
    if (MARKER_WORDS.has(words.join(''))) return true;
    for (let i = 0; i < words.length; i++) {
      if (MARKER_WORDS.has(words[i]!) && words[i] !== 'piano') return true;
      if (i + 1 < words.length && MARKER_PAIRS.has(words[i] + ' ' + words[i + 1])) return true;
    }
  }
  return false;
}

const PAYWALL_TEXT =
  /\b(?:subscribe (?:now )?to (?:continue reading|read (?:the (?:full|rest of|whole) )?(?:this )?(?:article|story)|keep reading|unlock)|(?:this (?:article|story|content) is (?:only )?(?:available )?(?:for|to) (?:subscribers|members|premium)|for subscribers only|subscribers only)|(?:to (?:continue|keep) reading|to read (?:the )?(?:full|rest of (?:the|this)) (?:article|story)),? (?:please )?(?:subscribe|sign in|log in|become a (?:subscriber|member))|you(?:'|’)ve (?:reached|used) (?:your|all (?:of )?your) (?:free |monthly )*(?:article |story )?(?:limit|articles|stories)|(?:create a free account|register|sign in|log in) to (?:continue|keep) reading|already a subscriber\?? (?:sign|log) in to (?:continue|read))\b/i;

/** Finds paywall markers in the document: class/id names and paywall sentences in short elements. */
export function paywallMarkers(doc: Document): { marker: boolean; text: boolean } {
  const body = doc.body;
  if (!body) return { marker: false, text: false };
  let marker = false;
  let text = false;
  for (const el of Array.from(body.querySelectorAll('[class], [id]'))) {
    if (isPaywallName(`${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`)) {
      marker = true;
      break;
    }
  }
  for (const el of Array.from(body.querySelectorAll('p, div, span, h2, h3, h4, strong, a, button, section'))) {
    // Only elements whose own text is short: a long container "contains" every sentence of the page.
    const t = el.textContent ?? '';
    if (t.length > 300 || t.length < 12) continue;
    if (PAYWALL_TEXT.test(normalizeSpace(t))) {
      text = true;
      break;
    }
  }
  return { marker, text };
}

const TEASER_END = /(?:…|\.\.\.|\[…\]|\[\.\.\.\]|\(\.\.\.\))\s*$/;

/** Truncation flags for the extracted text, compared with the feed's own text of the item. */
export function truncationFlags(text: string, feedContentText: string | null | undefined): string[] {
  const flags: string[] = [];
  const feed = feedContentText ? normalizeSpace(feedContentText) : '';
  const mine = normalizeSpace(text);
  if (feed.length >= 200 && mine.length < feed.length * 0.6) flags.push('shorter-than-feed');
  if (mine && TEASER_END.test(mine)) flags.push('teaser-ellipsis');
  return flags;
}
