/**
 * The facts export contract as a JSON Schema 2020-12 document (content/facts.schema.json, written by
 * `npm run schemas` and shipped beside the exports): the root validates facts.json, `$defs/Fact` one
 * line of facts.ndjson, `$defs/CompanyExport` a file under exports/companies/.
 */
import { SchemaSet } from '../shared/json-schema.ts';
import { CompanyExportSchema, FACTS_SCHEMA_VERSION, FactsExportSchema } from './contract.ts';

export const FACTS_SCHEMA_FILE = 'facts.schema.json';

export function factsJsonSchema(): Record<string, unknown> {
  const set = new SchemaSet('#/$defs/');
  const root = set.add(FactsExportSchema);
  set.add(CompanyExportSchema);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $comment: 'Generated from src/export/contract.ts by `npm run schemas`; do not edit by hand.',
    title: `Factdesk facts export, schemaVersion ${FACTS_SCHEMA_VERSION}`,
    description:
      'facts.json validates against this schema; one line of facts.ndjson against #/$defs/Fact; exports/companies/<slug>.json against #/$defs/CompanyExport. Field meanings: contract.md.',
    ...root,
    $defs: set.defs,
  };
}
