/**
 * Every import of a source file, read with a parser rather than a regex: TypeScript's own for .ts/.js,
 * and Astro's compiler (the one `astro build` uses, a dependency of astro) for .astro files, whose
 * frontmatter and <script> blocks it hands back as ESTree programs. A regex misses what a parser sees
 * (import() in an expression, `import('x').T` in a type, multi-line clauses) and sees what is not there
 * (an import in a string or a comment).
 */
import { parse as parseAstro } from '@astrojs/compiler-rs';
import ts from 'typescript';

export interface ImportRef {
  /** The module specifier as written; null for import() of a computed expression (cannot be checked). */
  spec: string | null;
  /** `import type`, `import { type X }` only, `export type … from`, or `import('x').T` in a type. */
  typeOnly: boolean;
  /** import() at run time. */
  dynamic: boolean;
  /** Bindings taken from the module: their exported names, '*' for a namespace, none for a side effect or re-export. */
  names: string[];
}

export function importsOf(file: string, source: string): ImportRef[] {
  return file.endsWith('.astro') ? astroImports(source) : tsImports(file, source);
}

function tsImports(file: string, source: string): ImportRef[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, /\.m?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const out: ImportRef[] = [];
  const literal = (n: ts.Node | undefined) => (n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : null);
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n)) {
      const clause = n.importClause;
      const bindings = clause?.namedBindings;
      const specifiers = bindings && ts.isNamedImports(bindings) ? [...bindings.elements] : [];
      const names = [
        ...(clause?.name ? ['default'] : []),
        ...(bindings && ts.isNamespaceImport(bindings) ? ['*'] : []),
        ...specifiers.map((s) => (s.propertyName ?? s.name).text),
      ];
      const typeOnly =
        clause?.phaseModifier === ts.SyntaxKind.TypeKeyword ||
        (!!clause && !clause.name && specifiers.length > 0 && specifiers.every((s) => s.isTypeOnly));
      out.push({ spec: literal(n.moduleSpecifier), typeOnly, dynamic: false, names });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier) {
      out.push({ spec: literal(n.moduleSpecifier), typeOnly: n.isTypeOnly, dynamic: false, names: [] });
    } else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) {
      out.push({ spec: literal(n.moduleReference.expression), typeOnly: n.isTypeOnly, dynamic: false, names: ['*'] });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      out.push({ spec: literal(n.arguments[0]), typeOnly: false, dynamic: true, names: ['*'] });
    } else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'require' && n.arguments.length === 1) {
      out.push({ spec: literal(n.arguments[0]), typeOnly: false, dynamic: true, names: ['*'] });
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) {
      out.push({ spec: literal(n.argument.literal), typeOnly: true, dynamic: false, names: n.qualifier ? [n.qualifier.getText().split('.')[0]!] : ['*'] });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

// Astro's parser returns its ESTree as plain objects without exported node types.
function astroImports(source: string): ImportRef[] {
  const { ast } = parseAstro(source);
  const out: ImportRef[] = [];
  const literal = (n: any): string | null => {
    if (n?.type === 'Literal' && typeof n.value === 'string') return n.value;
    if (n?.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0].value.cooked;
    if (n?.type === 'TSLiteralType') return literal(n.literal);
    return null;
  };
  const visit = (n: any): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    switch (n.type) {
      case 'ImportDeclaration': {
        const specifiers: any[] = n.specifiers ?? [];
        const names = specifiers.map((s) =>
          s.type === 'ImportDefaultSpecifier' ? 'default' : s.type === 'ImportNamespaceSpecifier' ? '*' : (s.imported.name ?? s.imported.value),
        );
        const typeOnly = n.importKind === 'type' || (specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type'));
        out.push({ spec: literal(n.source), typeOnly, dynamic: false, names });
        break;
      }
      case 'ExportNamedDeclaration':
      case 'ExportAllDeclaration':
        if (n.source) out.push({ spec: literal(n.source), typeOnly: n.exportKind === 'type', dynamic: false, names: [] });
        break;
      case 'ImportExpression':
        out.push({ spec: literal(n.source), typeOnly: false, dynamic: true, names: ['*'] });
        break;
      case 'TSImportType':
        out.push({ spec: literal(n.source ?? n.argument), typeOnly: true, dynamic: false, names: ['*'] });
        break;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'parent' && v && typeof v === 'object') visit(v);
  };
  visit(ast);
  return out;
}
