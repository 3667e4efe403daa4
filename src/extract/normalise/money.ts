/** Money normalisation: "$45.6 billion" → { value: 45600000000, unit: "USD" }. */
import { numbersIn } from './numbers.ts';

export interface Money {
  value: number;
  unit: string;
}

/** Maps a currency symbol / code / word to ISO-4217. */
export function currencyCode(raw: string): string | null {
  const s = raw.replace(/\s+/g, '').replace(/\.$/, '');
  const lower = s.toLowerCase();
  if (/^(us\$|u\.s\.\$|\$|usd|dollars?|usdollars?)$/.test(lower)) return 'USD';
  if (/^(a\$|au\$|aud)$/.test(lower)) return 'AUD';
  if (/^(c\$|ca\$|cad)$/.test(lower)) return 'CAD';
  if (/^(nz\$|nzd)$/.test(lower)) return 'NZD';
  if (/^(hk\$|hkd)$/.test(lower)) return 'HKD';
  if (/^(s\$|sgd)$/.test(lower)) return 'SGD';
  if (/^(r\$|brl|reais|reals?)$/.test(lower)) return 'BRL';
  if (/^(€|eur|euros?)$/.test(lower)) return 'EUR';
  if (/^(£|gbp|pounds?|sterling)$/.test(lower)) return 'GBP';
  if (/^(¥|jpy|yen)$/.test(lower)) return 'JPY';
  if (/^(₹|inr|rupees?)$/.test(lower)) return 'INR';
  if (/^(sek|kronor|krona|swedishkronor|swedishcrowns)$/.test(lower)) return 'SEK';
  if (/^(nok|norwegiankroner)$/.test(lower)) return 'NOK';
  if (/^(dkk|danishkroner)$/.test(lower)) return 'DKK';
  if (/^(chf|swissfrancs?)$/.test(lower)) return 'CHF';
  if (/^[A-Z]{3}$/.test(s)) return s;
  return null;
}

/** Scale words/suffixes → multiplier. */
export function scaleOf(raw: string | undefined | null): number {
  if (!raw) return 1;
  const s = raw.trim().toLowerCase();
  if (s === 'trillion' || s === 'tn' || s === 'tr') return 1e12;
  if (s === 'billion' || s === 'bn' || s === 'b' || s === 'bln') return 1e9;
  if (s === 'million' || s === 'mn' || s === 'm' || s === 'mln' || s === 'mm') return 1e6;
  if (s === 'thousand' || s === 'k') return 1e3;
  return 1;
}

/** Parses the first money amount in a string, or null. "SEK 2.3 billion" → { 2300000000, "SEK" }. */
export function parseMoney(raw: string): Money | null {
  for (const n of numbersIn(raw)) {
    if (n.unit && /^[A-Z]{3}$/.test(n.unit)) return { value: n.value, unit: n.unit };
  }
  return null;
}
