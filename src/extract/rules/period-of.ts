/**
 * The period a figure describes, from the article's reading (src/extract/reading/periods.ts):
 * the period phrase that belongs to the figure's own clause, else one that heads the sentence,
 * else — for results figures — the governing period carried from the lead, else the publication
 * day for present-tense state and the publication month for events. A baseline ("up from $9bn a
 * year earlier") resolves against its main figure's period. How the period was found is kept:
 * confidence depends on it.
 */
import type { PeriodMention, ReadPeriods } from '../reading/periods.ts';
import type { Sentence } from './sentences.ts';
import type { Draft } from './kinds.ts';

/** One item of a list of figures: "a pre-tax loss of $38.3 million", "net income was $4m". Anchored, bounded. */
const LIST_ITEM_RE = /^(?:an?\s+|the\s+|its\s+)?[\p{L}-]+(?:\s+[\p{L}-]+){0,4}\s+(?:of|was|were|at|totalling|totaling)\s+(?:about\s+|around\s+)?[$€£]?\s?[\d.,]+(?:\s*\p{L}+)?$/iu;

/**
 * Whether the text between a figure and a period phrase is only more figures of a list sharing
 * that period: " and a pre-tax loss of $38.3 million in " (split by hand: one pattern over the
 * whole list would backtrack exponentially).
 */
