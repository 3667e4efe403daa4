/**
 * Periods as an article states them: every period phrase with its offset, what it resolves to, and
 * how it was read (explicit, relative to the governing period, or relative to the publication day),
 * plus the governing period at each point of the text.
 *
 * Why article-level: a results article names its period once ("for the third quarter ended
 * September 30, 2024") and every later figure belongs to it; "a year earlier" means a year before
 * that period, not before the publication day; "that year" points back at the last year named.
 * Reading sentence by sentence loses all three.
 *
 * Every regex here is linear: bounded quantifiers over disjoint token classes, no nested repeats.
 */
import { refDate } from '../normalise/periods.ts';

export type PeriodHow = 'explicit' | 'relative' | 'publication';

export interface PeriodMention {
  start: number;
  end: number;
  /** "2024", "2024-H1", "2024-Q3", "2024-03", "2024-03-31"; null when a relative phrase has nothing to resolve against. */
  period: string | null;
  how: PeriodHow;
  /** Introduced by a comparison ("from … in 2023", "compared with the second half of 2021"). */
  baseline: boolean;
  /** A reporting-period phrase that governs the figures after it ("for the year ended 31 March 2024"). */
  governs: boolean;
  /** For relative phrases that need the governing period: the shift to apply. */
  shift?: { years: number; quarters: number } | undefined;
  /** "the quarter", "the year to date": the governing period itself. */
  same?: boolean | undefined;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = String.raw`(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?`;
const YEAR = String.raw`(?:19|20)\d{2}`;
const ORDQ = String.raw`(?:first|second|third|fourth|1st|2nd|3rd|4th)`;
const ORD: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4 };
const NUM_WORD: Record<string, number> = { two: 2, three: 3, four: 4, five: 5 };
const SPAN: Record<string, number> = { three: 3, '3': 3, six: 6, '6': 6, nine: 9, '9': 9, twelve: 12, '12': 12 };

function monthIndex(raw: string): number {
  return MONTH_NAMES.indexOf(raw.toLowerCase().slice(0, 3));
}
const pad = (n: number): string => String(n).padStart(2, '0');

/** One pattern per phrase family; the first family to claim a span wins (order = specificity). */
interface Family {
  re: RegExp;
  read: (g: Record<string, string | undefined>, ctx: ReadCtx, text: string, at: number) => Omit<PeriodMention, 'start' | 'end' | 'baseline'> | null;
}
interface ReadCtx {
  refYear: number | null;
  refMonth: number | null;
  refDay: string | null;
}

/** A month without a year: the latest such month not after the publication month. */
function yearOfMonth(ctx: ReadCtx, mi: number, last = false): number | null {
  if (ctx.refYear == null || ctx.refMonth == null) return null;
  if (last) return mi >= ctx.refMonth ? ctx.refYear - 1 : ctx.refYear;
  return mi > ctx.refMonth ? ctx.refYear - 1 : ctx.refYear;
}

/** A period ending in month `mi` of year `y` after `span` months: quarter, half, calendar year or the month. */
function spanEnding(y: number, mi: number, span: number | null): string {
  if (span === 3 && mi % 3 === 2) return `${y}-Q${(mi + 1) / 3}`;
  if (span === 6 && mi % 6 === 5) return `${y}-H${(mi + 1) / 6}`;
  if ((span === 12 || span == null) && mi === 11) return String(y);
  return `${y}-${pad(mi + 1)}`;
}

