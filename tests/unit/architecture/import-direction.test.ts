/**
 * Data flows one way (../shared/design/architecture.md): collect (scrapers/) → store (db/) → extract
 * (src/extract/) → serve (src/export, src/lib/site, src/lib/api, the Astro routes). Each stage reads
 * only from the stage before it, db/ and src/shared; db/ and src/shared import no stage; the routes
 * read data only through src/lib/site (API routes also through src/lib/api). src/cli wires the stages
 * together and may import all of them. This test reads every import of every source file with a
 * parser (tests/helpers/imports.ts) and fails on one that goes against these directions.
 *
 * Type-only imports count the same as value imports: a type that crosses a stage still couples the
 * two (a schema change breaks the importer's build), and the architecture makes no exception for
 * them. Dynamic import() counts too; one whose specifier is computed cannot be checked, so it is
 * refused in every checked stage unless it is named in COMPUTED_IMPORTS with the reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, type ImportRef } from '../../helpers/imports.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SCANNED = ['bin', 'db', 'scrapers', 'src'];

interface Rule {
  /** Repository-relative folders of the stage; a file takes the rule of its longest matching folder. */
  dirs: string[];
  /** Folders it may import from (its own folders always). Omitted: anything (a composition root). */
  may?: string[];
  /** npm packages it may import (node: builtins are always fine). Omitted: any package. */
  packages?: string[];
}

const SITE_ROUTES = ['src/pages', 'src/components', 'src/layouts', 'src/styles', 'src/scripts', 'src/lib/site'];

const RULES: Record<string, Rule> = {
  shared: { dirs: ['src/shared'], may: [] },
  db: { dirs: ['db'], may: ['src/shared'] },
  collect: { dirs: ['scrapers'], may: ['db', 'src/shared'] },
  extract: { dirs: ['src/extract'], may: ['db', 'src/shared', 'content'] },
  export: { dirs: ['src/export'], may: ['db', 'src/shared'] },
  'site data': { dirs: ['src/lib/site'], may: ['db', 'src/shared', 'src/export'] },
  api: { dirs: ['src/lib/api'], may: ['src/lib/site', 'src/export', 'db', 'src/shared'] },
  // src/middleware.ts runs before every route (who may render a page): a route as far as imports go.
  routes: { dirs: ['src/pages', 'src/components', 'src/layouts', 'src/middleware.ts'], may: SITE_ROUTES, packages: ['astro', 'astro:content', 'astro:assets', 'astro:middleware'] },
  'api routes': { dirs: ['src/pages/api'], may: [...SITE_ROUTES, 'src/lib/api'], packages: ['astro'] },
  'browser scripts': { dirs: ['src/scripts'], may: ['src/lib/site'] },
  'sample outlet': { dirs: ['src/sample'], may: ['src/shared'] },
  cli: { dirs: ['src/cli', 'bin'] },
};

/** Computed import() specifiers, each with why it cannot be a literal. */
const COMPUTED_IMPORTS: Record<string, string> = {
  'src/scripts/search.ts': "Pagefind's bundle is loaded from the built site's URL at run time",
};

/**
 * The refresh orchestrator and its steps say what happened; how it is stored is state.ts's and
 * store.ts's business. No drizzle, no tables, no SQL driver here.
 */
const ORCHESTRATOR = ['scrapers/refresh.ts', 'scrapers/refresh'];
const STORAGE_DETAIL = ['drizzle-orm', '@libsql/client', 'db/schema.ts'];

/** One owner per row: in the collector, only these modules import the feeds and feed_items tables. */
const FEED_TABLE_OWNERS: Record<string, string> = {
  'scrapers/state.ts': 'feed fetch state and item state',
  'scrapers/leases.ts': 'the lease columns, and which feeds are claimable',
};
const FEED_TABLES = ['feeds', 'feedItems', '*'];

const posix = (p: string) => p.split(path.sep).join('/');
const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

