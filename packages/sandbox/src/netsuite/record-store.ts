/**
 * One entry for every record operation, whatever the type: the REST routes and the `state` API both go
 * through it, so a test arranging data with `state.insert` meets the same rules as a client's POST.
 * Every write runs in one SQLite transaction.
 */
import { checkBody, STATE_ORIGIN } from './body-check';
import { inTransaction } from './database';
import { badRequest } from './errors';
import { EXTERNAL_ID_PATTERN } from './fields';
import { customerRow, deleteCustomer, renderCustomer, writeCustomer } from './customers';
import { recordDeletion, type NetSuiteDeletionContext } from './deleted-records';
import { TRANSACTION_TYPES, type NetSuiteRecordType, type RestRecord, type StoreContext, type WriteOptions } from './record-common';
import type { CompiledFilter } from './record-filter';
import { customSpecsOf } from './shape-fields';
import { renderTransaction, type RenderOptions } from './transaction-render';
import { deleteTransaction, writeTransaction } from './transactions';
import { prepared } from './statements';

/** Record operations over the simulator's database. */
export interface RecordStore {
  /** Creates a record; returns its internal ID. */
  create(type: NetSuiteRecordType, body: unknown, options?: WriteOptions): number;
  /** Changes a record (PATCH: sublists are updated, keyed lines merged and others added, unless named in `options.replace`). */
  update(type: NetSuiteRecordType, id: number, body: unknown, options?: WriteOptions): void;
  /**
   * Creates the record with this external ID, or updates it as `update` does (PUT `eid:`, Oracle's
   * "Using the Upsert Operation"): a repeated PUT adds its unkeyed lines again unless they are replaced.
   */
  upsert(type: NetSuiteRecordType, externalId: string, body: unknown, options?: WriteOptions): { id: number; created: boolean };
  /**
   * Deletes a record (refused while others depend on it) and records the deletion in `DeletedRecord`
   * with `how` as its context.
   */
  remove(type: NetSuiteRecordType, id: number, how: NetSuiteDeletionContext): void;
  /** The REST shape of a record; `undefined` when it does not exist. */
  render(type: NetSuiteRecordType, id: number, options: RenderOptions): RestRecord | undefined;
  /** The internal ID for a path key (`12` or `eid:abc`), if such a record exists. */
  resolve(type: NetSuiteRecordType, key: string): number | undefined;
  /** IDs of the records matching a filter, ascending. */
  list(type: NetSuiteRecordType, filter?: CompiledFilter): number[];
}

function tableOf(type: NetSuiteRecordType): { table: string; where: string } {
  return type === 'customer' ? { table: 'customer', where: '1 = 1' } : { table: 'ns_transaction', where: `type = '${TRANSACTION_TYPES[type]}'` };
}

/** The record store of a context. */
export function createRecordStore(context: StoreContext): RecordStore {
  const { db } = context;
  // Every write's body is checked against its record type's schema first (`checkBody`).
  const checked = (type: NetSuiteRecordType, input: unknown, options: WriteOptions = {}) => checkBody(type, input, options.origin ?? STATE_ORIGIN, customSpecsOf(db, type));
  const write = (type: NetSuiteRecordType, body: Record<string, unknown>, id: number | undefined, options: WriteOptions = {}) =>
    inTransaction(db, () => (type === 'customer' ? writeCustomer(context, body, id, options) : writeTransaction(context, type, body, id, options)));

  const store: RecordStore = {
    create(type, body, options) {
      if (options?.id !== undefined && prepared(db, `SELECT id FROM ${tableOf(type).table} WHERE id = ?`).get(options.id) !== undefined) {
        throw badRequest('DUP_RCRD', `Internal ID ${options.id} is already in use.`, { path: 'id' });
      }
      return write(type, checked(type, body, options), undefined, options);
    },
    update: (type, id, body, options) => {
      write(type, checked(type, body, options), id, options);
    },
    upsert(type, externalId, input, options = {}) {
      if (!EXTERNAL_ID_PATTERN.test(externalId)) {
        throw badRequest('USER_ERROR', `Invalid external ID ${JSON.stringify(externalId)}: use letters, digits, _ and - only.`, { path: 'externalId' });
      }
      const body = checked(type, input, options);
      if (body.externalId !== undefined && body.externalId !== externalId) {
        throw badRequest('USER_ERROR', 'The externalId in the body differs from the one in the URL.', { path: 'externalId' });
      }
      const fields = { ...body, externalId };
      const existing = store.resolve(type, `eid:${externalId}`);
      if (existing === undefined) return { id: write(type, fields, undefined, options), created: true };
      write(type, fields, existing, options);
      return { id: existing, created: false };
    },
    remove(type, id, how) {
      inTransaction(db, () => {
        const { table } = tableOf(type);
        const row = prepared(db, `SELECT ${type === 'customer' ? 'entityid' : 'tranid'} AS name FROM ${table} WHERE id = ?`).get(id);
        if (type === 'customer') deleteCustomer(context, id);
        else deleteTransaction(context, id);
        recordDeletion(context, type, id, typeof row?.name === 'string' ? row.name : null, how);
      });
    },
    render(type, id, options) {
      if (type === 'customer') {
        const row = customerRow(context, id);
        return row === undefined ? undefined : renderCustomer(context, row, options.base);
      }
      return store.resolve(type, String(id)) === undefined ? undefined : renderTransaction(db, type, id, options);
    },
    resolve(type, key) {
      const { table, where } = tableOf(type);
      const row = key.startsWith('eid:')
        ? prepared(db, `SELECT id FROM ${table} WHERE externalid = ? AND ${where}`).get(key.slice(4))
        : /^\d+$/.test(key)
          ? prepared(db, `SELECT id FROM ${table} WHERE id = ? AND ${where}`).get(Number(key))
          : undefined;
      return row === undefined ? undefined : Number(row.id);
    },
    list(type, filter) {
      const { table, where } = tableOf(type);
      return prepared(db, `SELECT id FROM ${table} WHERE ${where} AND (${filter?.sql ?? '1 = 1'}) ORDER BY id`)
        .all(...(filter?.params ?? []))
        .map((row) => Number(row.id));
    },
  };
  return store;
}
