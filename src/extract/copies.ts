/**
 * A copy is a source, never a new fact. A reprint or near-identical copy (articles.copyOfId) reads
 * the same claims as its original, but its own publication day can date them differently ("is
 * doing the work of 700 agents" read on the 27th and on the 28th). Each of the copy's readings
 * attaches to the original's fact for the same claim — same company, kind, value, unit, status
 * and direction, quote by speaker and words — as a non-independent source; a reading the original
 * does not support creates nothing.
 */
/** What a reading must say to be matched: the claim, not where it was read (a grounded fact or a stored one). */
export interface Claim {
  companySlug: string;
  kind: string;
  value: number | null;
  valueHigh?: number | null;
  unit: string | null;
  status: string | null;
  direction: string | null;
  label: string | null;
  speaker: string | null;
  quote: string | null;
}

export interface OriginalFact {
  id: string;
  companySlug: string;
  kind: string;
  value: number | null;
  valueHigh: number | null;
  unit: string | null;
  status: string | null;
  direction: string | null;
  label: string | null;
  speaker: string | null;
  quote: string | null;
}

const words = (s: string | null | undefined) => (s ?? '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
const surname = (s: string | null | undefined) => words(s).split(' ').at(-1) ?? '';
const near = (a: number | null, b: number | null) => a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b)));

/**
 * The original's fact that a copy's reading repeats, or null (then the reading is dropped).
 *
 * The claim's id decides first: a fact's label and wording are those of whichever source was read
 * first — often another outlet ("profit improvement" against the original's "profit improvement
 * forecast") — so comparing them alone would drop or keep a copy's source depending on the order the
 * articles happened to be read in. Only a reading whose id the original does not have (the copy dates
 * it by its own day) is matched on its fields.
 */
export function originalFor<O extends OriginalFact>(reading: Claim & { id?: string }, originals: readonly O[]): O | null {
  const same = reading.id === undefined ? undefined : originals.find((o) => o.id === reading.id);
  if (same) return same;
  return (
    originals.find((o) => {
      if (o.companySlug !== reading.companySlug || o.kind !== reading.kind) return false;
      if (o.kind === 'quote') return surname(o.speaker) === surname(reading.speaker) && (words(o.quote).includes(words(reading.quote)) || words(reading.quote).includes(words(o.quote)));
      return near(o.value, reading.value) && near(o.valueHigh, reading.valueHigh ?? null) && (o.unit ?? '').toLowerCase() === (reading.unit ?? '').toLowerCase() && (o.status ?? '') === (reading.status ?? '') && (o.kind !== 'workforce_change' || (o.direction ?? '') === (reading.direction ?? '')) && (o.kind !== 'metric' || (o.label ?? '') === (reading.label ?? ''));
    }) ?? null
  );
}
