/**
 * Company slugs become routes (/companies/<slug>/) and file names (exports/companies/<slug>.json):
 * every name must give a non-empty, URL-safe, stable slug, and the Latin names people already have
 * pages for must keep the slugs they had.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { slugify } from '../../../src/extract/identity.ts';

const ROUTE_SAFE = /^[a-z0-9][a-z0-9-]*$/;

/** The slug function as it was before transliteration: the reference for Latin names. */
function legacySlugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

describe('slugify', () => {
  it('keeps every Latin slug it made before (registry names and aliases, accented names)', () => {
    const registry = JSON.parse(readFileSync('content/companies.json', 'utf8')) as { slug: string; name: string; aliases: string[] }[];
    const names = [
      ...registry.flatMap((c) => [c.name, ...c.aliases]),
      'Société Générale', 'Banco Santander', 'Crédit Agricole', 'Nordea Bank Abp', 'Lunar & Co', 'N26', 'Ålandsbanken',
      'Zürcher Kantonalbank', 'Caixa Econômica', 'Bankinter S.A.', 'Przelew24', '  Trailing  Spaces  ', 'BBVA/Openbank',
    ];
    for (const n of names) expect(slugify(n), n).toBe(legacySlugify(n));
    // The registry's own slugs are what its names slug to (so text-found spellings meet the same page).
    for (const c of registry) expect(ROUTE_SAFE.test(slugify(c.name)), c.name).toBe(true);
  });

  it.each([
    ['Сбербанк', 'sberbank'],
    ['Тинькофф Банк', 'tinkoff-bank'],
    ['Τράπεζα Πειραιώς', 'trapeza-peiraios'],
    ['招商银行', 'zhao-shang-yin-xing'],
    ['楽天', 'le-tian'],
    ['카카오뱅크', 'kakaobaengkeu'],
    ['مصرف الراجحي', 'msrf-lrjhy'],
    ['Straße Bank', 'strasse-bank'],
    ['Ørsted & Øre', 'orsted-and-ore'],
  ])('transliterates %s → %s', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('gives names with nothing to transliterate a stable, distinct, route-safe slug', () => {
    const names = ['🚀💸', '🦄', '💳', '   ', '', '!!!', '①②'.replace(/./gu, '♥')];
    const slugs = names.map(slugify);
    for (const [i, s] of slugs.entries()) {
      expect(s, JSON.stringify(names[i])).toMatch(ROUTE_SAFE);
      expect(s).toMatch(/^company-[0-9a-f]{12}$/);
      expect(slugify(names[i]!)).toBe(s); // stable
    }
    // Distinct names, distinct pages (blank and empty are the same name).
    expect(new Set(slugs).size).toBe(names.length - 1);
    expect(slugify('   ')).toBe(slugify(''));
    // The hash is of the NFC form: the same name typed decomposed is the same company.
    expect(slugify('\u{1F680}e\u0301'.normalize('NFD'))).toBe(slugify('\u{1F680}é'));
  });

  it('never returns an empty or unsafe slug, whatever the script', () => {
    const names = ['Сбербанк', 'Alpha Bank Ελλάς', '蚂蚁集团', 'بنك', '🏦', 'ไทยพาณิชย์', 'עברית', 'हिन्दी बैंक', '-', '&', 'x'.repeat(500), 'Ж'.repeat(500)];
    for (const n of names) {
      const s = slugify(n);
      expect(s, n.slice(0, 20)).toMatch(ROUTE_SAFE);
      expect(s.length).toBeLessThanOrEqual(80);
    }
  });
});
