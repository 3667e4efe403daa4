/**
 * The built-in offline extractor ("rules/1"): sentences → per-kind rules → company resolution → facts.
 */
import type { ArticleInput, CandidateFact, ExtractionResult, Extractor } from '../types.ts';
import { resolveAsOf, shiftPeriod } from '../normalise/periods.ts';
import { splitSentences, type Sentence } from './sentences.ts';
import { analyseCompanies, companyFor, loadCompanyRegistry, mentionsIn, type CompanyContext, type CompanyMention, type CompanyRegistry } from './companies.ts';
import { extractKinds, ipoStatuses, isBoilerplate, type Draft } from './kinds.ts';
import { findQuotes, indexPeople, QUOTE_RE } from './quotes.ts';
import { summarise } from './summary.ts';
import { numbersIn } from '../normalise/numbers.ts';

export { loadCompanyRegistry, type CompanyRegistry } from './companies.ts';
export { splitSentences, type Sentence } from './sentences.ts';

export const RULES_EXTRACTOR_NAME = 'rules/1';

const IPO_CONTEXT_RE = /\b(?:IPO|initial public offering|listing|offering|float|flotation|roadshow|go public|debut)\b/i;
const TARGET_RE = /\b(?:discuss\w*|target\w*|hop(?:e|es|ed|ing)|seek\w*|aim\w*|expect\w*|could|would|eye\w*|plan\w*|look(?:s|ing)? (?:for|to)|sought|pitch\w*)\b/i;

