/**
 * How the engine tells a record's failure from the run's: from the public `kind` every `ApiError` carries
 * (set where its class is chosen), read through a guard that also recognizes errors of another copy of the
 * package. Nothing here depends on which code built the error.
 */
import { apiFailureKindOf, isApiError, isNetSuiteSyncError, type ApiFailureKind } from '../../errors';
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

/**
 * Whether an error is Invoiced's 404 for a record it no longer has (deleted there, by a person or by its
 * deletion being followed): the records phases read by ID take it as gone, not as a failure.
 */
export function isInvoicedNotFound(error: unknown): boolean {
  return isApiError(error) && error.api === 'invoiced' && error.status === 404;
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

/** What a record is called in Recent Syncs, by the side it is read from. */
const RECORD_NAMES: Readonly<Record<Direction, Readonly<Record<EntityKind, string>>>> = {
  netsuite_to_invoiced: { customer: 'NetSuite customer', invoice: 'NetSuite invoice', creditNote: 'NetSuite credit memo', payment: 'NetSuite customer payment', refund: 'NetSuite customer refund' },
  invoiced_to_netsuite: { customer: 'Invoiced customer', invoice: 'Invoiced invoice', creditNote: 'Invoiced credit note', payment: 'Invoiced payment', refund: 'Invoiced refund' },
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A record error's message, naming its record: as it is when it names the record's number or ID already
 * (the engine's own errors do), else prefixed with the record (an error a service answered, such as a
 * 404 for a counterpart deleted by a person, names only the request).
 * @example namingRecord('Invoiced GET /credit_notes/3 failed with 404', { direction: 'netsuite_to_invoiced', entity: 'creditNote', sourceId: '100038', number: 'CM-7' })
 * // 'NetSuite credit memo CM-7 (100038): Invoiced GET /credit_notes/3 failed with 404'
 */
export function namingRecord(message: string, record: { direction: Direction; entity: EntityKind; sourceId: string; number: string | null }): string {
  const { direction, entity, sourceId, number } = record;
  const names = [number, sourceId].filter((name): name is string => name !== null && name.trim() !== '');
  // A name counts only as a whole token: the ID 3 is not named by "/credit_notes/33".
  if (names.some((name) => new RegExp(`(^|[^0-9A-Za-z])${escapeRegExp(name)}($|[^0-9A-Za-z])`).test(message))) return message;
  const label = number !== null && number.trim() !== '' && number !== sourceId ? `${number} (${sourceId})` : sourceId;
  return `${RECORD_NAMES[direction][entity]} ${label}: ${message}`;
}
