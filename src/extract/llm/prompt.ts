/**
 * The extraction prompt: read once from content/prompts/extract-v1.md (its front matter carries the
 * version), filled with the article. No prompt text lives in code.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ArticleInput } from '../types.ts';
import { AnswerSchema } from './schema.ts';

export const PROMPT_FILE = fileURLToPath(new URL('../../../content/prompts/extract-v1.md', import.meta.url));

export interface PromptTemplate {
  version: string;
  system: string;
  jsonMode: string;
  user: string;
}

/** Parses a prompt file: `---\nversion: N\n---` front matter, then `<!-- section: name -->` parts. */
export function parsePromptFile(source: string, file = PROMPT_FILE): PromptTemplate {
  const fm = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(source);
  const version = fm ? /^version:\s*(\S+)\s*$/m.exec(fm[1]!)?.[1] : undefined;
  if (!version) throw new Error(`prompt: ${file} has no "version:" in its front matter`);
  const sections: Record<string, string> = {};
  const re = /^<!-- section: ([\w-]+) -->\r?\n([\s\S]*?)(?=^<!-- section: |(?![\s\S]))/gm;
  for (const m of source.matchAll(re)) sections[m[1]!] = m[2]!.trim();
  for (const name of ['system', 'json-mode', 'user']) {
    if (!sections[name]) throw new Error(`prompt: ${file} has no "${name}" section`);
  }
  return { version, system: sections.system!, jsonMode: sections['json-mode']!, user: sections.user! };
}

export const PROMPT = parsePromptFile(readFileSync(PROMPT_FILE, 'utf8'));
export const PROMPT_VERSION = PROMPT.version;

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
}

let schemaText: string | undefined;
/** The answer schema as JSON, for servers that only have JSON mode. */
function answerSchemaJson(): string {
  schemaText ??= JSON.stringify(z.toJSONSchema(AnswerSchema));
  return schemaText;
}

export type ResponseMode = 'json_schema' | 'json_object';

export function systemMessage(mode: ResponseMode): string {
  return mode === 'json_schema'
    ? PROMPT.system
    : `${PROMPT.system}\n\n${fill(PROMPT.jsonMode, { schema: answerSchemaJson() })}`;
}

/**
 * The user message for one chunk; `part` is set when the article was split. `context` is the
 * article-level reading (src/extract/reading/context.ts) — the same one the rules use.
 */
export function userMessage(article: ArticleInput, text: string, part?: { index: number; total: number }, context = '(nothing beyond the text)'): string {
  return fill(PROMPT.user, {
    title: article.title ?? '(none)',
    outlet: article.outlet ?? '(unknown)',
    publishedAt: article.publishedAt ?? '(unknown)',
    part: part && part.total > 1 ? `This is part ${part.index + 1} of ${part.total} of the article.\n` : '',
    context,
    text,
  });
}
