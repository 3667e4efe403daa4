/**
 * A generated news corpus for extraction at scale (tests and bench:extract): articles assembled from
 * fact-dense news sentences about many companies (~600 words with the default 12 paragraphs), from a
 * seeded PRNG, so the same options give the same corpus. Several outlets publish over 2024–2025; some
 * claims are repeated word for word by another outlet (corroboration), rival figures for the same
 * period abound (disputes), and every `reprintEvery`-th article is a reprint of an earlier one on
 * another outlet (copy_of_id), as the collector would have linked it.
 *
 * storeCorpus writes them straight into the articles table, many rows per statement, as collected and
 * waiting for extraction: the collector's own path (fetch, dedup) is not what is measured here, and
 * at 50,000 articles it would take longer than the extraction.
 */
import { createHash } from 'node:crypto';
import type { Client, InValue } from '@libsql/client';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KNOWN = ['Klarna', 'Revolut', 'Monzo', 'Affirm', 'Chime', 'Nubank', 'Wise', 'Coinbase', 'Zilch', 'Solvik', 'Tillpoint'];
const HEADS = ['Nova', 'Pay', 'Fin', 'Lend', 'Coin', 'Ledger', 'Swift', 'Ever', 'Blue', 'Kred', 'Mint', 'Vault', 'Tally', 'Brisk', 'Orbit', 'Penny', 'Quill', 'Rally', 'Sable', 'Tern'];
const TAILS = ['ly', 'io', 'wise', 'stack', 'flow', 'point', 'vik', 'grid', 'nest', 'mark', 'dash', 'base', 'ora', 'lane', 'hub', 'gate', 'wyn', 'bridge', 'field', 'ton'];

/** `n` distinct one-word company names: the sample's, then made-up fintech names. */
export function companyNames(n: number): string[] {
  const out = KNOWN.slice(0, n);
  for (let i = 0; out.length < n; i++) {
    const h = HEADS[i % HEADS.length]!;
    const t = TAILS[Math.floor(i / HEADS.length) % TAILS.length]!;
    const round = Math.floor(i / (HEADS.length * TAILS.length));
    out.push(`${h}${t}${round ? ['er', 'a', 'on', 'is'][round - 1] ?? round : ''}`);
  }
  return out;
}

const SPEAKERS = ['Anna Berg', 'Tom Ferreira', 'Maria Lopez', 'David Chen', 'Priya Nair'];
type Template = (c: string, r: () => number) => string;
const TEMPLATES: Template[] = [
  (c, r) => `${c} said on Tuesday that revenue rose ${Math.round(r() * 40)}% to $${Math.round(r() * 900 + 100)} million in the first quarter.`,
  (c, r) => `The company reported a net loss of $${Math.round(r() * 200 + 5)} million for the period, compared with a loss of $${Math.round(r() * 200 + 5)} million a year earlier.`,
  (c, r) => `${c} was valued at $${(r() * 40 + 1).toFixed(1)} billion in its latest funding round, led by existing investors.`,
  (c, r) => `The firm plans to cut about ${Math.round(r() * 900 + 50)} jobs, or ${Math.round(r() * 20 + 2)}% of its workforce, as it seeks to reach profitability.`,
  (c, r) => `${c} now has more than ${Math.round(r() * 90 + 5)} million active users across ${Math.round(r() * 30 + 5)} markets.`,
  (c, r) => `Consumer credit losses climbed ${Math.round(r() * 30)}% to $${Math.round(r() * 300 + 20)} million, the lender said.`,
  (c, r) => `“We are building a bank for the next decade,” said ${SPEAKERS[Math.floor(r() * SPEAKERS.length)]}, chief executive of ${c}.`,
  (c) => `${c} filed confidentially for an initial public offering in New York, according to people familiar with the matter.`,
  (c, r) => `The company employs roughly ${Math.round(r() * 5000 + 300)} people, down from ${Math.round(r() * 5000 + 300)} two years ago.`,
  (c, r) => `Analysts at a Stockholm brokerage said the results were better than expected, and the shares rose ${Math.round(r() * 10)}% in early trading.`,
  () => `The figures come as regulators in Europe and the United States take a closer look at buy now, pay later products and how they are sold.`,
  () => `Investors have grown more cautious about fintech valuations since interest rates started to rise, and several listings were postponed.`,
];
/** Claims each company's coverage repeats across outlets, word for word (a few per company). */
const SHARED: Template[] = [
  (c, r) => `${c} was valued at $${(r() * 40 + 1).toFixed(1)} billion in 2023.`,
  (c, r) => `${c} had ${Math.round(r() * 5000 + 300)} employees at the end of 2024.`,
];

