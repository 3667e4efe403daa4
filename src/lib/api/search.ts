/**
 * Full-text search over the search_fts index (db/migrations/0001_search_index.sql): bm25 ranking with
 * titles weighted above bodies, and a short plain-text snippet per hit with the matched words as
 * [start, end) ranges — never HTML, so whatever the articles contain is only ever text to the client.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../db/client.ts';
import { kindLabel } from '../site/format.ts';

/**
 * Longest title or snippet a hit carries, in UTF-16 units. A feed can hand us a 100 kB title; the
 * answer is a list for a person to scan, so each line is cut (a search answer stayed 110 kB otherwise).
 */
export const MAX_HIT_TEXT = 300;

export const SEARCH_KINDS = ['article', 'fact'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

const offset = z.number().int().min(0);

export const SearchHitSchema = z
  .strictObject({
    kind: z.enum(SEARCH_KINDS),
    ref: z.string().min(1).meta({ description: 'article id (as text) or fact id' }),
    title: z.string().min(1).max(MAX_HIT_TEXT).meta({ description: `at most ${MAX_HIT_TEXT} characters; "…" where it was cut` }),
    snippet: z.string().max(MAX_HIT_TEXT).meta({ description: `plain text around the best match, at most ${MAX_HIT_TEXT} characters; "…" where it was cut` }),
    highlights: z.array(z.tuple([offset, offset])).meta({ description: 'UTF-16 [start, end) offsets of the matched words in snippet' }),
    url: z.string().min(1).meta({ description: 'the page on the site: the article, or the fact\'s evidence in it' }),
    company: z.string().nullable().meta({ description: 'company slug for facts, null for articles' }),
  })
  .meta({ id: 'SearchHit', description: 'One article or fact that matched, best first.' });
export type SearchHit = z.infer<typeof SearchHitSchema>;

/** bm25 weights per column: kind, ref, company (unindexed), title, body. */
const RANK = 'bm25(0.0, 0.0, 0.0, 4.0, 1.0)';
/** Tokens of context in a snippet. */
const SNIPPET_TOKENS = 24;
const OPEN = '\u0002';
const CLOSE = '\u0003';

const words = new Intl.Segmenter('en', { granularity: 'word' });
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Cuts `text` to at most `max` units, "…" included: after the last whole word that fits, or, when
 * there is no word break in the second half (one 100 kB "word"), after the last whole grapheme — never
 * inside a surrogate pair or a combined character. Only the first `max` units are segmented, so a
 * huge input costs no more than a short one.
 */
export function clipText(text: string, max = MAX_HIT_TEXT): string {
  if (text.length <= max) return text;
  const limit = max - 1;
  const head = text.slice(0, limit + 1);
  let cut = 0;
  for (const seg of words.segment(head)) {
    const end = seg.index + seg.segment.length;
    // `head` has one unit past the limit, so a word cut by the slice ends beyond it and is skipped.
    if (end > limit) break;
    if (seg.isWordLike) cut = end;
  }
  if (cut < limit / 2) {
    cut = 0;
    for (const seg of graphemes.segment(head)) {
      const end = seg.index + seg.segment.length;
      if (end > limit) break;
      cut = end;
    }
  }
  return `${text.slice(0, cut).trimEnd()}…`;
}

/** clipText for a snippet, keeping only the highlight ranges (or the parts of them) that remain. */
export function clipSnippet(s: { text: string; highlights: [number, number][] }, max = MAX_HIT_TEXT): { text: string; highlights: [number, number][] } {
  if (s.text.length <= max) return s;
  const text = clipText(s.text, max);
  const kept = text.length - 1; // the "…"
  const highlights = s.highlights.filter(([a]) => a < kept).map(([a, b]): [number, number] => [a, Math.min(b, kept)]);
  return { text, highlights };
}

/** Splits snippet() output marked with OPEN…CLOSE into text and ranges; stray markers are dropped. */
export function parseSnippet(marked: string): { text: string; highlights: [number, number][] } {
  let text = '';
  const highlights: [number, number][] = [];
  let start = -1;
  for (const ch of marked) {
    if (ch === OPEN) start = text.length;
    else if (ch === CLOSE) {
      if (start >= 0 && text.length > start) {
        const last = highlights[highlights.length - 1];
        // snippet() marks each matched token; adjacent tokens of one phrase read better as one range.
        if (last && /^\s*$/.test(text.slice(last[1], start))) last[1] = text.length;
        else highlights.push([start, text.length]);
      }
      start = -1;
    } else text += ch;
  }
  return { text, highlights };
}

interface Row {
  kind: SearchKind;
  ref: string;
  company: string | null;
  title: string;
  snip: string;
}

interface FactMeta {
  id: string;
  kind: string;
  label: string | null;
  status: string | null;
  speaker: string | null;
  name: string;
  slug: string;
  articleId: number | null;
}

/** "Klarna: ipo filed", "Klarna: quote by Sebastian Siemiatkowski", "Klarna: share of chats automated". */
function factTitle(f: FactMeta): string {
  const what = f.kind === 'metric' && f.label ? f.label : kindLabel(f.kind);
  const detail = f.kind === 'quote' && f.speaker ? ` by ${f.speaker}` : f.status ? ` ${f.status}` : '';
  return `${f.name}: ${what}${detail}`;
}

/**
 * Runs an FTS5 MATCH expression (already sanitised: src/lib/api/search-query.ts), best first. The
 * inner query picks the top `limit` rowids (the ranking function given through `rank MATCH`), so
 * snippet() then runs for those rows only, not for every match. Equal scores (a reprint scores
 * exactly as its original) are ordered by rowid: without a total order, the first 20 and the first
 * 30 could disagree about which tied row comes first, and paging by offset would repeat one row and
 * skip another.
 */
async function ranked(db: Db, match: string, kind: SearchKind, limit: number): Promise<Row[]> {
  const top = await db.all<{ rowid: number }>(sql`
    select rowid from search_fts
    where search_fts match ${match} and rank match ${RANK} and kind = ${kind}
    order by rank, rowid
    limit ${limit}`);
  if (top.length === 0) return [];
  // snippet() for those rows only. The ids go in as a literal list of integers (they come from the
  // query above, never from the caller): FTS5 then looks each up by rowid, where `rowid in
  // (subquery)` made it decode and score every match a second time (bench:scale, 100k articles, a
  // common word: 2.6 s before, 1.2 s after).
  const ids = top.map((t) => Number(t.rowid));
  const rows = await db.all<Row & { rowid: number }>(sql`
    select rowid, kind, ref, company, title,
           snippet(search_fts, -1, char(2), char(3), '…', ${SNIPPET_TOKENS}) as snip
    from search_fts
    where search_fts match ${match} and rowid in (${sql.raw(ids.join(', '))})`);
  const at = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => at.get(Number(a.rowid))! - at.get(Number(b.rowid))!);
}