const MARKET_RE = /\b(?:market|industry|sector|global|globally|worldwide|overall|venture funding|fintech funding)\b/i;
const ANAPHOR_RE = /\b(?:it|its|the (?:company|firm|group|bank|startup|start-up|lender|exchange|fintech|business|platform|provider|neobank|app)|we|our|the [\p{L}-]+ (?:company|fintech|firm|startup|lender|bank|exchange|group))\b/iu;

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
  const quoteSpans: [number, number][] = [];
  for (const qm of text.matchAll(QUOTE_RE)) quoteSpans.push([qm.index!, qm.index! + qm[0].length]);
  const inQuote = (pos: number) => quoteSpans.some(([a, b]) => pos > a && pos < b);
  for (const s of sentences) {
    if (isBoilerplate(s.text)) continue;
    let drafts = extractKinds(s.text);
    let ipos = ipoStatuses(s.text);
    // A target valuation for a listing is an IPO fact, not a valuation: "bankers had been discussing a valuation of $15bn".
    let ipoTarget: Draft | null = null;
    if (IPO_CONTEXT_RE.test(s.text)) {
      ipoTarget = drafts.find((d) => d.kind === 'valuation' && !d.baseline && TARGET_RE.test(s.text.slice(0, d.pos))) ?? null;
      if (ipoTarget) {
        drafts = drafts.filter((d) => d !== ipoTarget);
        const pos = ipos[0]?.pos ?? 0;
        ipos = [{ status: 'planned', pos }, ...ipos.filter((x) => x.status !== 'planned' && x.status !== 'paused' && x.status !== 'withdrawn'), ...ipos.filter((x) => x.status === 'paused' || x.status === 'withdrawn')];
        ipos = ipos.filter((x, i) => ipos.findIndex((y) => y.status === x.status) === i);
      }
    }
    if (!drafts.length && !ipos.length) continue;
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
        const clause = s.text.slice(ca, cb);
        // The comma-chunk holding the number first ("Klarna, which has 85 million users, cut … in 2022").
        let cs0 = s.text.lastIndexOf(', ', d.pos);
        while (cs0 > 0 && /^, \d/.test(s.text.slice(cs0, cs0 + 3))) cs0 = s.text.lastIndexOf(', ', cs0 - 1);
        let ce0 = s.text.indexOf(', ', d.pos);
        while (ce0 >= 0 && /^, \d/.test(s.text.slice(ce0, ce0 + 3))) ce0 = s.text.indexOf(', ', ce0 + 1);
        const chunk = s.text.slice(cs0 < 0 ? 0 : cs0 + 2, ce0 < 0 ? s.text.length : ce0);
        r = resolveAsOf(chunk, article.publishedAt);
        if (r == null && /^(?:headcount|users|metric)$/.test(d.kind) && /\b(?:has|have|now|currently|employs|serves)\b/i.test(chunk) && article.publishedAt) {
          const dt = new Date(article.publishedAt);
          if (!Number.isNaN(dt.getTime())) r = dt.toISOString().slice(0, 10);
        }
        if (r == null) r = resolveAsOf(clause, article.publishedAt);
        if (r == null) {
          const prefix = prefixAsOf(s.text.slice(0, cb), article.publishedAt);
          r = prefix && FOLLOWING_RE.test(clause) && /^\d{4}$/.test(prefix) ? shiftPeriod(prefix, -1) : prefix;
        }
        if (r == null) r = fallbackAsOf(d, s.text, article.publishedAt, lastPeriod);
      }
      asOfOf.set(d, r);
      return r;
    };
    for (const d of drafts) {
      // Inside a quote only the company speaking for itself counts (“We raised £60 million…”).
      if (inQuote(s.start + d.pos) && !/\b(?:we|our|us)\b/i.test(s.text)) continue;
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
      if (a && !d.baseline && ((/^(?:revenue|net_income|credit_losses)$/.test(d.kind) && /-(?:Q|H)\d$|^\d{4}$/.test(a)) || /-(?:Q|H)\d$/.test(a))) lastPeriod = a;
    }
    for (const [k, ipo] of (quoted ? [] : ipos).entries()) {
      const c = companyFor(ctx, sentences, s, s.start + ipo.pos);
      if (!c) continue;
      // Value: a target raise or valuation stated in the IPO sentence (only on the first event).
      const money = k > 0
        ? null
        : ipoTarget
          ? { value: ipoTarget.value!, unit: ipoTarget.unit }
          : numbersIn(s.text).find((n) => n.unit && n.unit !== 'percent' && /\b(?:rais\w*|valu\w*|proceeds|seeking|target\w*|worth)\b[^.]{0,40}$/i.test(s.text.slice(Math.max(0, n.start - 50), n.start)));
      push(
        {
          kind: 'ipo', company: c.name, companySlug: c.slug, value: money ? money.value : null, valueHigh: null,
          unit: money ? money.unit : null, direction: null, changePct: null,
          approximate: false, label: null, status: ipo.status, asOf: ipoAsOf(s.text, ipo.pos, article.publishedAt) ?? asOf, speaker: null, quote: null,
          evidence: s.text, start: s.start, end: s.end, confidence: (0.6 + (named.length ? 0.1 : 0)) * (k > 0 ? 0.9 : 1),
        },
        s,
      );
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

const OFFICER_RE = /\b(?:chief|CEO|CFO|COO|CTO|founder|co-founder|president|chair\w*|spokes\w*|vice president|VP|general manager)\b/i;

/** A quote belongs to the speaker's company when the attribution names one with an officer role. */
function quoteCompany(ctx: CompanyContext, attribution: string, start: number, end: number): CompanyMention | null {
  if (!OFFICER_RE.test(attribution)) return null;
  const inside = mentionsIn(ctx.mentions, start, end);
  for (const m of inside) if (attribution.includes(m.name)) return m;
  return null;
}

const PRESENT_RE = /\b(?:has|have|now|currently|employs|serves|counts|is|are|says|operates|processes|handles|works with|stands at|stood at)\b/i;

/** The period of an IPO event: from the comma-chunk holding the IPO keyword, else the article month. */
function ipoAsOf(sentence: string, pos: number, publishedAt: string | null): string | null {
  const a = sentence.lastIndexOf(', ', pos);
  const b = sentence.indexOf(', ', pos);
  const chunk = sentence.slice(a < 0 ? 0 : a + 2, b < 0 ? sentence.length : b);
  const r = resolveAsOf(chunk, publishedAt) ?? resolveAsOf(sentence.slice(pos), publishedAt);
  if (r) return r;
  if (!publishedAt) return null;
  const dt = new Date(publishedAt);
  return Number.isNaN(dt.getTime()) ? null : dt.toISOString().slice(0, 7);
}

const FOLLOWING_RE = /\b(?:the following year|a year later|the next year|a year after)\b/i;

/** The period nearest before the number: the last comma-chunk of the prefix that names one. */
function prefixAsOf(prefix: string, publishedAt: string | null): string | null {
  const chunks = prefix.replace(/\b(?:said|says|announced|reported|told [\p{L}]+)\s+(?:on|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/gu, '').split(/,\s/);
  for (let i = chunks.length - 1; i >= 0; i--) {
    const r = resolveAsOf(chunks[i]!, publishedAt);
    if (r) return r;
  }
  return null;
}

const RESULTS_VERB_RE = /\b(?:rose|fell|grew|was|were|increased|declined|dropped|climbed|jumped|posted|reported|totalled|totaled|reached|stood|improved|widened|narrowed|came in|averaged)\b/i;

/** When the sentence names no period: present-tense stocks take the article date; results carry the article's reporting period; announcements the article month. */
function fallbackAsOf(d: Draft, sentence: string, publishedAt: string | null, lastPeriod: string | null): string | null {
  const dt = publishedAt ? new Date(publishedAt) : null;
  const iso = dt && !Number.isNaN(dt.getTime()) ? dt.toISOString() : null;
  if (/^(?:revenue|net_income|credit_losses)$/.test(d.kind)) return lastPeriod;
  if (/^(?:users|metric|headcount)$/.test(d.kind) && lastPeriod && /-(?:Q|H)\d$/.test(lastPeriod) && (RESULTS_VERB_RE.test(sentence) || /\bthe (?:quarter|period|half)\b/i.test(sentence)) && !/\b(?:has|have|now|currently)\b/i.test(sentence)) return lastPeriod;
  if (d.kind === 'metric' && d.unit && /^[A-Z]{3}$/.test(d.unit) && /\b(?:operating|ebitda|profit|loss|income|margin|volume)\b/i.test(d.label ?? '')) return lastPeriod;
  if (!iso) return null;
  if (/^(?:workforce_change|funding|ipo)$/.test(d.kind)) return iso.slice(0, 7);
  if (/^(?:headcount|users|metric|valuation)$/.test(d.kind) && PRESENT_RE.test(sentence)) return iso.slice(0, 10);
  return null;
}
