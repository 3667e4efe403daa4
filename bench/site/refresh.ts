/**
 * A refresh for bench:site, made from a generated database: the site as it was before its newest `n`
 * articles arrived. The generated file is the site after the refresh; a copy without those articles
 * (their sources, summaries, revisions, and the facts only they stated) is the site before it. Facts
 * they corroborated stay, with one source fewer before — as a refresh that adds a second source finds
 * them. With `companies`, the articles are the newest whose facts are all about at most that many
 * companies (issue 15's "200 articles and 5 companies"); without, simply the newest (coverage spread
 * over companies Zipf-style, as the generator writes it).
 *
 * The site after the refresh that is built is not the generated file itself but a copy of the one
 * before with the refresh's rows written into it: a database that got to its state the way a real
 * one does, so its change log (db/schema.ts siteChanges) holds the refresh after the history the
 * build before it saw, and the rebuild can take the rows it kept (src/lib/site/row-base.ts) instead
 * of reading every row. The generated file is migrated first, so both copies carry the log.
 */
import { existsSync, rmSync } from 'node:fs';
import { createClient } from '@libsql/client';
import { openDb } from '../../db/client.ts';

export interface RefreshSplit {
  /** The database before the refresh (a new file beside the generated one). */
  before: string;
  /** The database after it: the one before with the refresh written into it (same rows as the generated file). */
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
  const after = `${file}.after-${n}${opts.companies ? `-c${opts.companies}` : ''}.db`;
  for (const f of [before, after].flatMap((f) => [f, `${f}-wal`, `${f}-shm`])) if (existsSync(f)) rmSync(f);
  const migrated = await openDb(`file:${file}`);
  migrated.close();
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
    await c.execute(`vacuum into '${after.replace(/'/g, "''")}'`);
    await replay(after, file, ids);
    return {
      before,
      after,
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

/**
 * Writes the refresh (the articles `ids` of the generated file and everything that goes with them)
 * into `target`, a copy of the site before it, as a refresh would: its facts, articles, revisions,
 * summaries and sources inserted, the copies and feed items that point at them pointed again.
 */
async function replay(target: string, generated: string, ids: string): Promise<void> {
  const c = createClient({ url: `file:${target}` });
  try {
    await c.execute(`attach database '${generated.replace(/'/g, "''")}' as g`);
    await c.batch(
      [
        `insert into facts select * from g.facts where id not in (select id from main.facts)`,
        `insert into articles select * from g.articles where id in (${ids})`,
        `insert into article_revisions select * from g.article_revisions where article_id in (${ids})`,
        `insert into article_fingerprints select * from g.article_fingerprints where article_id in (${ids})`,
        `insert into summaries select * from g.summaries where article_id in (${ids})`,
        `insert into fact_sources select * from g.fact_sources where article_id in (${ids})`,
        `update articles set copy_of_id = (select x.copy_of_id from g.articles x where x.id = articles.id) where id in (select id from g.articles where copy_of_id in (${ids}))`,
        `update feed_items set article_id = (select x.article_id from g.feed_items x where x.id = feed_items.id) where id in (select id from g.feed_items where article_id in (${ids}))`,
      ],
      'write',
    );
    await c.execute('detach database g');
    await c.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    c.close();
  }
}
