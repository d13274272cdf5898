/**
 * How the engine tells a record's failure from the run's: from the public `kind` every `ApiError` carries
 * (set where its class is chosen), read through a guard that also recognizes errors of another copy of the
 * package. Nothing here depends on which code built the error.
 */
import { apiFailureKindOf, isNetSuiteSyncError, type ApiFailureKind } from '../../errors';
import type { Direction, EntityKind } from '../../store/sync-store';

/** The failure kinds that mean a service or the credentials are unusable: they end the run. */
export const WHOLE_RUN_KINDS: ReadonlySet<ApiFailureKind> = new Set<ApiFailureKind>(['authentication', 'permission', 'rate_limit', 'server', 'timeout', 'connection']);

/**
 * Whether an error ends the whole run rather than failing one record: an API error of a kind in
 * {@link WHOLE_RUN_KINDS} (after the clients' own retries).
 * @example isWholeRunFailure(new NetSuiteAuthenticationError('...', { method: 'GET', path: '/', code: 'INVALID_LOGIN' })); // true
 */
export function isWholeRunFailure(error: unknown): boolean {
  const kind = apiFailureKindOf(error);
  return kind !== undefined && WHOLE_RUN_KINDS.has(kind);
}

const DEFAULT_RESOLUTION = 'Correct the record as the message says, then retry it.';

/** The per-record error of an exception: its code, a secret-free message and a resolution. */
export function describeRecordFailure(error: unknown): { code: string; message: string; resolution: string } {
  if (isNetSuiteSyncError(error)) return { code: error.code, message: error.message, resolution: error.resolution ?? DEFAULT_RESOLUTION };
  const candidate = error as { code?: unknown; message?: unknown; resolution?: unknown };
  if (error instanceof Error && typeof candidate.code === 'string') {
    return { code: candidate.code, message: error.message, resolution: typeof candidate.resolution === 'string' ? candidate.resolution : DEFAULT_RESOLUTION };
  }
  return {
    code: 'UNEXPECTED_ERROR',
    message: error instanceof Error ? error.message : String(error),
    resolution: 'This looks like a bug in the sync; report it with the run ID.',
  };
}

/** The retry queue key of a record in one direction. */
export function retryKey(direction: Direction, entity: EntityKind, sourceId: string): string {
  return `${direction}:${entity}:${sourceId}`;
}
