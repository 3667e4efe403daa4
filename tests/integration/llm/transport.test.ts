/** Retries, timeouts and the structured-output fallback, against the fake server. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LlmRequestError } from '../../../src/extract/llm/index.ts';
import { reply } from '../../helpers/fake-openai.ts';
import { article, goodAnswer, harness, systemOf, type Harness } from './fixtures.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.close();
});

describe('retries', () => {
  it('waits for Retry-After on a 429, then succeeds', async () => {
    h.fake.enqueue(reply.rateLimited(1), reply.answer(goodAnswer));
    const x = h.make({ maxRetries: 2 });
    const t0 = Date.now();
    const res = await x.extract(article());
    const elapsed = Date.now() - t0;
    expect(res.facts).toHaveLength(3);
    expect(h.fake.count).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(h.fake.requests[1]!.at - h.fake.requests[0]!.at).toBeGreaterThanOrEqual(950);
    expect(h.fake.requests[1]!.headers['x-stainless-retry-count']).toBe('1');
    expect(x.usage().requests).toBe(1); // one logical request; the retry is the client's
  });

  it('retries a 500, then succeeds', async () => {
    h.fake.enqueue(reply.serverError(), reply.answer(goodAnswer));
    const res = await h.make({ maxRetries: 2 }).extract(article());
    expect(res.facts).toHaveLength(3);
    expect(h.fake.count).toBe(2);
  });

  it('gives up on a persistent 500 after maxRetries with a typed error', async () => {
    h.fake.setDefault(reply.serverError());
    const x = h.make({ maxRetries: 1 });
    const err = await x.extract(article()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmRequestError);
    expect(err).toMatchObject({ code: 'http-status', status: 500 });
    expect(h.fake.count).toBe(2); // 1 attempt + 1 retry
    // Nothing was spent; the extractor is still usable.
    h.fake.setDefault(reply.answer(goodAnswer));
    expect((await x.extract(article(2))).facts).toHaveLength(3);
  });

  it('reports a persistent 429 as rate-limited', async () => {
    h.fake.setDefault(reply.status(429, { 'retry-after-ms': '10' }));
    await expect(h.make({ maxRetries: 1 }).extract(article())).rejects.toMatchObject({
      name: 'LlmRequestError',
      code: 'rate-limited',
      status: 429,
    });
    expect(h.fake.count).toBe(2);
  });
});

describe('timeouts and cancellation', () => {
  it('times out a hanging server within timeoutMs', async () => {
    h.fake.setDefault(reply.hang());
    const t0 = Date.now();
    const err = await h.make({ timeoutMs: 1000, maxRetries: 0 }).extract(article()).catch((e: unknown) => e);
    const elapsed = Date.now() - t0;
    expect(err).toBeInstanceOf(LlmRequestError);
    expect((err as LlmRequestError).code).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2500);
    expect(h.fake.count).toBe(1);
  });

  it('cancels an in-flight request when the signal aborts', async () => {
    h.fake.setDefault(reply.hang());
    const ac = new AbortController();
    const x = h.make({ timeoutMs: 10_000, maxRetries: 0 });
    const p = x.extract(article(), ac.signal);
    setTimeout(() => ac.abort(), 150);
    const t0 = Date.now();
    await expect(p).rejects.toMatchObject({ name: 'LlmRequestError', code: 'aborted' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe('structured output fallback', () => {
  it('falls back to JSON mode when json_schema is rejected, and remembers it for the run', async () => {
    h.fake.setDefault((req) =>
      req.body?.response_format?.type === 'json_schema' ? reply.jsonSchemaUnsupported() : reply.answer(goodAnswer),
    );
    const x = h.make();
    const first = await x.extract(article(1));
    expect(first.facts).toHaveLength(3);
    expect(x.responseMode).toBe('json_object');
    const types = h.fake.requests.map((r) => r.body.response_format.type);
    expect(types).toEqual(['json_schema', 'json_object']);
    // In JSON mode the schema is described in the system prompt instead.
    expect(systemOf(h.fake.requests[0]!.body)).not.toMatch(/JSON Schema/);
    expect(systemOf(h.fake.requests[1]!.body)).toMatch(/JSON Schema/);
    expect(systemOf(h.fake.requests[1]!.body)).toContain('"evidence"');

    await x.extract(article(2, 'Another text about Klarna.'));
    expect(h.fake.requests.map((r) => r.body.response_format.type)).toEqual(['json_schema', 'json_object', 'json_object']);
  });

  it('does not fall back on other 400s', async () => {
    h.fake.setDefault(reply.status(400, {}, { error: { message: 'Invalid API key format' } }));
    const x = h.make();
    await expect(x.extract(article())).rejects.toMatchObject({ name: 'LlmRequestError', status: 400 });
    expect(x.responseMode).toBe('json_schema');
    expect(h.fake.count).toBe(1);
  });

  it('drops temperature for models that refuse it', async () => {
    h.fake.setDefault((req) =>
      'temperature' in req.body
        ? reply.status(400, {}, { error: { message: "Unsupported value: 'temperature' does not support 0", param: 'temperature' } })
        : reply.answer(goodAnswer),
    );
    expect((await h.make().extract(article())).facts).toHaveLength(3);
    expect(h.fake.requests.map((r) => 'temperature' in r.body)).toEqual([true, false]);
  });
});
