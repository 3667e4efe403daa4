/**
 * The built-in offline extractor ("rules/1"): sentences → per-kind rules → company resolution → facts.
 */
import type { ArticleInput, CandidateFact, ExtractionResult, Extractor } from '../types.ts';
import { resolveAsOf, shiftPeriod } from '../normalise/periods.ts';
import { splitSentences, type Sentence } from './sentences.ts';
import { analyseCompanies, companyFor, loadCompanyRegistry, mentionsIn, type CompanyContext, type CompanyMention, type CompanyRegistry } from './companies.ts';
import { extractKinds, ipoStatus, isBoilerplate, type Draft } from './kinds.ts';
import { findQuotes, indexPeople } from './quotes.ts';
import { summarise } from './summary.ts';
import { numbersIn } from '../normalise/numbers.ts';

export { loadCompanyRegistry, type CompanyRegistry } from './companies.ts';
export { splitSentences, type Sentence } from './sentences.ts';

export const RULES_EXTRACTOR_NAME = 'rules/1';

const MARKET_RE = /\b(?:market|industry|sector|globally|worldwide|overall|analysts? (?:estimate|expect)|according to (?:data|estimates|research))\b/i;
const ANAPHOR_RE = /\b(?:it|its|the (?:company|firm|group|bank|startup|start-up|lender|exchange|fintech|business|platform|provider|neobank|app)|we|our|the [\p{L}-]+ (?:company|fintech|firm|startup|lender|bank|exchange|group))\b|said\b|says\b/iu;

export function createRulesExtractor(opts: { registry?: CompanyRegistry } = {}): Extractor {
  const registry = opts.registry ?? loadCompanyRegistry();
  return {
    name: RULES_EXTRACTOR_NAME,
    async extract(article: ArticleInput, signal?: AbortSignal): Promise<ExtractionResult> {
      signal?.throwIfAborted();
      return extractArticle(article, registry);
    },
  };
}

