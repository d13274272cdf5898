import { NetSuiteSyncError } from '../errors';

/** Another sync of the same connection holds the lease (in this process or another). */
export class SyncInProgressError extends NetSuiteSyncError {
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
