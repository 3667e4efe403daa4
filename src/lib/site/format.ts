/** Pure display helpers: numbers as people read them. Output is plain text, never HTML. */
const SCALES: [number, string][] = [
  [1e12, 'trillion'],
  [1e9, 'billion'],
  [1e6, 'million'],
];

function trim(n: number): string {
  return Number(n.toFixed(n >= 100 ? 0 : n >= 10 ? 1 : 2)).toString();
}

export function formatNumber(v: number): string {
  const a = Math.abs(v);
  for (const [s, name] of SCALES) if (a >= s) return `${v < 0 ? '-' : ''}${trim(a / s)} ${name}`;
  return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export function formatValue(value: number | null, unit: string | null, valueHigh?: number | null): string {
  if (value === null) return '—';
  const one = (v: number) => {
    if (unit === 'percent') return `${trim(v)}%`;
    if (unit === 'people') return `${formatNumber(v)} people`;
    if (unit === 'users') return `${formatNumber(v)} users`;
    if (unit && /^[A-Z]{3}$/.test(unit)) return `${unit} ${formatNumber(v)}`;
    return unit ? `${formatNumber(v)} ${unit}` : formatNumber(v);
  };
  return valueHigh != null && valueHigh !== value ? `${one(value)} – ${one(valueHigh)}` : one(value);
}

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
