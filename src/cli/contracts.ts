/**
 * `npm run schemas`: writes the machine-readable contracts from the zod schemas they describe —
 * content/facts.schema.json (the facts export) and content/openapi.json (the API) — or, with
 * `--check`, exits 1 naming the files that differ from what the schemas give now. The build ships
 * both with the site (src/lib/site/static-exports.ts); a test keeps the committed files current.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { factsJsonSchema, FACTS_SCHEMA_FILE } from '../export/facts-schema.ts';
import { OPENAPI_FILE, openApiDocument } from '../lib/api/openapi.ts';
import { contractText } from '../shared/json-schema.ts';

export const CONTENT_DIR = fileURLToPath(new URL('../../content/', import.meta.url));

/** Each contract file (in content/) with the text its schemas produce now. */
export function contractFiles(): { file: string; text: string }[] {
  return [
    { file: path.join(CONTENT_DIR, FACTS_SCHEMA_FILE), text: contractText(factsJsonSchema()) },
    { file: path.join(CONTENT_DIR, OPENAPI_FILE), text: contractText(openApiDocument()) },
  ];
}

async function main(args: string[]): Promise<number> {
  const check = args.includes('--check');
  const stale: string[] = [];
  for (const { file, text } of contractFiles()) {
    const now = await readFile(file, 'utf8').catch(() => null);
    if (now === text) continue;
    if (check) stale.push(path.relative(process.cwd(), file));
    else {
      await writeFile(file, text);
      console.log(`wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  if (stale.length) console.error(`out of date (run npm run schemas): ${stale.join(', ')}`);
  return stale.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
