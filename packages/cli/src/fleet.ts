/**
 * The worker fleet (`@invoiced/netsuite-sync-worker`) on the CLI's store: `worker` and `connections` use
 * the Postgres database the other commands keep their state in (`--store postgres://...`, `DATABASE_URL`,
 * or `--store pglite:<dir>` in one process), so that `runs --connection <id>` shows the fleet's runs. The
 * fleet's errors are turned into the CLI's: its own commands in the resolution, and an exit code.
 */
import { isNetSuiteSyncError } from '@invoiced/netsuite-sync';
import type { Fleet } from '@invoiced/netsuite-sync-worker';
import type { CommandContext } from './context';
import { CliError } from './errors';
import { EXIT_CODES } from './exit-codes';
import type { PostgresConnection } from '@invoiced/netsuite-sync-store-postgres';
import { parseStoreSpec } from './store';

/** The fleet's database, opened from the CLI's store options. */
export interface FleetDatabase {
  readonly database: PostgresConnection;
  /** What it is, for people, never with a password. */
  readonly description: string;
}

/**
 * Checks that the store the CLI is configured with is a Postgres one before anything is opened: a usage
 * error (exit 64) naming what to set for any other.
 */
export function checkFleetStore(context: CommandContext): void {
  const spec = parseStoreSpec(context.flags.store, context.env.DATABASE_URL);
  if (spec.kind === 'postgres' || spec.kind === 'pglite') return;
  const configured =
    spec.kind === 'memory'
      ? 'the memory store (--store memory)'
      : `the SQLite store ${spec.file}${spec.byDefault === true ? ' (the default: neither --store nor DATABASE_URL is set)' : ''}`;
  throw new CliError(`The worker fleet needs a Postgres database, and ${configured} is configured.`, {
    code: 'FLEET_NEEDS_POSTGRES',
    resolution:
      'Set DATABASE_URL=postgres://user:password@host:5432/database (or pass --store postgres://...): every worker and every `netsuite-sync connections` command must use the same database. To try it in one process at a time, --store pglite:<directory>.',
  });
}

/** Opens the fleet's database: the store's pool (of `poolMax` connections on a server) or PGlite instance. */
export async function openFleetDatabase(context: CommandContext, options: { poolMax?: number } = {}): Promise<FleetDatabase> {
  checkFleetStore(context);
  const opened = await context.openStore(undefined, options.poolMax === undefined ? {} : { poolMax: options.poolMax });
  if (opened.database === undefined) throw new Error(`${opened.description} has no Postgres database`);
  return { database: opened.database, description: opened.description };
}

/** The fleet's API on the configured database, closed when the command ends. */
export async function openFleet(context: CommandContext): Promise<{ fleet: Fleet; description: string }> {
  const { database, description } = await openFleetDatabase(context);
  const { createFleet } = await import('@invoiced/netsuite-sync-worker');
  const fleet = createFleet({ database, ...(context.logger === undefined ? {} : { logger: context.logger }) });
  context.defer(() => fleet.close());
  return { fleet, description };
}

/**
 * A fleet error as the CLI reports it, with the CLI's commands to run about it: `CONNECTION_NOT_FOUND`
 * exit 64 (a wrong argument, as `runs <unknown run>`), `CONNECTION_EXISTS` exit 1 (the registry already
 * holds it: nothing was changed), `INVALID_FLEET_INPUT` exit 64 with the options to correct. Any other
 * error is returned as it is.
 */
export function fleetCliError(error: unknown, context: CommandContext, description: string): unknown {
  if (!isNetSuiteSyncError(error)) return error;
  const id = (error as { connectionId?: unknown }).connectionId;
  const name = typeof id === 'string' ? id : '<id>';
  switch (error.code) {
    case 'CONNECTION_NOT_FOUND':
      return new CliError(`No connection "${name}" in the registry of ${description}.`, {
        code: error.code,
        exitCode: EXIT_CODES.usage,
        resolution: `Check the ID (${context.hint(['connections', 'list'], 'store')} lists them), or add it: netsuite-sync connections add ${name} --netsuite-account <account ID> --invoiced-key-id <key name>.`,
        cause: error,
      });
    case 'CONNECTION_EXISTS':
      return new CliError(`A connection "${name}" is already registered in ${description}; nothing was changed.`, {
        code: error.code,
        exitCode: EXIT_CODES.failure,
        resolution: `Change it with netsuite-sync connections update ${name} <options>, or remove it first (netsuite-sync connections remove ${name}; its runs and links stay in the store).`,
        cause: error,
      });
    case 'INVALID_FLEET_INPUT':
      return new CliError(error.message, {
        code: error.code,
        exitCode: EXIT_CODES.usage,
        resolution:
          'Correct the values named: netsuiteAccount is --netsuite-account, invoicedKeyId --invoiced-key-id, schedule.every --every, schedule.jitter --jitter, settings.* the JSON file of --settings. Nothing was changed.',
        cause: error,
      });
    default:
      return error;
  }
}
