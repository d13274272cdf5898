/**
 * Type-checks every ```ts and ```typescript block of the documentation (docs/*.md, README.md and
 * packages/*\/README.md) with the TypeScript compiler, so a sample that no longer matches the API fails
 * here instead of failing a reader who pastes it. One Program checks every block; a failure names the block
 * (`file:line` of its fence) and each diagnostic at the Markdown line it points to.
 *
 * How a block is checked:
 * - Each block is a module of its own, compiled with the repository's tsconfig.json (strict, the workspace
 *   packages mapped to their sources), except noUnusedLocals and noUnusedParameters: a sample may show a
 *   value it does not go on to use. It is compiled from packages/store-postgres/, so `pg`,
 *   `@electric-sql/pglite`, `msw` and `vitest` resolve as in a user's project.
 * - A block may use, without importing them, the exports of `@invoiced/netsuite-sync` (an earlier block of
 *   the page imported them), and, without declaring them, the names of FREE_VARIABLES below (netsuite, invoiced, store,
 *   engine, settings, sandbox, servers, the vitest hooks, ...) with their real types: the values an earlier
 *   block of the page made, or the reader has. Its own `import`, `declare`, `export`, `interface` and `type`
 *   statements go to the top of the module; the rest runs inside an async function, so `await` works and a
 *   name the block declares shadows a free variable.
 * - A block that is deliberately partial is marked by an HTML comment on the line before its fence:
 *   `<!-- not compiled: why -->`. It is listed as skipped with its reason. Keep those few: a block in any
 *   other language (```sh, ```text, ```json, ...) is not TypeScript and is not looked at.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TSCONFIG = join(ROOT, 'tsconfig.json');
/** Where the blocks compile from: a package with every driver a sample imports among its dependencies. */
const HOME = join(ROOT, 'packages', 'store-postgres');
const FREE_VARIABLES_FILE = join(HOME, '__docs_example_free_variables__.ts');
const CHECKED_LANGUAGES = new Set(['ts', 'typescript']);
const NOT_COMPILED = /^<!--\s*not compiled:\s*(.+?)\s*-->$/;

/** What `@invoiced/netsuite-sync` exports: a block may use it without importing it, as a page's earlier block did. */
const CORE_INDEX = join(ROOT, 'packages', 'netsuite-sync', 'src', 'index.ts');

/** The names blocks use without declaring them, as a module every block imports from. */
const FREE_VARIABLES = `import type {
  ImportJob, InvoicedClient, InvoicedCustomer, InvoicedInvoice, InvoicedPayment, Logger, NetSuiteClient,
  SyncEngine, SyncPlan, SyncSettings, SyncStore,
} from '@invoiced/netsuite-sync';
import type { Books, Sandbox, SandboxServers } from '@invoiced/netsuite-sync-sandbox';
import type { tokenBasedAuth } from '@invoiced/netsuite-sync';
export { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test } from 'vitest';
export declare const netsuite: NetSuiteClient;
export declare const invoiced: InvoicedClient;
export declare const store: SyncStore;
export declare const engine: SyncEngine;
export declare const settings: SyncSettings;
export declare const connectionId: string;
export declare const signal: AbortSignal;
export declare const logger: Logger;
export declare const accountId: string;
export declare const apiKey: string;
export declare const consumerKey: string;
export declare const consumerSecret: string;
export declare const tokenId: string;
export declare const tokenSecret: string;
export declare const auth: ReturnType<typeof tokenBasedAuth>;
export declare const sandbox: Sandbox;
export declare const servers: SandboxServers;
export declare const books: Books;
export declare const plan: SyncPlan;
export declare const job: ImportJob;
export declare const invoice: InvoicedInvoice;
export declare const payment: InvoicedPayment;
export declare const invoicedCustomers: InvoicedCustomer[];
export declare function sendEmail(subject: string, body: unknown): Promise<void>;
`;

/** One fenced block of a Markdown file. */
interface Block {
  /** `file:line` of the opening fence, the file relative to the repository. */
  label: string;
  lang: string;
  /** Why it is not compiled, when the line before its fence says so. */
  notCompiled: string | undefined;
  /** The code, each line with its line number in the Markdown file. */
  lines: { text: string; line: number }[];
}

