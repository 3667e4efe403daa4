/** Percent normalisation: "17%" → 17, "17 per cent" → 17, "two-thirds" → 66.7. */
import { numbersIn } from './numbers.ts';

export function parsePercent(raw: string): number | null {
  const n = numbersIn(raw).find((x) => x.unit === 'percent');
  return n ? n.value : null;
}
