/**
 * zod schemas to JSON Schema 2020-12 documents with their named parts (`.meta({ id })`) gathered in
 * one place: `$defs` of a standalone schema file, or `components/schemas` of an OpenAPI document.
 */
import { z } from 'zod';

type Json = unknown;

/** Rewrites `{$ref: '#/$defs/X'}` to `{$ref: prefix + X}` everywhere in `node`. */
function rebase(node: Json, prefix: string): Json {
  if (Array.isArray(node)) return node.map((n) => rebase(n, prefix));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? prefix + v.slice('#/$defs/'.length) : rebase(v, prefix)]),
  );
}

/**
 * Collects JSON Schemas of zod schemas whose named parts all live under one `prefix`
 * (`#/$defs/` or `#/components/schemas/`). `add` returns the schema for a place that uses it (a
 * `$ref` when the schema is named); `defs` holds every named part seen, each once.
 */
export class SchemaSet {
  readonly defs: Record<string, Json> = {};
  private readonly prefix: string;
  constructor(prefix: string) {
    this.prefix = prefix;
  }

  add(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, Json> {
    const { $schema: _, $defs, ...root } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Record<string, Json> & { $defs?: Record<string, Json> };
    for (const [id, def] of Object.entries($defs ?? {})) {
      const rebased = rebase(def, this.prefix);
      const seen = this.defs[id];
      // Two different schemas under one id would make every $ref to it ambiguous.
      if (seen !== undefined && JSON.stringify(seen) !== JSON.stringify(rebased)) throw new Error(`two different schemas are named ${id}`);
      this.defs[id] = rebased;
    }
    return rebase(root, this.prefix) as Record<string, Json>;
  }
}

/** The bytes of a generated contract file: two-space JSON and a final newline, as committed. */
export function contractText(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
