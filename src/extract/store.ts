/**
 * Writes articles' extractions atomically. An article read again changes only what its new reading
 * changes: its sources of this revision are compared with what it stated before, and only the
 * difference is written — new claims become facts (stable ids, so a claim already known from
 * another article just gains a source), sources it no longer states go (a fact left without any
 * source with them, retracted if only older revisions still state it), and a fact whose first
 * reading is this article's follows what that reading now says. A claim read as before keeps its
 * rows as they are: no delete and insert again, no new updated_at. The groups whose facts changed
 * are reconciled (corroboration, disputes) — at once, or queued for later in the same transaction
 * (reconcile-queue.ts) — and the article's summary and extraction status are updated, in one
 * transaction.
 *
 * Several finished articles are written in one transaction (saveExtractions), with one reconcile of
 * every group they touched at the end: a commit, and each group's read, is then paid per batch, not
 * per article. The batch commits whole or not at all, so an article is never half-written; if any of
 * it fails, each article is written again in a transaction of its own, and only the bad one fails.
 */
import { and, eq, inArray, notExists, sql } from 'drizzle-orm';
import { insertRows, writeTransaction, type Execute, type Query, type SqlValue } from '../../db/bulk.ts';
import type { Db } from '../../db/client.ts';
import { articles, companies, facts, factSources, summaries } from '../../db/schema.ts';
import { originalFor, type OriginalFact } from './copies.ts';
import { ensureCompany } from './companies.ts';
import type { GroundedFact } from './ground.ts';
import { factId, slugify } from './identity.ts';
import { queueGroups } from './reconcile-queue.ts';
import { reconcileGroups, type FactGroup } from './reconcile.ts';

export interface ExtractedArticleRef {
  id: number;
  revision: number;
  paywalled: boolean;
  truncated: boolean;
  flags: string[];
}

/** A source read from a paywalled or cut-off page is partial, unless the full text came from the feed. */
export function isPartial(a: ExtractedArticleRef): boolean {
  return (a.paywalled || a.truncated) && !a.flags.includes('text-from-feed');
}

export interface ExtractionToSave {
  article: ExtractedArticleRef;
  extractor: string;
  grounded: GroundedFact[];
  summary: string | null;
  /** The re-extraction pass this reading belongs to (src/extract/passes.ts), stamped on the article. */
  pass?: number;
}

export interface SaveOptions {
  /** Queue the changed groups for reconcileQueued instead of reconciling them in this transaction. */
  queueReconcile?: boolean;
  /**
   * Companies already stored, by slug, kept across a run's writes: one lookup fewer per article.
   * Only rows found committed go in (companies are never deleted); one created by a write that may
   * still roll back is looked up again next time.
   */
  companies?: Map<string, { id: number; slug: string }>;
}

export interface SavedExtraction {
  factIds: string[];
  companyIds: number[];
}

export type SaveOutcome = ({ ok: true } & SavedExtraction) | { ok: false; error: unknown };

/** Columns of the rows writeExtraction builds; the rest take their defaults. */
const FACT_COLUMNS = [
  facts.id, facts.companyId, facts.kind, facts.value, facts.valueHigh, facts.unit, facts.direction, facts.changePct, facts.approximate,
  facts.label, facts.status, facts.asOf, facts.speaker, facts.quote, facts.statement, facts.extractor, facts.confidence,
];
const SOURCE_COLUMNS = [
  factSources.factId, factSources.articleId, factSources.revision, factSources.evidence, factSources.start, factSources.end,
  factSources.partial, factSources.extractor,
];

/**
 * A claim already stored keeps its statement unless this article reported it first (earlier
 * published; the lower id on the same day): the statement is then the earliest report's sentence
 * whatever order workers or processes read the articles in, so parallel and single runs agree.
 * Parameters: the time, then this article's id three times.
 */
