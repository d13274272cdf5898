/**
 * The writer of a dry run: the write port (`SyncWriter`) with no request behind it. Each write is checked
 * as the client would check it (a body the client refuses fails the same way), recorded, and answered
 * with what the phases read back: a placeholder ID for a record it would create (Invoiced IDs from
 * {@link INVOICED_PLACEHOLDER_FLOOR} + 1 up, NetSuite IDs `planned-<n>`; neither service gives such IDs),
 * or the ID of the linked NetSuite record an upsert would write.
 */
import { checkId, prepareWriteBody } from '../../invoiced/inputs';
import { settleNow } from '../../store/helpers';
import type { EntityKind, SyncStore } from '../../store/sync-store';
import type { CreatedInvoicedCustomer, SyncWriter } from '../contracts';

/**
 * Invoiced placeholder IDs are above this: 9000000000000001, 9000000000000002... Invoiced numbers its
 * records from 1 up and never gets near; the IDs stay positive safe integers, as the mappings require.
 */
export const INVOICED_PLACEHOLDER_FLOOR = 9_000_000_000_000_000;

/** A write a dry run recorded instead of making it. */
export interface PlannedWrite {
  readonly service: 'netsuite' | 'invoiced';
  /** The port's method, e.g. `invoiced.createInvoice`, `netsuite.upsert`. */
  readonly method: string;
  /** The record written: a placeholder for one that would be created. */
  readonly id: string;
  /** The body it would send, if any. */
  readonly body: unknown;
}

/** External IDs of the records the sync writes to NetSuite, with the kind and Invoiced ID of their link. */
const WRITTEN_EXTERNAL_ID = /^invd-(cust|inv|pay|cn|ref)-(\d+)$/;
const KIND_OF_PREFIX: Readonly<Record<string, EntityKind>> = { cust: 'customer', inv: 'invoice', pay: 'payment', cn: 'creditNote', ref: 'refund' };

/**
 * A writer that writes nothing. `store` (the dry run's overlay) tells which NetSuite record an upsert by
 * the sync's external ID would write; `onWrite` hears of each write.
 * @example
 * import { dryRunStore } from './overlay-store';
 *
 * const writer = planningWriter({ store: dryRunStore(realStore), connectionId: 'acme' });
 * const { id } = await writer.invoiced.createInvoice({ customer: 7, items: [] }, { idempotencyKey: 'k-000001', signal: undefined }); // 9000000000000001
 */
export function planningWriter(options: { store: SyncStore; connectionId: string; onWrite?: (write: PlannedWrite) => void }): SyncWriter {
  let invoicedCount = 0;
  let netsuiteCount = 0;
  /** IDs of the NetSuite records this dry run upserted, by `type/externalId`. */
  const upserted = new Map<string, string>();
  const record = (service: PlannedWrite['service'], method: string, id: string | number, body?: unknown) =>
    options.onWrite?.({ service, method, id: String(id), body: body === undefined ? undefined : structuredClone(body) });
  const created = (method: string, body: Readonly<Record<string, unknown>>) => {
    const id = INVOICED_PLACEHOLDER_FLOOR + (invoicedCount += 1);
    record('invoiced', method, id, prepareWriteBody(body));
    return id;
  };
  const changed = (method: string, id: number, body?: Readonly<Record<string, unknown>>) =>
    settleNow(() => {
      record('invoiced', method, checkId(id), body === undefined ? undefined : prepareWriteBody(body));
    });
  const linkedNetSuiteId = async (externalId: string): Promise<string | undefined> => {
    const match = WRITTEN_EXTERNAL_ID.exec(externalId);
    const kind = KIND_OF_PREFIX[match?.[1] ?? ''];
    if (match?.[2] === undefined || kind === undefined) return undefined;
    return (await options.store.findLinkByInvoicedId(options.connectionId, kind, match[2]))?.netsuiteId;
  };

  return {
    invoiced: {
      createCustomer: (body) =>
        settleNow(() => {
          const id = created('invoiced.createCustomer', body);
          const customer: CreatedInvoicedCustomer = {
            id,
            name: body.name,
            number: body.number ?? '',
            type: body.type ?? null,
            email: body.email ?? null,
            phone: body.phone ?? null,
            currency: typeof body.currency === 'string' ? body.currency.toLowerCase() : null,
            metadata: Object.fromEntries(Object.entries(body.metadata ?? {}).flatMap(([key, value]) => (value === null ? [] : [[key, value]]))),
          };
          return customer;
        }),
      updateCustomer: (id, fields) => changed('invoiced.updateCustomer', id, fields),
      createInvoice: (body) => settleNow(() => ({ id: created('invoiced.createInvoice', body) })),
      updateInvoice: (id, changes) => changed('invoiced.updateInvoice', id, changes),
      voidInvoice: (id) => changed('invoiced.voidInvoice', id),
      createPayment: (body) => settleNow(() => ({ id: created('invoiced.createPayment', body) })),
      updatePayment: (id, changes) => changed('invoiced.updatePayment', id, changes),
      voidPayment: (id) => changed('invoiced.voidPayment', id),
      createCreditNote: (body) => settleNow(() => ({ id: created('invoiced.createCreditNote', body) })),
      updateCreditNote: (id, changes) => changed('invoiced.updateCreditNote', id, changes),
      voidCreditNote: (id) => changed('invoiced.voidCreditNote', id),
    },
    netsuite: {
      upsert: async (type, externalId, body) => {
        const key = `${type}/${externalId}`;
        const id = upserted.get(key) ?? (await linkedNetSuiteId(externalId)) ?? `planned-${(netsuiteCount += 1)}`;
        upserted.set(key, id);
        record('netsuite', 'netsuite.upsert', id, body);
        return { id };
      },
      delete: (_type, id) =>
        settleNow(() => {
          record('netsuite', 'netsuite.delete', id);
        }),
    },
  };
}