/** The fenced blocks of a Markdown text. */
export function extractBlocks(file: string, text: string): Block[] {
  const blocks: Block[] = [];
  let open: Block | undefined;
  let indent = '';
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const fence = /^(\s*)```\s*([\w-]*)\s*$/.exec(line);
    if (open && fence && fence[1] === indent) {
      blocks.push(open);
      open = undefined;
    } else if (!open && fence) {
      indent = fence[1] ?? '';
      const before = NOT_COMPILED.exec(lines[index - 1]?.trim() ?? '');
      open = { label: `${file}:${index + 1}`, lang: (fence[2] ?? '').toLowerCase(), notCompiled: before?.[1], lines: [] };
    } else if (open) {
      open.lines.push({ text: line.startsWith(indent) ? line.slice(indent.length) : line, line: index + 1 });
    }
  });
  return blocks;
}

/** A module's exports by name: true for a value, false for a type only. */
function exportsOf(text: string): Map<string, boolean> {
  const names = new Map<string, boolean>();
  for (const statement of ts.createSourceFile('module.ts', text, ts.ScriptTarget.Latest, false).statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) names.set(element.name.text, names.get(element.name.text) === true || (!statement.isTypeOnly && !element.isTypeOnly));
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.set(declaration.name.text, true);
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      names.set(statement.name.text, true);
    }
  }
  return names;
}

/** Where each line of a generated module came from: a Markdown line, or undefined for the preamble. */
interface BlockModule {
  block: Block;
  path: string;
  text: string;
  sourceLines: (number | undefined)[];
}

const TOP_LEVEL = (statement: ts.Statement): boolean => {
  const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
  return (
    ts.isImportDeclaration(statement) ||
    ts.isImportEqualsDeclaration(statement) ||
    ts.isExportDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement) ||
    modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.DeclareKeyword || modifier.kind === ts.SyntaxKind.ExportKeyword)
  );
};

/** The module that checks one block: imports of the free variables it does not declare, then the block. */
function blockModule(block: Block, index: number, freeNames: Map<string, boolean>, coreNames: Map<string, boolean>): BlockModule {
  const path = join(HOME, `__docs_example_${index}__.ts`);
  const parsed = ts.createSourceFile(path, block.lines.map((line) => line.text).join('\n'), ts.ScriptTarget.Latest, false);
  const hoisted = new Set<number>();
  const taken = new Set<string>();
  for (const statement of parsed.statements) {
    if (!TOP_LEVEL(statement)) continue;
    const first = parsed.getLineAndCharacterOfPosition(statement.getStart(parsed)).line;
    for (let line = first; line <= parsed.getLineAndCharacterOfPosition(statement.end).line; line += 1) hoisted.add(line);
    if (ts.isVariableStatement(statement)) for (const { name } of statement.declarationList.declarations) if (ts.isIdentifier(name)) taken.add(name.text);
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && statement.name) taken.add(statement.name.text);
    const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
    const bindings = clause?.namedBindings;
    if (clause?.name) taken.add(clause.name.text);
    if (bindings && ts.isNamespaceImport(bindings)) taken.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) for (const element of bindings.elements) taken.add(element.name.text);
  }
  const free = [...freeNames.keys()].filter((name) => !taken.has(name));
  const core = [...coreNames].filter(([name]) => !taken.has(name) && !freeNames.has(name));
  const out: { text: string; line: number | undefined }[] = [];
  if (core.length > 0) out.push({ text: `import { ${core.map(([name, value]) => (value ? name : `type ${name}`)).join(', ')} } from '@invoiced/netsuite-sync';`, line: undefined });
  if (free.length > 0) out.push({ text: `import { ${free.join(', ')} } from './${relative(HOME, FREE_VARIABLES_FILE).replace(/\.ts$/, '')}';`, line: undefined });
  block.lines.forEach((line, at) => hoisted.has(at) && out.push(line));
  out.push({ text: 'export async function docsExample() {', line: undefined });
  block.lines.forEach((line, at) => !hoisted.has(at) && out.push(line));
  out.push({ text: '}', line: block.lines.at(-1)?.line });
  return { block, path, text: out.map((line) => line.text).join('\n'), sourceLines: out.map((line) => line.line) };
}

/** Type-checks the modules in one Program; each module's diagnostics as `file:line TSxxxx: message`. */
function checkModules(modules: BlockModule[], extra: Map<string, string>): { problems: Map<BlockModule, string[]>; setup: string[] } {
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
  const format = (diagnostic: ts.Diagnostic, where: string) => `${where} TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  const problems = new Map<BlockModule, string[]>();
  for (const module of modules) {
    const file = program.getSourceFile(module.path);
    if (!file) throw new Error(`${module.block.label}: not in the program`);
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    problems.set(
      module,
      diagnostics.map((diagnostic) => {
        const line = module.sourceLines[file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line];
        return format(diagnostic, line === undefined ? `${module.block.label} (preamble)` : `${module.block.label.replace(/:\d+$/, '')}:${line}`);
      }),
    );
  }
  const setup = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const path of extra.keys()) setup.push(...program.getSemanticDiagnostics(program.getSourceFile(path)));
  return { problems, setup: setup.map((diagnostic) => format(diagnostic, relative(ROOT, diagnostic.file?.fileName ?? '(options)'))) };
}