const FACT_UPSERT = `on conflict ("id") do update set "updated_at" = ?, "retracted" = 0,
  "statement" = case when exists (
    select 1 from "fact_sources" s join "articles" a on a."id" = s."article_id", (select coalesce("published_at", '9999') as p from "articles" where "id" = ?) me
    where s."fact_id" = "facts"."id" and s."article_id" <> ?
      and (coalesce(a."published_at", '9999') < me.p or (coalesce(a."published_at", '9999') = me.p and a."id" < ?))
  ) then "facts"."statement" else excluded."statement" end`;

/** Companies looked up or created by a transaction (`local`) over those known committed (`committed`). */
interface CompanyCache {
  committed: Map<string, { id: number; slug: string }>;
  local: Map<string, { id: number; slug: string }>;
}

/** A transaction's company cache, and what to do once it has committed. */
function companyCache(opts: SaveOptions): CompanyCache & { commit(): void } {
  const c = { committed: opts.companies ?? new Map(), local: new Map<string, { id: number; slug: string }>() };
  return { ...c, commit: () => c.local.forEach((v, k) => c.committed.set(k, v)) };
}

/** One article in one transaction. */
export async function saveExtraction(
  db: Db,
  article: ExtractedArticleRef,
  extractor: string,
  grounded: GroundedFact[],
  summary: string | null,
  opts: SaveOptions & { pass?: number } = {},
): Promise<SavedExtraction> {
  const cache = companyCache(opts);
  const saved = await writeTransaction(db, async (tx, execute, query) => {
    const { saved, groups } = await writeArticles(tx, execute, query, [{ article, extractor, grounded, summary, pass: opts.pass }], cache);
    await settle(tx, execute, groups, opts);
    return saved[0]!;
  });
  cache.commit();
  return saved;
}

/** The changed groups: reconciled now, or queued in the same transaction. */
async function settle(tx: Db, execute: Execute, groups: FactGroup[], opts: SaveOptions): Promise<void> {
  if (opts.queueReconcile) await queueGroups(execute, groups);
  else await reconcileGroups(tx, groups);
}

const SUMMARY_COLUMNS = [summaries.subject, summaries.articleId, summaries.text, summaries.extractor];

/**
 * Articles' rows in the caller's transaction, in order. What is looked up or written once for them
 * all is: where each stands among copies (one query), and their summaries (one statement) — every
 * statement costs a prepare, and the embedded driver keeps ~2.4 kB of each.
 */
async function writeArticles(tx: Db, execute: Execute, query: Query, items: ExtractionToSave[], cache: CompanyCache): Promise<{ saved: SavedExtraction[]; groups: FactGroup[] }> {
  const copies = await copyStates(query, items.map((i) => i.article.id));
  const written = new Set<number>();
  const saved: SavedExtraction[] = [];
  const groups: FactGroup[] = [];
  const summaryRows: SqlValue[][] = [];
  for (const item of items) {
    // Statements run back to back without yielding; a turn of the event loop between articles
    // lets the extract stage hand worker threads their next articles meanwhile.
    if (items.length > 1) await new Promise((r) => setImmediate(r));
    const copy = copies.get(item.article.id)!;
    // An original written earlier in this transaction has been read, whatever the query found.
    const state = copy.copyOfId !== null && written.has(copy.copyOfId) ? { ...copy, originalDone: true } : copy;
    const w = await writeExtraction(tx, execute, query, item, state, cache);
    written.add(item.article.id);
    saved.push(w.saved);
    groups.push(...w.groups);
    if (item.summary) summaryRows.push(['article', item.article.id, item.summary, item.extractor]);
  }
  // An unchanged summary is left as it is.
  await insertRows(execute, summaries, SUMMARY_COLUMNS, summaryRows, 'on conflict (article_id) do update set text = excluded.text, extractor = excluded.extractor, created_at = ? where summaries.text is not excluded.text', [new Date().toISOString()]);
  return { saved, groups };
}

/**
 * Several articles in one transaction, reconciled once; outcomes in the order given. Should any
 * article's write fail, the batch is rolled back and each article is saved on its own, so that one
 * failure is that article's alone, exactly as if they had been saved one by one.
 */
