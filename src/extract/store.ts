/**
 * Writes articles' extractions atomically: each article's previous fact sources are replaced, new
 * claims become facts (stable ids, so a claim already known from another article just gains a
 * source), facts left without any source are removed, corroboration is recomputed for the groups
 * touched, and the article's summary and extraction status are updated — in one transaction.
 *
 * Several finished articles are written in one transaction (saveExtractions), with one reconcile of
 * every group they touched at the end: a commit, and each group's read, is then paid per batch, not
 * per article. The batch commits whole or not at all, so an article is never half-written; if any of
 * it fails, each article is written again in a transaction of its own, and only the bad one fails.
 */
import { and, eq, inArray, notExists, sql } from 'drizzle-orm';
import { insertRows, writeTransaction, type Execute, type SqlValue } from '../../db/bulk.ts';
import type { Db } from '../../db/client.ts';
import { articles, companies, facts, factSources, summaries } from '../../db/schema.ts';
import { originalFor, type OriginalFact } from './copies.ts';
import { ensureCompany } from './companies.ts';
import type { GroundedFact } from './ground.ts';
import { factId, slugify } from './identity.ts';
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

/** One article in one transaction. */
export async function saveExtraction(
  db: Db,
  article: ExtractedArticleRef,
  extractor: string,
  grounded: GroundedFact[],
  summary: string | null,
): Promise<SavedExtraction> {
  return writeTransaction(db, async (tx, execute) => {
    const { saved, groups } = await writeExtraction(tx, execute, { article, extractor, grounded, summary });
    await reconcileGroups(tx, groups);
    return saved;
  });
}

/**
 * Several articles in one transaction, reconciled once; outcomes in the order given. Should any
 * article's write fail, the batch is rolled back and each article is saved on its own, so that one
 * failure is that article's alone, exactly as if they had been saved one by one.
 */
