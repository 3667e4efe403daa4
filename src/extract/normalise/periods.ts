/**
 * asOf: the period a number describes, from the sentence and the article date.
 * "in 2021" → "2021"; "last year" (2025-05-14) → "2024"; "Q1"/"first quarter" → "2025-Q1";
 * "in March" → "2025-03"; "on Monday" → the date; else null.
 */
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_SRC = String.raw`(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:tember|t\.?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)`;
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const ORD: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4 };

// Comparison periods ("a year earlier", "from $47 million in 2023") describe the baseline, not the fact.
const BASELINE_RE = /\b(?:(?:compared (?:with|to)|versus|vs\.?|against|up from|down from)\b[^;]{0,60}?\b(?:(?:in|for|during|at the end of)\s+)?(?:the\s+)?(?:(?:first|second|third|fourth)\s+quarter(?:\s+of)?\s+\d{4}|Q[1-4]\s+\d{4}|(?:first|second)\s+half(?:\s+of)?\s+\d{4})|(?:a|one) year (?:earlier|ago|before)|the (?:same|year-earlier|prior-year|previous) (?:period|quarter)(?: (?:a|last) year)?|(?:compared|versus|vs\.?|against|from|since|up from|down from|than)\s+(?:(?:about|around|nearly|roughly)\s+)?(?:US)?[$€£]?[\d.,]+\s*(?:[a-z%]+\s+){0,3}(?:(?:in|at the end of|during)\s+)?(?:(?:the\s+)?(?:first|second|third|fourth)\s+quarter\s+(?:of\s+)?|Q[1-4]\s+|(?:fiscal\s+|FY\s?))?(?:\d{4}|last year)|(?:peak|high|low)\s+(?:of\s+)?[^,;]{0,40}?\bin\s+\w+\s+\d{4})/gi;

