/**
 * The LLM extractor: an Extractor that asks an OpenAI-compatible model for the facts of an article.
 * Switched on by configuration — `createLlmExtractor` returns null when neither OPENAI_API_KEY nor
 * OPENAI_BASE_URL is set, and the pipeline keeps the built-in rules.
 *
 * Per article: chunk by paragraphs → per chunk, the cache or one request (budget reserved first) →
 * parse and validate → merge the chunks' facts. Errors are typed (errors.ts) and thrown per article.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Db } from '../../../db/client.ts';
import { ConfigError } from '../../shared/config.ts';
import type { ArticleInput, CandidateFact, ExtractionResult, Extractor } from '../types.ts';
import { COMPLETION_ESTIMATE, TokenBudget, type Reservation } from './budget.ts';
import { LlmCache, cacheKey, sha256 } from './cache.ts';
import { DEFAULT_CHUNK_TOKENS, chunkText, estimateTokens, type Chunk } from './chunk.ts';
import { ChatClient, type ChatResult } from './client.ts';
import { LlmAnswerError, LlmRequestError } from './errors.ts';
import { PROMPT_VERSION, systemMessage, userMessage } from './prompt.ts';
import { formatArticleContext, readArticleContext } from '../reading/context.ts';
import { parseAnswer, toCandidate, type ParsedAnswer } from './schema.ts';

export { LlmAnswerError, LlmBudgetError, LlmError, LlmRequestError } from './errors.ts';
export { PROMPT_VERSION } from './prompt.ts';

export const DEFAULT_MODEL = 'gpt-4o-mini';

export interface LlmExtractorOptions {
  db: Db;
  /** OPENAI_BASE_URL, e.g. http://localhost:11434/v1 for Ollama. Default: OpenAI. */
  baseURL?: string;
  /** OPENAI_API_KEY. Any non-empty string for servers that need none. */
  apiKey?: string;
  /** FACTDESK_MODEL, default gpt-4o-mini. */
  model?: string;
  /** FACTDESK_MAX_TOKENS: cap on prompt + completion tokens for this run; unset = no cap. */
  maxTokens?: number;
  /** Articles in flight at once. Default 4. */
  concurrency?: number;
  /** Per-request timeout (each attempt). Default 120 s. */
  timeoutMs?: number;
  /** Retries on 429/5xx/connection errors, honouring Retry-After. Default 2. */
  maxRetries?: number;
  /** Cancels everything the extractor does. */
  signal?: AbortSignal;
  /** Largest chunk sent in one request, in estimated tokens (chars / 4). Default 6000. */
  chunkTokens?: number;
  /** Where unset options are read from. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  /** Chat completion calls made this run (each may include the client's own retries). */
  requests: number;
  /** Chunks answered from llm_cache. */
  cacheHits: number;
  /** True once an article was not sent because of FACTDESK_MAX_TOKENS. */
  budgetExceeded: boolean;
  /** Facts dropped because they did not match the schema. */
  invalidFacts: number;
}

const envText = (env: NodeJS.ProcessEnv, name: string) => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

function positiveInt(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`config: ${name} must be a positive integer, got "${v}"`);
  return n;
}

/** Returns the LLM extractor, or null when no endpoint is configured (the LLM stays optional). */
export function createLlmExtractor(opts: LlmExtractorOptions): LlmExtractor | null {
  const env = opts.env ?? process.env;
  const apiKey = opts.apiKey || envText(env, 'OPENAI_API_KEY');
  const baseURL = opts.baseURL || envText(env, 'OPENAI_BASE_URL');
  if (!apiKey && !baseURL) return null;
  const maxTokens = opts.maxTokens ?? positiveInt(envText(env, 'FACTDESK_MAX_TOKENS'), 'FACTDESK_MAX_TOKENS');
  return new LlmExtractor({
    db: opts.db,
    client: new ChatClient({
      baseURL,
      // Local servers (Ollama, llama.cpp) ignore the key, but the client insists on one.
      apiKey: apiKey ?? 'none',
      model: opts.model || envText(env, 'FACTDESK_MODEL') || DEFAULT_MODEL,
      timeoutMs: opts.timeoutMs ?? 120_000,
      maxRetries: opts.maxRetries ?? 2,
    }),
    budget: new TokenBudget(maxTokens ?? null),
    concurrency: opts.concurrency ?? 4,
    chunkTokens: opts.chunkTokens ?? DEFAULT_CHUNK_TOKENS,
    signal: opts.signal,
  });
}

interface ChunkAnswer {
  parsed: ParsedAnswer;
  chunk: Chunk;
  promptTokens: number;
  completionTokens: number;
  cached: boolean;
}

interface Planned {
  chunk: Chunk;
  user: string;
  textHash: string;
  key: string;
  hit: ParsedAnswer | null;
}

export class LlmExtractor implements Extractor {
  readonly name: string;
  private readonly client: ChatClient;
  private readonly cache: LlmCache;
  private readonly budget: TokenBudget;
  private readonly limit: LimitFunction;
  private readonly chunkTokens: number;
  private readonly signal: AbortSignal | undefined;
  private readonly counters = { promptTokens: 0, completionTokens: 0, cacheHits: 0, invalidFacts: 0 };

  constructor(deps: {
    db: Db;
    client: ChatClient;
    budget: TokenBudget;
    concurrency: number;
    chunkTokens: number;
    signal?: AbortSignal;
  }) {
    this.client = deps.client;
    this.cache = new LlmCache(deps.db);
    this.budget = deps.budget;
    this.limit = pLimit(Math.max(1, deps.concurrency));
    this.chunkTokens = deps.chunkTokens;
    this.signal = deps.signal;
    this.name = `llm:${deps.client.model}/prompt-${PROMPT_VERSION}`;
  }

