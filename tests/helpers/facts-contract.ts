/**
 * The facts contract for tests: the zod schemas of src/export/contract.ts (the ones the exporter's
 * types come from), each also checked with ajv against the published content/facts.schema.json
 * (./contracts.ts). Every test that reads an export through these validates it both ways: as our code
 * defines it, and as a researcher's own tool would read the published schema.
 */
import type { z } from 'zod';
import * as contract from '../../src/export/contract.ts';
import { COMPANY_EXPORT_REF, contractErrors, FACT_REF, FACTS_EXPORT_REF } from './contracts.ts';

/** `schema`, plus: the value validates against the published schema at `ref`. */
function published<S extends z.ZodType>(schema: S, ref: string): S {
  return schema.superRefine((value, ctx) => {
    const errors = contractErrors(ref, value);
    if (errors) ctx.addIssue({ code: 'custom', message: `does not match ${ref}: ${errors}` });
  }) as S;
}

export const FactSchema = published(contract.FactSchema, FACT_REF);
export const ExportSchema = published(contract.FactsExportSchema, FACTS_EXPORT_REF);
export const CompanyExportSchema = published(contract.CompanyExportSchema, COMPANY_EXPORT_REF);

/** One fact as the export prints it. */
export type ExportedFact = contract.ExportFact;