export async function saveExtractions(db: Db, items: ExtractionToSave[], opts: SaveOptions = {}): Promise<SaveOutcome[]> {
  if (items.length > 1) {
    try {
      const cache = companyCache(opts);
      const out = await writeTransaction(db, async (tx, execute, query) => {
        const { saved, groups } = await writeArticles(tx, execute, query, items, cache);
        await settle(tx, execute, groups, opts);
        return saved.map((w): SaveOutcome => ({ ok: true, ...w }));
      });
      cache.commit();
      return out;
    } catch {
      // Rolled back whole: nothing of the batch was written. One by one below tells which failed.
    }
  }
  const out: SaveOutcome[] = [];
  for (const { article, extractor, grounded, summary, pass } of items) {
    try {
      out.push({ ok: true, ...(await saveExtraction(db, article, extractor, grounded, summary, { ...opts, pass })) });
    } catch (error) {
      out.push({ ok: false, error });
    }
  }
  return out;
}

/**
 * The current facts of the article this one copies, or null when it is not a copy — or when its
 * original has not been read yet (failed, pending): then the copy is the only reading there is and
 * stands on its own until the original is written (absorbCopies).
 */
async function originalFacts(tx: Db, copy: CopyState): Promise<(OriginalFact & { asOf: string | null })[] | null> {
  if (copy.copyOfId === null || !copy.originalDone) return null;
  return factsOf(tx, copy.copyOfId);
}

interface CopyState {
  /** The article it copies, if any. */
  copyOfId: number | null;
  /** Whether that original has been read. */
  originalDone: boolean;
  /** Whether any article copies this one. */
  hasCopies: boolean;
  /** Whether this article had been read before (its copies were matched against that reading). */
  readBefore: boolean;
}

/** Where each article stands among copies, in one statement. */
async function copyStates(query: Query, ids: number[]): Promise<Map<number, CopyState>> {
  const rows = await query(
    `select a.id, a.copy_of_id, o.extraction_status = 'done', exists (select 1 from articles c where c.copy_of_id = a.id), a.extraction_status = 'done'
     from articles a left join articles o on o.id = a.copy_of_id where a.id in (select value from json_each(?))`,
    [JSON.stringify(ids)],
  );
  const out = new Map<number, CopyState>(ids.map((id) => [id, { copyOfId: null, originalDone: false, hasCopies: false, readBefore: false }]));
  for (const r of rows) out.set(Number(r[0]), { copyOfId: r[1] == null ? null : Number(r[1]), originalDone: !!r[2], hasCopies: !!r[3], readBefore: !!r[4] });
  return out;
}

type StoredFact = OriginalFact & { asOf: string | null; companyId: number };

/** The facts an article is a source of. */
function factsOf(tx: Db, articleId: number, copies = false): Promise<(StoredFact & { articleId: number })[]> {
  return tx
    .selectDistinct({
      id: facts.id, companySlug: companies.slug, kind: facts.kind, value: facts.value, valueHigh: facts.valueHigh, unit: facts.unit,
      status: facts.status, direction: facts.direction, label: facts.label, speaker: facts.speaker, quote: facts.quote, asOf: facts.asOf,
      companyId: facts.companyId, articleId: factSources.articleId,
    })
    .from(factSources)
    .innerJoin(facts, eq(facts.id, factSources.factId))
    .innerJoin(companies, eq(companies.id, facts.companyId))
    .innerJoin(articles, eq(articles.id, factSources.articleId))
    .where(and(copies ? eq(articles.copyOfId, articleId) : eq(factSources.articleId, articleId), eq(facts.retracted, false)));
}

/**
 * Copies read before their original stood on their own; now that the original is written, each of
 * their facts moves onto the original's fact for the same claim (a non-independent source of it) or,
 * when the original does not make the claim, the copy's source goes — and a fact left without
 * sources with it. Returns the groups whose facts changed.
 */
