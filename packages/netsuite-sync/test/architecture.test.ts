/**
 * The layout rules of `packages/netsuite-sync/src`: which folder may import which, no import cycle, and
 * small engine files. docs/architecture.md explains each rule and the layout it protects.
 *
 * Run: `pnpm vitest run --config vitest.workspace.ts --project netsuite-sync architecture`
 *
 * Every import counts: `import`, `import type`, `export ... from` and dynamic `import()`. Relative
 * specifiers are resolved to a `.ts` file or a folder's `index.ts`; package imports are ignored. The
 * folder rules apply to the files that ship, not to the `*.test.ts` files kept beside them; cycles and
 * unresolved imports are checked in every file. A rule that names a folder that does not exist checks
 * nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** One import of a file: where it is written, what it says and the file of src it resolves to. */
interface Edge {
  from: string;
  specifier: string;
  /** Path relative to src (`engine/run/lease.ts`), or undefined when it resolves to no file of src. */
  to: string | undefined;
}

/** Every `.ts` file under src, as paths relative to src with `/` separators. */
function listFiles(dir = ''): string[] {
  return readdirSync(SRC + dir, { withFileTypes: true }).flatMap((entry) => {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) return listFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const files = listFiles().sort();
const fileSet = new Set(files);
const texts = new Map(files.map((file) => [file, readFileSync(SRC + file, 'utf8')]));

function resolveSpecifier(from: string, specifier: string): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(from), specifier));
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`];
  return candidates.find((candidate) => fileSet.has(candidate));
}

const edges = new Map<string, Edge[]>(
  files.map((from) => {
    const { importedFiles } = ts.preProcessFile(texts.get(from) ?? '', true, true);
    const relative = importedFiles.filter(({ fileName }) => fileName.startsWith('./') || fileName.startsWith('../'));
    return [from, relative.map(({ fileName }) => ({ from, specifier: fileName, to: resolveSpecifier(from, fileName) }))];
  }),
);

const isTest = (file: string) => file.endsWith('.test.ts');
const under = (folder: string) => (file: string) => file.startsWith(`${folder}/`);
/** The files that ship (not `*.test.ts`) matching a predicate. */
const shipped = (match: (file: string) => boolean) => files.filter((file) => !isTest(file) && match(file));

const show = (edge: Edge) => `src/${edge.from} imports '${edge.specifier}' (src/${edge.to ?? '?'})`;

/** Each import of `importers` into a file of src that `forbidden` accepts, as a readable line. */
function offending(importers: readonly string[], forbidden: (to: string, from: string) => boolean): string[] {
  return importers.flatMap((from) =>
    (edges.get(from) ?? []).filter((edge) => edge.to !== undefined && forbidden(edge.to, from)).map(show),
  );
}

/** Tarjan's strongly connected components of the resolved import graph. */
function stronglyConnected(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const { to } of edges.get(node) ?? []) {
      if (to === undefined) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    components.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return components;
}

/** The shortest path of imports from `start` to `goal` inside `allowed`, both ends included. */
function shortestPath(start: string, goal: string, allowed: ReadonlySet<string>): string[] | undefined {
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    if (node === goal) {
      const path: string[] = [];
      for (let at: string | null | undefined = goal; at != null; at = previous.get(at)) path.unshift(at);
      return path;
    }
    for (const { to } of edges.get(node) ?? []) {
      if (to === undefined || !allowed.has(to) || previous.has(to)) continue;
      previous.set(to, node);
      queue.push(to);
    }
  }
  return undefined;
}

/**
 * The import cycles of the graph, as chains `a.ts -> b.ts -> a.ts`: for each group of files that import
 * one another, the shortest cycle through each of its imports, so every import that closes a cycle is named.
 */
function importCycles(): string[] {
  const chains = new Set<string>();
  for (const component of stronglyConnected()) {
    const members = new Set(component);
    for (const from of component) {
      for (const { to } of edges.get(from) ?? []) {
        if (to === undefined || !members.has(to)) continue;
        const back = shortestPath(to, from, members);
        if (back === undefined) continue;
        const cycle = [from, ...back].slice(0, -1);
        const first = cycle.indexOf([...cycle].sort()[0] ?? from);
        const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
        chains.add([...rotated, rotated[0]].map((file) => `src/${file}`).join(' -> '));
      }
    }
  }
  return [...chains].sort();
}

/**
 * Whether an import or export statement brings in types only: `import type` or `export type`. With
 * `verbatimModuleSyntax`, `import { type A } from './a'` still loads `./a` at run time (it compiles to
 * `import {} from './a'`), so inline `type` specifiers alone do not make a statement type-only.
 */
function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  return ts.isExportDeclaration(node) ? node.isTypeOnly : node.importClause?.isTypeOnly === true;
}

/** Every module reference of a file that is not type-only, with the line it is on. */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, texts.get(file) ?? '', ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const text = (expression: ts.Expression) => (ts.isStringLiteralLike(expression) ? expression.text : expression.getText(source));
  const report = (node: ts.Node, specifier: string) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push(`src/${file}:${line} imports '${specifier}' at run time (write \`import type\` or \`export type\`)`);
  };
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!isTypeOnly(node)) report(node, node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      if (!node.isTypeOnly) report(node, text(node.moduleReference.expression));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] !== undefined) {
      report(node, text(node.arguments[0]));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the layout of packages/netsuite-sync/src (docs/architecture.md)', () => {
  it('reads the source tree', () => {
    expect(files).toContain('index.ts');
    expect(files).toContain('errors.ts');
  });

  it('every relative import resolves to a file of src', () => {
    const unresolved = files.flatMap((from) => (edges.get(from) ?? []).filter((edge) => edge.to === undefined).map(show));
    expect(unresolved, 'relative imports that resolve to no .ts file or index.ts inside src').toEqual([]);
  });

  it('has no import cycle (type imports included)', () => {
    expect(importCycles(), 'import cycles: break each chain at one of its imports').toEqual([]);
  });

  it('only src/netsuite/** and src/invoiced/** import src/internal/**', () => {
    const importers = shipped((file) => !under('netsuite')(file) && !under('invoiced')(file) && !under('internal')(file));
    expect(offending(importers, under('internal')), 'imports of src/internal/ from outside the two clients').toEqual([]);
  });

  it('src/mapping/** imports only src/mapping/** and src/errors.ts', () => {
    const allowed = (to: string) => under('mapping')(to) || to === 'errors.ts';
    expect(offending(shipped(under('mapping')), (to) => !allowed(to)), 'imports that leave the pure mapping').toEqual([]);
  });

  it('src/errors.ts and src/options.ts import nothing from src', () => {
    const leaves = shipped((file) => file === 'errors.ts' || file === 'options.ts');
    expect(offending(leaves, () => true), 'imports of the two leaf modules').toEqual([]);
  });

  it('src/webhooks/** imports only src/webhooks/**, errors.ts, options.ts, logger.ts, invoiced/event-schema.ts and, as types only, src/store/**', () => {
    const webhooks = shipped(under('webhooks'));
    const allowed = (to: string) => under('webhooks')(to) || under('store')(to) || ['errors.ts', 'options.ts', 'logger.ts', 'invoiced/event-schema.ts'].includes(to);
    const storeValues = webhooks.flatMap(valueImports).filter((line) => /imports '\.\.\/store\//.test(line));
    expect([...offending(webhooks, (to) => !allowed(to)), ...storeValues], 'imports of the webhook reception (no engine, no client, no internal/)').toEqual([]);
  });

  it('src/engine/contracts.ts has type-only imports, and inside src/engine only from ./settings', () => {
    const contracts = shipped((file) => file === 'engine/contracts.ts');
    const values = contracts.flatMap(valueImports);
    const inEngine = offending(contracts, (to) => under('engine')(to) && to !== 'engine/settings.ts');
    expect([...values, ...inEngine], 'contracts.ts must stay a type-only leaf').toEqual([]);
  });

  it('phase files never import one another, imports/, dry-run/ or engine.ts', () => {
    const phases = shipped((file) => /^engine\/phases\/[^/]+\.ts$/.test(file) && file !== 'engine/phases/index.ts');
    const forbidden = (to: string, from: string) =>
      (under('engine/phases')(to) && to !== from) || under('engine/imports')(to) || under('engine/dry-run')(to) || to === 'engine/engine.ts';
    expect(offending(phases, forbidden), 'imports of a phase file').toEqual([]);
  });

  it('src/engine/run/** and src/engine/records/** import nothing from phases/, imports/, dry-run/ or engine.ts', () => {
    const lower = shipped((file) => under('engine/run')(file) || under('engine/records')(file));
    const forbidden = (to: string) => under('engine/phases')(to) || under('engine/imports')(to) || under('engine/dry-run')(to) || to === 'engine/engine.ts';
    expect(offending(lower, forbidden), 'imports of the run lifecycle and shared record handling').toEqual([]);
  });

  it('src/engine/dry-run/** imports nothing from phases/ (index.ts included), imports/ or engine.ts', () => {
    const forbidden = (to: string) => under('engine/phases')(to) || under('engine/imports')(to) || to === 'engine/engine.ts';
    expect(offending(shipped(under('engine/dry-run')), forbidden), 'imports of the planning writer').toEqual([]);
  });

  it("no shipped file imports node:http as a value: its ES module namespace loads the runtime's fetch (some 15 MB) into every process that imports the SDK", () => {
    // internal/test-servers.ts is the tests' own server (no entry point reaches it).
    const httpValue = shipped((file) => file !== 'internal/test-servers.ts').filter((file) =>
      ts.preProcessFile(texts.get(file) ?? '', true, true).importedFiles.some(({ fileName }) => fileName === 'node:http' || fileName === 'http') &&
      /^import (?!type )[^;]*from 'node:http'|^import (?!type )[^;]*from 'http'/m.test(texts.get(file) ?? ''),
    );
    expect(httpValue, "take it with process.getBuiltinModule('node:http'), and its types with `import type`").toEqual([]);
  });

  it('files under src/engine (tests aside) are at most 300 lines', () => {
    const lines = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    const long = shipped(under('engine'))
      .map((file) => ({ file, count: lines(texts.get(file) ?? '') }))
      .filter(({ count }) => count > 300)
      .map(({ file, count }) => `src/${file}: ${count} lines`);
    expect(long, 'engine files over 300 lines: split them by what they do').toEqual([]);
  });
});
