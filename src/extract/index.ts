/**
 * Picks the extractor: the built-in rules by default (offline, no key), the LLM when asked for and
 * configured. Also seeds the company registry (content/companies.json) into the database so the
 * site and exports know display names, aliases and tickers.
 */
import type { Db } from '../../db/client.ts';
import type { Config } from '../shared/config.ts';
import { seedRegistry } from './companies.ts';
import { createLlmExtractor } from './llm/index.ts';
import { createRulesExtractor } from './rules/index.ts';
import { loadCompanyRegistry } from './rules/companies.ts';
import type { Extractor } from './types.ts';

export class ExtractorConfigError extends Error {
  override name = 'ExtractorConfigError';
}

export async function createExtractor(db: Db, config: Config, kind: 'rules' | 'llm' = config.extractor): Promise<Extractor> {
  const registry = loadCompanyRegistry();
  await seedRegistry(db, registry.companies);
  if (kind === 'rules') return createRulesExtractor({ registry });
  const llm = createLlmExtractor({
    db,
    baseURL: config.openaiBaseUrl,
    apiKey: config.openaiApiKey,
    model: config.model,
    maxTokens: config.maxTokens,
  });
  if (!llm) {
    throw new ExtractorConfigError(
      'the LLM extractor needs OPENAI_API_KEY (OpenAI) or OPENAI_BASE_URL (Ollama, vLLM, llama.cpp, any OpenAI-compatible server)',
    );
  }
  return llm;
}