  get model(): string {
    return this.client.model;
  }

  /** The structured-output mode in use: json_schema, or json_object after the server rejected it. */
  get responseMode() {
    return this.client.mode;
  }

  usage(): LlmUsage {
    return {
      ...this.counters,
      requests: this.client.requests,
      budgetExceeded: this.budget.exceeded,
    };
  }

  extract(article: ArticleInput, signal?: AbortSignal): Promise<ExtractionResult> {
    const signals = [this.signal, signal].filter((s): s is AbortSignal => !!s);
    const combined = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    return this.limit(() => this.run(article, combined));
  }

  private async run(article: ArticleInput, signal: AbortSignal | undefined): Promise<ExtractionResult> {
    if (signal?.aborted) throw new LlmRequestError('aborted', 'llm: aborted before the request');
    const chunks = chunkText(article.text, this.chunkTokens);
    // One reading of the whole article, given with every chunk: a chunk alone loses the period named in the lead.
    const context = formatArticleContext(readArticleContext(article));
    const plan = await Promise.all(chunks.map((chunk, index) => this.plan(article, chunk, index, chunks.length, context)));

    // Reserve the cost of everything not cached before sending anything: an article is sent whole or not at all.
    const perRequest = plan.map((p) =>
      p.hit ? 0 : estimateTokens(systemMessage(this.client.mode)) + estimateTokens(p.user) + COMPLETION_ESTIMATE,
    );
    const reservation = this.budget.reserve(perRequest.reduce((a, b) => a + b, 0));
    const answers: ChunkAnswer[] = [];
    try {
      for (const [i, p] of plan.entries()) {
        answers.push(p.hit ? this.fromCache(p) : await this.ask(p, reservation, perRequest[i]!, signal));
      }
    } finally {
      this.budget.release(reservation);
    }
    return this.merge(answers);
  }

  private async plan(article: ArticleInput, chunk: Chunk, index: number, total: number, context: string): Promise<Planned> {
    const user = userMessage(article, chunk.text, { index, total }, context);
    const textHash = sha256(user);
    const key = cacheKey(this.client.model, PROMPT_VERSION, textHash);
    const row = await this.cache.get(key);
    let hit: ParsedAnswer | null = null;
    if (row) {
      try {
        hit = parseAnswer(row.response);
      } catch {
        hit = null; // an unreadable cache row is a miss
      }
    }
    return { chunk, user, textHash, key, hit };
  }

  private fromCache(p: Planned): ChunkAnswer {
    this.counters.cacheHits++;
    return { parsed: p.hit!, chunk: p.chunk, promptTokens: 0, completionTokens: 0, cached: true };
  }

  private async ask(p: Planned, reservation: Reservation, estimate: number, signal?: AbortSignal): Promise<ChunkAnswer> {
    let res: ChatResult;
    try {
      res = await this.client.complete(p.user, signal);
    } catch (err) {
      this.budget.spend(reservation, estimate, 0);
      throw err;
    }
    // Tokens are spent whether or not the answer is usable; estimate them if the server does not say.
    const promptTokens = res.promptTokens ?? estimate - COMPLETION_ESTIMATE;
    const completionTokens = res.completionTokens ?? estimateTokens(res.content ?? '');
    this.counters.promptTokens += promptTokens;
    this.counters.completionTokens += completionTokens;
    this.budget.spend(reservation, estimate, promptTokens + completionTokens);

    if (res.finishReason === 'length') {
      throw new LlmAnswerError('truncated', 'llm: answer cut off at the length limit');
    }
    if (res.refusal) throw new LlmAnswerError('refused', `llm: model refused: ${res.refusal.slice(0, 200)}`);
    const parsed = parseAnswer(res.content);
    await this.cache.put({
      key: p.key,
      model: this.client.model,
      promptVersion: PROMPT_VERSION,
      textHash: p.textHash,
      response: res.content!,
      promptTokens,
      completionTokens,
    });
    return { parsed, chunk: p.chunk, promptTokens, completionTokens, cached: false };
  }

  /** Facts of all chunks, identical ones once; the first chunk's summary; the most named subject. */
  private merge(answers: ChunkAnswer[]): ExtractionResult {
    const facts: CandidateFact[] = [];
    const seen = new Map<string, CandidateFact>();
    const subjects = new Map<string, number>();
    let summary: string | null = null;
    let promptTokens = 0;
    let completionTokens = 0;
    for (const a of answers) {
      this.counters.invalidFacts += a.parsed.invalid;
      promptTokens += a.promptTokens;
      completionTokens += a.completionTokens;
      summary ??= a.parsed.summary;
      if (a.parsed.subject) subjects.set(a.parsed.subject, (subjects.get(a.parsed.subject) ?? 0) + 1);
      for (const f of a.parsed.facts) {
        const c = toCandidate(f);
        const at = a.chunk.text.indexOf(c.evidence);
        if (at >= 0) {
          c.start = a.chunk.start + at;
          c.end = c.start + c.evidence.length;
        }
        const { confidence, start, end, ...claim } = c;
        const key = JSON.stringify({ ...claim, company: claim.company.toLowerCase() });
        const prev = seen.get(key);
        if (prev) {
          prev.confidence = Math.max(prev.confidence, confidence);
          continue;
        }
        seen.set(key, c);
        facts.push(c);
      }
    }
    let subject: string | null = null;
    let best = 0;
    for (const [name, n] of subjects) if (n > best) [subject, best] = [name, n];
    return {
      facts,
      summary,
      subject,
      usage: { promptTokens, completionTokens, cached: answers.length > 0 && answers.every((a) => a.cached) },
    };
  }
}