function sourceFiles(): string[] {
  return SCANNED.flatMap((dir) =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(astro|ts|mts|tsx|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts'))
      .map((e) => posix(path.relative(ROOT, path.join(e.parentPath, e.name)))),
  );
}

function stageOf(file: string): string | undefined {
  let best: { stage: string; len: number } | undefined;
  for (const [stage, rule] of Object.entries(RULES)) {
    for (const d of rule.dirs) if (under(file, d) && (!best || d.length > best.len)) best = { stage, len: d.length };
  }
  return best?.stage;
}

/** The repository path an import names, or the package name for a bare specifier. */
function target(file: string, spec: string): { path?: string; pkg?: string } {
  if (spec.startsWith('.') || spec.startsWith('/')) return { path: posix(path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec))) };
  if (spec.startsWith('node:')) return { pkg: 'node:' };
  return { pkg: spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]! };
}

/** Why `ref`, imported by the repository file `file`, goes against the directions; null when it does not. */
function violation(file: string, ref: Pick<ImportRef, 'spec' | 'typeOnly'>): string | null {
  const stage = stageOf(file);
  const rule = stage ? RULES[stage]! : undefined;
  const how = ref.typeOnly ? 'imports types from' : 'imports';
  if (ref.spec === null) return rule?.may && !(file in COMPUTED_IMPORTS) ? `(${stage}) imports a computed specifier` : null;
  const t = target(file, ref.spec);
  if (t.pkg) {
    if (!rule?.packages || t.pkg === 'node:' || rule.packages.includes(ref.spec) || rule.packages.includes(t.pkg)) return null;
    return `(${stage}) ${how} the package ${ref.spec}`;
  }
  if (!rule?.may) return null;
  const allowed = [...rule.dirs, ...rule.may];
  return allowed.some((d) => under(t.path!, d)) ? null : `(${stage}) ${how} ${t.path} (${stageOf(t.path!) ?? 'outside the stages'})`;
}

/** Storage details the refresh orchestrator must not import. */
function orchestratorViolation(file: string, ref: Pick<ImportRef, 'spec'>): string | null {
  if (!ORCHESTRATOR.some((d) => under(file, d)) || ref.spec === null) return null;
  const t = target(file, ref.spec);
  const name = t.pkg ?? t.path!;
  return STORAGE_DETAIL.some((s) => name === s || ref.spec === s) ? `imports ${name}: storage belongs to state.ts / store.ts` : null;
}

/** A collector module other than the owners that imports the feeds or feed_items table. */
function ownershipViolation(file: string, ref: Pick<ImportRef, 'spec' | 'names'>): string | null {
  if (!under(file, 'scrapers') || file in FEED_TABLE_OWNERS || ref.spec === null) return null;
  if (target(file, ref.spec).path !== 'db/schema.ts') return null;
  const tables = ref.names.filter((n) => FEED_TABLES.includes(n));
  return tables.length ? `imports ${tables.join(', ')} from db/schema.ts: feed and item rows are written by ${Object.keys(FEED_TABLE_OWNERS).join(' and ')}` : null;
}

const files = sourceFiles();
const imports = new Map(files.map((f) => [f, importsOf(f, readFileSync(path.join(ROOT, f), 'utf8'))]));
const found = (check: (file: string, ref: ImportRef) => string | null) =>
  [...imports].flatMap(([f, refs]) => refs.map((r) => check(f, r)).filter((v): v is string => v !== null).map((v) => `${f} ${v}`));

describe('import direction', () => {
  it('reads every source file of every stage, .astro included', () => {
    expect(files).toContain('scrapers/refresh.ts');
    expect(files).toContain('src/pages/index.astro');
    expect(files).toContain('src/layouts/Base.astro');
    for (const stage of Object.keys(RULES)) expect(files.some((f) => stageOf(f) === stage), stage).toBe(true);
    // The parser does see imports: an empty result would let every check below pass.
    expect(imports.get('scrapers/refresh.ts')!.length).toBeGreaterThan(5);
    expect(imports.get('src/pages/search/index.astro')!.map((r) => r.spec)).toContain('../../scripts/search.ts');
  });

  it('every source file belongs to a stage (a new folder needs a rule here)', () => {
    expect(files.filter((f) => stageOf(f) === undefined)).toEqual([]);
  });

  it('no stage imports against the direction of the data', () => {
    expect(found(violation)).toEqual([]);
  });

  it('the refresh orchestrator and its steps import no drizzle, no tables, no SQL driver', () => {
    expect(files.filter((f) => ORCHESTRATOR.some((d) => under(f, d))).length).toBeGreaterThan(5);
    expect(found(orchestratorViolation)).toEqual([]);
  });

  it('in the collector, only the state owners import the feeds and feed_items tables', () => {
    expect(found(ownershipViolation)).toEqual([]);
    // The owners are real: each does import a table (an entry that no longer does is stale).
    for (const owner of Object.keys(FEED_TABLE_OWNERS)) {
      expect(imports.get(owner)!.some((r) => r.spec?.endsWith('db/schema.ts') && r.names.some((n) => FEED_TABLES.includes(n))), owner).toBe(true);
    }
  });

  it('every computed import() named as allowed still has one', () => {
    for (const f of Object.keys(COMPUTED_IMPORTS)) expect(imports.get(f)?.some((r) => r.spec === null), f).toBe(true);
  });
});