export interface CorpusArticle {
  id: number;
  url: string;
  title: string;
  outlet: string;
  publishedAt: string;
  text: string;
  /** The id of the article this one reprints. */
  copyOf: number | null;
}

export interface CorpusOptions {
  articles: number;
  companies?: number;
  outlets?: number;
  paragraphs?: number;
  /** Every n-th article reprints an earlier one (0: none). */
  reprintEvery?: number;
  seed?: number;
}

export function newsCorpus(opts: CorpusOptions): CorpusArticle[] {
  const names = companyNames(opts.companies ?? 11);
  const outlets = Array.from({ length: opts.outlets ?? 4 }, (_, i) => `Bench Wire ${i + 1}`);
  const paragraphs = opts.paragraphs ?? 12;
  const reprintEvery = opts.reprintEvery ?? 0;
  const seed = opts.seed ?? 1;
  const shared = names.map((c, i) => SHARED.map((t) => t(c, rng(seed * 7919 + i))));
  const out: CorpusArticle[] = [];
  const start = Date.parse('2024-01-01T08:00:00Z');
  for (let i = 0; i < opts.articles; i++) {
    const id = i + 1;
    const r = rng(seed * 104_729 + id);
    const publishedAt = new Date(start + Math.floor((i / opts.articles) * 700 * 86_400_000)).toISOString();
    if (reprintEvery && i > 10 && id % reprintEvery === 0) {
      const of = out[Math.floor(r() * Math.min(out.length, 10)) + out.length - Math.min(out.length, 10)]!;
      const original = of.copyOf ? out[of.copyOf - 1]! : of;
      const outlet = outlets[(outlets.indexOf(original.outlet) + 1) % outlets.length]!;
      out.push({ id, url: `https://bench.example/${id}`, title: original.title, outlet, publishedAt, text: `${original.text}\n\nThis article first appeared in ${original.outlet}.`, copyOf: original.id });
      continue;
    }
    const ci = Math.floor(r() * names.length);
    const c = names[ci]!;
    const paras: string[] = [];
    for (let p = 0; p < paragraphs; p++) paras.push(Array.from({ length: 3 }, () => TEMPLATES[Math.floor(r() * TEMPLATES.length)]!(c, r)).join(' '));
    paras.splice(1, 0, shared[ci]![Math.floor(r() * SHARED.length)]!);
    out.push({ id, url: `https://bench.example/${id}`, title: `${c} results`, outlet: outlets[Math.floor(r() * outlets.length)]!, publishedAt, text: paras.join('\n\n'), copyOf: null });
  }
  return out;
}

