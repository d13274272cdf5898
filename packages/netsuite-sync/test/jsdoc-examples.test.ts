/**
 * Type-checks the JSDoc `@example`s of src/ (test files aside) with the TypeScript compiler, so an example
 * that no longer matches the API (a renamed option, a settings key the schema refuses, a wrong argument)
 * fails here instead of misleading a reader. One Program checks every example; a failure names the
 * example (`file:line` of its `@example` tag) and each diagnostic at the source line it points to.
 *
 * What counts as an example, and how it is checked:
 * - An example is the text after `@example` up to the next tag (an `@word` at the start of a line or
 *   after a space, as TypeScript reads tags) or the end of the comment, each line without its leading
 *   ` * `; one inline code span, `like(this)`, is its text. When that text holds fenced blocks, each block
 *   is one example and the text around the fences is a caption.
 * - A block fenced as ```ts, ```typescript or a bare ``` is checked, and so is an example without fences.
 *   A block fenced in any other language (```text, ```json, ...) is an illustration, not code: it is listed
 *   as skipped. That fence is the only way to leave an example unchecked.
 * - Each example is a module of its own. It sees everything `@invoiced/netsuite-sync` and
 *   `@invoiced/netsuite-sync/testing` export, the exports of the file it documents, and the free variables
 *   of FREE_VARIABLES below (netsuite, invoiced, store, engine, settings, ...) with their real types. Its
 *   own `import` and `declare` statements (on lines of their own) go to the top of the module, so an
 *   example can name its inputs (`declare const links: SyncLink[];`); the rest runs inside an async
 *   function, so `await` works and a name it declares shadows a free variable.
 * - Compiler options are the repository's tsconfig.json (strict), except noUnusedLocals and
 *   noUnusedParameters: an example may show a value it does not go on to use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const SRC_DIR = join(PACKAGE_DIR, 'src');
const TSCONFIG = join(PACKAGE_DIR, '..', '..', 'tsconfig.json');
const FREE_VARIABLES_FILE = join(SRC_DIR, '__jsdoc_example_free_variables__.ts');
const CHECKED_LANGUAGES = new Set(['', 'ts', 'typescript']);

/** The names examples use without declaring them, as a module every example imports from. */
const FREE_VARIABLES = `import type {
  ImportJob, InvoicedClient, InvoicedCustomer, InvoicedInvoice, InvoicedPayment, Logger, NetSuiteClient,
  SyncEngine, SyncPlan, SyncSettings, SyncStore,
} from '@invoiced/netsuite-sync';
export declare const netsuite: NetSuiteClient;
export declare const invoiced: InvoicedClient;
export declare const store: SyncStore;
export declare const engine: SyncEngine;
export declare const settings: SyncSettings;
export declare const connectionId: string;
export declare const signal: AbortSignal;
export declare const logger: Logger;
export declare const apiKey: string;
export declare const consumerKey: string;
export declare const consumerSecret: string;
export declare const tokenId: string;
export declare const tokenSecret: string;
export declare const realNetSuite: NetSuiteClient;
export declare const realInvoiced: InvoicedClient;
export declare const realStore: SyncStore;
export declare const acme: SyncEngine;
export declare const globex: SyncEngine;
export declare const plan: SyncPlan;
export declare const job: ImportJob;
export declare const invoice: InvoicedInvoice;
export declare const payment: InvoicedPayment;
export declare const invoicedCustomers: InvoicedCustomer[];
export declare const name: string;
export declare const since: Date;
export declare const descending: boolean;
export declare const url: string;
export declare const ids: string[];
/** UNIX seconds. */
export declare const lastSeenUpdatedAt: number;
export declare function sendEmail(subject: string, body: unknown): Promise<void>;
export declare function work(signal: AbortSignal): Promise<void>;
`;

/** One code block of an `@example`. */
interface Example {
  /** `file:line` of the `@example` tag, the file relative to the package. */
  label: string;
  /** The source file it documents (absolute). */
  file: string;
  lang: string;
  /** The code, each line with the source line it came from. */
  lines: { text: string; line: number }[];
}

