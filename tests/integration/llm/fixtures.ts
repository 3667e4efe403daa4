/** Shared article, answers and setup for the LLM extractor tests. */
import { tempDb, type TempDb } from '../../helpers/db.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../helpers/fake-openai.ts';
import { createLlmExtractor, type LlmExtractor, type LlmExtractorOptions } from '../../../src/extract/llm/index.ts';
import type { ArticleInput } from '../../../src/extract/types.ts';

export const S1 = 'Klarna cut 700 jobs last year as its AI assistant took over customer service work.';
export const S2 = 'The company reported a net loss of $32 million in the first quarter.';
export const S3 = 'Sebastian Siemiatkowski said the company would keep hiring engineers.';

export function article(id = 1, text = `${S1}\n\n${S2}\n\n${S3}`): ArticleInput {
  return {
    id,
    title: 'Klarna shrinks staff as AI takes over',
    text,
    publishedAt: '2025-05-14T08:00:00Z',
    outlet: 'Example News',
    url: `https://news.example/klarna-${id}`,
  };
}

/** One fact as a well-behaved model would return it (all fields, strict schema). */
export function fact(over: Record<string, unknown> = {}) {
  return {
    kind: 'workforce_change',
    company: 'Klarna',
    value: 700,
    valueHigh: null,
    unit: 'people',
    direction: 'decrease',
    changePct: null,
    approximate: false,
    label: 'layoffs',
    status: null,
    asOf: '2024',
    speaker: null,
    quote: null,
    evidence: S1,
    confidence: 0.9,
    ...over,
  };
}

export const goodAnswer = {
  facts: [
    fact(),
    fact({ kind: 'net_income', value: 32000000, unit: 'USD', direction: null, label: null, asOf: '2025-Q1', evidence: S2, confidence: 0.8 }),
    fact({
      kind: 'quote',
      value: null,
      unit: null,
      direction: null,
      label: null,
      asOf: null,
      speaker: 'Sebastian Siemiatkowski',
      quote: 'the company would keep hiring engineers',
      evidence: S3,
      confidence: 0.7,
    }),
  ],
  summary: 'Klarna cut 700 jobs as AI took over support. It lost $32 million in the first quarter.',
  subject: 'Klarna',
};

export interface Harness {
  fake: FakeOpenAI;
  db: TempDb;
  make(opts?: Partial<LlmExtractorOptions>): LlmExtractor;
  close(): Promise<void>;
}

export async function harness(): Promise<Harness> {
  const fake = await startFakeOpenAI();
  const db = await tempDb();
  return {
    fake,
    db,
    make(opts = {}) {
      const x = createLlmExtractor({
        db: db.db,
        baseURL: fake.baseURL,
        apiKey: 'test-key',
        model: 'test-model',
        timeoutMs: 5000,
        maxRetries: 2,
        env: {},
        ...opts,
      });
      if (!x) throw new Error('extractor not configured');
      return x;
    },
    async close() {
      await fake.close();
      db.cleanup();
    },
  };
}

/** The user message (role user) of a recorded request. */
export function userOf(body: any): string {
  return body?.messages?.find((m: any) => m.role === 'user')?.content ?? '';
}
export function systemOf(body: any): string {
  return body?.messages?.find((m: any) => m.role === 'system')?.content ?? '';
}
