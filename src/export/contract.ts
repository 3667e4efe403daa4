/**
 * The facts export contract (content/facts-contract.md, schemaVersion 1) as zod schemas: the one
 * definition that the exporter's types, the API's answers, the published JSON Schema
 * (content/facts.schema.json, written by `npm run schemas`) and the tests' validation all come from.
 * The descriptions end up in the JSON Schema, where a researcher's validator shows them.
 */
import { z } from 'zod';
import { CORROBORATIONS, FACT_KINDS, IPO_STATUSES, type FactKind } from '../shared/facts/kinds.ts';

export const FACTS_SCHEMA_VERSION = 1;

const nullableText = (description: string) => z.string().nullable().meta({ description });

export const SourceSchema = z
  .strictObject({
    articleId: z.number().int(),
    url: z.string().nullable(),
    title: z.string().nullable(),
    outlet: z.string().nullable(),
    publishedAt: nullableText('ISO-8601 publication time, when the page gave one'),
    evidence: z.string().min(1).meta({ description: 'exact substring of the stored article text at [start, end)' }),
    start: z.number().int().min(0),
    end: z.number().int().min(1),
    independent: z.boolean().meta({ description: 'false for a copy (syndicated reprint) of another article' }),
    copyOf: nullableText('for a copy: the url of the earliest version'),
    partial: z.boolean().meta({ description: 'read from a paywalled or truncated page' }),
  })
  .meta({ id: 'Source', description: 'One article a fact was read from, with the evidence span.' });

/**
 * What each kind must fill in, as zod schemas of the non-null value: the refinement below checks it,
 * and the same schemas become the JSON Schema's if/then clauses, so the two cannot disagree.
 */
const FILLED = {
  value: z.number(),
  status: z.enum(IPO_STATUSES),
  quote: z.string().min(1),
  speaker: z.string().min(1),
} as const;
type Filled = keyof typeof FILLED;

const REQUIRED_BY_KIND: readonly { kinds: readonly FactKind[]; fields: readonly Filled[] }[] = [
  { kinds: ['quote'], fields: ['quote', 'speaker'] },
  { kinds: ['ipo'], fields: ['status'] },
  { kinds: FACT_KINDS.filter((k) => k !== 'quote' && k !== 'ipo'), fields: ['value'] },
];

/** The rules above in JSON Schema 2020-12: "if kind is one of these, then these fields are filled". */
function requiredByKindJson(): object[] {
  const json = (s: z.ZodType) => {
    const { $schema: _, ...rest } = z.toJSONSchema(s);
    return rest;
  };
  return REQUIRED_BY_KIND.map((r) => ({
    if: { properties: { kind: { enum: [...r.kinds] } }, required: ['kind'] },
    then: { properties: Object.fromEntries(r.fields.map((f) => [f, json(FILLED[f])])) },
  }));
}

export const FactSchema = z
  .strictObject({
    id: z.string().min(1).meta({ description: 'stable across runs for the same claim' }),
    company: z.string().regex(/^[a-z0-9-]+$/).meta({ description: 'company slug, lower-case' }),
    companyName: z.string().min(1),
    kind: z.enum(FACT_KINDS),
    value: z.number().nullable().meta({ description: 'normalised: "$45.6 billion" is 45600000000; losses are negative; the lower end of a range' }),
    valueHigh: z.number().nullable().meta({ description: 'the upper end of a range' }),
    unit: nullableText('"people", "percent", "users" or an ISO-4217 currency'),
    direction: z.enum(['increase', 'decrease']).nullable(),
    changePct: z.number().nullable(),
    approximate: z.boolean(),
    label: nullableText('metric kind: what the number measures'),
    status: z.enum(IPO_STATUSES).nullable().meta({ description: 'ipo kind: the IPO event' }),
    asOf: z
      .string()
      .regex(/^\d{4}(-Q[1-4]|-H[12]|-\d{2}(-\d{2})?)?$/)
      .nullable()
      .meta({ description: 'the period the fact describes (not the article date): 2021, 2025-03, 2025-Q1, 2025-H1, 2025-05-14' }),
    speaker: nullableText('quote kind: the person as written, or the role when unnamed'),
    quote: nullableText('quote kind: the quoted words without quote marks'),
    statement: z.string().min(1).meta({ description: 'the sentence the fact was read from, verbatim' }),
    sources: z.array(SourceSchema).min(1).meta({ description: 'earliest independent source first' }),
    extractor: z.string().min(1),
    confidence: z.number().min(0).max(1),
    corroboration: z.enum(CORROBORATIONS),
    conflictsWith: z.array(z.string().min(1)).meta({ description: 'disputed facts: ids of the contradicting facts; empty otherwise' }),
  })
  .superRefine((f, ctx) => {
    for (const rule of REQUIRED_BY_KIND) {
      if (!rule.kinds.includes(f.kind)) continue;
      for (const field of rule.fields) {
        if (!FILLED[field].safeParse(f[field]).success) ctx.addIssue({ code: 'custom', path: [field], message: `${f.kind} needs ${field}` });
      }
    }
  })
  .meta({ id: 'Fact', description: 'One claim with its sources (content/facts-contract.md).', allOf: requiredByKindJson() });

const envelope = {
  schemaVersion: z.literal(FACTS_SCHEMA_VERSION),
  generatedAt: z.iso.datetime().meta({ description: 'when the file or answer was made (UTC)' }),
};

/** facts.json: the whole export as one document. */
export const FactsExportSchema = z
  .strictObject({ ...envelope, facts: z.array(FactSchema) })
  .meta({ id: 'FactsExport', description: 'facts.json; facts.ndjson has one Fact a line.' });

/** exports/companies/<slug>.json: one company's facts under its name and ticker. */
export const CompanyExportSchema = z
  .strictObject({
    ...envelope,
    company: z.strictObject({ slug: z.string(), name: z.string(), ticker: z.string().nullable() }),
    facts: z.array(FactSchema),
  })
  .meta({ id: 'CompanyExport', description: 'exports/companies/<slug>.json: one company\'s facts.' });

export type ExportSource = z.infer<typeof SourceSchema>;
export type ExportFact = z.infer<typeof FactSchema>;
