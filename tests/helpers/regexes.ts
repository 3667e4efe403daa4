/**
 * Finds every regular expression written in our text-handling source files, statically, with the
 * TypeScript parser: regex literals, and `new RegExp(…)` / `RegExp(…)` whose pattern folds to a
 * constant (string literals, templates and String.raw templates, `+`, and module-level `const`s of
 * those). A pattern built from run-time data can't be folded; it comes back as `dynamic` so the
 * ReDoS test can insist that a person has reviewed it (tests/unit/redos.test.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface FoundRegex {
  file: string;
  line: number;
  /** Folded pattern source, or null when it depends on run-time values. */
  source: string | null;
  flags: string;
  /** The expression as written, for messages. */
  text: string;
}

class Dynamic extends Error {}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (/\.ts$/.test(name) && !/\.d\.ts$/.test(name)) out.push(p);
  }
  return out;
}

export function regexesIn(file: string, root: string): FoundRegex[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  // Module-level and function-level `const NAME = <expr>` initialisers, for folding identifiers.
  const consts = new Map<string, ts.Expression>();
  const collect = (n: ts.Node): void => {
    if (ts.isVariableDeclarationList(n) && n.flags & ts.NodeFlags.Const) {
      for (const d of n.declarations) if (ts.isIdentifier(d.name) && d.initializer) consts.set(d.name.text, d.initializer);
    }
    ts.forEachChild(n, collect);
  };
  collect(sf);

  const fold = (e: ts.Expression, depth = 0): string => {
    if (depth > 20) throw new Dynamic();
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) return fold(e.expression, depth + 1);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
    if (ts.isTaggedTemplateExpression(e)) {
      if (e.tag.getText(sf) !== 'String.raw') throw new Dynamic();
      const t = e.template;
      if (ts.isNoSubstitutionTemplateLiteral(t)) return t.rawText ?? t.text;
      let s = t.head.rawText ?? t.head.text;
      for (const span of t.templateSpans) s += fold(span.expression, depth + 1) + (span.literal.rawText ?? span.literal.text);
      return s;
    }
    if (ts.isTemplateExpression(e)) {
      let s = e.head.text;
      for (const span of e.templateSpans) s += fold(span.expression, depth + 1) + span.literal.text;
      return s;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return fold(e.left, depth + 1) + fold(e.right, depth + 1);
    if (ts.isIdentifier(e) && consts.has(e.text)) return fold(consts.get(e.text)!, depth + 1);
    // `[...].join('|')` of constants (alternations written as word lists).
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'join') {
      let target: ts.Expression = e.expression.expression;
      while (ts.isIdentifier(target) && consts.has(target.text)) target = consts.get(target.text)!;
      if (ts.isArrayLiteralExpression(target)) {
        const sep = e.arguments[0] ? fold(e.arguments[0], depth + 1) : ',';
        return target.elements.map((x) => fold(x, depth + 1)).join(sep);
      }
    }
    // A regex's `.source` folds to its pattern.
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'source') {
      let target: ts.Expression = e.expression;
      while (ts.isIdentifier(target) && consts.has(target.text)) target = consts.get(target.text)!;
      if (ts.isRegularExpressionLiteral(target)) return literalParts(target.text).source;
    }
    throw new Dynamic();
  };

  const out: FoundRegex[] = [];
  const rel = path.relative(root, file);
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const visit = (n: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(n)) {
      const { source, flags } = literalParts(n.text);
      out.push({ file: rel, line: lineOf(n), source, flags, text: n.text });
    } else if ((ts.isNewExpression(n) || ts.isCallExpression(n)) && ts.isIdentifier(n.expression) && n.expression.text === 'RegExp' && n.arguments?.length) {
      let source: string | null = null;
      let flags = '';
      try {
        source = fold(n.arguments[0]!);
        flags = n.arguments[1] ? fold(n.arguments[1]) : '';
      } catch (err) {
        if (!(err instanceof Dynamic)) throw err;
        source = null;
      }
      out.push({ file: rel, line: lineOf(n), source, flags, text: n.getText(sf).slice(0, 160) });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function literalParts(text: string): { source: string; flags: string } {
  const end = text.lastIndexOf('/');
  return { source: text.slice(1, end), flags: text.slice(end + 1) };
}

/** Every regex in the given directories (relative to `root`). */
export function regexesUnder(root: string, dirs: string[]): FoundRegex[] {
  return dirs.flatMap((d) => listTs(path.join(root, d)).sort().flatMap((f) => regexesIn(f, root)));
}

/** The directories whose regexes see fetched or stored text (articles, feeds, pages, the site's data). */
export const TEXT_DIRS = ['src/extract', 'scrapers/pages', 'scrapers/feeds', 'scrapers/dedup', 'src/lib/site'];
