/**
 * Stable identities. A fact's id is a hash of the claim itself (company, kind, period, value…), not of
 * the article it came from: the same claim read again, or read from another outlet, gets the same id.
 */
import { createHash } from 'node:crypto';
import type { CandidateFact } from './types.ts';

export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|(?<!-)-+$/g, '')
    .slice(0, 80);
}

/** 4 significant digits: "$45.6bn" and "45,600,000,000" are one claim; float noise is not a new one. */
function sig(v: number | null | undefined): string {
  return typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : '';
}

function words(s: string | null | undefined): string {
  return (s ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .match(/[\p{L}\p{N}']+/gu)
    ?.join(' ') ?? '';
}

/** The speaker's surname stands for the speaker ("Sebastian Siemiatkowski" = "Siemiatkowski"). */
function surname(s: string | null | undefined): string {
  const w = words(s).split(' ').filter(Boolean);
  return w[w.length - 1] ?? '';
}

export function factId(companySlug: string, f: CandidateFact): string {
  const parts =
    f.kind === 'quote'
      ? [companySlug, f.kind, surname(f.speaker), words(f.quote)]
      : [companySlug, f.kind, f.asOf ?? '', sig(f.value), sig(f.valueHigh), (f.unit ?? '').toLowerCase(), f.status ?? '', f.kind === 'workforce_change' ? (f.direction ?? '') : ''];
  return createHash('sha256').update(parts.join('\u0001')).digest('hex').slice(0, 20);
}