/** Every `@example` of a file's JSDoc comments, fenced blocks split out. */
function extractExamples(file: string, text: string): Example[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const seen = new Set<number>();
  const examples: Example[] = [];
  const visit = (node: ts.Node): void => {
    for (const range of ts.getLeadingCommentRanges(text, node.pos) ?? []) {
      if (seen.has(range.pos) || !text.startsWith('/**', range.pos) || text.startsWith('/**/', range.pos)) continue;
      seen.add(range.pos);
      examples.push(...commentExamples(file, text.slice(range.pos, range.end), source.getLineAndCharacterOfPosition(range.pos).line + 1));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return examples;
}

function commentExamples(file: string, comment: string, firstLine: number): Example[] {
  const raw = comment.split('\n');
  const lines = raw.map((line, index) => {
    let body = index === 0 ? line.replace(/^\s*\/\*\*/, '') : line.replace(/^\s*\*(?!\/)/, '');
    if (index === raw.length - 1) body = body.replace(/\*\/\s*$/, '');
    return { text: body.replace(/^ /, '').replace(/\s+$/, ''), line: firstLine + index };
  });
  const tags: { tag: string; line: number; body: { text: string; line: number }[] }[] = [];
  let fenced = false;
  for (const line of lines) {
    // Outside fences a tag starts at an `@word` after a space or at the start of a line, as TypeScript reads it.
    const parts = fenced ? [line.text] : line.text.split(/(?:^|\s)@(?=\w)/);
    tags.at(-1)?.body.push({ text: parts[0] ?? '', line: line.line });
    for (const part of parts.slice(1)) {
      const [, tag = '', rest = ''] = /^(\w+)\s?(.*)$/.exec(part) ?? [];
      tags.push({ tag, line: line.line, body: [{ text: rest, line: line.line }] });
    }
    if (/^\s*```/.test(line.text)) fenced = !fenced;
  }
  const examples = tags.filter((tag) => tag.tag === 'example');
  return examples.flatMap((tag) => blocks(tag.body).map((block) => ({ ...block, file, label: `${relative(PACKAGE_DIR, file)}:${tag.line}` })));
}

/** Fenced blocks with their language, or the whole text when there is no fence. */
function blocks(body: { text: string; line: number }[]): { lang: string; lines: { text: string; line: number }[] }[] {
  if (!body.some((line) => /^\s*```/.test(line.text))) {
    const code = [...body];
    while (code[0]?.text.trim() === '') code.shift();
    while (code.at(-1)?.text.trim() === '') code.pop();
    // One inline code span, `like(this)`, is code too: its text, not a template literal.
    const span = code.length === 1 ? /^`([^`]+)`$/.exec(code[0]?.text.trim() ?? '') : null;
    if (span && code[0]) code[0] = { text: span[1] ?? '', line: code[0].line };
    return code.length === 0 ? [] : [{ lang: 'ts', lines: code }];
  }
  const found: { lang: string; lines: { text: string; line: number }[] }[] = [];
  let open: { lang: string; lines: { text: string; line: number }[] } | undefined;
  for (const line of body) {
    const fence = /^\s*```\s*([\w-]*)\s*$/.exec(line.text);
    if (fence && open) {
      found.push(open);
      open = undefined;
    } else if (fence) open = { lang: (fence[1] ?? '').toLowerCase(), lines: [] };
    else open?.lines.push(line);
  }
  if (open) found.push(open);
  return found;
}

/** A module's exports by name: true for a value (a class, function or constant), false for a type only. */
function exportsOf(text: string): Map<string, boolean> {
  const names = new Map<string, boolean>();
  const add = (name: string, value: boolean) => names.set(name, value || names.get(name) === true);
  for (const statement of ts.createSourceFile('module.ts', text, ts.ScriptTarget.Latest, false).statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) add(element.name.text, !statement.isTypeOnly && !element.isTypeOnly);
      continue;
    }
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported || ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) continue;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) add(declaration.name.text, true);
    } else if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) {
      if (statement.name) add(statement.name.text, true);
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      add(statement.name.text, false);
    }
  }
  return names;
}

/** Where each line of a generated module came from: a source line, or undefined for the preamble. */
interface ExampleModule {
  example: Example;
  path: string;
  text: string;
  sourceLines: (number | undefined)[];
}