const FAMILIES: Family[] = [
  // "the (financial|fiscal) year ended 31 March 2024", "the 12 months to December 31, 2021", "the year to March",
  // "the quarter ended September 30, 2024", "the six months to June".
  {
    re: new RegExp(
      String.raw`\b(?:(?<span>three|3|six|6|nine|9|twelve|12)[- ]months?|(?<fy>(?:financial|fiscal)\s+)?(?<unit>year|quarter|half[- ]year|half))\s+(?:ended|ending|to|through)\s+(?:the\s+end\s+of\s+)?(?:(?<d1>\d{1,2})(?:st|nd|rd|th)?\s+)?(?<m>${MONTH})(?:\s+(?<d2>\d{1,2})(?:st|nd|rd|th)?\b)?(?:,?\s+(?<y>${YEAR}))?`,
      'gi',
    ),
    read(g, ctx) {
      const mi = monthIndex(g.m!);
      if (mi < 0) return null;
      const y = g.y ? Number(g.y) : yearOfMonth(ctx, mi);
      if (y == null) return null;
      const unit = (g.unit ?? '').toLowerCase();
      const span = g.span ? SPAN[g.span.toLowerCase()]! : unit === 'quarter' ? 3 : unit.startsWith('half') ? 6 : 12;
      // A fiscal year that ends in December is the calendar year; any other is named by its last month.
      return { period: spanEnding(y, mi, span), how: 'explicit', governs: true };
    },
  },
  // "the first nine months of the year", "the first six months of 2022".
  {
    re: new RegExp(String.raw`\b(?:the\s+)?first\s+(?<span>three|six|nine)\s+months\s+of\s+(?:(?<this>the|this)\s+year|(?<y>${YEAR}))`, 'gi'),
    read(g, ctx) {
      const y = g.y ? Number(g.y) : ctx.refYear;
      if (y == null) return null;
      const span = SPAN[g.span!.toLowerCase()]!;
      return { period: spanEnding(y, span - 1, span), how: g.y ? 'explicit' : 'publication', governs: true };
    },
  },
  // "the third quarter of the prior year", "the first half of last year" against a results period.
  {
    re: new RegExp(String.raw`\b(?<q>${ORDQ})[- ](?<unit>quarter|half)\s+of\s+(?:the\s+)?(?:prior|previous|preceding)\s+year\b`, 'gi'),
    read(g) {
      const n = ORD[g.q!.toLowerCase()]!;
      return { period: null, how: 'relative', governs: false, ofPriorYear: `${/half/i.test(g.unit!) ? 'H' : 'Q'}${n}` } as never;
    },
  },
  // "Q3 2024", "Q3'24", "3Q24", "the third quarter of 2024", "2024 third quarter", "third-quarter", "fiscal Q2 2025".
  {
    re: new RegExp(
      String.raw`\b(?:Q(?<q1>[1-4])(?:\s*(?:of\s+)?(?:FY\s?|fiscal\s+)?(?:(?<y1>${YEAR})|'(?<yy1>\d{2})|(?<yy3>\d{2})\b))?|(?<q4>[1-4])Q(?<yy4>\d{2})|(?<q2>${ORDQ})[- ]quarter(?:\s+(?:of\s+)?(?:(?:fiscal|financial)\s+(?:year\s+)?)?(?<y2>${YEAR}))?|(?<y3>${YEAR})\s+(?<q3>${ORDQ})[- ]quarter)\b`,
      'gi',
    ),
    read(g, ctx, text, at) {
      const q = g.q1 ? Number(g.q1) : g.q4 ? Number(g.q4) : ORD[(g.q2 ?? g.q3 ?? '').toLowerCase()];
      if (!q) return null;
      const yy = g.yy1 ?? g.yy3 ?? g.yy4;
      let y: number | null = g.y1 ? Number(g.y1) : g.y2 ? Number(g.y2) : g.y3 ? Number(g.y3) : yy ? 2000 + Number(yy) : null;
      let how: PeriodHow = 'explicit';
      if (y == null) {
        if (ctx.refYear == null || ctx.refMonth == null) return null;
        // A quarter that has not begun by publication is last year's ("fourth-quarter" in a February
        // article); one under way is this year's. A sentence that looks ahead keeps this year.
        y = ctx.refYear;
        if ((q - 1) * 3 > ctx.refMonth && !((q - 1) * 3 <= ctx.refMonth + 3 && FUTURE_RE.test(sentenceAround(text, at)))) y -= 1;
        how = 'publication';
      }
      return { period: `${y}-Q${q}`, how, governs: true };
    },
  },
  // "the first half of 2022", "H1 2023", "first-half", "the second half of last year".
  {
    re: new RegExp(String.raw`\b(?:(?<h1>first|second)[- ]half(?:\s+of)?(?:\s+(?:(?<y1>${YEAR})|(?<last>last)\s+year|(?<this>this)\s+year))?|H(?<h2>[12])\s*(?:(?<y2>${YEAR})|'(?<yy>\d{2}))?)\b`, 'gi'),
    read(g, ctx) {
      const h = g.h1 ? (g.h1.toLowerCase() === 'first' ? 1 : 2) : Number(g.h2);
      let y: number | null = g.y1 ? Number(g.y1) : g.y2 ? Number(g.y2) : g.yy ? 2000 + Number(g.yy) : null;
      let how: PeriodHow = 'explicit';
      if (y == null) {
        if (ctx.refYear == null || ctx.refMonth == null) return null;
        y = g.last ? ctx.refYear - 1 : g.this ? ctx.refYear : h === 2 && ctx.refMonth < 6 ? ctx.refYear - 1 : ctx.refYear;
        how = 'publication';
      }
      return { period: `${y}-H${h}`, how, governs: true };
    },
  },
  // "FY24", "FY2024", "fiscal 2024", "fiscal year 2024", "2023 accounts", "full-year 2023".
  {
    re: new RegExp(String.raw`\b(?:FY\s?'?(?<yy>\d{2})\b|FY\s?(?<y1>${YEAR})|(?:fiscal|financial)\s+(?:year\s+)?(?<y2>${YEAR})|(?<y3>${YEAR})\s+(?:accounts|annual (?:report|results)|full[- ]year)|full[- ]year\s+(?<y4>${YEAR}))\b`, 'gi'),
    read(g) {
      const y = g.yy ? 2000 + Number(g.yy) : Number(g.y1 ?? g.y2 ?? g.y3 ?? g.y4);
      return { period: String(y), how: 'explicit', governs: true, fiscal: true } as never;
    },
  },
  // "September 30, 2024", "31 March 2024", "on March 14".
  {
    re: new RegExp(String.raw`\b(?:(?<m1>${MONTH})\s+(?<d1>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?<y1>${YEAR}))?|(?<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?<m2>${MONTH})(?:\s+(?<y2>${YEAR}))?)\b(?!\s*(?:%|percent|million|billion))`, 'g'),
    read(g, ctx) {
      const mi = monthIndex((g.m1 ?? g.m2)!);
      const d = Number(g.d1 ?? g.d2);
      if (mi < 0 || d < 1 || d > 31) return null;
      const y = g.y1 ?? g.y2 ?? yearOfMonth(ctx, mi);
      if (y == null) return null;
      return { period: `${y}-${pad(mi + 1)}-${pad(d)}`, how: g.y1 ?? g.y2 ? 'explicit' : 'publication', governs: false };
    },
  },
  // "at the end of 2021", "by the end of that year", "end-2023".
  {
    re: new RegExp(String.raw`\b(?:(?<prep>at|by)\s+)?(?:the\s+)?end(?:\s+of|-)\s*(?:(?<y>${YEAR})|(?<that>that)\s+year|(?<cur>the|this)\s+year|(?<last>last)\s+year)\b`, 'gi'),
    read(g, ctx) {
      // A deadline not yet reached is a plan's or a target's year ("plans to hire 120 by the end of
      // 2026" → 2026); a state at a year's end, or a deadline already past, is that December.
      const deadline = (y: number) => /^by$/i.test(g.prep ?? '') && ctx.refYear != null && y >= ctx.refYear;
      if (g.y) return { period: deadline(Number(g.y)) ? g.y : `${g.y}-12`, how: 'explicit', governs: false };
      if (g.last && ctx.refYear != null) return { period: `${ctx.refYear - 1}-12`, how: 'publication', governs: false };
      // "by the end of the year" is this year's end; "the end of that year" points back at a year named.
      if (g.cur && ctx.refYear != null) return { period: deadline(ctx.refYear) ? String(ctx.refYear) : `${ctx.refYear}-12`, how: 'publication', governs: false };
      return { period: null, how: 'relative', governs: false, endOfThatYear: true } as never;
    },
  },
  // "in January 2022", "January 2022", "last June", "in March", "since April".
  {
    re: new RegExp(String.raw`\b(?:(?<last>last|this|in|during|since|by|until|through|from|of|early|mid|late|mid-)\s+)?(?<m>${MONTH})(?:\s+(?<y>${YEAR})|\s+(?<rel>last|this|next)\s+year|\s+of\s+(?<that>that|the\s+same)\s+year)?\b(?!\s+\d{1,2}\b)`, 'gi'),
    read(g, ctx) {
      const mi = monthIndex(g.m!);
      // Case-insensitive for "In June", but a month is capitalised ("march", "may" are verbs).
      if (mi < 0 || !/^[A-Z]/.test(g.m!)) return null;
      if (g.y) return { period: `${g.y}-${pad(mi + 1)}`, how: 'explicit', governs: false };
      if (g.that) return { period: null, how: 'relative', governs: false, fromLast: 0, month: mi + 1 } as never;
      // "in January last year".
      if (g.rel && ctx.refYear != null) return { period: `${ctx.refYear + (/last/i.test(g.rel) ? -1 : /next/i.test(g.rel) ? 1 : 0)}-${pad(mi + 1)}`, how: 'publication', governs: false };
      const prep = (g.last ?? '').toLowerCase();
      // "May" is also a verb and "March" a noun: a bare month counts only after a preposition.
      if (!prep) return null;
      const y = yearOfMonth(ctx, mi, prep === 'last');
      if (y == null) return null;
      return { period: `${y}-${pad(mi + 1)}`, how: 'publication', governs: false };
    },
  },
  // Relative to the governing period: "a year earlier", "the prior-year quarter", "the same period of 2022",
  // "the year before", "the previous quarter", "sequentially".
  {
    re: new RegExp(
      String.raw`\b(?:(?<ye>(?:a|one)\s+year\s+(?:earlier|ago|before|prior)|the\s+(?:year|twelve months)\s+(?:before|earlier)|(?:the\s+)?(?:prior|previous|preceding)[- ]year(?:\s+(?:period|quarter|half))?|(?:the\s+)?year[- ](?:earlier|ago)(?:\s+(?:period|quarter|half))?|the\s+same\s+(?:period|quarter|half|time)\s+(?:of\s+|in\s+)?(?:(?:the\s+)?(?:prior|previous)\s+year|last\s+year|a\s+year\s+(?:earlier|ago))|(?:the\s+)?same\s+(?:period|quarter|half)\s+(?:a|last)\s+year)|(?<ty>two\s+years\s+(?:earlier|ago|before))|(?<same>the\s+same\s+(?:period|quarter|half)\s+(?:of|in)\s+(?<sy>${YEAR}))|(?<pq>(?:the\s+)?(?:previous|prior|preceding)\s+quarter|sequentially|quarter[- ](?:over|on)[- ]quarter)|(?<cur>(?:the|this)\s+(?:latest\s+|most\s+recent\s+|reporting\s+|same\s+|last\s+)?(?:quarter|period|half)(?!\s+(?:of|ended|ending|to)\b)|last\s+quarter|year[- ]to[- ]date))\b`,
      'gi',
    ),
    read(g) {
      if (g.ye) return { period: null, how: 'relative', governs: false, shift: { years: -1, quarters: 0 } };
      if (g.ty) return { period: null, how: 'relative', governs: false, shift: { years: -2, quarters: 0 } };
      if (g.same) return { period: null, how: 'relative', governs: false, sameIn: Number(g.sy) } as never;
      if (g.pq) return { period: null, how: 'relative', governs: false, shift: { years: 0, quarters: -1 } };
      return { period: null, how: 'relative', governs: false, same: true, ytd: /to[- ]date/i.test(g.cur ?? '') } as never;
    },
  },
  // Trailing windows and "at the time": "over the past 12 months", "in the past week".
  {
    re: /\b(?:(?<ttm>(?:over|in|during)\s+the\s+(?:past|last|previous)\s+(?:12|twelve)\s+months|trailing\s+(?:12|twelve)[- ]months?)|(?<pw>(?:in|over|during)\s+the\s+(?:past|last)\s+week)|(?<pm>(?:in|over|during)\s+the\s+(?:past|last)\s+month)|(?<then>at\s+the\s+time|back\s+then))\b/gi,
    read(g, ctx) {
      if (g.then) return { period: null, how: 'relative', governs: false, fromLast: 0 } as never;
      if (!ctx.refDay) return null;
      const back = g.pw ? 7 : g.pm ? 30 : 0;
      return { period: new Date(Date.parse(ctx.refDay) - back * 864e5).toISOString().slice(0, 7), how: 'publication', governs: false };
    },
  },
  // Relative to the last year named: "that year", "a year later", "the following year".
  {
    re: /\b(?:(?<that>that\s+year|the\s+same\s+year)|(?<next>(?:a|one)\s+year\s+later|the\s+(?:following|subsequent)\s+year)|(?<two>two\s+years\s+later))\b/gi,
    read(g) {
      return { period: null, how: 'relative', governs: false, fromLast: g.that ? 0 : g.next ? 1 : 2 } as never;
    },
  },
  // Relative to publication: "last year", "this year", "next year", "last month", "on Monday", "today".
  {
    re: /\b(?:(?<ly>last\s+year|the\s+(?:previous|prior|past)\s+year(?!\s+(?:period|quarter))|a\s+year\s+ago)|(?<ty>this\s+year|earlier\s+this\s+year|so\s+far\s+this\s+year)|(?<ny>next\s+year)|(?:over|in|within|during)\s+the\s+(?:next|coming)\s+(?<nn>two|three|four|five|2|3|4|5)\s+years|(?<lm>last\s+month)|(?<tm>this\s+month|earlier\s+this\s+month)|(?<day>(?:on|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|today|yesterday|this\s+week|last\s+week))\b/gi,
    read(g, ctx) {
      if (ctx.refYear == null || ctx.refMonth == null) return null;
      if (g.ly) return { period: String(ctx.refYear - 1), how: 'publication', governs: true, weak: true, lastYear: true } as never;
      if (g.ty) return { period: String(ctx.refYear), how: 'publication', governs: false };
      if (g.ny) return { period: String(ctx.refYear + 1), how: 'publication', governs: false, future: true } as never;
      if (g.nn) return { period: String(ctx.refYear + (NUM_WORD[g.nn.toLowerCase()] ?? Number(g.nn))), how: 'publication', governs: false, future: true } as never;
      if (g.lm) return { period: ctx.refMonth === 0 ? `${ctx.refYear - 1}-12` : `${ctx.refYear}-${pad(ctx.refMonth)}`, how: 'publication', governs: false };
      if (g.tm) return { period: `${ctx.refYear}-${pad(ctx.refMonth + 1)}`, how: 'publication', governs: false };
      if (!ctx.refDay) return null;
      // The month of the day meant: "last week" in early June is May.
      const back = /last\s+week/i.test(g.day ?? '') ? 7 : /yesterday/i.test(g.day ?? '') ? 1 : /^last\s/i.test(g.day ?? '') ? 7 : 0;
      const day = new Date(Date.parse(ctx.refDay) - back * 864e5).toISOString();
      return { period: day.slice(0, 7), how: 'publication', governs: false, event: true } as never;
    },
  },
  // A bare year: "in 2021", "2023's", "(2022)".
  {
    re: new RegExp(String.raw`(?<![\d,.$€£])\b(?<y>${YEAR})\b(?![,.]\d|\s*(?:%|percent|per cent|employees|staff|people|jobs|users|customers|members|million|billion)|-\d)`, 'g'),
    read(g, _ctx, text, at) {
      // "the 2021 boom", "a 2019 deal": an attributive year describes a noun, not a figure.
      // It dates only a figure it directly follows ("$6.7bn in a 2022 funding round").
      // An event named by its year ("the 2021 round valued it at…", "its 2022 listing") does date it.
      if (/\b(?:the|a|an|its|their|his|her)\s+$/i.test(text.slice(Math.max(0, at - 6), at)) && /^\s+\p{Ll}/u.test(text.slice(at + 4, at + 6)) && !/^\s+(?:accounts|results|annual|full|(?:\p{Ll}+\s+)?(?:round|funding|fundraise|fundraising|raise|deal|listing|ipo|offering|report|filing|sale|acquisition|merger))\b/iu.test(text.slice(at + 4, at + 40))) {
        return { period: g.y!, how: 'explicit', governs: false, attributive: true } as never;
      }
      // "in 2024"/"for 2024" in a results sentence names the year reported (a weak governing phrase).
      return { period: g.y!, how: 'explicit', governs: /\b(?:in|for|during)\s+$/i.test(text.slice(Math.max(0, at - 7), at)), weak: true } as never;
    },
  },
];

/** Words that make a period phrase the comparison's baseline when they stand just before it. */
const BASELINE_BEFORE = /\b(?:from|compared\s+(?:with|to)|comparison\s+(?:with|to)|versus|vs\.?|against|than(?!\s+(?:about\s+|around\s+|nearly\s+)?[$€£\d])(?:\s+in)?|relative\s+to|in\s+line\s+with|over(?=\s+the\s+(?:same|prior|previous)))\s+(?:[^\s,;:]+\s+){0,10}$/i;
const STRONG_RESULTS = /\b(?:results?|reported|reports|posted|revenue|revenues|profit|loss|losses|earnings|net income|sales|accounts|turnover)\b/i;
const FUTURE_RE = /\b(?:expects?|expected|forecasts?|guidance|outlook|will|targets?|sees|projects?|aims?)\b/i;
/** Founding and opening years date the company, not a figure ("Founded in 2015, it has lent …"). */
const FOUNDING_BEFORE = /\b(?:founded|established|launched|set up|started|opened|incorporated|created|formed|born|since)\s+(?:in\s+)?$/i;

function sentenceAround(text: string, at: number): string {
  const a = Math.max(text.lastIndexOf('. ', at), text.lastIndexOf('\n', at), 0);
  const b = text.indexOf('. ', at);
  return text.slice(a, b < 0 ? text.length : b);
}

/**
 * Whether the clause text before a period phrase makes it a comparison's: a comparison word with
 * at most a few words after it ("compared with the second half of"), or with a figure between
 * ("from $252.7m in", "compared with a net loss of $85 million in") — but not "recover from the
 * steep markdown it took in 2022", and not once a "to" has begun the new level.
 */
function isComparison(clauseBefore: string): boolean {
  if (!BASELINE_BEFORE.test(clauseBefore)) return false;
  const tail = clauseBefore.replace(/^.*\b(?:from|compared|comparison|versus|vs\.?|against|than|relative|in\s+line|over)\b/is, '');
  if (/\bto\s+(?:[^\s,;]+\s+){0,4}$/i.test(tail)) return false;
  const words = tail.trim().split(/\s+/).filter(Boolean);
  // "than the $565m reported in the second quarter of 2021": a figure between makes it the comparison's.
  if (/(?:^|\s)[$€£]?\d/.test(tail)) return true;
  if (/\b(?:published|reported|said|says|announced|showed|is|was|were|are|has|had)\b/i.test(tail)) return false;
  // "from" is also where money comes from ("raised $120m from growth investors in 2022").
  const word = [...clauseBefore.matchAll(/\b(from|compared|comparison|versus|vs\.?|against|than|relative|in\s+line|over)\b/gi)].at(-1)?.[1]?.toLowerCase();
  return words.length <= (word === 'from' ? 1 : 3);
}

const RESULTS_CONTEXT = /\b(?:results?|reported|reports|posted|revenue|revenues|profit|loss|earnings|income|sales|accounts|quarter|quarterly|half|annual|full[- ]year|fiscal|financial year|year ended|year to|months to|months ended)\b/i;

export interface ReadPeriods {
  mentions: PeriodMention[];
  /** The governing period at `pos`: the last governing phrase before it (the title's counts from the start). */
  governingAt(pos: number): { period: string; from: 'title' | 'text' } | null;
  /** The last explicit year-bearing period named before `pos` (for "that year", "a year later"). */
  lastNamedBefore(pos: number): string | null;
  /** Resolves a relative mention against `anchor` (the governing period or the main fact's period). */
  resolve(m: PeriodMention, anchor: string | null): string | null;
  /** The fiscal year end month (1–12) the article states, if any ("financial year ended 31 March"). */
  fiscalEndMonth: number | null;
}

/** Shifts "2024-Q3" by years/quarters, keeping its grain. */
export function shift(period: string, years: number, quarters = 0): string | null {
  const m = /^(\d{4})(?:-(Q|H)(\d)|-(\d{2})(?:-(\d{2}))?)?$/.exec(period);
  if (!m) return null;
  let y = Number(m[1]) + years;
  if (m[2] === 'Q') {
    let q = Number(m[3]) + quarters;
    while (q < 1) { q += 4; y -= 1; }
    while (q > 4) { q -= 4; y += 1; }
    return `${y}-Q${q}`;
  }
  if (quarters !== 0) return null;
  if (m[2] === 'H') return `${y}-H${m[3]}`;
  if (m[4]) return m[5] ? `${y}-${m[4]}-${m[5]}` : `${y}-${m[4]}`;
  return String(y);
}

/** Finds every period phrase in `text` (offsets into it). Earlier families win overlapping spans. */
/** Milliseconds at which a period begins. */
function periodStart(p: string): number {
  const m = /^(\d{4})(?:-(Q|H)(\d)|-(\d{2})(?:-(\d{2}))?)?$/.exec(p);
  if (!m) return 0;
  const y = Number(m[1]);
  const month = m[2] === 'Q' ? (Number(m[3]) - 1) * 3 : m[2] === 'H' ? (Number(m[3]) - 1) * 6 : m[4] ? Number(m[4]) - 1 : 0;
  return Date.UTC(y, month, m[5] ? Number(m[5]) : 1);
}

export function findPeriods(text: string, publishedAt: string | null | undefined): PeriodMention[] {
  const ref = refDate(publishedAt);
  const ctx: ReadCtx = { refYear: ref ? ref.getUTCFullYear() : null, refMonth: ref ? ref.getUTCMonth() : null, refDay: ref ? ref.toISOString().slice(0, 10) : null };
  const taken: [number, number][] = [];
  const out: (PeriodMention & Record<string, unknown>)[] = [];
  for (const f of FAMILIES) {
    f.re.lastIndex = 0;
    for (let m = f.re.exec(text); m; m = f.re.exec(text)) {
      if (m[0].length === 0) { f.re.lastIndex++; continue; }
      let start = m.index;
      const end = m.index + m[0].length;
      // A leading preposition captured by the month family is not part of the period.
      const lead = /^(?:in|during|since|by|until|through|from|of)\s+/i.exec(m[0]);
      if (lead && !/^last/i.test(m[0])) start += lead[0].length;
      if (taken.some(([a, b]) => start < b && a < end)) continue;
      const r = f.read(m.groups ?? {}, ctx, text, m.index);
      if (!r) continue;
      taken.push([start, end]);
      const before = text.slice(Math.max(0, start - 70), start);
      const clauseBefore = before.split(/[;:.!?]\s|,\s(?:and|while|but|whereas)\s/).pop() ?? '';
      const baseline = isComparison(clauseBefore);
      if (FOUNDING_BEFORE.test(text.slice(Math.max(0, start - 30), start))) continue;
      out.push({ ...r, start, end, baseline } as PeriodMention & Record<string, unknown>);
    }
  }
  out.sort((a, b) => a.start - b.start);
  // A governing phrase must read as a reporting period: results words near it, not a passing date.
  for (const m of out) {
    if (!m.governs) continue;
    const s0 = Math.max(text.lastIndexOf('. ', m.start), text.lastIndexOf('\n', m.start), 0);
    const s1e = text.indexOf('. ', m.end);
    const sentence = text.slice(s0, s1e < 0 ? text.length : s1e);
    if (m.baseline || !RESULTS_CONTEXT.test(sentence)) m.governs = false;
    // A weak phrase (a bare year) governs only a sentence that reports results, not one that mentions a quarter.
    else if ((m as PeriodMention & { weak?: boolean }).weak && !STRONG_RESULTS.test(sentence)) m.governs = false;
    // A period that has not begun at publication is a plan, not what is being reported.
    else if (m.period && ref && periodStart(m.period) > ref.getTime()) m.governs = false;
  }
  return out;
}

/** Reads the periods of an article: the title's phrase (if any) governs from the start. */
export function readPeriods(text: string, title: string | null, publishedAt: string | null | undefined): ReadPeriods {
  const mentions = findPeriods(text, publishedAt);
  const titleMentions = title ? findPeriods(title, publishedAt).filter((m) => m.period && (m.governs || /^\d{4}-[QH]\d$/.test(m.period))) : [];
  // Fiscal years: "the financial year ended 31 March 2024" makes "FY24" 2024-03 and carries the month.
  let fiscalEndMonth: number | null = null;
  for (const m of [...titleMentions, ...mentions]) {
    const p = m.period;
    if (m.governs && p && /^\d{4}-\d{2}$/.test(p) && !(m as unknown as { fiscal?: boolean }).fiscal) { fiscalEndMonth = Number(p.slice(5, 7)); break; }
  }
  const fiscalize = (m: PeriodMention) => {
    if ((m as unknown as { fiscal?: boolean }).fiscal && m.period && fiscalEndMonth && fiscalEndMonth !== 12) m.period = `${m.period}-${pad(fiscalEndMonth)}`;
  };
  mentions.forEach(fiscalize);
  titleMentions.forEach(fiscalize);
  // In an article about a fiscal year that ended in the last months ("the year to March"), "last year" is that fiscal year.
  const fiscalGov = mentions.find((m) => m.governs && m.period && /^\d{4}-\d{2}$/.test(m.period));
  if (fiscalGov?.period && fiscalEndMonth && fiscalEndMonth !== 12) {
    const ref = refDate(publishedAt);
    for (const m of mentions) {
      if (!(m as PeriodMention & { lastYear?: boolean }).lastYear || !ref || Number(fiscalGov.period.slice(0, 4)) !== ref.getUTCFullYear()) continue;
      // Only where the sentence reports performance: "a secondary sale last year" stays last calendar year.
      const sentence = sentenceAround(text, m.start);
      if (RESULTS_CONTEXT.test(sentence) || /\b(?:growth|grew|rose|up \d|increase)/i.test(sentence)) m.period = fiscalGov.period;
    }
  }
  const titleGov = titleMentions[0]?.period ?? null;
  const governing = mentions.filter((m) => m.governs && m.period);
  const named = mentions.filter((m) => m.period && m.how === 'explicit');

  const api: ReadPeriods = {
    mentions,
    fiscalEndMonth,
    governingAt(pos) {
      // A reporting-period phrase (quarter, half, fiscal year) governs first; a bare year in a results
      // sentence only when the article names no such period before that point.
      let strong: PeriodMention | null = null;
      let weak: PeriodMention | null = null;
      for (const g of governing) {
        if (g.start > pos) break;
        if ((g as PeriodMention & { weak?: boolean }).weak) weak = g;
        else strong = g;
      }
      if (strong?.period) return { period: strong.period, from: 'text' };
      if (titleGov) return { period: titleGov, from: 'title' };
      return weak?.period ? { period: weak.period, from: 'text' } : null;
    },
    lastNamedBefore(pos) {
      let best: string | null = null;
      for (const n of named) {
        if (n.start >= pos) break;
        best = n.period;
      }
      return best;
    },
    resolve(m, anchor) {
      if (m.period) return m.period;
      const x = m as PeriodMention & { sameIn?: number; fromLast?: number; endOfThatYear?: boolean; ytd?: boolean };
      if (x.fromLast != null || x.endOfThatYear) {
        const last = api.lastNamedBefore(m.start);
        if (!last) return null;
        const y = Number(last.slice(0, 4)) + (x.fromLast ?? 0);
        const month = (m as PeriodMention & { month?: number }).month;
        return x.endOfThatYear ? `${y}-12` : month ? `${y}-${pad(month)}` : String(y);
      }
      if (!anchor) return null;
      const op = (m as PeriodMention & { ofPriorYear?: string }).ofPriorYear;
      if (op) return `${Number(anchor.slice(0, 4)) - 1}-${op}`;
      if (x.sameIn != null) return shift(anchor, x.sameIn - Number(anchor.slice(0, 4)));
      if (m.same) {
        if (x.ytd) {
          const q = /^(\d{4})-Q(\d)$/.exec(anchor);
          return q ? `${q[1]}-${pad(Number(q[2]) * 3)}` : anchor.slice(0, 4);
        }
        return anchor;
      }
      if (m.shift) return shift(anchor, m.shift.years, m.shift.quarters);
      return null;
    },
  };
  return api;
}
