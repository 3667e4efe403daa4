/**
 * ../shared/design/facts-contract.md as a zod schema, so tests can validate exports against the
 * contract that outside scripts rely on, field by field.
 */
import { z } from 'zod';

export const KINDS = ['headcount', 'workforce_change', 'valuation', 'funding', 'ipo', 'revenue', 'net_income', 'credit_losses', 'users', 'metric', 'quote'] as const;

export const SourceSchema = z.strictObject({
  articleId: z.number().int(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  outlet: z.string().nullable(),
  publishedAt: z.string().nullable(),
  evidence: z.string().min(1),
  start: z.number().int().min(0),
  end: z.number().int().min(1),
  independent: z.boolean(),
  copyOf: z.string().nullable(),
  partial: z.boolean(),
});

export const FactSchema = z
  .strictObject({
    id: z.string().min(1),
    company: z.string().regex(/^[a-z0-9-]+$/),
    companyName: z.string().min(1),
    kind: z.enum(KINDS),
    value: z.number().nullable(),
    valueHigh: z.number().nullable(),
    unit: z.string().nullable(),
    direction: z.enum(['increase', 'decrease']).nullable(),
    changePct: z.number().nullable(),
    approximate: z.boolean(),
    label: z.string().nullable(),
    status: z.string().nullable(),
    asOf: z.string().regex(/^\d{4}(-Q[1-4]|-H[12]|-\d{2}(-\d{2})?)?$/).nullable(),
    speaker: z.string().nullable(),
    quote: z.string().nullable(),
    statement: z.string().min(1),
    sources: z.array(SourceSchema).min(1),
    extractor: z.string().min(1),
    confidence: z.number().min(0).max(1),
    corroboration: z.enum(['single-source', 'corroborated', 'disputed']),
    // Added in v1, optional for readers: only disputed facts name others.
    conflictsWith: z.array(z.string().min(1)),
  })
  .superRefine((f, ctx) => {
    if (f.kind === 'quote' && (!f.quote || !f.speaker)) ctx.addIssue({ code: 'custom', message: 'quote needs quote and speaker' });
    if (f.kind === 'ipo' && !f.status) ctx.addIssue({ code: 'custom', message: 'ipo needs status' });
    if (f.kind !== 'quote' && f.kind !== 'ipo' && f.value === null) ctx.addIssue({ code: 'custom', message: `${f.kind} needs a value` });
  });

export const ExportSchema = z.strictObject({
  schemaVersion: z.literal(1),
  generatedAt: z.string().datetime(),
  facts: z.array(FactSchema),
});

/** One fact as the export prints it. */
export type ExportedFact = z.infer<typeof FactSchema>;
