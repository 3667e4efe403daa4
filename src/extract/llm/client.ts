/**
 * One chat completion against any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp).
 * Retries on 429/5xx honouring Retry-After and the per-request timeout are the openai client's;
 * this module adds the structured-output fallback (json_schema → JSON mode, remembered for the run)
 * and maps transport failures to LlmRequestError.
 */
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { LlmRequestError } from './errors.ts';
import { systemMessage, type ResponseMode } from './prompt.ts';
import { AnswerSchema } from './schema.ts';

export interface ChatClientOptions {
  baseURL?: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
}

export interface ChatResult {
  content: string | null;
  refusal: string | null;
  finishReason: string | null;
  /** From the response's `usage`; null when the server did not report it. */
  promptTokens: number | null;
  completionTokens: number | null;
}

const RESPONSE_FORMAT = zodResponseFormat(AnswerSchema, 'article_facts');

/** A 400/422 that says the server does not do structured outputs. */
function rejectsJsonSchema(err: unknown): boolean {
  return (
    err instanceof APIError &&
    (err.status === 400 || err.status === 422) &&
    /response_format|json_schema|structured output|guided_json|grammar/i.test(
      `${err.message} ${err.param ?? ''}`,
    )
  );
}

/** A 400 that says the model does not take a temperature (reasoning models). */
function rejectsTemperature(err: unknown): boolean {
  return err instanceof APIError && err.status === 400 && /temperature/i.test(`${err.message} ${err.param ?? ''}`);
}

function toRequestError(err: unknown): unknown {
  if (err instanceof APIUserAbortError) return new LlmRequestError('aborted', 'llm: request aborted', null, { cause: err });
  if (err instanceof APIConnectionTimeoutError) {
    return new LlmRequestError('timeout', `llm: request timed out`, null, { cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new LlmRequestError('connection', `llm: connection failed: ${err.message}`, null, { cause: err });
  }
  if (err instanceof APIError) {
    const status = typeof err.status === 'number' ? err.status : null;
    return new LlmRequestError(
      status === 429 ? 'rate-limited' : 'http-status',
      `llm: HTTP ${status ?? '?'}: ${err.message}`,
      status,
      { cause: err },
    );
  }
  return err;
}

export class ChatClient {
  /** json_schema until the server rejects it, then json_object for the rest of the run. */
  mode: ResponseMode = 'json_schema';
  /** Whether to send temperature 0; dropped if the model refuses it. */
  private temperature = true;
  /** Chat completion calls made (the openai client's internal retries not counted). */
  requests = 0;
  private readonly openai: OpenAI;

  private readonly opts: ChatClientOptions;

  constructor(opts: ChatClientOptions) {
    this.opts = opts;
    this.openai = new OpenAI({
      baseURL: opts.baseURL,
      apiKey: opts.apiKey,
      timeout: opts.timeoutMs,
      maxRetries: opts.maxRetries,
    });
  }

  get model(): string {
    return this.opts.model;
  }

  async complete(user: string, signal?: AbortSignal): Promise<ChatResult> {
    for (;;) {
      const mode = this.mode;
      const temperature = this.temperature;
      try {
        this.requests++;
        const res = await this.openai.chat.completions.create(
          {
            model: this.opts.model,
            messages: [
              { role: 'system', content: systemMessage(mode) },
              { role: 'user', content: user },
            ],
            response_format: mode === 'json_schema' ? RESPONSE_FORMAT : { type: 'json_object' },
            ...(temperature ? { temperature: 0 } : {}),
          },
          { signal },
        );
        const choice = res.choices[0];
        return {
          content: choice?.message?.content ?? null,
          refusal: choice?.message?.refusal ?? null,
          finishReason: choice?.finish_reason ?? null,
          promptTokens: res.usage?.prompt_tokens ?? null,
          completionTokens: res.usage?.completion_tokens ?? null,
        };
      } catch (err) {
        // Another article may already have switched the mode; then just try again.
        if (mode === 'json_schema' && rejectsJsonSchema(err)) {
          this.mode = 'json_object';
          continue;
        }
        if (temperature && rejectsTemperature(err)) {
          this.temperature = false;
          continue;
        }
        if (mode !== this.mode || temperature !== this.temperature) continue;
        throw toRequestError(err);
      }
    }
  }
}
