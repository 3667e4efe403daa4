/**
 * A fake OpenAI-compatible server on 127.0.0.1 for the LLM extractor tests: POST /v1/chat/completions
 * answers from a script (a queue of replies, then a default), counts requests and records their
 * bodies and headers so tests can see what the client sent (response_format, messages, retries).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (null when it was not JSON). */
  body: any;
  at: number;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type FakeReply =
  /** A 200 whose assistant message is JSON.stringify(answer). */
  | { type: 'answer'; answer: unknown; usage?: Usage | null; finishReason?: string }
  /** A 200 whose assistant message is this exact string (malformed JSON, prose, fenced JSON…). */
  | { type: 'content'; content: string; usage?: Usage | null; finishReason?: string }
  /** Any status with optional headers and JSON body (429 + Retry-After, 500, 400…). */
  | { type: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Never answers (until the server closes). */
  | { type: 'hang' };

export type Responder = FakeReply | ((req: RecordedRequest, index: number) => FakeReply | Promise<FakeReply>);

export const reply = {
  answer: (answer: unknown, usage?: Usage | null): FakeReply => ({ type: 'answer', answer, usage }),
  content: (content: string, usage?: Usage | null): FakeReply => ({ type: 'content', content, usage }),
  status: (status: number, headers?: Record<string, string>, body?: unknown): FakeReply => ({
    type: 'status',
    status,
    headers,
    body,
  }),
  rateLimited: (retryAfterSeconds: number): FakeReply => ({
    type: 'status',
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: { error: { message: 'Rate limit reached', type: 'rate_limit_error', code: 'rate_limit_exceeded' } },
  }),
  serverError: (): FakeReply => ({
    type: 'status',
    status: 500,
    body: { error: { message: 'The server had an error', type: 'server_error' } },
  }),
  /** What vLLM / older servers say when they do not support structured outputs. */
  jsonSchemaUnsupported: (): FakeReply => ({
    type: 'status',
    status: 400,
    body: {
      error: {
        message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
        type: 'invalid_request_error',
        param: 'response_format',
      },
    },
  }),
  hang: (): FakeReply => ({ type: 'hang' }),
};

export interface FakeOpenAI {
  /** e.g. http://127.0.0.1:PORT/v1 — pass as baseURL. */
  baseURL: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Number of chat completion requests received. */
  readonly count: number;
  /** Replies to use, in order, before the default. */
  enqueue(...replies: Responder[]): void;
  /** What to answer once the queue is empty (default: a non-retryable 500 "no scripted reply"). */
  setDefault(responder: Responder): void;
  close(): Promise<void>;
}

function estimateTokens(s: string): number {
  return Math.max(1, Math.ceil(s.length / 4));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body ?? {});
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

export async function startFakeOpenAI(opts: { default?: Responder } = {}): Promise<FakeOpenAI> {
  const queue: Responder[] = [];
  let fallback: Responder =
    opts.default ??
    ({
      type: 'status',
      status: 500,
      headers: { 'x-should-retry': 'false' },
      body: { error: { message: 'fake-openai: no scripted reply' } },
    } as FakeReply);
  const requests: RecordedRequest[] = [];
  let seq = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: any = null;
        try {
          body = JSON.parse(raw);
        } catch {
          body = null;
        }
        const rec: RecordedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body,
          at: Date.now(),
        };
        if (req.method !== 'POST' || !(req.url ?? '').endsWith('/chat/completions')) {
          send(res, 404, { error: { message: `fake-openai: no route ${req.method} ${req.url}` } });
          return;
        }
        requests.push(rec);
        const index = seq++;
        const responder = queue.length > 0 ? queue.shift()! : fallback;
        const r = typeof responder === 'function' ? await responder(rec, index) : responder;
        if (r.type === 'hang') return; // keep the socket open; close() destroys it
        if (r.type === 'status') {
          send(res, r.status, r.body ?? { error: { message: `fake-openai: status ${r.status}` } }, r.headers);
          return;
        }
        const content = r.type === 'answer' ? JSON.stringify(r.answer) : r.content;
        const usage =
          r.usage === null
            ? undefined
            : (r.usage ?? {
                prompt_tokens: estimateTokens(JSON.stringify(body?.messages ?? '')),
                completion_tokens: estimateTokens(content),
              });
        send(res, 200, {
          id: `chatcmpl-fake-${index}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body?.model ?? 'fake',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content, refusal: null },
              finish_reason: r.finishReason ?? 'stop',
              logprobs: null,
            },
          ],
          ...(usage
            ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }
            : {}),
        });
      })().catch((err: unknown) => {
        if (!res.headersSent) send(res, 599, { error: { message: String(err) } }, { 'x-should-retry': 'false' });
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get count() {
      return requests.length;
    },
    enqueue(...replies) {
      queue.push(...replies);
    },
    setDefault(responder) {
      fallback = responder;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
