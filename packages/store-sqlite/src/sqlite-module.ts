/**
 * Loads `node:sqlite` at run time instead of importing it, so that an older Node.js gets a
 * {@link SqliteUnavailableError} saying which version to run rather than "No such built-in module", and
 * so that the one warning Node.js prints when the module loads can be left out.
 */
import type * as NodeSqlite from 'node:sqlite';
import { SqliteUnavailableError } from './errors';

/** The `node:sqlite` module. */
export type SqliteModule = typeof NodeSqlite;

/**
 * The warning Node.js 22.13 to 23.x print once, when `node:sqlite` first loads ("SQLite is an experimental
 * feature and might change at any time"). Node.js 24 prints none. Only this warning is left out.
 */
export function isSqliteExperimentalWarning(warning: string | Error, type: unknown): boolean {
  const message = typeof warning === 'string' ? warning : warning.message;
  const name = typeof warning === 'string' ? type : warning.name;
  return name === 'ExperimentalWarning' && /^SQLite is an experimental feature\b/.test(message);
}

/** What {@link loadSqlite} needs of `process`; tests pass their own. */
export interface SqliteHost {
  readonly version: string;
  getBuiltinModule?: ((id: string) => unknown) | undefined;
  emitWarning: (warning: string | Error, options?: unknown, ...rest: unknown[]) => void;
}

let loaded: SqliteModule | undefined;

/**
 * `node:sqlite`, loaded once. While it loads, `process.emitWarning` drops SQLite's ExperimentalWarning and
 * passes every other warning on unchanged.
 *
 * @throws {SqliteUnavailableError} when this Node.js has no `node:sqlite` (before 22.13 without a flag).
 */
export function loadSqlite(host: SqliteHost = process as unknown as SqliteHost): SqliteModule {
  if (loaded !== undefined && host === (process as unknown as SqliteHost)) return loaded;
  const emitWarning = host.emitWarning;
  const filtered = function (this: unknown, ...args: unknown[]): void {
    const [warning, options] = args;
    const type = typeof options === 'object' && options !== null ? (options as { type?: unknown }).type : options;
    if ((typeof warning === 'string' || warning instanceof Error) && isSqliteExperimentalWarning(warning, type)) return;
    Reflect.apply(emitWarning, this, args);
  };
  let module: unknown;
  host.emitWarning = filtered;
  try {
    // process.getBuiltinModule (Node.js 20.16+ and 22.3+) answers undefined for a module it does not have.
    module = typeof host.getBuiltinModule === 'function' ? host.getBuiltinModule('node:sqlite') : undefined;
  } catch (error) {
    throw new SqliteUnavailableError(host.version.replace(/^v/, ''), error);
  } finally {
    if (host.emitWarning === filtered) host.emitWarning = emitWarning;
  }
  if (typeof module !== 'object' || module === null || typeof (module as { DatabaseSync?: unknown }).DatabaseSync !== 'function') {
    throw new SqliteUnavailableError(host.version.replace(/^v/, ''));
  }
  if (host === (process as unknown as SqliteHost)) loaded = module as SqliteModule;
  return module as SqliteModule;
}