function insideQuote(text: string, start: number, end: number): boolean {
  const open = (text.slice(start, end).match(/[“]/g) ?? []).length;
  const close = (text.slice(start, end).match(/[”]/g) ?? []).length;
  return open > 0 && open === close && /^[“"]/.test(text.slice(start, end));
}

/** Synchronous core, exported for tests and benchmarks. */
export function extractArticle(article: ArticleInput, registry: CompanyRegistry = loadCompanyRegistry()): ExtractionResult {
  const text = article.text ?? '';
  const sentences = splitSentences(text);
  const ctx = analyseCompanies(text, article.title, registry, sentences);
  const facts: CandidateFact[] = [];
  const factCounts = new Map<number, number>();
  const seen = new Set<string>();

  const push = (f: CandidateFact, s: Sentence) => {
    const key = [f.kind, f.companySlug ?? f.company, f.value, f.unit, f.status, f.kind === 'quote' ? f.quote : '', f.kind === 'metric' ? f.label : ''].join('|');
    if (seen.has(key)) return;
    seen.add(key);
    facts.push(f);
    factCounts.set(s.index, (factCounts.get(s.index) ?? 0) + 1);
  };

  let lastPeriod: string | null = null;
  for (const s of sentences) {
    if (isBoilerplate(s.text)) continue;
    const drafts = extractKinds(s.text);
    const ipo = ipoStatus(s.text);
    if (!drafts.length && !ipo) continue;
    const named = mentionsIn(ctx.mentions, s.start, s.end);
    if (!named.length && !ANAPHOR_RE.test(s.text) && MARKET_RE.test(s.text)) continue;
    const asOf = resolveAsOf(s.text, article.publishedAt);
    const quoted = /^[“"]/.test(s.text);
    const asOfOf = new Map<Draft, string | null>();
    const asOfFor = (d: Draft): string | null => {
      if (asOfOf.has(d)) return asOfOf.get(d)!;
      let r: string | null;
      if (d.baseline) {
        const own = d.baseline.snippet ? resolveAsOf(d.baseline.snippet, article.publishedAt) : null;
        r = own ?? (d.baseline.shiftYears ? shiftPeriod(asOfFor(d.baseline.of), d.baseline.shiftYears) : null);
      } else {
        const [ca, cb] = d.clause ?? [0, s.text.length];
        r = resolveAsOf(s.text.slice(ca, cb), article.publishedAt) ?? resolveAsOf(s.text.slice(0, cb), article.publishedAt) ?? asOf;
        if (r == null) r = fallbackAsOf(d, s.text, article.publishedAt, lastPeriod);
      }
      asOfOf.set(d, r);
      return r;
    };
    for (const d of drafts) {
      const c = companyFor(ctx, sentences, s, s.start + d.pos);
      if (!c) continue;
      let conf = d.confidence + (named.length ? 0.1 : 0) - (quoted ? 0.15 : 0);
      conf = Math.max(0.1, Math.min(0.95, conf));
      push(
        {
          kind: d.kind,
          company: c.name,
          companySlug: c.slug,
          value: d.value,
          valueHigh: d.valueHigh,
          unit: d.unit,
          direction: d.direction,
          changePct: d.changePct,
          approximate: d.approximate,
          label: d.label,
          status: d.status,
          asOf: asOfFor(d),
          speaker: null,
          quote: null,
          evidence: s.text,
          start: s.start,
          end: s.end,
          confidence: Math.round(conf * 100) / 100,
        },
        s,
      );
      const a = asOfOf.get(d);
      if (a && /^(?:revenue|net_income|credit_losses)$/.test(d.kind) && /-(?:Q|H)\d$|^\d{4}$/.test(a) && !d.baseline) lastPeriod = a;
    }
    if (ipo && !quoted) {
      const c = companyFor(ctx, sentences, s, s.start + ipo.pos);
      if (c) {
        // Value: a target raise or valuation stated in the IPO sentence.
        const money = numbersIn(s.text).find((n) => n.unit && n.unit !== 'percent' && /\b(?:rais\w*|valu\w*|proceeds|seeking|target\w*|worth)\b[^.]{0,40}$/i.test(s.text.slice(Math.max(0, n.start - 50), n.start)));
        push(
          {
            kind: 'ipo', company: c.name, companySlug: c.slug, value: money ? money.value : null, valueHigh: null,
            unit: money ? money.unit : null, direction: null, changePct: null,
            approximate: false, label: null, status: ipo.status, asOf, speaker: null, quote: null,
            evidence: s.text, start: s.start, end: s.end, confidence: 0.6 + (named.length ? 0.1 : 0),
          },
          s,
        );
      }
    }
  }

  // Quotes.
  const companyNames = new Set(ctx.mentions.map((m) => m.name));
  for (const c of registry.companies) companyNames.add(c.name);
  const people = indexPeople(text, companyNames);
  for (const q of findQuotes(text, sentences, people, companyNames)) {
    const s = sentences.find((x) => x.start === q.start) ?? sentences[0]!;
    const c = quoteCompany(ctx, q.attribution, q.start, q.end) ?? ctx.subject;
    if (!c) continue;
    push(
      {
        kind: 'quote', company: c.name, companySlug: c.slug, value: null, valueHigh: null, unit: null,
        direction: null, changePct: null, approximate: false, label: null, status: null, asOf: null,
        speaker: q.speaker, quote: q.quote, evidence: text.slice(q.start, q.end), start: q.start, end: q.end,
        confidence: q.pronoun ? 0.7 : 0.8,
      },
      s,
    );
  }

  const summary = summarise(sentences, factCounts, ctx.subject?.name ?? null);
  void insideQuote;
  return { facts, summary, subject: ctx.subject?.name ?? null };
}

const OFFICER_RE = /\b(?:chief|CEO|CFO|COO|CTO|founder|co-founder|president|chair\w*|spokes\w*|head of|executive|director|officer|vice president|VP|general manager|managing director)\b/i;

/** A quote belongs to the speaker's company when the attribution names one with an officer role. */
function quoteCompany(ctx: CompanyContext, attribution: string, start: number, end: number): CompanyMention | null {
  if (!OFFICER_RE.test(attribution)) return null;
  const inside = mentionsIn(ctx.mentions, start, end);
  for (const m of inside) if (attribution.includes(m.name)) return m;
  return null;
}

const PRESENT_RE = /\b(?:has|have|now|currently|employs|serves|counts|is|are|says|operates|processes|handles|works with|stands at|stood at)\b/i;

/** When the sentence names no period: present-tense stocks take the article date; results carry the article's reporting period. */
function fallbackAsOf(d: Draft, sentence: string, publishedAt: string | null, lastPeriod: string | null): string | null {
  if (/^(?:revenue|net_income|credit_losses)$/.test(d.kind) || (d.kind === 'metric' && d.unit && /^[A-Z]{3}$/.test(d.unit) && /\b(?:operating|ebitda|profit|loss|income|margin)\b/i.test(d.label ?? ''))) return lastPeriod;
  if (/^(?:headcount|users|metric|valuation)$/.test(d.kind) && PRESENT_RE.test(sentence) && publishedAt) {
    const dt = new Date(publishedAt);
    if (!Number.isNaN(dt.getTime())) return dt.toISOString().slice(0, 10);
  }
  return null;
}
