/**
 * What a database holds, without ids, timestamps or run bookkeeping: two databases that collected
 * and extracted the same things compare equal, however many processes wrote them and in what order.
 * Works on a file and on a libSQL server (any DATABASE_URL).
 */
import { createClient } from '@libsql/client';

export interface Snapshot {
  articles: Record<string, unknown>[];
  items: Record<string, unknown>[];
  facts: Record<string, unknown>[];
  sources: Record<string, unknown>[];
  companies: Record<string, unknown>[];
}

export async function snapshot(url: string): Promise<Snapshot> {
  const c = createClient({ url, timeout: 10_000 });
  const rows = async (sql: string) => (await c.execute(sql)).rows.map((r) => ({ ...r }));
  try {
    return {
      articles: await rows(
        `select a.key, a.url, a.title, a.outlet, a.author, a.published_at, a.text, a.content_hash, a.revision,
                a.text_source, a.flags, a.extraction_status, o.key as copy_of, f.url as feed
         from articles a left join articles o on o.id = a.copy_of_id left join feeds f on f.id = a.feed_id order by a.key`,
      ),
      items: await rows(
        `select f.url as feed, i.guid, i.url, i.status, i.attempts, a.key as article from feed_items i
         join feeds f on f.id = i.feed_id left join articles a on a.id = i.article_id order by f.url, i.guid`,
      ),
      facts: await rows(
        `select f.id, c.slug as company, f.kind, f.value, f.value_high, f.unit, f.direction, f.change_pct, f.label,
                f.status, f.as_of, f.speaker, f.quote, f.statement, f.extractor, f.confidence, f.corroboration, f.retracted
         from facts f join companies c on c.id = f.company_id order by f.id`,
      ),
      sources: await rows(
        `select s.fact_id, a.key as article, s.revision, s.evidence, s.start, s."end", s.partial, s.extractor
         from fact_sources s join articles a on a.id = s.article_id order by s.fact_id, a.key, s.revision, s.start`,
      ),
      companies: await rows(`select slug, name, aliases, ticker, origin from companies order by slug`),
    };
  } finally {
    c.close();
  }
}
