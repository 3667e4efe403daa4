/**
 * The LLM path end to end through the CLI: refresh the sample without extraction, then
 * `factdesk extract --extractor llm` against a fake OpenAI-compatible server on 127.0.0.1. The fake
 * answers one real fact per article (evidence copied with straightened quotes, as models do) and
 * one invented fact; grounding must keep the first and reject the second. A rerun costs no requests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSampleServer } from '../../src/sample/server.ts';
import { runCli } from '../helpers/cli.ts';
import { startFakeOpenAI, type FakeOpenAI, type FakeReply } from '../helpers/fake-openai.ts';
import { ExportSchema } from '../helpers/facts-contract.ts';

let dir: string;
let sample: Awaited<ReturnType<typeof startSampleServer>>;
let llm: FakeOpenAI;

const SCALE: Record<string, number> = { billion: 1e9, million: 1e6 };

/** Answers from the article text it was sent: the first "$N million/billion" sentence, plus an invention. */
function answer(body: { messages: { role: string; content: string }[] }): FakeReply {
  const user = body.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
  const m = /[^.\n“”"]*?\$(\d+(?:\.\d+)?) (billion|million)[^.\n]*\./.exec(user);
  const facts = [];
  if (m) {
    facts.push({
      kind: 'metric', company: 'Klarna', value: Number(m[1]) * SCALE[m[2]!]!, valueHigh: null, unit: 'USD',
      direction: null, changePct: null, approximate: false, label: 'amount mentioned', status: null, asOf: null,
      speaker: null, quote: null, evidence: m[0].trim().replace(/[’‘]/g, "'"), confidence: 0.7,
    });
  }
  facts.push({
    kind: 'revenue', company: 'Klarna', value: 9_999_000_000, valueHigh: null, unit: 'USD', direction: null,
    changePct: null, approximate: false, label: null, status: null, asOf: '2030', speaker: null, quote: null,
    evidence: 'Klarna reported revenue of $9.999 billion in 2030.', confidence: 0.9,
  });
  return { type: 'answer', answer: { facts, summary: 'A summary.', subject: 'Klarna' }, usage: { prompt_tokens: 1000, completion_tokens: 100 } };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'factdesk-llm-cli-'));
  sample = await startSampleServer({ port: 0 });
  llm = await startFakeOpenAI({ default: (req) => answer(req.body) });
});
afterAll(async () => {
  await sample.close();
  await llm.close();
  rmSync(dir, { recursive: true, force: true });
});

it('extracts with an OpenAI-compatible endpoint, grounds its answers and caches them', async () => {
  const env = {
    ...process.env,
    DATABASE_URL: `file:${path.join(dir, 'llm.db')}`,
    FACTDESK_SAMPLE_PORT: String(sample.port),
    OPENAI_BASE_URL: llm.baseURL,
    OPENAI_API_KEY: 'test-key',
    FACTDESK_MODEL: 'fake-model',
  };
  const opml = await (await fetch(`${sample.origin}/sample.opml`)).text();
  expect((await runCli(['feeds', 'import', '-'], env, { input: opml })).code).toBe(0);
  const collected = JSON.parse((await runCli(['refresh', '--no-extract', '--json'], env)).stdout);
  expect(collected.extract).toBeUndefined();

  const r = await runCli(['extract', '--extractor', 'llm', '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout);
  expect(report.extractor).toBe('llm:fake-model/prompt-2');
  expect(report.stats.extracted).toBe(13);
  // every invented fact (and any sentence the fake lifted from the prompt's title line, not the text)
  expect(report.stats.rejectedBy['evidence-not-found']).toBeGreaterThanOrEqual(13);
  expect(report.stats.factsAccepted).toBeGreaterThanOrEqual(10);
  expect(report.stats.promptTokens).toBeGreaterThan(0);
  const requests = llm.requests.length;

  const doc = ExportSchema.parse(JSON.parse((await runCli(['export', 'facts'], env)).stdout));
  expect(doc.facts.every((f) => f.extractor === 'llm:fake-model/prompt-2')).toBe(true);
  expect(doc.facts.find((f) => f.kind === 'revenue' && f.value === 9_999_000_000)).toBeUndefined();
  // Evidence was sent back with straight apostrophes; what is stored is the article's own text.
  const curly = doc.facts.flatMap((f) => f.sources).filter((s) => s.evidence.includes('’'));
  expect(curly.length).toBeGreaterThan(0);

  const again = JSON.parse((await runCli(['extract', '--all', '--extractor', 'llm', '--json'], env)).stdout);
  expect(again.stats.extracted).toBe(13);
  expect(again.stats.promptTokens).toBe(0);
  expect(llm.requests.length).toBe(requests); // served from the cache
}, 120_000);
