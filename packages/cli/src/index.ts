/**
 * `@invoiced/netsuite-sync-cli`: the `netsuite-sync` command. Its logic is {@link runCli}, which a program
 * (or a test) can call with its own streams, environment and abort signal.
 *
 * @packageDocumentation
 */
export { COMMANDS, runCli, usage, VERSION } from './cli';
export type { CliIo, CommandEntry } from './cli';
export type { CliStream } from './output';
export { EXIT_CODES } from './exit-codes';
export type { ExitCode } from './exit-codes';
export { ENVIRONMENT_VARIABLES } from './variables';
export type { VariableName } from './variables';
export { DEFAULT_PGLITE_DIR, DEFAULT_SQLITE_FILE, parseStoreSpec } from './store';
export type { StoreSpec } from './store';
export { DEMO_BOOKS } from './commands/demo';