/** Alternates two ranked lists, the rest of the longer one after the shorter runs out. */
function interleave<T>(a: T[], b: T[], limit: number): T[] {
  const out: T[] = [];
  for (let i = 0; out.length < limit && (i < a.length || i < b.length); i++) {
    if (i < a.length) out.push(a[i]!);
    if (i < b.length && out.length < limit) out.push(b[i]!);
  }
  return out;
}

/**
 * Without a kind, articles and facts are ranked apart and alternated: bm25 scores of a 600-word
 * article and a one-sentence fact are not comparable (length normalisation puts every short fact
 * first), and a reader looking for "Klarna" wants both the stories and the figures.
 *
 * `offset` skips that many hits of the same ranking: the first offset + limit of each list decide the
 * first offset + limit of the alternation, so consecutive pages neither repeat nor miss a hit.
 */
export async function searchIndex(db: Db, match: string, opts: { kind?: SearchKind; limit: number; offset?: number }): Promise<SearchHit[]> {
  const offset = opts.offset ?? 0;
  const upTo = offset + opts.limit;
  const rows = (
    opts.kind
      ? await ranked(db, match, opts.kind, upTo)
      : interleave(await ranked(db, match, 'article', upTo), await ranked(db, match, 'fact', upTo), upTo)
  ).slice(offset);
  const factIds = rows.filter((r) => r.kind === 'fact').map((r) => r.ref);
  const facts = new Map<string, FactMeta>();
  if (factIds.length) {
    // The article to link a fact to: its earliest current source, where the page marks its evidence.
    const meta = await db.all<FactMeta>(sql`
      select f.id, f.kind, f.label, f.status, f.speaker, c.name, c.slug,
             (select s.article_id from fact_sources s join articles a on a.id = s.article_id
              where s.fact_id = f.id
              order by (s.revision = a.revision) desc, coalesce(a.published_at, a.first_seen_at), a.id
              limit 1) as articleId
      from facts f join companies c on c.id = f.company_id
      where f.id in (${sql.join(factIds.map((id) => sql`${id}`), sql`, `)})`);
    for (const m of meta) facts.set(m.id, m);
  }
  const hits: SearchHit[] = [];
  for (const r of rows) {
    const { text, highlights } = clipSnippet(parseSnippet(r.snip));
    if (r.kind === 'article') {
      hits.push({ kind: 'article', ref: r.ref, title: clipText(r.title.trim() || 'Untitled article'), snippet: text, highlights, url: `/articles/${r.ref}/`, company: null });
      continue;
    }
    const f = facts.get(r.ref);
    if (!f) continue; // deleted between the two reads
    hits.push({
      kind: 'fact',
      ref: r.ref,
      title: clipText(factTitle(f)),
      snippet: text,
      highlights,
      url: f.articleId !== null ? `/articles/${f.articleId}/#fact-${encodeURIComponent(r.ref)}` : `/companies/${encodeURIComponent(f.slug)}/`,
      company: f.slug,
    });
  }
  return hits;
}