describe('import direction: the check can fail', () => {
  const v = (file: string, spec: string | null, typeOnly = false) => violation(file, { spec, typeOnly });

  it('reads static, type-only, re-exported and dynamic imports in .ts and .astro, and not imports in strings or comments', () => {
    const body = [
      "import { a, type B } from '../db/schema.ts';",
      "import type { C } from '../src/extract/index.ts';",
      "import * as all from 'drizzle-orm';",
      "import '../src/styles/site.css';",
      "export { d } from './feeds/parse.ts';",
      "export type { E } from '../src/export/facts.ts';",
      "const m = await import('../src/lib/site/db.ts');",
      'const n = import(`../src/cli/main.ts`);',
      'const o = import(someUrl);',
      "type F = import('../db/client.ts').Db;",
      "const s = \"import x from '../db/in-a-string.ts'\";",
      "// import y from '../db/in-a-comment.ts';",
    ].join('\n');
    const ts = importsOf('scrapers/x.ts', body);
    expect(ts).toEqual([
      { spec: '../db/schema.ts', typeOnly: false, dynamic: false, names: ['a', 'B'] },
      { spec: '../src/extract/index.ts', typeOnly: true, dynamic: false, names: ['C'] },
      { spec: 'drizzle-orm', typeOnly: false, dynamic: false, names: ['*'] },
      { spec: '../src/styles/site.css', typeOnly: false, dynamic: false, names: [] },
      { spec: './feeds/parse.ts', typeOnly: false, dynamic: false, names: [] },
      { spec: '../src/export/facts.ts', typeOnly: true, dynamic: false, names: [] },
      { spec: '../src/lib/site/db.ts', typeOnly: false, dynamic: true, names: ['*'] },
      { spec: '../src/cli/main.ts', typeOnly: false, dynamic: true, names: ['*'] },
      { spec: null, typeOnly: false, dynamic: true, names: ['*'] },
      { spec: '../db/client.ts', typeOnly: true, dynamic: false, names: ['Db'] },
    ]);
    const astro = importsOf('src/pages/x.astro', `---\n${body.replace(/\.\.\//g, '../../')}\n---\n<p>{m}</p>\n<script>\n  import '../scripts/search.ts';\n  const k = import('../../db/client.ts');\n</script>\n`);
    expect(astro.map((r) => [r.spec, r.typeOnly, r.dynamic])).toEqual([
      ...ts.map((r) => [r.spec?.replace(/\.\.\//g, '../../') ?? null, r.typeOnly, r.dynamic]),
      ['../scripts/search.ts', false, false],
      ['../../db/client.ts', false, true],
    ]);
  });

  it('refuses what the directions forbid, type-only and dynamic alike', () => {
    // collect never imports extract, export or the site
    expect(v('scrapers/refresh.ts', '../src/extract/index.ts')).toBe('(collect) imports src/extract/index.ts (extract)');
    expect(v('scrapers/pages/text.ts', '../../src/lib/site/db.ts', true)).toBe('(collect) imports types from src/lib/site/db.ts (site data)');
    expect(v('scrapers/feeds/rss.ts', '../../src/pages/index.astro')).toBe('(collect) imports src/pages/index.astro (routes)');
    expect(v('scrapers/store.ts', '../src/export/facts.ts')).toBe('(collect) imports src/export/facts.ts (export)');
    // db imports no stage
    expect(v('db/queries/runs.ts', '../../scrapers/leases.ts')).toBe('(db) imports scrapers/leases.ts (collect)');
    expect(v('db/client.ts', '../src/cli/main.ts')).toBe('(db) imports src/cli/main.ts (cli)');
    expect(v('db/schema.ts', '../src/extract/types.ts', true)).toBe('(db) imports types from src/extract/types.ts (extract)');
    // extract never imports the collector (network or otherwise) or the site
    expect(v('src/extract/pipeline.ts', '../../scrapers/http/fetcher.ts')).toBe('(extract) imports scrapers/http/fetcher.ts (collect)');
    expect(v('src/extract/index.ts', '../lib/site/queries.ts')).toBe('(extract) imports src/lib/site/queries.ts (site data)');
    // routes read through src/lib/site
    expect(v('src/pages/companies/index.astro', '../../../db/schema.ts')).toBe('(routes) imports db/schema.ts (db)');
    expect(v('src/layouts/Base.astro', '../shared/facts/format.ts')).toBe('(routes) imports src/shared/facts/format.ts (shared)');
    expect(v('src/components/Sources.astro', '../export/facts.ts', true)).toBe('(routes) imports types from src/export/facts.ts (export)');
    expect(v('src/pages/index.astro', '../lib/api/handlers.ts')).toBe('(routes) imports src/lib/api/handlers.ts (api)');
    expect(v('src/pages/index.astro', 'drizzle-orm')).toBe('(routes) imports the package drizzle-orm');
    // shared imports nothing of ours; a computed import() cannot be checked
    expect(v('src/shared/log.ts', '../../db/client.ts')).toBe('(shared) imports db/client.ts (db)');
    expect(v('scrapers/http/fetcher.ts', null)).toBe('(collect) imports a computed specifier');
    expect(orchestratorViolation('scrapers/refresh/feed.ts', { spec: 'drizzle-orm' })).toBe('imports drizzle-orm: storage belongs to state.ts / store.ts');
    expect(orchestratorViolation('scrapers/refresh.ts', { spec: '../db/schema.ts' })).toBe('imports db/schema.ts: storage belongs to state.ts / store.ts');
    expect(ownershipViolation('scrapers/store.ts', { spec: '../db/schema.ts', names: ['articles', 'feedItems'] })).toMatch(/^imports feedItems from db\/schema.ts/);
    expect(ownershipViolation('scrapers/refresh/item.ts', { spec: '../../db/schema.ts', names: ['*'] })).toMatch(/^imports \* from db\/schema.ts/);
  });

  it('lets through what the directions allow', () => {
    expect(v('scrapers/store.ts', '../db/schema.ts')).toBeNull();
    expect(v('scrapers/feeds/normalise.ts', '../../src/shared/dates.ts')).toBeNull();
    expect(v('scrapers/http/fetcher.ts', 'undici')).toBeNull();
    expect(v('src/extract/store.ts', '../../db/schema.ts', true)).toBeNull();
    expect(v('src/lib/site/static-exports.ts', '../../export/facts.ts')).toBeNull();
    expect(v('src/pages/index.astro', '../lib/site/queries.ts')).toBeNull();
    expect(v('src/pages/index.astro', '../layouts/Base.astro')).toBeNull();
    expect(v('src/pages/index.astro', 'astro:content')).toBeNull();
    expect(v('src/pages/api/search.ts', '../../lib/api/handlers.ts')).toBeNull();
    expect(v('src/cli/commands/refresh.ts', '../../../scrapers/refresh.ts')).toBeNull();
    expect(v('src/cli/commands/serve.ts', null)).toBeNull();
    expect(v('src/scripts/search.ts', null)).toBeNull();
    expect(orchestratorViolation('scrapers/refresh/feed.ts', { spec: '../state.ts' })).toBeNull();
    expect(ownershipViolation('scrapers/state.ts', { spec: '../db/schema.ts', names: ['feeds', 'feedItems'] })).toBeNull();
    expect(ownershipViolation('scrapers/store.ts', { spec: '../db/schema.ts', names: ['articles'] })).toBeNull();
  });
});
