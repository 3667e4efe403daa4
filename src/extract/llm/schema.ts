/**
 * The shape of the model's answer, twice: `AnswerSchema` is the strict JSON schema sent to the
 * server (every field required, nullable where optional, as OpenAI structured outputs demand);
 * `parseAnswer` validates what actually came back, leniently and fact by fact, so one bad fact is
 * dropped and counted instead of costing the whole article.
 */
import { z } from 'zod';
import { FACT_KINDS, IPO_STATUSES, type CandidateFact } from '../types.ts';
import { LlmAnswerError } from './errors.ts';

const DIRECTIONS = ['increase', 'decrease'] as const;

/** One fact as the model is asked to give it. */
export const FactSchema = z.object({
  kind: z.enum(FACT_KINDS),
  company: z.string(),
  value: z.number().nullable(),
  valueHigh: z.number().nullable(),
  unit: z.string().nullable(),
  direction: z.enum(DIRECTIONS).nullable(),
  changePct: z.number().nullable(),
  approximate: z.boolean(),
  label: z.string().nullable(),
  status: z.enum(IPO_STATUSES).nullable(),
  asOf: z.string().nullable(),
  speaker: z.string().nullable(),
  quote: z.string().nullable(),
  evidence: z.string(),
  confidence: z.number(),
});

/** The whole answer for one chunk of an article. */
export const AnswerSchema = z.object({
  facts: z.array(FactSchema),
  summary: z.string().nullable(),
  subject: z.string().nullable(),
});
export type Answer = z.infer<typeof AnswerSchema>;
export type LlmFact = z.infer<typeof FactSchema>;

// ---- validation of what came back ------------------------------------------------------------

const lower = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
const blankToNull = (v: unknown) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v);

/** A number, or a plain numeric string ("1,200", "-32000000"); anything else is invalid. */
const num = z.preprocess((v) => {
  v = blankToNull(v);
  if (typeof v === 'string' && /^[+-]?\d{1,3}(,\d{3})*(\.\d+)?$|^[+-]?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v.trim())) {
    return Number(v.trim().replace(/,/g, ''));
  }
  return v;
}, z.number().finite().nullable());

const optText = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : blankToNull(v)),
  z.string().trim().nullable(),
);

const LenientFactSchema = z
  .object({
    kind: z.preprocess(lower, z.enum(FACT_KINDS)),
    company: z.string().trim().min(1),
    value: num,
    valueHigh: num.default(null),
    unit: optText.default(null),
    direction: z.preprocess((v) => blankToNull(lower(v)), z.enum(DIRECTIONS).nullable()).default(null),
    changePct: num.default(null),
    approximate: z.boolean().default(false),
    label: optText.default(null),
    status: z.preprocess((v) => blankToNull(lower(v)), z.enum(IPO_STATUSES).nullable()).default(null),
    asOf: optText.default(null),
    speaker: optText.default(null),
    quote: optText.default(null),
    evidence: z.string().trim().min(1),
    // Some models answer 85 for 0.85.
    confidence: z
      .preprocess((v) => (typeof v === 'number' && v > 1 && v <= 100 ? v / 100 : v), z.number().min(0).max(1))
      .default(0.5),
  })
  .superRefine((f, ctx) => {
    if (f.kind === 'quote' && !f.quote) ctx.addIssue({ code: 'custom', message: 'quote fact without quote' });
    if (f.kind !== 'quote' && f.kind !== 'ipo' && f.value === null) {
      ctx.addIssue({ code: 'custom', message: `${f.kind} fact without value` });
    }
  });

const EnvelopeSchema = z.object({
  facts: z.array(z.unknown()),
  summary: optText.default(null),
  subject: optText.default(null),
});

export interface ParsedAnswer {
  facts: LlmFact[];
  summary: string | null;
  subject: string | null;
  /** Facts dropped because they did not match the schema. */
  invalid: number;
  /** One message per dropped fact, for logs. */
  issues: string[];
}

/** Removes a Markdown code fence that JSON-mode models sometimes put around the object. */
function unfence(content: string): string {
  // (?=(\s*))\1 takes the whitespace after the fence whole (an atomic group): letting the body
  // regex share it made a long run of blanks quadratic.
  const m = /^\s*```(?:json)?(?=(\s*))\1\n?([\s\S]*?)\n?```\s*$/i.exec(content);
  return m ? m[2]! : content;
}

/**
 * Parses the model's message. Throws LlmAnswerError when it is not JSON or not an answer at all;
 * drops (and counts) individual facts that do not validate.
 */
export function parseAnswer(content: string | null | undefined): ParsedAnswer {
  if (content == null || content.trim() === '') throw new LlmAnswerError('empty-answer', 'llm: empty answer');
  let json: unknown;
  try {
    json = JSON.parse(unfence(content));
  } catch (err) {
    throw new LlmAnswerError(
      'malformed-json',
      `llm: answer is not JSON (${(err as Error).message}): ${content.slice(0, 120)}`,
    );
  }
  const env = EnvelopeSchema.safeParse(json);
  if (!env.success) {
    const why = env.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new LlmAnswerError('schema-mismatch', `llm: answer does not match the schema: ${why}`);
  }
  const facts: LlmFact[] = [];
  const issues: string[] = [];
  env.data.facts.forEach((raw, i) => {
    const f = LenientFactSchema.safeParse(raw);
    if (f.success) facts.push(f.data as LlmFact);
    else issues.push(`facts[${i}]: ${f.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
  });
  return { facts, summary: env.data.summary, subject: env.data.subject, invalid: issues.length, issues };
}

/** Sentences that talk about a loss (and not about a profit) make a positive net_income negative. */
const LOSS = /\blos(s|ses|t)\b|\bloss-making\b|\bin the red\b/i;
const PROFIT = /\bprofit(s|able)?\b|\bnet income\b|\bearnings\b|\bin the black\b/i;

/** The model's fact in the pipeline's shape, evidence as given. */
export function toCandidate(f: LlmFact): CandidateFact {
  let value = f.value;
  let valueHigh = f.valueHigh;
  if (f.kind === 'net_income' && value !== null && value > 0) {
    const context = `${f.evidence} ${f.label ?? ''}`;
    if (LOSS.test(context) && !PROFIT.test(context)) {
      value = -value;
      if (valueHigh !== null && valueHigh > 0) valueHigh = -valueHigh;
    }
  }
  if (value !== null && valueHigh !== null && valueHigh < value) [value, valueHigh] = [valueHigh, value];
  return {
    kind: f.kind,
    company: f.company,
    companySlug: null,
    value,
    valueHigh,
    unit: f.unit,
    direction: f.direction,
    changePct: f.changePct,
    approximate: f.approximate,
    label: f.label,
    status: f.kind === 'ipo' ? f.status : null,
    asOf: f.asOf,
    speaker: f.speaker,
    quote: f.quote,
    evidence: f.evidence,
    confidence: f.confidence,
  };
}
