/**
 * Article page → clean main text + metadata + paywall flags.
 *
 *   extractArticle(html, url, { feedTitle, feedContentText }) → ExtractedArticle
 *   extractMainText(html, url) → text only (used by bench/text.ts)
 *
 * One linkedom parse per page: metadata and paywall markers are read first, then the text extractor
 * cleans and mutates the same document. Never throws; garbage input gives empty text and null fields.
 */
import { guardDepth, parseDocument, prepareHtml } from './html.ts';
import { articleJsonLd, extractMetadata, readJsonLd, type PageMetadata } from './metadata.ts';
import { jsonLdNotFree, paywallMarkers, truncationFlags } from './paywall.ts';
import { mainTextFromDocument } from './text.ts';

export { extractMainText } from './text.ts';

export interface ExtractedArticle extends PageMetadata {
  /** Paragraphs separated by "\n\n", no HTML, whitespace normalised inside paragraphs. */
  text: string;
  paywalled: boolean;
  truncated: boolean;
  /** Reasons behind paywalled/truncated: jsonld-not-free, paywall-marker, paywall-text, shorter-than-feed, teaser-ellipsis. */
  flags: string[];
}

export interface ExtractOptions {
  feedTitle?: string | null;
  feedContentText?: string | null;
}

function emptyArticle(opts: ExtractOptions): ExtractedArticle {
  const flags = truncationFlags('', opts.feedContentText);
  return {
    title: null,
    text: '',
    author: null,
    publishedAt: null,
    modifiedAt: null,
    outlet: opts.feedTitle?.trim() || null,
    canonicalUrl: null,
    language: null,
    description: null,
    paywalled: false,
    truncated: flags.length > 0,
    flags,
  };
}

export function extractArticle(html: string, url: string, opts: ExtractOptions = {}): ExtractedArticle {
  try {
    const prepared = prepareHtml(html);
    const doc = parseDocument(prepared);
    if (!doc || !guardDepth(doc)) return emptyArticle(opts);
    const ld = readJsonLd(doc);
    const meta = extractMetadata(doc, url, opts, ld);
    const flags: string[] = [];
    const art = articleJsonLd(ld);
    if (jsonLdNotFree(art ? [art, ...ld.filter((o) => o !== art)] : ld)) flags.push('jsonld-not-free');
    const markers = paywallMarkers(doc);
    if (markers.marker) flags.push('paywall-marker');
    if (markers.text) flags.push('paywall-text');
    let text = '';
    try {
      text = mainTextFromDocument(doc, () => parseDocument(prepared));
    } catch {
      text = '';
    }
    const trunc = truncationFlags(text, opts.feedContentText);
    flags.push(...trunc);
    return {
      ...meta,
      text,
      paywalled: flags.includes('jsonld-not-free') || markers.marker || markers.text,
      truncated: trunc.length > 0,
      flags,
    };
  } catch {
    return emptyArticle(opts);
  }
}
