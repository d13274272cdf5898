/**
 * The writer of a real run: the write port (`SyncWriter`) over the two clients. Every create on Invoiced
 * keeps its idempotency key after a lost answer, so that a retry is answered with the first write.
 */
import type { InvoicedClient } from '../invoiced/client';
import type { NetSuiteClient } from '../netsuite/client';
import type { SyncWriter } from './contracts';

/**
 * The writes of a sync, made through `netsuite` and `invoiced`.
 * @example const writer = clientWriter(netsuite, invoiced); await writer.invoiced.voidInvoice(42, { signal: undefined });
 */
export function clientWriter(netsuite: NetSuiteClient, invoiced: InvoicedClient): SyncWriter {
  return {
    invoiced: {
      createCustomer: (body, options) => invoiced.customers.create(body, { ...options, keepKeyAfterLostResponse: true }),
      updateCustomer: async (id, fields, options) => {
        await invoiced.customers.update(id, fields, options);
      },
      createInvoice: (body, options) => invoiced.invoices.create(body, { ...options, keepKeyAfterLostResponse: true }),
      updateInvoice: async (id, changes, options) => {
        await invoiced.invoices.update(id, changes, options);
      },
      voidInvoice: async (id, options) => {
        await invoiced.invoices.void(id, options);
      },
      createPayment: (body, options) => invoiced.payments.create(body, { ...options, keepKeyAfterLostResponse: true }),
      updatePayment: async (id, changes, options) => {
        await invoiced.payments.update(id, changes, options);
      },
      voidPayment: async (id, options) => {
        await invoiced.payments.void(id, options);
      },
      createCreditNote: (body, options) => invoiced.creditNotes.create(body, { ...options, keepKeyAfterLostResponse: true }),
      // An update may close the credit note (a credit memo refunded in full): repeated with a new key after
      // a lost answer, Invoiced would refuse it as closed. With the first key it replays the first answer.
      updateCreditNote: async (id, changes, options) => {
        await invoiced.creditNotes.update(id, changes, { ...options, keepKeyAfterLostResponse: true });
      },
      voidCreditNote: async (id, options) => {
        await invoiced.creditNotes.void(id, options);
      },
    },
    netsuite: {
      upsert: (type, externalId, body, options) => netsuite.records.upsert(type, externalId, body, options),
      delete: (type, id, options) => netsuite.records.delete(type, id, options),
    },
  };
}