/** Writes the corpus into a migrated Factdesk database as collected articles waiting for extraction. */
export async function storeCorpus(client: Client, corpus: CorpusArticle[]): Promise<void> {
  const hash = (s: string) => createHash('sha256').update(s).digest('hex');
  await client.execute(`insert or ignore into feeds (id, url, title) values (1, 'https://bench.example/feed', 'Bench Wire')`);
  const per = 25;
  for (let i = 0; i < corpus.length; i += 500) {
    const chunk = corpus.slice(i, i + 500);
    const stmts = [];
    for (let j = 0; j < chunk.length; j += per) {
      const rows = chunk.slice(j, j + per);
      const now = '2025-12-01T00:00:00.000Z';
      stmts.push({
        sql: `insert into articles (id, key, url, feed_id, guid, title, outlet, language, published_at, first_seen_at, fetched_at, text, word_count, content_hash, simhash, copy_of_id)
              values ${rows.map(() => '(?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        args: rows.flatMap((a): InValue[] => [a.id, a.url, a.url, a.url, a.title, a.outlet, 'en', a.publishedAt, now, now, a.text, a.text.split(/\s+/).length, hash(a.text), hash(a.text).slice(0, 16), a.copyOf]),
      });
      stmts.push({
        sql: `insert into article_revisions (article_id, revision, fetched_at, title, text, content_hash) values ${rows.map(() => '(?, 1, ?, ?, ?, ?)').join(', ')}`,
        args: rows.flatMap((a): InValue[] => [a.id, now, a.title, a.text, hash(a.text)]),
      });
    }
    await client.batch(stmts, 'write');
  }
}

/**
 * Makes a database read by the current rules look as an older rules version ("rules/1") would have
 * left it: it did not read users figures, scored headcounts lower, and read a metric from every
 * tenth article that the current version does not (kept as a fact with that article's evidence).
 * Everything else — most facts — it read as the current version does. The result is reconciled, as
 * the older version's own runs would have left it. Returns how many facts each change concerns.
 */
export async function simulateOlderReading(url: string): Promise<{ users: number; headcounts: number; extra: number }> {
  const { openDb } = await import('../../db/client.ts');
  const { reconcileQueued } = await import('../../src/extract/reconcile-queue.ts');
  const { groupBucket } = await import('../../src/extract/reconcile.ts');
  const h = await openDb(url);
  try {
    const n = async (q: string) => Number((await h.client.execute(q)).rows[0]![0]);
    const users = await n(`select count(*) from facts where kind = 'users'`);
    const headcounts = await n(`select count(*) from facts where kind = 'headcount'`);
    await h.client.batch(
      [
        `delete from fact_sources where fact_id in (select id from facts where kind = 'users')`,
        `delete from facts where kind = 'users'`,
        `update facts set confidence = round(confidence - 0.05, 2) where kind = 'headcount'`,
        `insert into facts (id, company_id, kind, value, unit, label, as_of, statement, extractor, confidence)
         select 'older' || s.article_id, f.company_id, 'metric', f.value, f.unit, 'older reading', f.as_of, s.evidence, 'rules/1', 0.5
         from fact_sources s join facts f on f.id = s.fact_id
         where s.article_id % 10 = 0 and s.rowid = (select min(rowid) from fact_sources x where x.article_id = s.article_id)`,
        `insert into fact_sources (fact_id, article_id, revision, evidence, start, "end", partial, extractor)
         select 'older' || s.article_id, s.article_id, s.revision, s.evidence, s.start, s."end", s.partial, 'rules/1'
         from fact_sources s where s.article_id % 10 = 0 and s.rowid = (select min(rowid) from fact_sources x where x.article_id = s.article_id)`,
        `update facts set extractor = 'rules/1'`,
        `update fact_sources set extractor = 'rules/1'`,
        `update summaries set extractor = 'rules/1'`,
      ],
      'write',
    );
    const extra = await n(`select count(*) from facts where id like 'older%'`);
    const groups = (await h.client.execute('select distinct company_id, kind, as_of from facts')).rows;
    const stmts = groups.map((g) => ({
      sql: 'insert or ignore into reconcile_queue (company_id, kind, bucket) values (?, ?, ?)',
      args: [g[0]!, g[1]!, groupBucket({ companyId: Number(g[0]), kind: String(g[1]), asOf: (g[2] as string | null) ?? null })],
    }));
    await h.client.batch(stmts, 'write');
    await reconcileQueued(h.db, 'rules/1');
    return { users, headcounts, extra };
  } finally {
    h.close();
  }
}
