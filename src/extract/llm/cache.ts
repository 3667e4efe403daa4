/**
 * The LLM response cache in llm_cache: key = sha256(model + prompt version + text hash), where the
 * text hash covers exactly what was sent about the article (the user message: chunk text plus title,
 * outlet and date, which the prompt uses to resolve periods). A rerun on the same text costs nothing.
 * Only answers that parsed are stored.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { llmCache } from '../../../db/schema.ts';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function cacheKey(model: string, promptVersion: string, textHash: string): string {
  return sha256(`${model}\u0000${promptVersion}\u0000${textHash}`);
}

export interface CachedResponse {
  response: string;
  promptTokens: number;
  completionTokens: number;
}

export class LlmCache {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  async get(key: string): Promise<CachedResponse | null> {
    const rows = await this.db
      .select({
        response: llmCache.response,
        promptTokens: llmCache.promptTokens,
        completionTokens: llmCache.completionTokens,
      })
      .from(llmCache)
      .where(eq(llmCache.key, key))
      .limit(1);
    return rows[0] ?? null;
  }

  async put(row: {
    key: string;
    model: string;
    promptVersion: string;
    textHash: string;
    response: string;
    promptTokens: number;
    completionTokens: number;
  }): Promise<void> {
    await this.db
      .insert(llmCache)
      .values(row)
      .onConflictDoUpdate({
        target: llmCache.key,
        set: { response: row.response, promptTokens: row.promptTokens, completionTokens: row.completionTokens },
      });
  }
}
