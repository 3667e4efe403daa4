/**
 * The contract between extractors (built-in rules, LLM) and the pipeline that grounds, stores and
 * reconciles their output. Extractors propose; ground.ts decides what is a fact.
 */
import type { FactKind, IpoStatus } from '../shared/facts/kinds.ts';
export { FACT_KINDS, IPO_STATUSES, type FactKind, type IpoStatus } from '../shared/facts/kinds.ts';

/** What an extractor proposes. Offsets are into ArticleInput.text when the extractor knows them. */
export interface CandidateFact {
  kind: FactKind;
  /** Company display name as resolved by the extractor (e.g. "Klarna"). */
  company: string;
  /** Registry slug when known; the pipeline slugifies `company` otherwise. */
  companySlug?: string | null;
  /** Normalised: "$45.6 billion" → 45600000000, "17%" → 17, "700 employees" → 700; losses negative. */
  value: number | null;
  /** Upper end of a range ("2,000 to 2,500" → value 2000, valueHigh 2500). */
  valueHigh?: number | null;
  /** "people", "percent", "users", ISO-4217 currency code, or a metric's own unit ("minutes", "languages"). */
  unit: string | null;
  direction: 'increase' | 'decrease' | null;
  changePct: number | null;
  approximate: boolean;
  /** metric kind: what is measured; workforce_change: "layoffs" | "hiring" | "attrition" | "replaced by AI"… */
  label: string | null;
  /** ipo kind */
  status: IpoStatus | null;
  /** "2021", "2025-Q1", "2025-03", "2025-05-14", or null when unknowable. */
  asOf: string | null;
  /** quote kind: the name as written; a role when no name is given. */
  speaker: string | null;
  /** quote kind: the words, without quote marks. */
  quote: string | null;
  /** The sentence the fact was read from, as it appears in the text (the pipeline locates it exactly). */
  evidence: string;
  start?: number;
  end?: number;
  confidence: number;
}

export interface ArticleInput {
  id: number;
  title: string | null;
  /** Clean text, paragraphs separated by a blank line. Offsets refer to this string. */
  text: string;
  publishedAt: string | null;
  outlet: string | null;
  url: string | null;
}

export interface ExtractionResult {
  facts: CandidateFact[];
  /** A short summary of the article (2–3 sentences), or null. */
  summary: string | null;
  /** The company the article is mainly about, if any. */
  subject: string | null;
  usage?: { promptTokens: number; completionTokens: number; cached: boolean };
}

export interface Extractor {
  /** Recorded with every fact, e.g. "rules/1" or "llm:gpt-4o-mini/prompt-1". */
  readonly name: string;
  extract(article: ArticleInput, signal?: AbortSignal): Promise<ExtractionResult>;
}
