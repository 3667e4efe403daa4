/** The LLM extractor against a fake OpenAI-compatible server: answers, cache, budget, chunking. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { llmCache } from '../../../db/schema.ts';
import { createLlmExtractor, LlmAnswerError, LlmBudgetError, PROMPT_VERSION } from '../../../src/extract/llm/index.ts';
import { reply } from '../../helpers/fake-openai.ts';
import { article, fact, goodAnswer, harness, S1, S2, S3, systemOf, userOf, type Harness } from './fixtures.ts';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.close();
});

describe('createLlmExtractor', () => {
  it('returns null when neither an API key nor a base URL is configured', () => {
    expect(createLlmExtractor({ db: h.db.db, env: {} })).toBeNull();
    expect(createLlmExtractor({ db: h.db.db, env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: ' ' } })).toBeNull();
  });

  it('is configured by a base URL alone (Ollama) or a key, and names model and prompt version', () => {
    const ollama = createLlmExtractor({ db: h.db.db, env: { OPENAI_BASE_URL: 'http://localhost:11434/v1', FACTDESK_MODEL: 'llama3.1' } });
    expect(ollama?.name).toBe(`llm:llama3.1/prompt-${PROMPT_VERSION}`);
    const openai = createLlmExtractor({ db: h.db.db, env: { OPENAI_API_KEY: 'sk-x' } });
    expect(openai?.name).toBe('llm:gpt-4o-mini/prompt-2');
    expect(() => createLlmExtractor({ db: h.db.db, env: { OPENAI_API_KEY: 'k', FACTDESK_MAX_TOKENS: 'lots' } })).toThrow(
      /FACTDESK_MAX_TOKENS/,
    );
  });
});

describe('answers', () => {
  it('turns a good answer into candidate facts, summary and subject', async () => {
    h.fake.enqueue(reply.answer(goodAnswer, { prompt_tokens: 1500, completion_tokens: 300 }));
    const x = h.make();
    const a = article();
    const res = await x.extract(a);

    expect(res.subject).toBe('Klarna');
    expect(res.summary).toMatch(/^Klarna cut 700 jobs/);
    expect(res.facts).toHaveLength(3);
    expect(res.facts[0]).toEqual({
      kind: 'workforce_change',
      company: 'Klarna',
      companySlug: null,
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
      start: a.text.indexOf(S1),
      end: a.text.indexOf(S1) + S1.length,
      confidence: 0.9,
    });
    // "net loss" given as a positive number is stored signed.
    expect(res.facts[1]).toMatchObject({ kind: 'net_income', value: -32000000, unit: 'USD', asOf: '2025-Q1', evidence: S2 });
    expect(res.facts[2]).toMatchObject({ kind: 'quote', value: null, speaker: 'Sebastian Siemiatkowski', evidence: S3 });
    expect(res.usage).toEqual({ promptTokens: 1500, completionTokens: 300, cached: false });
    expect(x.usage()).toMatchObject({ promptTokens: 1500, completionTokens: 300, requests: 1, cacheHits: 0, budgetExceeded: false });

    // What was sent: the model, structured output with the strict schema, the versioned prompt, the text.
    const body = h.fake.requests[0]!.body;
    expect(body.model).toBe('test-model');
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.strict).toBe(true);
    expect(Object.keys(body.response_format.json_schema.schema.properties)).toEqual(['facts', 'summary', 'subject']);
    expect(systemOf(body)).toMatch(/evidence/);
    expect(systemOf(body)).not.toMatch(/JSON Schema/); // the schema travels in response_format
    expect(userOf(body)).toContain(a.text);
    expect(userOf(body)).toContain('2025-05-14');
    expect(h.fake.requests[0]!.headers.authorization).toBe('Bearer test-key');
  });

  it('records a malformed answer as LlmAnswerError, caches nothing, and carries on', async () => {
    h.fake.enqueue(reply.content('{"facts": [ {"kind": "headcount", '), reply.answer(goodAnswer));
    const x = h.make();
    const err = await x.extract(article(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmAnswerError);
    expect((err as LlmAnswerError).code).toBe('malformed-json');
    expect(await h.db.db.select().from(llmCache)).toHaveLength(0);
    // The tokens were still spent and counted; the next article is fine.
    expect(x.usage().promptTokens).toBeGreaterThan(0);
    expect((await x.extract(article(2))).facts).toHaveLength(3);
  });

  it('rejects an answer that is JSON but not the schema', async () => {
    h.fake.enqueue(
      reply.answer({ result: 'Klarna cut 700 jobs' }),
      reply.answer({ facts: 'none', summary: null, subject: null }),
      reply.content('Sure! Here are the facts: Klarna cut 700 jobs.'),
    );
    const x = h.make();
    for (const code of ['schema-mismatch', 'schema-mismatch', 'malformed-json']) {
      await expect(x.extract(article())).rejects.toMatchObject({ name: 'LlmAnswerError', code });
    }
    expect(h.fake.count).toBe(3);
  });

  it('drops and counts invalid facts inside a valid answer, keeping the rest', async () => {
    h.fake.enqueue(
      reply.answer({
        facts: [
          fact(),
          fact({ kind: 'rumour' }), // not a kind
          fact({ value: 'seven hundred' }), // not a number
          fact({ evidence: '' }), // no evidence
          fact({ kind: 'revenue', value: null, evidence: S2 }), // revenue without value
          fact({ kind: 'headcount', value: '5,000', unit: 'people', direction: null, evidence: S1, confidence: 85 }),
        ],
        summary: 'x',
        subject: 'Klarna',
      }),
    );
    const x = h.make();
    const res = await x.extract(article());
    expect(res.facts.map((f) => [f.kind, f.value, f.confidence])).toEqual([
      ['workforce_change', 700, 0.9],
      ['headcount', 5000, 0.85],
    ]);
    expect(x.usage().invalidFacts).toBe(4);
  });

  it('passes invented evidence and wrong values through as given (grounding is the pipeline\'s job)', async () => {
    const invented = 'Klarna hired 5,000 people in 2024.';
    h.fake.enqueue(reply.answer({ facts: [fact({ kind: 'headcount', value: 5000, evidence: invented }), fact({ value: 7000 })], summary: null, subject: null }));
    const res = await h.make().extract(article());
    expect(res.facts).toHaveLength(2);
    expect(res.facts[0]).toMatchObject({ evidence: invented, value: 5000 });
    expect(res.facts[0]!.start).toBeUndefined(); // not found in the text: no offsets
    expect(res.facts[1]).toMatchObject({ evidence: S1, value: 7000, start: 0, end: S1.length });
  });

  it('rejects an answer cut off by the length limit', async () => {
    h.fake.enqueue({ type: 'content', content: '{"facts": []}', finishReason: 'length' });
    await expect(h.make().extract(article())).rejects.toMatchObject({ name: 'LlmAnswerError', code: 'truncated' });
  });

  it('accepts JSON wrapped in a code fence', async () => {
    h.fake.enqueue(reply.content('```json\n' + JSON.stringify(goodAnswer) + '\n```'));
    expect((await h.make().extract(article())).facts).toHaveLength(3);
  });
});

describe('cache', () => {
  it('serves a rerun on the same text from llm_cache without a request', async () => {
    h.fake.enqueue(reply.answer(goodAnswer, { prompt_tokens: 1000, completion_tokens: 200 }));
    const first = await h.make().extract(article());
    expect(h.fake.count).toBe(1);
    const rows = await h.db.db.select().from(llmCache);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ model: 'test-model', promptVersion: PROMPT_VERSION, promptTokens: 1000, completionTokens: 200 });
    expect(JSON.parse(rows[0]!.response)).toEqual(goodAnswer);

    // A new run (new extractor) on the same text: zero requests, zero tokens.
    const rerun = h.make();
    const again = await rerun.extract(article());
    expect(h.fake.count).toBe(1);
    expect(again.facts).toEqual(first.facts);
    expect(again.usage).toEqual({ promptTokens: 0, completionTokens: 0, cached: true });
    expect(rerun.usage()).toMatchObject({ requests: 0, cacheHits: 1, promptTokens: 0, completionTokens: 0 });

    // Another model, or changed text, is a miss.
    h.fake.setDefault(reply.answer(goodAnswer));
    await h.make({ model: 'other-model' }).extract(article());
    expect(h.fake.count).toBe(2);
    await rerun.extract(article(1, `${S1}\n\n${S2}`));
    expect(h.fake.count).toBe(3);
  });
});

describe('budget (FACTDESK_MAX_TOKENS)', () => {
  it('stops sending articles once the cap would be exceeded, but still serves the cache', async () => {
    h.fake.setDefault(reply.answer(goodAnswer, { prompt_tokens: 2500, completion_tokens: 500 }));
    // Warm the cache for article 9 with an uncapped run.
    await h.make().extract(article(9, `${S3}\n\n${S1}`));
    expect(h.fake.count).toBe(1);

    const x = h.make({ maxTokens: 4000 });
    await x.extract(article(1)); // ~2k estimated, 3000 spent
    expect(h.fake.count).toBe(2);
    const err = await x.extract(article(2, `${S2}\n\n${S1}`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmBudgetError);
    expect((err as LlmBudgetError).code).toBe('budget');
    expect(h.fake.count).toBe(2); // not sent
    // The budget stays closed for the run, even for a short article…
    await expect(x.extract(article(3, S3))).rejects.toBeInstanceOf(LlmBudgetError);
    expect(h.fake.count).toBe(2);
    // …while cached text costs nothing and is still served.
    expect((await x.extract(article(9, `${S3}\n\n${S1}`))).facts).toHaveLength(3);
    expect(x.usage()).toMatchObject({ promptTokens: 2500, completionTokens: 500, requests: 1, cacheHits: 1, budgetExceeded: true });
  });
});

describe('chunking', () => {
  it('sends a long article in several paragraph chunks and merges the facts', async () => {
    const paras = Array.from(
      { length: 12 },
      (_, i) => `Paragraph ${i}: Klarna said its team number ${i} has ${100 + i} people working on payments, credit and shopping products across Europe and America.`,
    );
    const text = paras.join('\n\n');
    const a = article(5, text);
    // Answer each chunk with the fact of each paragraph it contains, plus one fact every chunk repeats.
    h.fake.setDefault((req) => {
      const user = userOf(req.body);
      const facts = paras
        .map((p, i) => (user.includes(p) ? fact({ kind: 'headcount', value: 100 + i, direction: null, label: null, evidence: p }) : null))
        .filter(Boolean);
      facts.push(fact({ kind: 'users', value: 150000000, unit: 'users', direction: null, label: null, asOf: null, evidence: paras[0]! }));
      return reply.answer({ facts, summary: `summary of ${h.fake.count}`, subject: 'Klarna' });
    });
    const x = h.make({ chunkTokens: 100 }); // 400 characters: about two paragraphs a chunk
    const res = await x.extract(a);

    expect(h.fake.count).toBeGreaterThanOrEqual(4);
    for (const r of h.fake.requests) {
      const u = userOf(r.body);
      expect(u.length).toBeLessThan(2000);
      expect(u).toMatch(/This is part \d+ of \d+ of the article/);
    }
    // Every paragraph was sent exactly once.
    for (const p of paras) expect(h.fake.requests.filter((r) => userOf(r.body).includes(p))).toHaveLength(1);
    const headcounts = res.facts.filter((f) => f.kind === 'headcount');
    expect(headcounts.map((f) => f.value)).toEqual(paras.map((_, i) => 100 + i));
    for (const f of res.facts) expect(text.slice(f.start!, f.end!)).toBe(f.evidence);
    expect(res.facts.filter((f) => f.kind === 'users')).toHaveLength(1); // identical facts merged
    expect(res.summary).toBe('summary of 1');
    expect(x.usage().requests).toBe(h.fake.count);
  });
});

describe('concurrency', () => {
  it('keeps at most `concurrency` articles in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    h.fake.setDefault(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 80));
      inFlight--;
      return reply.answer(goodAnswer);
    });
    const x = h.make({ concurrency: 2 });
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => x.extract(article(i, `${S1} (${i})`))));
    expect(results.every((r) => r.facts.length === 3)).toBe(true);
    expect(h.fake.count).toBe(6);
    expect(peak).toBe(2);
  });
});

describe('article context in the prompt', () => {
  it('sends the same reading the rules use: companies, people with roles, the governing period by paragraph', async () => {
    h.fake.enqueue(reply.answer(goodAnswer));
    const text = 'Lendora, the US online lender, reported results for the quarter ended March 31, 2025.\n\nRevenue rose to $80 million, chief executive Priya Raman said.\n\nThe net loss narrowed to $4 million from $9 million a year earlier.';
    await h.make().extract({ ...article(), title: 'Lendora results', text });
    const user = userOf(h.fake.requests.at(-1)!.body);
    expect(user).toContain('Main company (what "the company", "it" usually refer to): Lendora');
    expect(user).toContain('Priya Raman (ceo)');
    expect(user).toMatch(/Reporting period in force[^\n]*paragraphs 1–3: 2025-Q1/);
    expect(user).toContain('Publication day (present-tense state is as of this day): 2025-05-14');
    // The article text itself is still sent whole, after the reading.
    expect(user.indexOf('Reporting period in force')).toBeLessThan(user.indexOf(text.slice(0, 40)));
  });
});
