/**
 * The engine's error classes, in one place. Errors of the clients are per service (`netsuite/errors.ts`,
 * `invoiced/errors.ts`), the base classes and guards in `../errors.ts`.
 */
import { ERROR_CLASS, NetSuiteSyncError } from '../errors';

/** Another sync of the same connection holds the lease (in this process or another). */
export class SyncInProgressError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'SyncInProgressError';
  override name = 'SyncInProgressError';
  readonly connectionId: string;

  constructor(connectionId: string) {
    super(`A sync of connection "${connectionId}" is already running.`, {
      code: 'SYNC_IN_PROGRESS',
      resolution: 'Wait for the running sync to finish (see recentSyncs()); a lease left by a crashed process expires after leaseTtlMs.',
    });
    this.connectionId = connectionId;
  }
}

/** An import job cannot start from what the store holds for its `jobId`. */
export class ImportJobError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'ImportJobError';
  override name = 'ImportJobError';
  readonly jobId: string;

  constructor(jobId: string, reason: 'kind' | 'checkpoint', detail: string) {
    super(
      reason === 'kind'
        ? `Import job "${jobId}" is an import of ${detail}: it cannot be resumed as another kind of import.`
        : `The checkpoint of import job "${jobId}" cannot be read: ${detail}.`,
      reason === 'kind'
        ? { code: 'IMPORT_KIND_MISMATCH', resolution: `Resume it with import${detail === 'invoices' ? 'Invoices' : 'Customers'}(), or start a new job without a jobId.` }
        : { code: 'INVALID_IMPORT_CHECKPOINT', resolution: 'Start a new job (without a jobId, or with a new one): imports are idempotent, so nothing is created twice.' },
    );
    this.jobId = jobId;
  }
}
