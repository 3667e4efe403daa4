/**
 * Writes one article's extraction atomically: its previous fact sources are replaced, new claims
 * become facts (stable ids, so a claim already known from another article just gains a source),
 * facts left without any source are removed, corroboration is recomputed for the companies touched,
 * and the article's summary and extraction status are updated — all in one transaction.
 */
import { and, eq, inArray, notExists, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { articles, facts, factSources, summaries } from '../../db/schema.ts';
import { ensureCompany } from './companies.ts';
import type { GroundedFact } from './ground.ts';
import { factId } from './identity.ts';
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

export async function saveExtraction(
  db: Db,
  article: ExtractedArticleRef,
  extractor: string,
  grounded: GroundedFact[],
  summary: string | null,
): Promise<{ factIds: string[]; companyIds: number[] }> {
  const now = new Date().toISOString();
  return db.transaction(async (tx) => {
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
    const factRows: (typeof facts.$inferInsert)[] = [];
    const sourceRows: (typeof factSources.$inferInsert)[] = [];
    for (const f of grounded) {
      const cacheKey = `${f.companySlug ?? ''}|${f.company}`;
      let company = companyOf.get(cacheKey);
      if (!company) {
        company = await ensureCompany(tx, f.company, f.companySlug);
        companyOf.set(cacheKey, company);
      }
      const id = factId(company.slug, f);
      if (seen.has(id)) continue; // the same claim twice in one article is one source
      seen.add(id);
      companyIds.add(company.id);
      groups.push({ companyId: company.id, kind: f.kind, asOf: f.asOf });
      factRows.push({
        id,
        companyId: company.id,
        kind: f.kind,
        value: f.value,
        valueHigh: f.valueHigh ?? null,
        unit: f.unit,
        direction: f.direction,
        changePct: f.changePct,
        approximate: f.approximate,
        label: f.label,
        status: f.status,
        asOf: f.asOf,
        speaker: f.speaker,
        quote: f.quote,
        statement: f.evidence,
        extractor,
        confidence: f.confidence,
      });
      sourceRows.push({
        factId: id,
        articleId: article.id,
        revision: article.revision,
        evidence: f.evidence,
        start: f.start,
        end: f.end,
        partial: isPartial(article),
        extractor,
      });
    }
    // Multi-row inserts in slices (SQLite caps bound parameters per statement).
    for (let i = 0; i < factRows.length; i += 40) {
      await tx
        .insert(facts)
        .values(factRows.slice(i, i + 40))
        .onConflictDoUpdate({ target: facts.id, set: { updatedAt: now, retracted: false } });
      await tx.insert(factSources).values(sourceRows.slice(i, i + 40)).onConflictDoNothing();
    }

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
    await reconcileGroups(tx, groups);

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
    return { factIds: [...seen], companyIds: [...companyIds] };
  });
}