async function absorbCopies(tx: Db, originalId: number): Promise<FactGroup[]> {
  const copied = await factsOf(tx, originalId, true);
  if (!copied.length) return [];
  const originals = await factsOf(tx, originalId);
  const groups: FactGroup[] = [];
  const moved = new Set<string>();
  for (const c of copied) {
    if (originals.some((o) => o.id === c.id)) continue; // already the original's fact
    const o = originalFor(c, originals);
    groups.push({ companyId: c.companyId, kind: c.kind, asOf: c.asOf });
    if (o) {
      groups.push({ companyId: o.companyId, kind: o.kind, asOf: o.asOf });
      await tx.run(sql`update or ignore ${factSources} set fact_id = ${o.id} where fact_id = ${c.id} and article_id = ${c.articleId}`);
    }
    await tx.run(sql`delete from ${factSources} where fact_id = ${c.id} and article_id = ${c.articleId}`);
    moved.add(c.id);
  }
  if (moved.size) await tx.delete(facts).where(and(inArray(facts.id, [...moved]), notExists(tx.select({ one: sql`1` }).from(factSources).where(eq(factSources.factId, facts.id)))));
  return groups;
}

/** What a fact says beyond its id (the claim): the first reading's, followed when that reading changes. */
const READING_COLUMNS = ['value', 'value_high', 'direction', 'change_pct', 'approximate', 'label', 'speaker', 'quote', 'statement', 'confidence'] as const;
/** Facts updated per statement (eleven bound parameters each). */
const READINGS_PER_STATEMENT = 40;

interface Reading {
  /** In the order of FACT_COLUMNS; null for a copy's reading (it attaches to its original's fact). */
  fact: SqlValue[] | null;
  /** In the order of SOURCE_COLUMNS. */
  source: SqlValue[];
  group: FactGroup;
}