const DATE_FULL_RE = new RegExp(String.raw`\b(?:(?<m1>${MONTH_SRC})\s+(?<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<y1>(?:19|20)\d{2})|(?<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?<m2>${MONTH_SRC})\s+(?<y2>(?:19|20)\d{2}))\b`);
const QUARTER_RE = /\b(?:Q(?<q1>[1-4])(?:\s*(?:of\s+)?(?:FY\s?|fiscal\s+)?'?(?<y1>(?:19|20)?\d{2}))?|(?<q2>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter(?:\s+(?:of\s+)?(?:fiscal\s+)?(?<y2>(?:19|20)\d{2}))?|(?<y3>(?:19|20)\d{2})\s+(?<q3>first|second|third|fourth)[- ]quarter)\b/i;
const HALF_RE = /\b(?:(?<h1>first|second)[- ]half(?:\s+of)?(?:\s+(?<y1>(?:19|20)\d{2}))?|H(?<h2>[12])\s*(?<y2>(?:19|20)\d{2})?)\b/i;
const MONTH_YEAR_RE = new RegExp(String.raw`\b(?:in|during|by|since|as of|at the end of|end of|through|until|for|of)?\s*(?<m>${MONTH_SRC})(?:\s+(?<y>(?:19|20)\d{2}))?\b`);
const MONTHS_TO_RE = new RegExp(String.raw`\b(?:(?<span>three|3|six|6|nine|9|twelve|12) months|(?:financial |fiscal )?year|(?<from>${MONTH_SRC}\s+to)) (?:to|ended|ending|through|until)?\s*(?<m>${MONTH_SRC})(?:\s+\d{1,2})?(?:,?\s+(?<y>(?:19|20)\d{2}))?(?:\s+period)?\b`);
const END_OF_YEAR_RE = /\b(?:at the )?end of (?<y>(?:19|20)\d{2})\b/;
const DAY_RE = /\b(?:on|last|this)\s+(?<d>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/;
const REL_RE = /\b(?<w>last year|this year|next year|the previous year|the prior year|a year ago|last month|this month|yesterday|today|earlier this year|so far this year|year to date|year-to-date|now|currently|to date)\b/i;
const YEAR_RE = /\b(?:in|during|for|by|since|of|fiscal|FY|as of|end of|through)?\s*(?<y>(?:19|20)\d{2})\b(?![,.]\d|\s*(?:%|percent|employees|staff|people|jobs|users|customers))/;

function monthIndex(raw: string): number {
  const k = raw.toLowerCase().replace('.', '').slice(0, 3);
  return MONTHS.findIndex((m) => m.startsWith(k));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The article's reference date, or null. */
export function refDate(publishedAt: string | null | undefined): Date | null {
  if (!publishedAt) return null;
  const d = new Date(publishedAt);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Resolves the period of a sentence. `publishedAt` is ISO-8601 or null. */
export function resolveAsOf(sentence: string, publishedAt: string | null | undefined): string | null {
  const ref = refDate(publishedAt);
  const refYear = ref ? ref.getUTCFullYear() : null;
  const refMonth = ref ? ref.getUTCMonth() : null;
  const s = sentence.replace(BASELINE_RE, (m) => ' '.repeat(m.length));

  let m = MONTHS_TO_RE.exec(s);
  if (m?.groups) {
    const mi = monthIndex(m.groups.m!);
    let y = m.groups.y ? Number(m.groups.y) : refYear;
    if (y != null && mi >= 0) {
      if (!m.groups.y && refMonth != null && mi > refMonth) y -= 1;
      if (/^(?:three|3)/i.test(m.groups.span ?? '') || /to\s*$/.test(m.groups.from ?? '')) return `${y}-Q${Math.floor(mi / 3) + 1}`;
      if (/^(?:six|6)/i.test(m.groups.span ?? '') && (mi === 5 || mi === 11)) return `${y}-H${mi === 5 ? 1 : 2}`;
      return `${y}-${pad(mi + 1)}`;
    }
  }
  m = END_OF_YEAR_RE.exec(s);
  if (m?.groups) return `${m.groups.y}-12`;
  m = DATE_FULL_RE.exec(s);
  if (m?.groups) {
    const g = m.groups;
    const mi = monthIndex((g.m1 ?? g.m2)!);
    const d = Number(g.d1 ?? g.d2);
    const y = Number(g.y1 ?? g.y2);
    if (mi >= 0 && d >= 1 && d <= 31) return `${y}-${pad(mi + 1)}-${pad(d)}`;
  }
  m = QUARTER_RE.exec(s);
  if (m?.groups) {
    const g = m.groups;
    const q = g.q1 ? Number(g.q1) : ORD[(g.q2 ?? g.q3 ?? '').toLowerCase()];
    let y: number | null = g.y1 ? Number(g.y1.length === 2 ? `20${g.y1}` : g.y1) : g.y2 ? Number(g.y2) : g.y3 ? Number(g.y3) : null;
    if (y == null) {
      const yy = /\b(?:of|in)\s+((?:19|20)\d{2})\b/.exec(s.slice(m.index + m[0].length, m.index + m[0].length + 12));
      if (yy) y = Number(yy[1]);
      else if (refYear != null && refMonth != null) {
        y = refYear;
        // A quarter that has not started yet at publication is last year's ("Q4" in a May article).
        if ((q! - 1) * 3 > refMonth && !/\b(?:expects?|forecast|guidance|will|next)\b/i.test(s)) y -= 1;
        if (/\blast year\b/i.test(s)) y = refYear - 1;
      }
    }
    if (q && y) return `${y}-Q${q}`;
  }
  m = HALF_RE.exec(s);
  if (m?.groups) {
    const g = m.groups;
    const h = g.h1 ? (g.h1.toLowerCase() === 'first' ? 1 : 2) : Number(g.h2);
    let y: number | null = g.y1 ? Number(g.y1) : g.y2 ? Number(g.y2) : null;
    if (y == null) {
      const yy = /\b((?:19|20)\d{2})\b/.exec(s);
      y = yy ? Number(yy[1]) : refYear != null && refMonth != null ? (h === 2 && refMonth < 6 ? refYear - 1 : refYear) : null;
    }
    if (y) return `${y}-H${h}`;
  }
  m = MONTH_YEAR_RE.exec(s);
  while (m?.groups) {
    const g = m.groups;
    const mi = monthIndex(g.m!);
    // "May" is also a verb: only accept it with a year or a preposition.
    const hasPrep = /^(?:in|during|by|since|as of|at the end of|end of|through|until|for|of)\s/i.test(m[0].trimStart());
    if (mi >= 0 && (g.y || hasPrep) && !(g.m === 'May' && !g.y && !/^(?:in|since|by|until|of|through)\s/i.test(m[0].trimStart()))) {
      if (g.y) return `${g.y}-${pad(mi + 1)}`;
      if (refYear != null && refMonth != null) return `${mi > refMonth ? refYear - 1 : refYear}-${pad(mi + 1)}`;
      return null;
    }
    const rest = s.slice(m.index + m[0].length);
    const next = MONTH_YEAR_RE.exec(rest);
    if (!next) break;
    next.index += m.index + m[0].length;
    m = next;
  }
  m = REL_RE.exec(s);
  if (m?.groups && ref && refYear != null && refMonth != null) {
    const w = m.groups.w!.toLowerCase();
    if (w === 'last year' || w === 'the previous year' || w === 'the prior year' || w === 'a year ago') return String(refYear - 1);
    if (w === 'next year') return String(refYear + 1);
    if (w === 'this year' || w === 'earlier this year' || w === 'so far this year' || w.startsWith('year')) return String(refYear);
    if (w === 'last month') return refMonth === 0 ? `${refYear - 1}-12` : `${refYear}-${pad(refMonth)}`;
    if (w === 'this month') return `${refYear}-${pad(refMonth + 1)}`;
    if (w === 'today' || w === 'now' || w === 'currently' || w === 'to date') return ref.toISOString().slice(0, 10);
    if (w === 'yesterday') return new Date(ref.getTime() - 864e5).toISOString().slice(0, 10);
  }
  m = YEAR_RE.exec(s);
  if (m?.groups) return m.groups.y!;
  m = DAY_RE.exec(s);
  if (m?.groups && ref) {
    const target = DAYS.indexOf(m.groups.d!.toLowerCase());
    const back = (ref.getUTCDay() - target + 7) % 7;
    return new Date(ref.getTime() - back * 864e5).toISOString().slice(0, 7);
  }
  if (ref && /\b(?:last|past|the past) week\b/i.test(s)) return new Date(ref.getTime() - 7 * 864e5).toISOString().slice(0, 7);
  if (ref && /\bthis week\b/i.test(s)) return ref.toISOString().slice(0, 7);
  return null;
}

/** Shifts a period back by `years`: "2025-Q1" → "2024-Q1", "2025" → "2024". */
export function shiftPeriod(asOf: string | null, years: number): string | null {
  if (!asOf) return null;
  const m = /^(\d{4})(.*)$/.exec(asOf);
  if (!m) return null;
  return `${Number(m[1]) - years}${m[2]}`;
}
