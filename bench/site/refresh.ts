/**
 * A refresh for bench:site, made from a generated database: the site as it was before its newest `n`
 * articles arrived. The generated file is the site after the refresh; a copy without those articles
 * (their sources, summaries, revisions, and the facts only they stated) is the site before it. Facts
 * they corroborated stay, with one source fewer before — as a refresh that adds a second source finds
 * them. With `companies`, the articles are the newest whose facts are all about at most that many
 * companies (issue 15's "200 articles and 5 companies"); without, simply the newest (coverage spread
 * over companies Zipf-style, as the generator writes it).
 */
import { existsSync, rmSync } from 'node:fs';
import { createClient } from '@libsql/client';

export interface RefreshSplit {
  /** The database before the refresh (a new file beside the generated one). */
  before: string;
  /** The database after it: the generated file itself. */
  after: string;
  articles: number;
  /** Facts the refresh brings (stated only by its articles). */
  newFacts: number;
  /** Facts it gives another source. */
  corroborated: number;
  /** Companies its facts are about. */
  companies: number;
  ms: number;
}

export async function splitRefresh(file: string, n: number, opts: { companies?: number } = {}): Promise<RefreshSplit> {
  const t0 = performance.now();
  const before = `${file}.before-${n}${opts.companies ? `-c${opts.companies}` : ''}.db`;
  for (const f of [before, `${before}-wal`, `${before}-shm`]) if (existsSync(f)) rmSync(f);
  const src = createClient({ url: `file:${file}` });
  try {
    await src.execute(`vacuum into '${before.replace(/'/g, "''")}'`);
  } finally {
    src.close();
  }
  const c = createClient({ url: `file:${before}` });
  try {
    const newest = await c.execute(`select a.id, group_concat(distinct f.company_id) as cos from articles a
      left join fact_sources s on s.article_id = a.id left join facts f on f.id = s.fact_id
      group by a.id order by a.published_at desc, a.id desc`);
    const picked: number[] = [];
    const touched = new Set<number>();
    for (const row of newest.rows) {
      if (picked.length >= n) break;
      const cos = String(row.cos ?? '').split(',').filter(Boolean).map(Number);
      if (opts.companies) {
        const union = new Set([...touched, ...cos]);
        if (union.size > opts.companies) continue;
      }
      picked.push(Number(row.id));
      for (const co of cos) touched.add(co);
    }
    const ids = picked.join(',');
    const counts = await c.execute(`select
      (select count(distinct s.fact_id) from fact_sources s where s.article_id in (${ids})
        and not exists (select 1 from fact_sources o where o.fact_id = s.fact_id and o.article_id not in (${ids}))) as new_facts,
      (select count(distinct s.fact_id) from fact_sources s where s.article_id in (${ids})
        and exists (select 1 from fact_sources o where o.fact_id = s.fact_id and o.article_id not in (${ids}))) as corroborated`);
    await c.batch(
      [
        `update articles set copy_of_id = null where copy_of_id in (${ids})`,
        `update feed_items set article_id = null where article_id in (${ids})`,
        `delete from fact_sources where article_id in (${ids})`,
        `delete from summaries where article_id in (${ids})`,
        `delete from article_revisions where article_id in (${ids})`,
        `delete from article_fingerprints where article_id in (${ids})`,
        `delete from articles where id in (${ids})`,
        `delete from facts where not exists (select 1 from fact_sources s where s.fact_id = facts.id)`,
      ],
      'write',
    );
    await c.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    return {
      before,
      after: file,
      articles: picked.length,
      newFacts: Number(counts.rows[0]!.new_facts),
      corroborated: Number(counts.rows[0]!.corroborated),
      companies: touched.size,
      ms: performance.now() - t0,
    };
  } finally {
    c.close();
  }
}