export async function saveExtractions(db: Db, items: ExtractionToSave[]): Promise<SaveOutcome[]> {
  if (items.length > 1) {
    try {
      return await writeTransaction(db, async (tx, execute) => {
        const out: SaveOutcome[] = [];
        const groups: FactGroup[] = [];
        for (const item of items) {
          // Statements run back to back without yielding; a turn of the event loop between articles
          // lets the extract stage hand worker threads their next articles meanwhile.
          await new Promise((r) => setImmediate(r));
          const w = await writeExtraction(tx, execute, item);
          out.push({ ok: true, ...w.saved });
          groups.push(...w.groups);
        }
        await reconcileGroups(tx, groups);
        return out;
      });
    } catch {
      // Rolled back whole: nothing of the batch was written. One by one below tells which failed.
    }
  }
  const out: SaveOutcome[] = [];
  for (const { article, extractor, grounded, summary } of items) {
    try {
      out.push({ ok: true, ...(await saveExtraction(db, article, extractor, grounded, summary)) });
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
async function originalFacts(tx: Db, articleId: number): Promise<(OriginalFact & { asOf: string | null })[] | null> {
  const [row] = await tx.select({ copyOfId: articles.copyOfId }).from(articles).where(eq(articles.id, articleId));
  if (row?.copyOfId == null) return null;
  const [original] = await tx.select({ status: articles.extractionStatus }).from(articles).where(eq(articles.id, row.copyOfId));
  if (original?.status !== 'done') return null;
  return factsOf(tx, row.copyOfId);
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

/** One article's rows, inside the caller's transaction; returns the groups to reconcile. */
async function writeExtraction(
  tx: Db,
  execute: Execute,
  { article, extractor, grounded, summary }: ExtractionToSave,
): Promise<{ saved: SavedExtraction; groups: FactGroup[] }> {
  const now = new Date().toISOString();
  // Sources of earlier revisions stay (what the article said then); this revision's are replaced.
  const previous = await tx
    .select({ factId: factSources.factId, companyId: facts.companyId, kind: facts.kind, asOf: facts.asOf })
    .from(factSources)
    .innerJoin(facts, eq(facts.id, factSources.factId))
    .where(eq(factSources.articleId, article.id));
  await tx
    .delete(factSources)
    .where(and(eq(factSources.articleId, article.id), eq(factSources.revision, article.revision)));

  const companyIds = new Set(previous.map((p) => p.companyId));
  const groups: FactGroup[] = previous.map((p) => ({ companyId: p.companyId, kind: p.kind, asOf: p.asOf }));
  const seen = new Set<string>();
  const companyOf = new Map<string, { id: number; slug: string }>();
  const factRows: SqlValue[][] = [];
  const sourceRows: SqlValue[][] = [];
  const partial = isPartial(article) ? 1 : 0;
  // A copy (reprint, near-identical article) is a source of its original's facts, never a fact of its
  // own (src/extract/copies.ts): its readings attach to the original's claims or are dropped.
  const originals = await originalFacts(tx, article.id);
  for (const f of grounded) {
    const cacheKey = `${f.companySlug ?? ''}|${f.company}`;
    let company = companyOf.get(cacheKey);
    if (!company) {
      const known = originals && (await tx.select({ id: companies.id, slug: companies.slug }).from(companies).where(eq(companies.slug, f.companySlug ?? slugify(f.company))))[0];
      company = originals ? (known || undefined) : await ensureCompany(tx, f.company, f.companySlug);
      if (!company) continue; // a copy names a company its original never did
      companyOf.set(cacheKey, company);
    }
    if (originals) {
      const o = originalFor({ ...f, companySlug: company.slug }, originals);
      if (!o || seen.has(o.id)) continue;
      seen.add(o.id);
      companyIds.add(company.id);
      groups.push({ companyId: company.id, kind: o.kind, asOf: o.asOf });
      sourceRows.push([o.id, article.id, article.revision, f.evidence ?? null, f.start ?? null, f.end ?? null, partial, extractor]);
      continue;
    }
    const id = factId(company.slug, f);
    if (seen.has(id)) continue; // the same claim twice in one article is one source
    seen.add(id);
    companyIds.add(company.id);
    groups.push({ companyId: company.id, kind: f.kind, asOf: f.asOf });
    // In the order of FACT_COLUMNS and SOURCE_COLUMNS; drizzle would write undefined as null too.
    factRows.push([
      id,
      company.id,
      f.kind,
      f.value ?? null,
      f.valueHigh ?? null,
      f.unit ?? null,
      f.direction ?? null,
      f.changePct ?? null,
      f.approximate ? 1 : 0,
      f.label ?? null,
      f.status ?? null,
      f.asOf ?? null,
      f.speaker ?? null,
      f.quote ?? null,
      f.evidence ?? null,
      extractor,
      f.confidence ?? null,
    ]);
    sourceRows.push([id, article.id, article.revision, f.evidence ?? null, f.start ?? null, f.end ?? null, partial, extractor]);
  }
  await insertRows(execute, facts, FACT_COLUMNS, factRows, FACT_UPSERT, [now, article.id, article.id, article.id]);
  await insertRows(execute, factSources, SOURCE_COLUMNS, sourceRows, 'on conflict do nothing');

  // Claims this article made before and no longer makes: gone if nothing ever else backed them
  // (an earlier extraction of this same text), retracted if only older revisions still say them.
  const prevIds = [...new Set(previous.map((p) => p.factId))].filter((id) => !seen.has(id));
  if (prevIds.length) {
    await tx
      .delete(facts)
      .where(
        and(
          inArray(facts.id, prevIds),
          notExists(tx.select({ one: sql`1` }).from(factSources).where(eq(factSources.factId, facts.id))),
        ),
      );
    await tx
      .update(facts)
      .set({ retracted: true, updatedAt: now })
      .where(
        and(
          inArray(facts.id, prevIds),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(factSources)
              .innerJoin(articles, eq(articles.id, factSources.articleId))
              .where(and(eq(factSources.factId, facts.id), eq(factSources.revision, articles.revision))),
          ),
        ),
      );
  }
  if (summary) {
    await tx
      .insert(summaries)
      .values({ subject: 'article', articleId: article.id, text: summary, extractor })
      .onConflictDoUpdate({ target: summaries.articleId, set: { text: summary, extractor, createdAt: now } });
  }
  await tx
    .update(articles)
    // A success clears the attempt count and the last failure (src/extract/pipeline.ts).
    .set({ extractionStatus: 'done', extractedAt: now, extractionAttempts: 0, extractionError: null })
    .where(eq(articles.id, article.id));
  // Its copies read before it attach to what it says now.
  groups.push(...(await absorbCopies(tx, article.id)));
  return { saved: { factIds: [...seen], companyIds: [...companyIds] }, groups };
}
