import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ts from 'typescript';
import * as root from 'tracelink';
import * as pino from 'tracelink/pino';
import * as winston from 'tracelink/winston';
import * as propagation from 'tracelink/propagation';
import * as grpc from 'tracelink/grpc';
import * as pinoTransport from '../../transports/pino/index.js';
import * as winstonTransport from '../../transports/winston/index.js';
import * as otelLogs from '../../transports/otel-logs/index.js';

// docs/api.md promises "every export of every entry point, one line each". This keeps it true:
// the names listed under each entry point's heading must be exactly what its index file exports
// (read with the TypeScript parser, so type-only exports count too), what the module exports at
// run time must be the index file's value exports, and each line's kind must say `type` or
// `interface` exactly when the export is type-only.
const ROOT = resolve(__dirname, '../..');
const API_DOC = resolve(ROOT, 'docs/api.md');

interface EntryPoint {
  readonly name: string;
  readonly indexFile: string;
  readonly loaded: Record<string, unknown>;
}

const ENTRY_POINTS: readonly EntryPoint[] = [
  { name: 'tracelink', indexFile: 'src/index.ts', loaded: root },
  { name: 'tracelink/pino', indexFile: 'src/pino/index.ts', loaded: pino },
  { name: 'tracelink/winston', indexFile: 'src/winston/index.ts', loaded: winston },
  { name: 'tracelink/propagation', indexFile: 'src/propagation/index.ts', loaded: propagation },
  { name: 'tracelink/grpc', indexFile: 'src/propagation/grpc/index.ts', loaded: grpc },
  {
    name: 'tracelink/pino-transport',
    indexFile: 'transports/pino/index.ts',
    loaded: pinoTransport,
  },
  {
    name: 'tracelink/winston-transport',
    indexFile: 'transports/winston/index.ts',
    loaded: winstonTransport,
  },
  { name: 'tracelink/otel-logs', indexFile: 'transports/otel-logs/index.ts', loaded: otelLogs },
];

/** An export of an index file: its name and whether it exists only as a type. */
interface DeclaredExport {
  readonly name: string;
  readonly typeOnly: boolean;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/**
 * The exports an index file declares. With `verbatimModuleSyntax` (tsconfig.json) a re-exported
 * type must be marked `export type`, so the syntax alone tells types from values.
 */
function declaredExports(indexFile: string): DeclaredExport[] {
  const path = resolve(ROOT, indexFile);
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022);
  const found: DeclaredExport[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause === undefined || !ts.isNamedExports(clause)) {
        throw new Error(`${indexFile}: \`export *\` hides the list; name each export`);
      }
      for (const element of clause.elements) {
        const typeOnly = statement.isTypeOnly || element.isTypeOnly;
        found.push({ name: element.name.text, typeOnly });
      }
    } else if (ts.isExportAssignment(statement)) {
      found.push({ name: 'default', typeOnly: false });
    } else if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
      const isDefault = hasModifier(statement, ts.SyntaxKind.DefaultKeyword);
      const typeOnly = ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement);
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          found.push({ name: declaration.name.getText(source), typeOnly: false });
        }
      } else {
        const named = statement as ts.Node & { name?: ts.Identifier };
        found.push({ name: isDefault ? 'default' : (named.name?.text ?? 'default'), typeOnly });
      }
    }
  }
  return found;
}

/** One line of docs/api.md: the export's name, its kind column and the whole line. */
interface ListedExport {
  readonly name: string;
  readonly kind: string;
  readonly line: string;
}

/** The table rows under each `## \`entry point\`` heading of docs/api.md. */
function listedExports(): Map<string, ListedExport[]> {
  const sections = new Map<string, ListedExport[]>();
  let current: ListedExport[] | undefined;
  for (const line of readFileSync(API_DOC, 'utf8').split('\n')) {
    const heading = /^## `([^`]+)`\s*$/.exec(line);
    if (heading) {
      current = [];
      sections.set(heading[1] ?? '', current);
      continue;
    }
    if (line.startsWith('#')) current = undefined;
    // A row's first cell holds the export in backticks: `name`, `name(args)` or `name<T>`.
    const row = /^\|\s*`([A-Za-z_$][\w$]*)[^`]*`\s*\|\s*([^|]*?)\s*\|/.exec(line);
    if (current !== undefined && row) {
      current.push({ name: row[1] ?? '', kind: row[2] ?? '', line });
    }
  }
  return sections;
}

const TYPE_KINDS = new Set(['type', 'interface']);
const VALUE_KINDS = new Set(['function', 'class', 'const']);
const listed = listedExports();

describe('docs/api.md', () => {
  it('has a section for each entry point, and no other', () => {
    expect([...listed.keys()].sort()).toEqual(ENTRY_POINTS.map((e) => e.name).sort());
  });

  describe.each(ENTRY_POINTS)('$name', ({ name, indexFile, loaded }) => {
    const declared = declaredExports(indexFile);
    const rows = listed.get(name) ?? [];

    it('lists every export of the index file, each once, and nothing else', () => {
      expect(rows.map((r) => r.name).sort()).toEqual(declared.map((d) => d.name).sort());
    });

    it('exports at run time exactly the value exports of the index file', () => {
      const runtime = Object.keys(loaded).filter((key) => key !== '__esModule');
      const values = declared.filter((d) => !d.typeOnly).map((d) => d.name);
      expect(runtime.sort()).toEqual(values.sort());
    });

    it('gives each export its kind: type or interface exactly for the type-only ones', () => {
      for (const row of rows) {
        const export_ = declared.find((d) => d.name === row.name);
        if (export_ === undefined) continue; // reported by the listing test
        const expected = export_.typeOnly ? TYPE_KINDS : VALUE_KINDS;
        expect({ line: row.line, kindAllowed: expected.has(row.kind) }).toEqual({
          line: row.line,
          kindAllowed: true,
        });
        if (export_.typeOnly) continue;
        const value = loaded[row.name];
        if (row.kind === 'function' || row.kind === 'class') {
          expect(typeof value).toBe('function');
          const isClass = /^class\b/.test(Function.prototype.toString.call(value));
          expect({ line: row.line, isClass }).toEqual({
            line: row.line,
            isClass: row.kind === 'class',
          });
        }
      }
    });

    it('describes each export in one line', () => {
      for (const row of rows) {
        const description = row.line.split('|')[3]?.trim() ?? '';
        expect({ line: row.line, described: description.length > 0 }).toEqual({
          line: row.line,
          described: true,
        });
      }
    });
  });
});
