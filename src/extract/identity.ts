/**
 * Stable identities. A fact's id is a hash of the claim itself (company, kind, period, value…), not of
 * the article it came from: the same claim read again, or read from another outlet, gets the same id.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { CandidateFact } from './types.ts';

/**
 * A URL-safe slug for any company name, never empty: a route or a file name is made from it.
 *
 * Latin names keep the slugs they always had (accents dropped via NFKD, so "Société Générale" →
 * "societe-generale"): the ASCII that step leaves is never touched. Whatever is still not ASCII
 * (Cyrillic, Greek, CJK, Arabic, ß, ø…) goes through the `transliteration` library, run by run, so
 * "Сбербанк" → "sberbank" and "招商银行" → "zhao-shang-yin-xing". A name with nothing to transliterate
 * (emoji only, symbols only, blank) gets a stable hash of its NFC form instead of the empty slug that
 * used to break `getStaticPaths` with "Missing parameter: slug".
 */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x00-\x7f]+/g, (run) => transliterate(run.normalize('NFC')))
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|(?<!-)-+$/g, '')
    .slice(0, 80);
  return slug || fallbackSlug(name);
}

/** "company-" + 12 hex of the NFC name: the same name always lands on the same page. */
function fallbackSlug(name: string): string {
  return `company-${createHash('sha256').update(name.normalize('NFC').trim()).digest('hex').slice(0, 12)}`;
}

/**
 * Loaded on first use: its tables cost ~75 ms and ~10 MB, and most runs only ever slug Latin names.
 * (CommonJS entry, so a plain synchronous require works here.)
 */
let transliterateFn: ((s: string) => string) | null = null;
function transliterate(s: string): string {
  transliterateFn ??= (createRequire(import.meta.url)('transliteration') as typeof import('transliteration')).transliterate;
  return transliterateFn(s);
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
