/**
 * Counts: "700 employees" → 700, "around 3,000" → 3000 (approximate), "2,000 to 2,500" → 2000..2500,
 * "more than 5,000" → 5000 (approximate), "a fifth" → 20 percent, "forty-five" → 45.
 */
import { numbersIn, type NumberMention } from './numbers.ts';

export interface Count {
  value: number;
  valueHigh: number | null;
  unit: string | null;
  approximate: boolean;
  start: number;
  end: number;
}

const APPROX_BEFORE =
  /\b(?:about|around|roughly|nearly|almost|approximately|approx\.?|some|more than|over|upwards of|close to|at least|just under|just over|under|less than|fewer than|up to|an estimated|estimated|circa|c\.|an? additional|as many as|as much as|north of|~)\s*(?:US)?[$€£]?$/i;

/** Whether the words just before `start` mark the number as approximate. */
export function isApproximate(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 24), start);
  return APPROX_BEFORE.test(before);
}

const RANGE_SEP = /^\s*(?:to|-|–|—|and)\s*$/;

/**
 * Given mentions of a string and the index of one, returns the range end if the mention starts a range
 * ("2,000 to 2,500", "between 2,000 and 2,500", "$1bn-$2bn"), else null. "from X to Y" is a change, not a range.
 */
export function rangeHigh(text: string, mentions: NumberMention[], i: number): NumberMention | null {
  const a = mentions[i];
  const b = mentions[i + 1];
  if (!a || !b) return null;
  const gap = text.slice(a.end, b.start);
  if (!RANGE_SEP.test(gap)) return null;
  const before = text.slice(Math.max(0, a.start - 12), a.start);
  if (/\bfrom\s*$/i.test(before)) return null;
  if (/\band\b/i.test(gap) && !/\bbetween\s*$/i.test(before)) return null;
  if (b.value <= a.value && !(b.unit === a.unit && b.value * 1000 > a.value)) return null;
  // "$1 to $2bn": the low end borrows the scale of the high end.
  if (a.unit !== b.unit && a.unit !== null && b.unit !== null) return null;
  return b;
}

/** Parses the first count in a string. */
export function parseCount(raw: string): Count | null {
  const ms = numbersIn(raw);
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    if (m.unit && m.unit !== 'percent' && m.unit !== null) continue;
    const hi = rangeHigh(raw, ms, i);
    let value = m.value;
    if (hi && hi.value >= 1000 && value < 1000 && !/[,.]\d{3}/.test(m.raw) && scaleLess(m.raw)) {
      // "2 to 3 million": the low end takes the high end's scale.
      const scale = inferScale(hi.raw);
      value = value * scale;
    }
    return {
      value,
      valueHigh: hi ? hi.value : null,
      unit: m.unit,
      approximate: isApproximate(raw, m.start),
      start: m.start,
      end: hi ? hi.end : m.end,
    };
  }
  return null;
}

function scaleLess(raw: string): boolean {
  return !/(?:illion|bn|mn|[mbk]\b|thousand)/i.test(raw);
}
function inferScale(raw: string): number {
  if (/trillion|tn/i.test(raw)) return 1e12;
  if (/billion|bn|\db\b/i.test(raw)) return 1e9;
  if (/million|mn|\dm\b/i.test(raw)) return 1e6;
  if (/thousand|\dk\b/i.test(raw)) return 1e3;
  return 1;
}
export { inferScale, scaleLess };