/** One article's rows, inside the caller's transaction; returns the groups whose facts changed. */
async function writeExtraction(
  tx: Db,
  execute: Execute,
  query: Query,
  { article, extractor, grounded, pass }: ExtractionToSave,
  copy: CopyState,
  cache: CompanyCache,
): Promise<{ saved: SavedExtraction; groups: FactGroup[] }> {
  const now = new Date().toISOString();
  const known = async (slug: string) => {
    const hit = cache.committed.get(slug) ?? cache.local.get(slug);
    if (hit) return hit;
    const [row] = await query('select id from companies where slug = ?', [slug]);
    if (!row) return undefined;
    const company = { id: Number(row[0]), slug };
    cache.local.set(slug, company);
    return company;
  };
  // What the article stated before, every revision: this revision's is compared with the new
  // reading; earlier revisions' sources stay (what the article said then).
  const previous = (
    await query(
      `select s.fact_id, s.revision, s.evidence, s.start, s."end", s.partial, f.company_id, f.kind, f.as_of, f.value, f.value_high,
              f.direction, f.change_pct, f.approximate, f.label, f.speaker, f.quote, f.statement, f.confidence
       from fact_sources s join facts f on f.id = s.fact_id where s.article_id = ?`,
      [article.id],
    )
  ).map((r) => ({
    factId: r[0] as string, revision: Number(r[1]), evidence: r[2] as string, start: Number(r[3]), end: Number(r[4]), partial: Number(r[5]),
    companyId: Number(r[6]), kind: r[7] as string, asOf: r[8] as string | null, value: r[9] as number | null, valueHigh: r[10] as number | null,
    direction: r[11] as string | null, changePct: r[12] as number | null, approximate: Number(r[13]), label: r[14] as string | null,
    speaker: r[15] as string | null, quote: r[16] as string | null, statement: r[17] as string, confidence: r[18] as number,
  }));

  const readings = new Map<string, Reading>();
  const companyOf = new Map<string, { id: number; slug: string }>();
  const partial = isPartial(article) ? 1 : 0;
  // A copy (reprint, near-identical article) is a source of its original's facts, never a fact of its
  // own (src/extract/copies.ts): its readings attach to the original's claims or are dropped.
  const originals = await originalFacts(tx, copy);
  for (const f of grounded) {
    const cacheKey = `${f.companySlug ?? ''}|${f.company}`;
    let company = companyOf.get(cacheKey);
    if (!company) {
      if (originals) company = await known(f.companySlug ?? slugify(f.company));
      else {
        company = (await known(f.companySlug || slugify(f.company))) ?? (await ensureCompany(tx, f.company, f.companySlug));
        cache.local.set(company.slug, company);
      }
      if (!company) continue; // a copy names a company its original never did
      companyOf.set(cacheKey, company);
    }
    if (originals) {
      const o = originalFor({ ...f, companySlug: company.slug, id: factId(company.slug, f) }, originals);
      if (!o || readings.has(o.id)) continue;
      readings.set(o.id, {
        fact: null,
        source: [o.id, article.id, article.revision, f.evidence ?? null, f.start ?? null, f.end ?? null, partial, extractor],
        group: { companyId: company.id, kind: o.kind, asOf: o.asOf },
      });
      continue;
    }
    const id = factId(company.slug, f);
    if (readings.has(id)) continue; // the same claim twice in one article is one source
    // In the order of FACT_COLUMNS and SOURCE_COLUMNS; drizzle would write undefined as null too.
    readings.set(id, {
      fact: [
        id, company.id, f.kind, f.value ?? null, f.valueHigh ?? null, f.unit ?? null, f.direction ?? null, f.changePct ?? null, f.approximate ? 1 : 0,
        f.label ?? null, f.status ?? null, f.asOf ?? null, f.speaker ?? null, f.quote ?? null, f.evidence ?? null, extractor, f.confidence ?? null,
      ],
      source: [id, article.id, article.revision, f.evidence ?? null, f.start ?? null, f.end ?? null, partial, extractor],
      group: { companyId: company.id, kind: f.kind, asOf: f.asOf },
    });
  }

  const groups: FactGroup[] = [];
  const current = new Map<string, (typeof previous)[number]>();
  const gone: (typeof previous)[number][] = [];
  for (const p of previous) {
    if (p.revision !== article.revision) continue;
    if (current.has(p.factId) || !readings.has(p.factId)) gone.push(p);
    else current.set(p.factId, p);
  }
  const factRows: SqlValue[][] = [];
  const sourceRows: SqlValue[][] = [];
  const followed: SqlValue[][] = [];
  for (const [id, r] of readings) {
    const p = current.get(id);
    if (!p) {
      // A claim this article did not state before: its fact (new, or known from elsewhere and now
      // with one more source) and its source.
      if (r.fact) factRows.push(r.fact);
      sourceRows.push(r.source);
      groups.push(r.group);
      continue;
    }
    const [, , , evidence, start, end] = r.source;
    if (p.evidence !== evidence || p.start !== start || p.end !== end || p.partial !== partial) {
      await tx.run(sql`update ${factSources} set evidence = ${evidence}, start = ${start}, "end" = ${end}, partial = ${partial}, extractor = ${extractor}
                       where fact_id = ${id} and article_id = ${article.id} and revision = ${article.revision} and start = ${p.start}`);
    }
    // The fact's own fields come from its first reading (its statement is that reading's evidence):
    // when that is this one and it now reads otherwise (a new extractor version), the fact follows.
    if (r.fact && p.statement === p.evidence) {
      const reading = readingOf(r.fact);
      const was = [p.value, p.valueHigh, p.direction, p.changePct, p.approximate, p.label, p.speaker, p.quote, p.statement, p.confidence];
      if (reading.some((v, i) => v !== was[i])) {
        followed.push([id, ...reading]);
        groups.push(r.group);
      }
    }
  }
  // Facts that follow their first reading, many per statement (each statement is a prepare).
  for (let i = 0; i < followed.length; i += READINGS_PER_STATEMENT) {
    const slice = followed.slice(i, i + READINGS_PER_STATEMENT);
    const row = `(${Array(READING_COLUMNS.length + 1).fill('?').join(', ')})`;
    await execute(
      `with v(id, ${READING_COLUMNS.join(', ')}) as (values ${Array(slice.length).fill(row).join(', ')})
       update facts set ${READING_COLUMNS.map((c) => `${c} = v.${c}`).join(', ')}, extractor = ?, updated_at = ? from v where facts.id = v.id`,
      [...slice.flat(), extractor, now],
    );
  }
  // A fact gaining a source changed too (updated_at); one retracted is stated again.
  await insertRows(execute, facts, FACT_COLUMNS, factRows, FACT_UPSERT, [now, article.id, article.id, article.id]);
  await insertRows(execute, factSources, SOURCE_COLUMNS, sourceRows, 'on conflict do nothing');
  if (gone.length) {
    const keys = sql.join(gone.map((p) => sql`(${p.factId}, ${p.start})`), sql`, `);
    await tx.run(sql`delete from ${factSources} where article_id = ${article.id} and revision = ${article.revision} and (fact_id, start) in (values ${keys})`);
    for (const p of gone) groups.push({ companyId: p.companyId, kind: p.kind, asOf: p.asOf });
  }

  // Claims this article made before and no longer makes — this revision's just removed, or only an
  // earlier revision's (a correction): gone if nothing else backs them, retracted if only older
  // revisions still say them, else they just lost this source.
  const dropped = [...new Set([...gone.map((p) => p.factId), ...previous.filter((p) => p.revision !== article.revision && !readings.has(p.factId)).map((p) => p.factId)])];
  if (dropped.length) {
    const changed = await tx
      .delete(facts)
      .where(and(inArray(facts.id, dropped), notExists(tx.select({ one: sql`1` }).from(factSources).where(eq(factSources.factId, facts.id)))))
      .returning({ companyId: facts.companyId, kind: facts.kind, asOf: facts.asOf });
    const retracted = await tx
      .update(facts)
      .set({ retracted: true, updatedAt: now })
      .where(
        and(
          inArray(facts.id, dropped),
          eq(facts.retracted, false),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(factSources)
              .innerJoin(articles, eq(articles.id, factSources.articleId))
              .where(and(eq(factSources.factId, facts.id), eq(factSources.revision, articles.revision))),
          ),
        ),
      )
      .returning({ companyId: facts.companyId, kind: facts.kind, asOf: facts.asOf });
    groups.push(...changed, ...retracted);
    const lost = gone.map((p) => p.factId);
    if (lost.length) await tx.update(facts).set({ updatedAt: now }).where(and(inArray(facts.id, lost), eq(facts.retracted, false)));
  }
  // A success clears the attempt count, the last failure and the lease (src/extract/pipeline.ts) —
  // unless a new revision came in while this one was read: that one is still to be read.
  await execute(
    `update articles set extraction_lease_owner = null, extraction_lease_expires_at = null,
       extraction_status = iif(revision = ?1, 'done', extraction_status), extracted_at = iif(revision = ?1, ?2, extracted_at),
       extraction_attempts = iif(revision = ?1, 0, extraction_attempts), extraction_error = iif(revision = ?1, null, extraction_error),
       extraction_pass = iif(revision = ?1, coalesce(?3, extraction_pass), extraction_pass)
     where id = ?4`,
    [article.revision, now, pass ?? null, article.id],
  );
  if (copy.hasCopies) {
    // Its copies read before it attach to what it says now, and lose what it no longer says.
    groups.push(...(await absorbCopies(tx, article.id)));
    // A copy matched against its earlier reading dropped whatever that did not say: when it now says
    // more (a new extractor version, a correction), its copies are read again to find it.
    if (factRows.length && (copy.readBefore || previous.length)) {
      await execute(`update articles set extraction_status = 'pending', extraction_pass = 0 where copy_of_id = ? and extraction_status = 'done'`, [article.id]);
    }
  }
  return { saved: { factIds: [...readings.keys()], companyIds: [...new Set(groups.map((g) => g.companyId))] }, groups };
}

/** A fact row's READING_COLUMNS values (FACT_COLUMNS order: value 3, value_high 4, direction 6, change_pct 7, approximate 8, label 9, speaker 12, quote 13, statement 14, confidence 16). */
function readingOf(row: SqlValue[]): SqlValue[] {
  return [row[3], row[4], row[6], row[7], row[8], row[9], row[12], row[13], row[14], row[16]] as SqlValue[];
}
