/**
 * Routes stay thin: a page or component reads data and logic only through src/lib/site (plus the
 * layouts, components, styles and browser scripts it renders with, and Astro's own types), never the
 * database, the scrapers, the extractors, the exporters or the shared fact rules directly. The API
 * routes under src/pages/api may also call src/lib/api, which is their layer. Logic that sneaks into a
 * page cannot be unit-tested and drifts from the copy the CLI and the API use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SCANNED = ['src/pages', 'src/components'];

/** Where a page may import from (repository-relative directories). */
const ALLOWED_DIRS = ['src/lib/site', 'src/layouts', 'src/components', 'src/styles', 'src/scripts', 'src/pages'];
/** Packages a page may import: Astro's types and runtime. */
const ALLOWED_PACKAGES = ['astro', 'astro:content', 'astro:assets'];

/**
 * Files that still break the rule, each with who removes it. Keep this list empty: an entry whose file
 * no longer breaks the rule fails the test below, so it cannot outlive the fix.
 */
const KNOWN_VIOLATIONS: Record<string, string> = {
};

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(astro|ts|tsx|js|mjs)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Every module specifier in a file: static and side-effect imports, re-exports and dynamic import(). */
export function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]*?\s*from\s*)?['"]([^'"\n]+)['"]/g)) out.push(m[1]!);
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

/** Why `spec`, imported by the repository file `file`, breaks the rule; null when it does not. */
export function violation(file: string, spec: string): string | null {
  if (!spec.startsWith('.') && !spec.startsWith('/')) {
    const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
    return ALLOWED_PACKAGES.includes(spec) || ALLOWED_PACKAGES.includes(pkg) ? null : `imports the package ${spec}`;
  }
  const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)).split(path.sep).join('/');
  const isApiRoute = file.split(path.sep).join('/').startsWith('src/pages/api/');
  const dirs = isApiRoute ? [...ALLOWED_DIRS, 'src/lib/api'] : ALLOWED_DIRS;
  return dirs.some((d) => target === d || target.startsWith(`${d}/`)) ? null : `imports ${target}`;
}

function violationsOf(file: string): string[] {
  return specifiers(readFileSync(path.join(ROOT, file), 'utf8'))
    .map((s) => violation(file, s))
    .filter((v): v is string => v !== null);
}

describe('routes stay thin', () => {
  const files = SCANNED.flatMap(filesUnder);

  it('scans the pages and components', () => {
    expect(files).toContain('src/pages/index.astro');
    expect(files).toContain('src/pages/sitemap.xml.ts');
    expect(files).toContain('src/pages/api/search.ts');
    expect(files.length).toBeGreaterThan(10);
  });

  it('no page or component imports db/, scrapers/, src/extract, src/export or src/shared', () => {
    const found = files.filter((f) => !(f in KNOWN_VIOLATIONS)).flatMap((f) => violationsOf(f).map((v) => `${f} ${v}`));
    expect(found).toEqual([]);
  });

  it('every allow-listed file still breaks the rule (remove its entry once it is fixed)', () => {
    for (const f of Object.keys(KNOWN_VIOLATIONS)) expect(violationsOf(f), f).not.toEqual([]);
  });

  it('recognises the imports it must refuse (the check can fail)', () => {
    const page = 'src/pages/companies/index.astro';
    expect(specifiers(`import { x } from '../../../db/schema.ts';\nimport '../../scripts/a.ts';\nconst m = await import('../../export/facts.ts');\nexport { y } from "../../shared/facts/latest.ts";\nimport type { Z } from '../../extract/index.ts';`)).toEqual([
      '../../../db/schema.ts',
      '../../scripts/a.ts',
      '../../shared/facts/latest.ts',
      '../../extract/index.ts',
      '../../export/facts.ts',
    ]);
    expect(violation(page, '../../../db/schema.ts')).toBe('imports db/schema.ts');
    expect(violation(page, '../../../scrapers/run.ts')).toBe('imports scrapers/run.ts');
    expect(violation(page, '../../extract/rules.ts')).toBe('imports src/extract/rules.ts');
    expect(violation(page, '../../export/facts.ts')).toBe('imports src/export/facts.ts');
    expect(violation(page, '../../shared/facts/latest.ts')).toBe('imports src/shared/facts/latest.ts');
    expect(violation(page, 'drizzle-orm')).toBe('imports the package drizzle-orm');
    expect(violation(page, '../../lib/api/handlers.ts')).toBe('imports src/lib/api/handlers.ts');
    expect(violation('src/pages/api/search.ts', '../../lib/api/handlers.ts')).toBeNull();
    expect(violation(page, '../../lib/site/queries.ts')).toBeNull();
    expect(violation(page, '../../layouts/Base.astro')).toBeNull();
    expect(violation(page, 'astro')).toBeNull();
  });
});
