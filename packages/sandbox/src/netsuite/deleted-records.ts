/**
 * NetSuite's record of deletions, the SuiteQL table `DeletedRecord`: one row per deleted record, written
 * in the same SQLite transaction as the deletion (so a refused deletion leaves no row). Integrations read
 * it to follow deletions, e.g. `SELECT recordid, type FROM deletedrecord WHERE deleteddate > TO_TIMESTAMP(...)`.
 */
import type { Stamp } from './dates';
import type { NetSuiteRecordType, StoreContext } from './record-common';
import { prepared } from './statements';

/** Who deleted a record: an integration through REST web services, or a person in the NetSuite UI. */
export type NetSuiteDeletionContext = 'webservices' | 'userinterface';

/** One row of `DeletedRecord`, as `state.deletedRecords()` shows it. */
export interface NetSuiteDeletedRecord {
  /** Internal ID the record had. */
  readonly recordId: string;
  /** Record type script ID, lower case: `invoice`, `customerpayment`, `creditmemo`, `customerrefund`, `customer`. */
  readonly type: string;
  /** The record's document number (`tranId`) or `entityId`, when it had one. */
  readonly name: string | undefined;
  /** When it was deleted, by the simulator's clock: ISO 8601 UTC to the second. */
  readonly deletedDate: string;
  readonly context: NetSuiteDeletionContext;
  /** Internal ID of the employee who deleted it. */
  readonly deletedBy: string;
}

/** `DeletedRecord.type` of each record type: NetSuite's record type script ID. */
export const DELETED_RECORD_TYPES: Readonly<Record<NetSuiteRecordType, string>> = {
  customer: 'customer',
  invoice: 'invoice',
  customerPayment: 'customerpayment',
  creditMemo: 'creditmemo',
  customerRefund: 'customerrefund',
};

/**
 * The employee every deletion is attributed to: `-5`, the account's first administrator in a NetSuite
 * account, who also owns the integration's access token.
 */
export const DELETED_BY = -5;

/** Records that `id` of `type` was deleted now; call inside the deletion's transaction, after it succeeded. */
export function recordDeletion(context: StoreContext, type: NetSuiteRecordType, id: number, name: string | null, how: NetSuiteDeletionContext): void {
  const deleted: Stamp = context.now();
  prepared(context.db, `INSERT INTO deletedrecord (recordid, type, name, deleteddate, context, deletedby) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(id, DELETED_RECORD_TYPES[type], name, deleted, how, DELETED_BY);
}

/** Every recorded deletion, oldest first. */
export function listDeletions(context: StoreContext): NetSuiteDeletedRecord[] {
  return prepared(context.db, 'SELECT recordid, type, name, deleteddate, context, deletedby FROM deletedrecord ORDER BY deleteddate, rowid')
    .all()
    .map((row) => ({
      recordId: String(row.recordid),
      type: String(row.type),
      name: typeof row.name === 'string' ? row.name : undefined,
      deletedDate: String(row.deleteddate),
      context: row.context === 'userinterface' ? 'userinterface' : 'webservices',
      deletedBy: String(row.deletedby),
    }));
}