/** The package's entry points as users import them, with the source files they map to. */
const PUBLIC_MODULES = [
  ['@invoiced/netsuite-sync', join(SRC_DIR, 'index.ts')],
  ['@invoiced/netsuite-sync/testing', join(SRC_DIR, 'testing.ts')],
  ['@invoiced/netsuite-sync/webhooks', join(SRC_DIR, 'webhooks.ts')],
] as const;

const specifier = (from: string, to: string) => {
  const path = relative(dirname(from), to).replace(/\.ts$/, '').replaceAll('\\', '/');
  return path.startsWith('.') ? path : `./${path}`;
};

/** The module that checks one example: imports of all it may use, then the example in an async function. */
function exampleModule(example: Example, index: number, exportsByFile: Map<string, Map<string, boolean>>): ExampleModule {
  const path = join(dirname(example.file), `__jsdoc_example_${index}__.ts`);
  const parsed = ts.createSourceFile(path, example.lines.map((line) => line.text).join('\n'), ts.ScriptTarget.Latest, false);
  const hoisted = new Set<number>();
  const taken = new Set<string>();
  for (const statement of parsed.statements) {
    const declared = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
    if (!ts.isImportDeclaration(statement) && !declared) continue;
    const first = parsed.getLineAndCharacterOfPosition(statement.getStart(parsed)).line;
    for (let line = first; line <= parsed.getLineAndCharacterOfPosition(statement.end).line; line += 1) hoisted.add(line);
    if (ts.isVariableStatement(statement)) for (const { name } of statement.declarationList.declarations) if (ts.isIdentifier(name)) taken.add(name.text);
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) taken.add(statement.name.text);
    const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
    const bindings = clause?.namedBindings;
    if (clause?.name) taken.add(clause.name.text);
    if (bindings && ts.isNamespaceImport(bindings)) taken.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) taken.add(element.name.text);
  }
  // A name comes from the last of these that exports it (the documented file first of all), unless the example imports it.
  const from = new Map<string, string>();
  const sources = [...PUBLIC_MODULES, [specifier(path, FREE_VARIABLES_FILE), FREE_VARIABLES_FILE], [specifier(path, example.file), example.file]] as const;
  for (const [module, file] of sources) for (const name of exportsByFile.get(file)?.keys() ?? []) if (!taken.has(name)) from.set(name, module);
  const out: { text: string; line: number | undefined }[] = [];
  for (const [module, file] of new Map(sources.map(([module, file]) => [module, file]))) {
    const names = [...(exportsByFile.get(file) ?? [])].filter(([name]) => from.get(name) === module);
    const list = names.map(([name, value]) => (value ? name : `type ${name}`)).join(', ');
    if (names.length > 0) out.push({ text: `import { ${list} } from '${module}';`, line: undefined });
  }
  example.lines.forEach((line, index) => hoisted.has(index) && out.push(line));
  out.push({ text: 'export async function jsdocExample() {', line: undefined });
  example.lines.forEach((line, index) => !hoisted.has(index) && out.push(line));
  out.push({ text: '}', line: example.lines.at(-1)?.line });
  return { example, path, text: out.map((line) => line.text).join('\n'), sourceLines: out.map((line) => line.line) };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Type-checks the modules in one Program; each module's diagnostics as `file:line TSxxxx: message`. */
