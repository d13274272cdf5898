/**
 * The scenario child as JavaScript. The bench's sources are TypeScript, which Node runs by stripping
 * their types; the stripper, loaded by the first `.ts` file a process imports, holds some 17 MB for the
 * rest of the process. The child's peak RSS is reported as the engine's, so the child runs what a backend
 * built from TypeScript runs: each source of this folder with its types stripped once, here, by the parent
 * (`bench/dist/child/`, not committed), its `#bench/...` imports pointed at the stripped files.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { fileURLToPath } from 'node:url';

const SOURCES = fileURLToPath(new URL('./', import.meta.url));
const OUT = fileURLToPath(new URL('../dist/child/', import.meta.url));

/** One source as JavaScript: its types stripped, `#bench/<name>` imports turned into `./<name>.js`. */
export function toJavaScript(source: string): string {
  return stripTypeScriptTypes(source, { mode: 'strip' }).replace(/(['"])#bench\/([\w-]+)\1/g, '$1./$2.js$1');
}

/**
 * Writes every source of the bench (tests aside) as JavaScript and returns the child's path.
 * @throws {Error} from the stripper for a source it cannot strip (syntax that needs a transform).
 */
export function childScript(): string {
  mkdirSync(OUT, { recursive: true });
  for (const name of readdirSync(SOURCES)) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    writeFileSync(`${OUT}${name.slice(0, -'.ts'.length)}.js`, toJavaScript(readFileSync(`${SOURCES}${name}`, 'utf8')));
  }
  return `${OUT}child.js`;
}