function isListGap(gap: string): boolean {
  const tail = /(?:,|(?<!\s))\s+(?:in|for|during|over)\s+(?:the\s+)?$/i.exec(gap);
  if (!tail) return false;
  const items = gap.slice(0, tail.index).split(/,\s*(?:and\s+)?|(?<!\s)\s+and\s+/).map((x) => x.trim()).filter(Boolean);
  return items.length > 0 && items.length <= 4 && items.every((it) => LIST_ITEM_RE.test(it));
}
const COMPARE_WORDS_RE = /\b(?:from|than|compared|against|versus|vs|up|down|rose|fell|increase|decrease)\b/i;
const FORECAST_RE = /\b(?:forecasts?|guidance|outlook|expects?|expected to|projects?|sees|targets?|aims? for|estimated that|would (?:drive|bring|add|save|generate|lift|reach))\b/i;
/** Whether the words before a figure make it a forecast; a relative clause ("loans the bank expects will not be repaid") does not. */
function forecastBefore(s: string): boolean {
  // Neither a relative clause nor an analysts' number ("higher than the £190m forecast by analysts") makes one.
  return FORECAST_RE.test(s.replace(/,\s+(?:which|who|that)\s[^,;]{0,120},/gi, ' ').replace(/\b(?:forecasts?|expected|estimated?)\s+by\s+analysts\b|\banalysts['’]?\s+(?:forecasts?|expectations?)\b/gi, ' '));
}

/** Verbs of ongoing state in the present simple; a past-tense or results verb in the clause overrides them. */
const PRESENT_STATE_RE = /\b(?:now|currently|today|has|have|is|are|employs|serves|runs|operates|processes|handles|screens|counts|uses|use|costs|offers|holds|manages|pays|charges|sells|lends|blocks|covers|works|provides|supports|powers|connects|says|claims)\b/i;
const PAST_RE = /\b(?:was|were|had|did|rose|fell|grew|increased|declined|dropped|climbed|jumped|reported|posted|reached|ended|totalled|totaled|stood|came|made|recorded|generated|narrowed|widened|improved)\b/i;

/** A balance-sheet amount (cash, deposits, assets, the loan book) is held at a moment, not earned over a period. */
function isBalance(d: Draft): boolean {
  return d.kind === 'metric' && !!d.unit && /^[A-Z]{3}$/.test(d.unit) && /^(?:cash|deposits|assets|customer assets|assets under management|loan book|(?:credit |loan |card )?(?:portfolio|balances|book))$/i.test(d.label ?? '');
}

/** "2024-Q3" → "2024-09", "2024-H1" → "2024-06": where a reporting period ends. */
function periodEndMonth(p: string): string {
  const q = /^(\d{4})-Q(\d)$/.exec(p);
  if (q) return `${q[1]}-${String(Number(q[2]) * 3).padStart(2, '0')}`;
  const h = /^(\d{4})-H(\d)$/.exec(p);
  if (h) return `${h[1]}-${h[2] === '1' ? '06' : '12'}`;
  return p;
}

function isStateKind(d: Draft): boolean {
  if (d.kind === 'users' || d.kind === 'headcount') return true;
  // A count or share (countries, languages, percent of transactions), or a unit price ("EUR 0.40 per conversation").
  return d.kind === 'metric' && (!d.unit || !/^[A-Z]{3}$/.test(d.unit) || /\bper\b/i.test(d.label ?? ''));
}

function statedNow(sentence: string, chunk: string): boolean {
  if (/\b(?:now|currently|today)\b/i.test(chunk)) return true;
  // The figure's own chunk decides when it has a verb; else the sentence without its relative clauses.
  if (!PRESENT_STATE_RE.test(chunk) && /(?<!\p{L})\p{L}{3,}ed(?!\p{L})/u.test(chunk)) return false;
  const clause = PRESENT_STATE_RE.test(chunk) ? chunk : sentence.replace(/,\s+(?:which|who|that|where)\s[^,;]{0,120},/gi, ' ');
  return PRESENT_STATE_RE.test(clause) && !PAST_RE.test(clause) && !/\b(?:will|would|plans?|expects?)\b/i.test(clause);
}

/** `inferred`: not stated but given by convention (a results flow's unqualified old value is the year before). */
export type PeriodSource = 'explicit' | 'relative' | 'carried' | 'publication' | 'inferred' | 'none';
export interface PeriodRead {
  asOf: string | null;
  how: PeriodSource;
  /** The figure is a forecast, target or guidance, not an actual. */
  forecast?: boolean;
}

const RESULT_KINDS = new Set(['revenue', 'net_income', 'credit_losses', 'metric']);
const PRESENT_RE = /\b(?:has|have|now|currently|employs|serves|counts|is|are|operates|processes|handles|works with|stands at|remains|today)\b/i;
const RESULTS_VERB_RE = /\b(?:rose|fell|grew|was|were|increased|declined|dropped|climbed|jumped|posted|reported|recorded|totalled|totaled|reached|stood|improved|widened|narrowed|came in|averaged|topped|passed|lifted|generated|made|surged|slid|slipped|doubled|tripled|moved|served|employed|up|down|on average)\b/i;
/** Claims about the past in the present perfect ("has said AI helped shrink its workforce"). */
const PAST_CLAIM_RE = /\b(?:has|have|had)\s+(?:previously\s+|already\s+|repeatedly\s+|also\s+)?(?:said|claimed|stated|boasted|told|argued|noted)\b/i;

function pubDay(publishedAt: string | null): string | null {
  if (!publishedAt) return null;
  const d = new Date(publishedAt);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
}

/** Period mentions inside [a, b) of the text. */
function within(periods: ReadPeriods, a: number, b: number): PeriodMention[] {
  return periods.mentions.filter((m) => m.start >= a && m.end <= b);
}

/** The comma-chunk around `pos` (a list "£714 million, …" does not break at a comma before a digit). */
function chunkBounds(s: string, pos: number): [number, number] {
  let a = s.lastIndexOf(', ', pos);
  while (a > 0 && /^, \d/.test(s.slice(a, a + 3))) a = s.lastIndexOf(', ', a - 1);
  let b = s.indexOf(', ', pos);
  while (b >= 0 && /^, \d/.test(s.slice(b, b + 3))) b = s.indexOf(', ', b + 1);
  return [a < 0 ? 0 : a + 2, b < 0 ? s.length : b];
}

export interface PeriodContext {
  periods: ReadPeriods;
  publishedAt: string | null;
}

/**
 * The period mention that belongs to the figure at sentence offset `pos`: in its comma-chunk the
 * nearest one (after the figure only when nothing but a short phrase separates them), else the
 * nearest before it in its clause, else one that opens the sentence ("In 2024, …").
 */
function ownMention(ctx: PeriodContext, s: Sentence, d: Draft, numberEnd: number): PeriodMention | null {
  const abs = s.start + d.pos;
  const [ca, cb] = d.clause ?? [0, s.text.length];
  const [ka, kb] = chunkBounds(s.text, d.pos);
  const attributive = (m: PeriodMention) => !!(m as PeriodMention & { attributive?: boolean }).attributive;
  const mine = (m: PeriodMention) => !m.baseline && !attributive(m);
  const inChunk = within(ctx.periods, s.start + Math.max(ka, ca), s.start + Math.min(kb, cb)).filter(mine);
  // A phrase right after the figure is its own, even a comparison's ("a profit of €6.1m in the same period of 2024").
  const chunkAll = within(ctx.periods, s.start + Math.max(ka, ca), s.start + Math.min(kb, cb));
  // Reporting days ("said last week", "on Monday") date an announcement, not a results figure.
  const eventOk = (m: PeriodMention) => !(RESULT_KINDS.has(d.kind) && (m as PeriodMention & { event?: boolean }).event);
  const after = chunkAll.filter((m) => {
    if (m.start < abs || !eventOk(m)) return false;
    // A bracketed conversion between figure and phrase is not a boundary ("SEK 612m (about €54m) for 2024").
    const gap = s.text.slice(numberEnd, m.start - s.start).replace(/\([^()]{0,40}\)/g, '');
    if (/,\s*and\b|\band\s+(?:in|for|during|at)\b|[;]|\bwhile\b|\bbut\b/.test(gap)) return false;
    // Other figures between: only a list sharing the period ("revenue of $252.7m and a pre-tax loss of $38.3m in 2020").
    // Other figures between: only a list sharing the period ("revenue of $252.7m and a pre-tax loss of $38.3m in 2020"),
    // or a small count that is not a figure of its own ("customers across 11 countries at the end of October").
    if (/(?:^|\s)[$€£]?\d/.test(gap) && !(isListGap(gap) && !COMPARE_WORDS_RE.test(gap)) && !(gap.length <= 50 && !/\band\b/i.test(gap) && !/[$€£%]|\d\s*(?:per cent|percent|million|billion|bn|m)\b/i.test(gap) && !COMPARE_WORDS_RE.test(gap))) return false;
    // A comparison between the figure and the phrase makes the phrase the comparison's ("was up from the first quarter").
    return !(m.baseline && /\b(?:from|than|compared|against|versus|vs)\b/i.test(gap));
  });
  // "cut 25% of its workforce in early 2023 and now has about 480 employees": the figure is today's.
  const before = inChunk.filter((m) => m.end <= abs && eventOk(m) && !/\b(?:now|currently|today|still)\b|\band\s+(?:has|have|is|are|employs|serves)\b/i.test(s.text.slice(m.end - s.start, d.pos)));
  if (after.length && (!before.length || after[0]!.start - s.start - numberEnd < d.pos - (before.at(-1)!.end - s.start))) return after[0]!;
  if (before.length) return before.at(-1)!;
  // "…last raised money in 2022, when it was valued at £140m": the when-clause takes the period before it.
  const lead = s.text.slice(ka, d.pos);
  if (/^(?:when|at which point|by which time|after which)\b/i.test(lead) && ka >= 2) {
    const prev = within(ctx.periods, s.start, s.start + ka).filter(mine).at(-1);
    if (prev && s.start + ka - prev.end <= 4) return prev;
  }
  // "…was valued at €1.5bn when it raised €200m in 2021": a when-clause after the figure dates it.
  const tail = s.text.slice(numberEnd);
  const w = /^[^.;]{0,40}?\bwhen\b/i.exec(tail);
  if (w) {
    const m = within(ctx.periods, s.start + numberEnd + w[0].length, s.end).filter(mine)[0];
    if (m && !/[;]/.test(s.text.slice(numberEnd, m.start - s.start))) return m;
  }
  // Present-tense state ("now pays out to 64 countries") is not dated by another chunk's year.
  if (/\b(?:now|currently|today|still)\b/i.test(s.text.slice(ka, kb))) return null;
  const inClause = within(ctx.periods, s.start + ca, abs).filter(mine);
  if (inClause.length) return inClause.at(-1)!;
  const head = within(ctx.periods, s.start, s.start + Math.min(d.pos, 40)).filter(mine);
  if (head.length && /^(?:(?:In|For|During|At|By|Over|Through|Since|As of)\s+)?(?:the\s+)?$/i.test(s.text.slice(0, head[0]!.start - s.start))) return head[0]!;
  return null;
}

function read(ctx: PeriodContext, m: PeriodMention, anchor: string | null): PeriodRead | null {
  const asOf = ctx.periods.resolve(m, anchor);
  if (!asOf) return null;
  return { asOf, how: m.how === 'relative' ? 'relative' : m.how === 'publication' ? 'publication' : 'explicit' };
}

/**
 * The period of a non-baseline draft. A state held at a moment — a balance, a head count, a number
 * of users — read against a reporting period is as of the period's end ("ended the quarter with
 * $1.1bn in cash" is June's cash, and June is inside Q2 for anyone comparing at the quarter).
 */
export function periodOfMain(ctx: PeriodContext, s: Sentence, d: Draft, numberEnd: number): PeriodRead {
  const r = periodOfMainRaw(ctx, s, d, numberEnd);
  if (r.asOf && !r.forecast && /^\d{4}-[QH]\d$/.test(r.asOf) && (isBalance(d) || d.kind === 'headcount' || d.kind === 'users')) return { ...r, asOf: periodEndMonth(r.asOf) };
  return r;
}

function periodOfMainRaw(ctx: PeriodContext, s: Sentence, d: Draft, numberEnd: number): PeriodRead {
  const abs = s.start + d.pos;
  const gov = ctx.periods.governingAt(abs);
  const own = ownMention(ctx, s, d, numberEnd);
  if (own) {
    const r = read(ctx, own, gov?.period ?? null);
    if (r) return forecastBefore(s.text.slice(0, d.pos)) && RESULT_KINDS.has(d.kind) ? { ...r, forecast: true } : r;
  }
  const day = pubDay(ctx.publishedAt);
  const [ka, kb] = chunkBounds(s.text, d.pos);
  const chunk = s.text.slice(ka, kb);
  // A forecast with no period of its own is for the current year ("raised its EBITDA forecast to $2.6bn").
  if (forecastBefore(s.text.slice(0, d.pos)) && RESULT_KINDS.has(d.kind) && day) return { asOf: day.slice(0, 4), how: 'publication', forecast: true };
  // "It had previously laid off 136 people, or about 11% of its staff, in October 2022": the one
  // period the clause names is the event's.
  if (!/\b(?:now|currently|today|has|have)\b/i.test(chunk)) {
    const [ca, cb] = d.clause ?? [0, s.text.length];
    const sole = within(ctx.periods, s.start + ca, s.start + cb).filter((m) => !m.baseline && !(m as PeriodMention & { event?: boolean }).event);
    if (sole.length === 1 && sole[0]!.start > abs && (d.kind === 'workforce_change' || d.kind === 'funding' || d.kind === 'valuation')) {
      const r = read(ctx, sole[0]!, gov?.period ?? null);
      if (r) return r;
    }
  }
  const present = PRESENT_RE.test(chunk) && !/\b(?:was|were|had)\b/i.test(chunk);
  // What a company "has said" is a past claim, not a figure as of today.
  if (PAST_CLAIM_RE.test(s.text.slice(0, d.pos))) return { asOf: null, how: 'none' };
  // State described in the present ("now runs accounts in 75 countries", "screens 1.3bn transactions a
  // month for 9,000 merchants") is as of the publication day, whatever period the article reports.
  // …except a share set against a year before in a results report: "now make up 49% of revenue, up
  // from 39% a year ago" compares the reporting period with its predecessor.
  if (gov && /^\d{4}-[QH]\d$/.test(gov.period) && d.kind === 'metric' && d.unit === 'percent' && /\b(?:(?:a|one) year (?:ago|earlier|before)|year[- ](?:on|over)[- ]year|the (?:prior|previous)[- ]year)\b/i.test(s.text)) return { asOf: gov.period, how: 'carried' };
  if (day && !d.baseline && isStateKind(d) && statedNow(s.text, chunk)) return { asOf: day, how: 'publication' };
  if (RESULT_KINDS.has(d.kind) || ((d.kind === 'users' || d.kind === 'headcount') && !present)) {
    if (gov && (RESULT_KINDS.has(d.kind) || RESULTS_VERB_RE.test(s.text))) return { asOf: isBalance(d) ? periodEndMonth(gov.period) : gov.period, how: 'carried' };
  }
  if (PAST_CLAIM_RE.test(s.text.slice(0, d.pos))) return { asOf: null, how: 'none' };
  if (!day) return { asOf: null, how: 'none' };
  if (d.kind === 'workforce_change' || d.kind === 'funding' || d.kind === 'ipo') return { asOf: day.slice(0, 7), how: 'publication' };
  // A valuation "once"/"previously" held has no date here; one being set now ("values it at") has today's.
  if (d.kind === 'valuation' && /\b(?:once|previously|formerly|peak|last valued|had been valued|was valued|were valued)\b/i.test(s.text.slice(0, d.pos))) return { asOf: null, how: 'none' };
  if (d.kind === 'valuation' && /\b(?:values|valuing|is valued|are valued|now valued|valuation of|at a valuation|post-money|pre-money)\b/i.test(s.text) && !/\bhad\b/i.test(s.text.slice(0, d.pos))) return { asOf: day, how: 'publication' };
  if ((d.kind === 'headcount' || d.kind === 'users' || d.kind === 'metric' || d.kind === 'valuation') && PRESENT_RE.test(s.text)) return { asOf: day, how: 'publication' };
  // A head count stated with no tense of its own ("Corvo's 210 employees will keep their jobs", "its
  // workforce of about 1,250") is today's; one in a past-tense sentence has no date here.
  if ((d.kind === 'headcount' || d.kind === 'users') && !PAST_RE.test(s.text) && !/\b(?:had|was|were|did)\b|(?<!\p{L})\p{L}{3,}ed\s+(?:by|in|at|on)\b/iu.test(s.text)) return { asOf: day, how: 'publication' };
  return { asOf: null, how: 'none' };
}

/**
 * The period of a baseline ("from $47 million a year earlier", "from $252.7m in 2020 to …"):
 * its own phrase right after it, resolved against the main figure's period; else the main period
 * shifted by what the sentence says; else none (an earlier value with no period is not a fact).
 */
export function periodOfBaseline(ctx: PeriodContext, s: Sentence, b: Draft, numberEnd: number, main: PeriodRead): PeriodRead {
  const after = within(ctx.periods, s.start + numberEnd, Math.min(s.end, s.start + numberEnd + 70));
  const limit = b.baseline!.of.pos > b.pos ? s.start + b.baseline!.of.pos : Infinity;
  for (const m of after) {
    if (m.start >= limit) break;
    const gap = s.text.slice(numberEnd, m.start - s.start);
    if (/[;]|\band\b|\bwhile\b|\bbut\b/.test(gap) || gap.length > 45) break;
    const r = read(ctx, m, main.asOf);
    if (r) return { asOf: r.asOf, how: r.how === 'explicit' ? 'explicit' : 'relative' };
  }
  if (b.baseline!.shiftYears && main.asOf) {
    const m = /^(\d{4})(.*)$/.exec(main.asOf);
    if (m) return { asOf: `${Number(m[1]) - b.baseline!.shiftYears}${m[2]}`, how: 'relative' };
  }
  // "Net profit fell to £197m from £251m" in a results report: a flow earned over the reporting
  // period is compared, by convention, with the same period a year before. Ratios, balances and
  // counts have no such convention (against the previous quarter? the year end?) and stay undated.
  if (main.asOf && !main.forecast && (main.how === 'carried' || main.how === 'explicit') && /^\d{4}(?:-[QH]\d)?$/.test(main.asOf) && isFlow(b) && b.baseline!.of.pos < b.pos && /\b(?:to|at)\s+[^,;]{0,40}\bfrom\s+[^,;]{0,25}$/i.test(s.text.slice(b.baseline!.of.pos - 3, b.pos))) {
    const m = /^(\d{4})(.*)$/.exec(main.asOf)!;
    return { asOf: `${Number(m[1]) - 1}${m[2]}`, how: 'inferred' };
  }
  return { asOf: null, how: 'none' };
}

/** Money earned or spent over a period (revenue, profit, losses, a revenue line), not a balance or a rate. */
function isFlow(d: Draft): boolean {
  if (d.kind === 'revenue' || d.kind === 'net_income' || d.kind === 'credit_losses') return true;
  return d.kind === 'metric' && !!d.unit && /^[A-Z]{3}$/.test(d.unit) && !isBalance(d) && /\b(?:revenues?|income|profit|loss|losses|ebitda|earnings|sales|costs?|expenses)\b/i.test(d.label ?? '');
}

/**
 * The period of an IPO event whose status verb stands at sentence offset `verb`: the phrase right
 * after the verb in its chunk ("paused the process in April", "listed on Nasdaq Stockholm in 2015"),
 * else one before it in the chunk or heading the sentence ("In April, … postponed"); else the
 * publication day for plans stated in the present ("has been preparing for a listing") and the
 * publication month for events.
 */
/** An event's price or size right after its verb: "at $40 a share", "at $38 each", "of $500 million". */
const EVENT_TERMS_G = /\b(?:at|of)\s+[$€£]\d[\d.,]*(?:\s?(?:billion|million|bn|mn|m)\b)?(?:\s+(?:a|per)\s+share|\s+each)?/gi;

export function periodOfEvent(ctx: PeriodContext, s: Sentence, verb: number, planned: boolean): PeriodRead {
  const abs = s.start + verb;
  const gov = ctx.periods.governingAt(abs);
  const [ka, kb] = chunkBounds(s.text, verb);
  const chunk = within(ctx.periods, s.start + ka, s.start + kb).filter((m) => !m.baseline);
  // A figure between the verb and a date usually opens another clause ("filed, with 200 staff in 2024");
  // the event's own terms do not ("priced its IPO at $40 a share on March 14"): they are read past.
  const after = chunk.filter((m) => m.start >= abs && !/[;]|(?:^|\s)[$€£]?\d|,\s*and\b|\band\s+(?:in|on|then)\b|\b(?:but|while|after|before|when|than|then)\b/.test(s.text.slice(verb, m.start - s.start).replace(/^\S+/, '').replace(EVENT_TERMS_G, ' ')));
  const before = chunk.filter((m) => m.end <= abs);
  const head = within(ctx.periods, s.start, s.start + Math.min(verb, 40)).filter((m) => !m.baseline && /^(?:(?:In|On|By|During|Since|Earlier|Last|This)\s+)?(?:the\s+)?$/i.test(s.text.slice(0, m.start - s.start)));
  const own = after[0] ?? before.at(-1) ?? head[0] ?? null;
  if (own) {
    const r = read(ctx, own, gov?.period ?? null);
    if (r) return r;
  }
  const day = pubDay(ctx.publishedAt);
  if (!day) return { asOf: null, how: 'none' };
  // "…five months after it shelved the deal": the event lies that far before publication.
  const ago = /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2})\s+months?\s+after\s+(?:it|they|the company|the firm|[\p{Lu}][\p{L}.]*)\s+(?:had\s+)?$/iu.exec(s.text.slice(Math.max(0, verb - 60), verb));
  if (ago) {
    const n = /^\d/.test(ago[1]!) ? Number(ago[1]) : ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven'].indexOf(ago[1]!.toLowerCase()) + 1;
    const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - n);
    return { asOf: d.toISOString().slice(0, 7), how: 'relative' };
  }
  // A plan in the past perfect ("bankers had been discussing $15bn before the listing was shelved")
  // was made some time before the report: its year, not the report's month.
  if (planned && /\bhad been\s+(?:\w+ing)\b/i.test(s.text.slice(0, Math.max(verb, 0) + 40))) return { asOf: day.slice(0, 4), how: 'publication' };
  if (planned && /\b(?:has|have|is|are)\s+(?:been\s+)?(?:preparing|planning|considering|exploring|weighing|working|eyeing|targeting|aiming|set to|expected)\b|\b(?:plans|prepares|is preparing|aims|intends|hopes|expects)\b/i.test(s.text)) return { asOf: day, how: 'publication' };
  return { asOf: day.slice(0, 7), how: 'publication' };
}
