/**
 * The article's reference date, or null. Period phrases themselves are read article by article in
 * src/extract/reading/periods.ts: the sentence-level resolver that lived here could not know the
 * governing period, and is gone.
 */
export function refDate(publishedAt: string | null | undefined): Date | null {
  if (!publishedAt) return null;
  const d = new Date(publishedAt);
  return Number.isNaN(d.getTime()) ? null : d;
}
