/**
 * How a figure reads, everywhere it is shown: the site, the briefs, RSS, the CLI. One formatter, so a
 * valuation never reads "$6.7 billion" on one page and "USD 6.7 billion" on the next. Plain text,
 * never HTML. Negative figures take a real minus sign ("−$53 million").
 */
const SCALES: [number, string][] = [
  [1e12, 'trillion'],
  [1e9, 'billion'],
  [1e6, 'million'],
];
const SYMBOL: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };
const MINUS = '−';
// One formatter for every call: toLocaleString builds a new Intl.NumberFormat each time, which was
// a tenth of a full site build (every figure on every page goes through here).
const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

function trim(n: number): string {
  return Number(n.toFixed(n >= 100 ? 0 : n >= 10 ? 1 : 2)).toString();
}

/** 45600000000 → "45.6 billion", 2340 → "2,340", -1.2e6 → "−1.2 million". */
export function formatNumber(v: number): string {
  const a = Math.abs(v);
  const sign = v < 0 ? MINUS : '';
  for (const [s, name] of SCALES) if (a >= s) return `${sign}${trim(a / s)} ${name}`;
  return `${sign}${GROUPED.format(a)}`;
}

/** A value in its unit: "$6.7 billion", "SEK 612 million", "17%", "2,000 people", "21.4 million users"; a range as "a – b". */
export function formatValue(value: number | null, unit: string | null, valueHigh?: number | null): string {
  if (value === null) return '—';
  const one = (v: number) => {
    const n = formatNumber(Math.abs(v));
    const sign = v < 0 ? MINUS : '';
    if (unit === 'percent') return `${sign}${trim(Math.abs(v))}%`;
    if (unit && /^[A-Z]{3}$/.test(unit)) return SYMBOL[unit] ? `${sign}${SYMBOL[unit]}${n}` : `${sign}${unit} ${n}`;
    return `${sign}${n}${unit ? ` ${unit}` : ''}`;
  };
  return valueHigh != null && valueHigh !== value ? `${one(value)} – ${one(valueHigh)}` : one(value);
}