function checkModules(modules: ExampleModule[], extra: Map<string, string>): { problems: Map<ExampleModule, string[]>; setup: string[] } {
  const config = ts.readConfigFile(TSCONFIG, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(TSCONFIG), undefined, TSCONFIG);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false };
  const virtual = new Map([...extra, ...modules.map((module) => [module.path, module.text] as const)]);
  const host = ts.createCompilerHost(options, true);
  const [getSourceFile, fileExists, readFile] = [host.getSourceFile.bind(host), host.fileExists.bind(host), host.readFile.bind(host)];
  host.fileExists = (path) => virtual.has(path) || fileExists(path);
  host.readFile = (path) => virtual.get(path) ?? readFile(path);
  host.getSourceFile = (path, language, ...rest) => {
    const text = virtual.get(path);
    return text === undefined ? getSourceFile(path, language, ...rest) : ts.createSourceFile(path, text, language, true);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  const format = (diagnostic: ts.Diagnostic, where: string) =>
    `${where} TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  const problems = new Map<ExampleModule, string[]>();
  for (const module of modules) {
    const file = program.getSourceFile(module.path);
    if (!file) throw new Error(`${module.example.label}: not in the program`);
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    problems.set(
      module,
      diagnostics.map((diagnostic) => {
        const line = module.sourceLines[file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line];
        return format(diagnostic, line === undefined ? `${module.example.label} (preamble)` : `${relative(PACKAGE_DIR, module.example.file)}:${line}`);
      }),
    );
  }
  const setup = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const path of extra.keys()) setup.push(...program.getSemanticDiagnostics(program.getSourceFile(path)));
  return { problems, setup: setup.map((diagnostic) => format(diagnostic, relative(PACKAGE_DIR, diagnostic.file?.fileName ?? '(options)'))) };
}

const files = sourceFiles(SRC_DIR).sort();
const examples = files.flatMap((file) => extractExamples(file, readFileSync(file, 'utf8')));
const exportsByFile = new Map([
  ...[...files].map((file) => [file, exportsOf(readFileSync(file, 'utf8'))] as const),
  [FREE_VARIABLES_FILE, exportsOf(FREE_VARIABLES)] as const,
]);
const modules = examples
  .filter((example) => CHECKED_LANGUAGES.has(example.lang))
  .map((example, index) => exampleModule(example, index, exportsByFile));
const illustrations = examples.filter((example) => !CHECKED_LANGUAGES.has(example.lang));

/** Made-up examples: the check must refuse a settings key the schema does not have, and accept the right one. */
const probe = (index: number, text: string) => {
  const lines = text.split('\n').map((line, at) => ({ text: line, line: at + 1 }));
  return exampleModule({ label: 'probe', file: join(SRC_DIR, 'index.ts'), lang: 'ts', lines }, modules.length + index, exportsByFile);
};
const probes = {
  right: probe(0, "declare const defaultItem: string;\nconst input: SyncSettingsInput = { items: { defaultItem } };\nawait engine.sync();"),
  wrong: probe(1, "const input: SyncSettingsInput = { items: { default: '12' } };"),
};

const SAMPLE = `/**
 * Caption. @see other
 * @example one(); // on the tag's line
 * two();
 * @example
 * \`\`\`ts
 * three();
 * \`\`\`
 * \`\`\`text
 * // { side: 'invoiced' }
 * \`\`\`
 * @example \`four()\`
 * @returns nothing
 */
export function sample(): void {}
`;

describe('JSDoc @example blocks type-check against the API', () => {
  let result: ReturnType<typeof checkModules> | undefined;
  beforeAll(() => {
    result = checkModules([...modules, ...Object.values(probes)], new Map([[FREE_VARIABLES_FILE, FREE_VARIABLES]]));
  }, 120_000);

  it('finds the examples: unfenced up to the next tag, each fenced block, the language of its fence', () => {
    const found = extractExamples(join(SRC_DIR, 'sample.ts'), SAMPLE).map(({ label, lang, lines }) => ({ label, lang, lines }));
    expect(found).toEqual([
      { label: 'src/sample.ts:3', lang: 'ts', lines: [{ text: 'one(); // on the tag\'s line', line: 3 }, { text: 'two();', line: 4 }] },
      { label: 'src/sample.ts:5', lang: 'ts', lines: [{ text: 'three();', line: 7 }] },
      { label: 'src/sample.ts:5', lang: 'text', lines: [{ text: "// { side: 'invoiced' }", line: 10 }] },
      { label: 'src/sample.ts:12', lang: 'ts', lines: [{ text: 'four()', line: 12 }] },
    ]);
    expect(modules.length).toBeGreaterThan(50);
  });

  it('compiles its setup: the options and the free variables', () => {
    expect(result?.setup).toEqual([]);
  });

  it('refuses a wrong example and accepts a right one', () => {
    expect(result?.problems.get(probes.right)).toEqual([]);
    expect(result?.problems.get(probes.wrong)).toEqual([expect.stringMatching(/^src\/index\.ts:1 TS2353: .*'default' does not exist/)]);
  });

  it.each(modules.map((module) => [module.example.label, module] as const))('%s', (_label, module) => {
    expect(result?.problems.get(module)).toEqual([]);
  });

  it.skip.each(illustrations.map((example) => [`${example.label} (\`\`\`${example.lang}: an illustration, not checked)`]))('%s', () => {});
});