/** The documentation's Markdown files, relative to the repository. */
function markdownFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
  const packages = readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `packages/${entry.name}/README.md`)
    .filter((file) => {
      try {
        readFileSync(join(ROOT, file));
        return true;
      } catch {
        return false;
      }
    });
  return ['README.md', ...docs.sort(), ...packages.sort()];
}

const blocks = markdownFiles().flatMap((file) => extractBlocks(file, readFileSync(join(ROOT, file), 'utf8')));
const typescriptBlocks = blocks.filter((block) => CHECKED_LANGUAGES.has(block.lang));
const freeNames = exportsOf(FREE_VARIABLES);
const coreNames = exportsOf(readFileSync(CORE_INDEX, 'utf8'));
const modules = typescriptBlocks.filter((block) => block.notCompiled === undefined).map((block, index) => blockModule(block, index, freeNames, coreNames));
const partial = typescriptBlocks.filter((block) => block.notCompiled !== undefined);

/** Made-up blocks: the check must refuse a settings key the schema does not have, and accept the right one. */
const probe = (index: number, text: string) =>
  blockModule({ label: 'probe.md:1', lang: 'ts', notCompiled: undefined, lines: text.split('\n').map((line, at) => ({ text: line, line: at + 2 })) }, modules.length + index, freeNames, coreNames);
const probes = {
  right: probe(0, "import type { SyncSettingsInput } from '@invoiced/netsuite-sync';\nconst input: SyncSettingsInput = { items: { defaultItem: '1' } };\nawait engine.sync();"),
  wrong: probe(1, "import type { SyncSettingsInput } from '@invoiced/netsuite-sync';\nconst input: SyncSettingsInput = { items: { default: '1' } };"),
};

const SAMPLE = [
  'Text.',
  '```ts',
  'one();',
  '```',
  '  ```typescript',
  '  two();',
  '  ```',
  '<!-- not compiled: a fragment -->',
  '```ts',
  'three(',
  '```',
  '```sh',
  'pnpm demo',
  '```',
].join('\n');

describe('TypeScript blocks of the docs and READMEs type-check against the API', () => {
  let result: ReturnType<typeof checkModules> | undefined;
  beforeAll(() => {
    result = checkModules([...modules, ...Object.values(probes)], new Map([[FREE_VARIABLES_FILE, FREE_VARIABLES]]));
  }, 120_000);

  it('finds the blocks, their language, indented fences, and the not-compiled mark on the line before a fence', () => {
    expect(extractBlocks('sample.md', SAMPLE).map(({ label, lang, notCompiled, lines }) => ({ label, lang, notCompiled, lines }))).toEqual([
      { label: 'sample.md:2', lang: 'ts', notCompiled: undefined, lines: [{ text: 'one();', line: 3 }] },
      { label: 'sample.md:5', lang: 'typescript', notCompiled: undefined, lines: [{ text: 'two();', line: 6 }] },
      { label: 'sample.md:9', lang: 'ts', notCompiled: 'a fragment', lines: [{ text: 'three(', line: 10 }] },
      { label: 'sample.md:12', lang: 'sh', notCompiled: undefined, lines: [{ text: 'pnpm demo', line: 13 }] },
    ]);
    expect(modules.length).toBeGreaterThan(40);
  });

  it('compiles its setup: the options and the free variables', () => {
    expect(result?.setup).toEqual([]);
  });

  it('refuses a wrong block and accepts a right one', () => {
    expect(result?.problems.get(probes.right)).toEqual([]);
    expect(result?.problems.get(probes.wrong)).toEqual([expect.stringMatching(/^probe\.md:3 TS2353: .*'default' does not exist/)]);
  });

  it.each(modules.map((module) => [module.block.label, module] as const))('%s', (_label, module) => {
    expect(result?.problems.get(module)).toEqual([]);
  });

  it.skip.each(partial.map((block) => [`${block.label} (not compiled: ${block.notCompiled ?? ''})`]))('%s', () => {});
});
