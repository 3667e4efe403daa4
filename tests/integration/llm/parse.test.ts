/** Pure parts of the LLM extractor: answer validation, fact conversion, chunking, the prompt file. */
import { describe, expect, it } from 'vitest';
import { chunkText } from '../../../src/extract/llm/chunk.ts';
import { LlmAnswerError } from '../../../src/extract/llm/errors.ts';
import { PROMPT, PROMPT_VERSION, parsePromptFile, userMessage } from '../../../src/extract/llm/prompt.ts';
import { parseAnswer, toCandidate } from '../../../src/extract/llm/schema.ts';
import { article, fact } from './fixtures.ts';

describe('parseAnswer', () => {
  it('throws typed errors for empty, non-JSON and schema-violating answers', () => {
    for (const [content, code] of [
      ['', 'empty-answer'],
      [null, 'empty-answer'],
      ['{"facts": [', 'malformed-json'],
      ['[]', 'schema-mismatch'],
      ['{"summary": "x"}', 'schema-mismatch'],
    ] as const) {
      let err: unknown;
      try {
        parseAnswer(content);
      } catch (e) {
        err = e;
      }
      expect(err, String(content)).toBeInstanceOf(LlmAnswerError);
      expect((err as LlmAnswerError).code).toBe(code);
    }
  });

  it('fills missing optional fields with null and normalises case', () => {
    const r = parseAnswer(
      JSON.stringify({
        facts: [{ kind: 'IPO', company: 'Klarna', status: 'Filed', evidence: 'Klarna filed for an IPO.', confidence: 0.6 }],
      }),
    );
    expect(r.invalid).toBe(0);
    expect(r.summary).toBeNull();
    expect(toCandidate(r.facts[0]!)).toMatchObject({ kind: 'ipo', status: 'filed', value: null, unit: null, asOf: null });
  });
});

describe('toCandidate', () => {
  const conv = (over: Record<string, unknown>) => toCandidate(parseAnswer(JSON.stringify({ facts: [fact(over)] })).facts[0]!);

  it('makes net losses negative and leaves profits and already-signed values alone', () => {
    expect(conv({ kind: 'net_income', value: 32e6, evidence: 'Klarna posted a net loss of $32 million.' }).value).toBe(-32e6);
    expect(conv({ kind: 'net_income', value: -32e6, evidence: 'Klarna posted a net loss of $32 million.' }).value).toBe(-32e6);
    expect(conv({ kind: 'net_income', value: 21e6, evidence: 'Klarna made a net profit of $21 million.' }).value).toBe(21e6);
    expect(conv({ kind: 'credit_losses', value: 5e6, evidence: 'Credit losses were $5 million.' }).value).toBe(5e6);
  });

  it('keeps ranges as value and valueHigh, lower end first', () => {
    expect(conv({ value: 2500, valueHigh: 2000 })).toMatchObject({ value: 2000, valueHigh: 2500 });
  });
});

describe('chunkText', () => {
  const paras = Array.from({ length: 30 }, (_, i) => `Paragraph ${i} ` + 'word '.repeat(40 + (i % 7) * 10).trim() + '.');
  const text = paras.join('\n\n');

  it('returns short text whole', () => {
    expect(chunkText('Short.\n\nText.')).toEqual([{ text: 'Short.\n\nText.', start: 0 }]);
    expect(chunkText('   ')).toEqual([]);
  });

  it('cuts at paragraph boundaries into exact substrings under the limit, covering every paragraph once', () => {
    const chunks = chunkText(text, 250);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(text.slice(c.start, c.start + c.text.length)).toBe(c.text);
      expect(c.text.length).toBeLessThanOrEqual(1000);
      expect(c.text.startsWith('Paragraph')).toBe(true);
      expect(c.text.endsWith('.')).toBe(true);
    }
    for (const p of paras) expect(chunks.filter((c) => c.text.includes(p))).toHaveLength(1);
  });

  it('splits a single huge paragraph at sentence ends', () => {
    const huge = Array.from({ length: 60 }, (_, i) => `Sentence ${i} says something about payments.`).join(' ');
    const chunks = chunkText(huge, 100);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(400);
      expect(huge.slice(c.start, c.start + c.text.length)).toBe(c.text);
      expect(c.text.trimEnd().endsWith('.')).toBe(true);
    }
    expect(chunks.map((c) => c.text).join('')).toBe(huge);
  });
});

describe('prompt file', () => {
  it('reads the version and sections from content/prompts', () => {
    expect(PROMPT_VERSION).toBe('2');
    expect(PROMPT.system).toMatch(/copied character for character/);
    expect(PROMPT.jsonMode).toContain('{{schema}}');
    expect(userMessage(article(), 'TEXT')).toContain('Published: 2025-05-14T08:00:00Z');
  });

  it('refuses a prompt file without a version header or sections', () => {
    expect(() => parsePromptFile('<!-- section: system -->\nx\n')).toThrow(/version/);
    expect(() => parsePromptFile('---\nversion: 2\n---\n<!-- section: system -->\nx\n')).toThrow(/json-mode/);
    const ok = parsePromptFile('---\nversion: 7\n---\n<!-- section: system -->\nS\n<!-- section: json-mode -->\nJ {{schema}}\n<!-- section: user -->\nU {{text}}\n');
    expect(ok).toEqual({ version: '7', system: 'S', jsonMode: 'J {{schema}}', user: 'U {{text}}' });
  });
});
