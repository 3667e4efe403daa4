/**
 * Every number mention in a string, normalised: "$45.6 billion" → 45600000000 USD, "17%" → 17 percent,
 * "two-thirds" → 66.7 percent, "700" → 700 (unit null). The pipeline uses it to check that a fact's value
 * appears in its evidence; the rules use it to find candidate values.
 */
import { currencyCode, scaleOf } from './money.ts';
import { WORD_FRACTION_SRC, WORD_NUMBER_SRC, parseWordFraction, parseWordNumber } from './words.ts';

export interface NumberMention {
  value: number;
  unit: string | null;
  start: number;
  end: number;
  raw: string;
}

const CUR_PREFIX =
  String.raw`(?<cur1>(?:US\$|U\.S\.\s?\$|A\$|AU\$|C\$|CA\$|NZ\$|HK\$|S\$|R\$|\$|€|£|¥|₹)\s?|\b(?:USD|EUR|GBP|SEK|NOK|DKK|CHF|JPY|INR|AUD|CAD|BRL|SGD|HKD|CNY|PLN|ISK)\s?)`;
const NUM = String.raw`(?<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)`;
const SCALE = String.raw`(?:\s?(?<scale>[Tt]rillion|[Bb]illion|[Mm]illion|[Tt]housand|bn|mn|mln|tn|Bn|BN|MN)\b|(?<scale2>[mMbBkK])\b)`;
const CUR_SUFFIX = String.raw`(?:\s?(?<cur2>USD|EUR|GBP|SEK|NOK|DKK|CHF|(?:(?:Swedish|Norwegian|Danish|US|U\.S\.|Australian|Canadian|Singapore|Hong Kong|New Zealand|Swiss) )?(?:kronor|krona|kroner|euros?|dollars|pounds|crowns|francs|reais|yen|rupees)|kr)\b)`;
const PERCENT = String.raw`(?<pct>\s?(?:%|percent\b|per cent\b|percentage points?\b|pp\b))`;

const DIGIT_RE = new RegExp(
  String.raw`(?:${CUR_PREFIX})?(?<![\w.,])${NUM}(?![\w,]\d)(?:${SCALE})?(?:${PERCENT}|${CUR_SUFFIX})?`,
  'g',
);
const WORD_RE = new RegExp(
  String.raw`(?<![\w-])(?:(?<frac>${WORD_FRACTION_SRC})|(?<word>${WORD_NUMBER_SRC})(?:\s(?<wscale>million|billion))?(?<wpct>\s(?:percent|per cent)\b)?)(?![\w-])`,
  'gi',
);

const HYPHEN_MONEY_RE = /(?<![\w.,])(?<num>\d+(?:\.\d+)?)-(?<scale>billion|million|thousand|trillion)-(?<cur>pound|dollar|euro|krona|franc|yen|rupee)\b/gi;

const USD_WORDS: Record<string, string> = {
  australiandollars: 'AUD', canadiandollars: 'CAD', singaporedollars: 'SGD', hongkongdollars: 'HKD',
  newzealanddollars: 'NZD', swissfrancs: 'CHF', francs: 'CHF', crowns: 'SEK', kr: 'SEK',
  norwegiankroner: 'NOK', danishkroner: 'DKK', kroner: 'NOK', swedishkrona: 'SEK',
};

function suffixCode(raw: string): string | null {
  const k = raw.replace(/[\s.]+/g, '').toLowerCase();
  return USD_WORDS[k] ?? currencyCode(raw.replace(/^(?:US|U\.S\.|Swedish) /, (m) => (m.startsWith('Swed') ? 'Swedish' : 'US')));
}

function roundValue(v: number): number {
  if (Math.abs(v) >= 1000) return Math.round(v);
  return Math.round(v * 1e6) / 1e6;
}

export function numbersIn(text: string): NumberMention[] {
  const out: NumberMention[] = [];
  DIGIT_RE.lastIndex = 0;
  for (let m = DIGIT_RE.exec(text); m; m = DIGIT_RE.exec(text)) {
    const g = m.groups!;
    let raw = m[0];
    let start = m.index;
    // Trim a trailing space captured by optional groups.
    while (raw.endsWith(' ')) raw = raw.slice(0, -1);
    const base = Number(g.num!.replace(/,/g, ''));
    if (!Number.isFinite(base)) continue;
    const scaleRaw = g.scale ?? g.scale2 ?? null;
    // A bare "m"/"b"/"k" without a currency is ambiguous ("5m" users is fine, "100m" race is not) — keep it.
    const scale = scaleOf(scaleRaw);
    let unit: string | null = null;
    if (g.cur1) unit = currencyCode(g.cur1.trim());
    else if (g.cur2) unit = suffixCode(g.cur2.trim());
    if (g.pct) unit = unit ?? 'percent';
    if (g.pct && g.cur1) unit = 'percent';
    out.push({ value: roundValue(base * scale), unit, start, end: start + raw.length, raw });
  }
  // Hyphenated amounts used as adjectives: "a 4-billion-pound valuation", "a $2-billion round" is already a digit mention.
  HYPHEN_MONEY_RE.lastIndex = 0;
  for (let m = HYPHEN_MONEY_RE.exec(text); m; m = HYPHEN_MONEY_RE.exec(text)) {
    const g = m.groups!;
    const unit = suffixCode(`${g.cur!}s`) ?? suffixCode(g.cur!);
    if (!unit) continue;
    const start = m.index;
    const i = out.findIndex((n) => n.start === start);
    const mention = { value: roundValue(Number(g.num) * scaleOf(g.scale)), unit, start, end: start + m[0].length, raw: m[0] };
    if (i >= 0) out[i] = mention;
    else if (!overlaps(out, start, mention.end)) out.push(mention);
  }
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m; m = WORD_RE.exec(text)) {
    const g = m.groups!;
    const start = m.index;
    const raw = m[0];
    if (g.frac) {
      const v = parseWordFraction(g.frac);
      if (v == null) continue;
      if (/^half$/i.test(g.frac) && (/(?:first|second|latter|back|front|one|and a|than|by)\s$/i.test(text.slice(Math.max(0, start - 8), start)) || /^[- ](?:year|hour|day|time|point|decade)/i.test(text.slice(start + 4, start + 12)))) continue;
      out.push({ value: v, unit: 'percent', start, end: start + raw.length, raw });
      continue;
    }
    const lw = g.word!.toLowerCase();
    let v: number | null;
    if (lw === 'dozens' || lw === 'hundreds' || lw === 'thousands') continue;
    v = parseWordNumber(g.word!);
    if (v == null) continue;
    if (g.wscale) v *= scaleOf(g.wscale);
    // "$1.2 billion" is already a digit mention; "billion" alone is not a word number.
    if (overlaps(out, start, start + raw.length)) continue;
    out.push({ value: v, unit: g.wpct ? 'percent' : null, start, end: start + raw.length, raw });
  }
  out.sort((a, b) => a.start - b.start);
  return out;
}

function overlaps(list: NumberMention[], s: number, e: number): boolean {
  for (const n of list) if (n.start < e && s < n.end) return true;
  return false;
}

/** True when `value` appears among the mentions of `text` (exact, or within 0.5% for rounded scales). */
export function valueAppearsIn(value: number, text: string): boolean {
  const abs = Math.abs(value);
  return numbersIn(text).some((n) => n.value === abs || (abs > 0 && Math.abs(n.value - abs) / abs < 0.005));
}
