/**
 * The worker package's errors: each a `NetSuiteSyncError` with a stable `code` and a `resolution`. None
 * carries a connection string, a credential or a statement's values.
 */
import { ERROR_CLASS, NetSuiteSyncError } from '@invoiced/netsuite-sync';

/** A failure of the fleet: its registry, its queue or its database. */
export class FleetError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'FleetError';
  override name = 'FleetError';

  constructor(message: string, options: { code?: string; resolution?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'FLEET_FAILED', resolution: options.resolution, cause: options.cause });
  }
}

/** No connection of that ID in the registry. */
export class ConnectionNotFoundError extends FleetError {
  static override readonly [ERROR_CLASS]: string = 'ConnectionNotFoundError';
  override name = 'ConnectionNotFoundError';
  readonly connectionId: string;

  constructor(connectionId: string) {
    super(`No connection "${connectionId}" in the registry.`, {
      code: 'CONNECTION_NOT_FOUND',
      resolution: 'Register it first (registerConnection), or check the ID (listConnections).',
    });
    this.connectionId = connectionId;
  }
}

/** A connection of that ID is already registered. */
export class ConnectionExistsError extends FleetError {
  static override readonly [ERROR_CLASS]: string = 'ConnectionExistsError';
  override name = 'ConnectionExistsError';
  readonly connectionId: string;

  constructor(connectionId: string) {
    super(`A connection "${connectionId}" is already registered.`, {
      code: 'CONNECTION_EXISTS',
      resolution: 'Change it with updateConnection, or remove it first (removeConnection).',
    });
    this.connectionId = connectionId;
  }
}
