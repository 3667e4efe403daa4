/** Number words: "forty-five" → 45, "seven hundred" → 700, "two-thirds" → 2/3. */
const ONES: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
const DENOM: Record<string, number> = {
  half: 2, halves: 2, third: 3, thirds: 3, quarter: 4, quarters: 4, fourth: 4, fourths: 4, fifth: 5,
  fifths: 5, sixth: 6, sixths: 6, seventh: 7, sevenths: 7, eighth: 8, eighths: 8, ninth: 9, ninths: 9,
  tenth: 10, tenths: 10,
};

const UNIT_WORD = `(?:${[...Object.keys(ONES), ...Object.keys(TENS)].join('|')})`;
/** A cardinal number in words, e.g. "forty-five", "seven hundred", "two thousand five hundred". */
export const WORD_NUMBER_SRC = `(?:${UNIT_WORD}(?:[- ]${UNIT_WORD})?(?:[- ](?:hundred|thousand|million|billion)(?:(?: and)? ${UNIT_WORD}(?:[- ]${UNIT_WORD})?)?)*|a (?:hundred|thousand|dozen)|dozen|dozens|hundreds|thousands)`;
/** Fractions in words: "two-thirds", "a fifth", "half", "three quarters". */
export const WORD_FRACTION_SRC = `(?:(?:a|one|two|three|four|five|six|seven|eight|nine)[- ](?:half|third|thirds|quarter|quarters|fourth|fourths|fifth|fifths|sixth|sixths|seventh|sevenths|eighth|eighths|ninth|ninths|tenth|tenths)|half)`;

/** Parses a cardinal in words; null when not a number. "a dozen" → 12. */
export function parseWordNumber(raw: string): number | null {
  const s = raw.toLowerCase().replace(/-/g, ' ').replace(/\band\b/g, ' ').trim();
  if (s === 'dozen' || s === 'a dozen') return 12;
  if (s === 'a hundred') return 100;
  if (s === 'a thousand') return 1000;
  const tokens = s.split(/\s+/).filter(Boolean);
  if (!tokens.length) return null;
  let total = 0;
  let current = 0;
  let seen = false;
  for (const t of tokens) {
    if (t in ONES) { current += ONES[t]!; seen = true; }
    else if (t in TENS) { current += TENS[t]!; seen = true; }
    else if (t === 'hundred') { current = (current || 1) * 100; seen = true; }
    else if (t in SCALES) { total += (current || 1) * SCALES[t]!; current = 0; seen = true; }
    else return null;
  }
  return seen ? total + current : null;
}

/** Parses a fraction in words and returns it as a percentage: "two-thirds" → 66.7, "a fifth" → 20. */
export function parseWordFraction(raw: string): number | null {
  const s = raw.toLowerCase().replace(/-/g, ' ').trim();
  if (s === 'half' || s === 'a half' || s === 'one half') return 50;
  const m = /^(\w+) (\w+)$/.exec(s);
  if (!m) return null;
  const num = m[1] === 'a' ? 1 : ONES[m[1]!];
  const den = DENOM[m[2]!];
  if (num == null || den == null || num >= den) return null;
  return Math.round((num / den) * 1000) / 10;
}
