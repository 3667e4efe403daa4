/**
 * Configuration, typed once at the edge. Environment variables first (what cron jobs and containers
 * set), then CLI flags override single fields. One line per field with its env var.
 */
import { z } from 'zod';

const bool = z
  .union([z.boolean(), z.string()])
  .transform((v) => (typeof v === 'boolean' ? v : /^(1|true|yes|on)$/i.test(v.trim())));

const EnvSchema = z.object({
  /** Where the data lives: file:… (embedded libSQL), or http(s)://, ws(s)://, libsql:// for a libSQL server. */
  databaseUrl: z.string().min(1).default('file:data/factdesk.db'), // DATABASE_URL
  /** Auth token for a remote libSQL server (Turso, sqld with JWT auth). */
  databaseAuthToken: z.string().optional(), // DATABASE_AUTH_TOKEN
  /** Allow fetching from loopback/private/link-local addresses. Off by default (SSRF protection). */
  allowPrivateNetworks: bool.default(false), // FACTDESK_ALLOW_PRIVATE_NETWORKS
  /** Port of the bundled sample outlet (`factdesk sample`, `npm start`). */
  samplePort: z.coerce.number().int().min(0).max(65535).default(4380), // FACTDESK_SAMPLE_PORT
  /** User-Agent sent to feeds and pages; names Factdesk so publishers can identify and contact us. */
  userAgent: z
    .string()
    .default('Factdesk/0.1 (+https://github.com/factdesk/factdesk; news research bot)'), // FACTDESK_USER_AGENT
  /** Concurrent HTTP requests overall and per host. */
  concurrency: z.coerce.number().int().min(1).max(256).default(16), // FACTDESK_CONCURRENCY
  perHostConcurrency: z.coerce.number().int().min(1).max(32).default(2), // FACTDESK_PER_HOST_CONCURRENCY
  /** Per-request overall deadline, including redirects and a slow body. */
  fetchTimeoutMs: z.coerce.number().int().min(100).default(30_000), // FACTDESK_FETCH_TIMEOUT_MS
  /** One article's extraction budget; past it the article is failed with the reason (worker thread stopped). */
  extractTimeoutMs: z.coerce.number().int().min(100).default(10_000), // FACTDESK_EXTRACT_TIMEOUT_MS
  /** One page's read (parse, main text, metadata) on a worker thread; past it the item fails with the reason. */
  pageTimeoutMs: z.coerce.number().int().min(100).default(10_000), // FACTDESK_PAGE_TIMEOUT_MS
  /** Cap on decompressed response bytes (Miniflux uses the same 15 MiB). */
  maxBodyBytes: z.coerce.number().int().min(1024).default(15 * 1024 * 1024), // FACTDESK_MAX_BODY_BYTES
  /** Respect robots.txt. Only turn off for sources you own. */
  respectRobots: bool.default(true), // FACTDESK_RESPECT_ROBOTS
  /** Which extractor turns articles into facts: the built-in rules (offline) or an LLM endpoint. */
  extractor: z.enum(['rules', 'llm']).default('rules'), // FACTDESK_EXTRACTOR
  /** OpenAI-compatible endpoint for the LLM extractor (OpenAI, Ollama, vLLM, llama.cpp). */
  openaiBaseUrl: z.string().url().optional(), // OPENAI_BASE_URL
  openaiApiKey: z.string().optional(), // OPENAI_API_KEY
  /** Model name sent to the endpoint. */
  model: z.string().min(1).default('gpt-4o-mini'), // FACTDESK_MODEL
  /** Token cap per run for the LLM extractor; further articles wait for the next run. */
  maxTokens: z.coerce.number().int().min(1).optional(), // FACTDESK_MAX_TOKENS
  /** Log format: human-readable text or JSON lines for log shippers. */
  logFormat: z.enum(['text', 'json']).default('text'), // FACTDESK_LOG_FORMAT
});

export type Config = z.infer<typeof EnvSchema>;

const ENV_NAMES: Record<keyof Config, string> = {
  databaseUrl: 'DATABASE_URL',
  databaseAuthToken: 'DATABASE_AUTH_TOKEN',
  allowPrivateNetworks: 'FACTDESK_ALLOW_PRIVATE_NETWORKS',
  samplePort: 'FACTDESK_SAMPLE_PORT',
  userAgent: 'FACTDESK_USER_AGENT',
  concurrency: 'FACTDESK_CONCURRENCY',
  perHostConcurrency: 'FACTDESK_PER_HOST_CONCURRENCY',
  fetchTimeoutMs: 'FACTDESK_FETCH_TIMEOUT_MS',
  extractTimeoutMs: 'FACTDESK_EXTRACT_TIMEOUT_MS',
  pageTimeoutMs: 'FACTDESK_PAGE_TIMEOUT_MS',
  maxBodyBytes: 'FACTDESK_MAX_BODY_BYTES',
  respectRobots: 'FACTDESK_RESPECT_ROBOTS',
  logFormat: 'FACTDESK_LOG_FORMAT',
  extractor: 'FACTDESK_EXTRACTOR',
  openaiBaseUrl: 'OPENAI_BASE_URL',
  openaiApiKey: 'OPENAI_API_KEY',
  model: 'FACTDESK_MODEL',
  maxTokens: 'FACTDESK_MAX_TOKENS',
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration from an environment (process.env by default); empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const v = env[name];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) raw[k] = v;
  const parsed = EnvSchema.safeParse(raw);
  if (!parsed.success) {
    const msg = parsed.error.issues
      .map((i) => {
        const key = String(i.path[0]) as keyof Config;
        return `${ENV_NAMES[key] ?? key}: ${i.message}`;
      })
      .join('; ');
    throw new ConfigError(`config: ${msg}`);
  }
  return parsed.data;
}
