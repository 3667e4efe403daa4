/** JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1) → RawFeed, validated with zod. */
import { z } from 'zod';
import { cleanLine } from './html-text.ts';
import { FeedParseError, type RawFeed, type RawItem } from './types.ts';
import { feedBase, resolveHttpUrl } from './xml-base.ts';

/** A string field; anything else (numbers, objects) reads as absent rather than failing the item. */
const Str = z.string().optional().catch(undefined);
const Author = z.looseObject({ name: Str, url: Str });
const Authors = z.array(z.unknown()).optional().catch(undefined);

const JsonItem = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String).optional().catch(undefined),
  url: Str,
  external_url: Str,
  title: Str,
  content_html: Str,
  content_text: Str,
  summary: Str,
  date_published: z.unknown().optional(),
  date_modified: z.unknown().optional(),
  author: z.unknown().optional(),
  authors: Authors,
  tags: z.array(z.unknown()).optional().catch(undefined),
});

const JsonFeed = z.looseObject({
  version: z.string().regex(/^https?:\/\/jsonfeed\.org\/version\/1(?:\.\d+)?\/?$/),
  title: Str,
  home_page_url: Str,
  description: Str,
  language: Str,
  author: z.unknown().optional(),
  authors: Authors,
  items: z.array(z.unknown()),
});

/** First author name: 1.1 `authors[]`, else 1.0 `author`. */
function authorName(authors: unknown[] | undefined, author: unknown): string | null {
  for (const a of [...(authors ?? []), author]) {
    const parsed = Author.safeParse(a);
    const name = parsed.success ? cleanLine(parsed.data.name) : null;
    if (name) return name;
  }
  return null;
}

export function parseJsonFeed(text: string, feedUrl: string): RawFeed {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new FeedParseError(`feed: invalid JSON: ${(err as Error).message.slice(0, 200)}`, { cause: err });
  }
  const feed = JsonFeed.safeParse(data);
  if (!feed.success) throw new FeedParseError('feed: not a JSON Feed (needs a jsonfeed.org version and an items array)', { cause: feed.error });
  const f = feed.data;
  const base = feedBase(feedUrl);
  const warnings: string[] = [];
  const feedAuthor = authorName(f.authors, f.author);
  const items: RawItem[] = [];
  f.items.forEach((raw, i) => {
    const position = i + 1;
    const parsed = JsonItem.safeParse(raw);
    if (!parsed.success) {
      warnings.push(`item ${position}: dropped, not a JSON Feed item object`);
      return;
    }
    const it = parsed.data;
    const link = it.url ?? it.external_url;
    const url = resolveHttpUrl(link, base) ?? resolveHttpUrl(it.external_url, base);
    if (link?.trim() && !url) warnings.push(`item ${position}: ignored link "${link.trim().slice(0, 100)}" (not an http(s) URL)`);
    items.push({
      position,
      guid: it.id?.trim() || null,
      url,
      title: cleanLine(it.title), // plain text by the spec; not HTML-decoded
      author: authorName(it.authors, it.author) ?? feedAuthor,
      published: it.date_published ?? null,
      updated: it.date_modified ?? null,
      contentHtml: it.content_html ?? null,
      contentText: it.content_text ?? null,
      summary: it.summary ?? null,
      categories: [...new Set((it.tags ?? []).flatMap((t) => (typeof t === 'string' && cleanLine(t) ? [cleanLine(t)!] : [])))],
    });
  });
  return {
    format: 'json',
    title: cleanLine(f.title),
    siteUrl: resolveHttpUrl(f.home_page_url, base),
    description: cleanLine(f.description),
    language: cleanLine(f.language),
    ttlMinutes: null,
    items,
    warnings,
  };
}
