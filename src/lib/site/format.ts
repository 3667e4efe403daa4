/** Pure display helpers: numbers as people read them. Output is plain text, never HTML. */
// Figures are formatted by the facts vocabulary, the same for every page, brief and feed.
export { formatNumber, formatValue } from '../../shared/facts/format.ts';

export function formatAsOf(asOf: string | null): string {
  return asOf ?? 'date unknown';
}

export function formatDate(iso: string | null): string {
  if (!iso) return '—';
  return iso.slice(0, 10);
}

export function kindLabel(kind: string): string {
  return kind.replace(/_/g, ' ');
}
