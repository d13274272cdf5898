/**
 * The write port: phases read through views without a write method and write only through `SyncWriter`;
 * the planning writer of a dry run answers every write the port has without a request, checking bodies
 * as the client does; the client writer of a real run is the same port over the clients.
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError, type InvoicedClient, type NetSuiteClient } from '../src/index';
import { clientWriter } from '../src/engine/client-writer';
import type { InvoicedReader, NetSuiteReader, PhaseDeps, SyncWriter } from '../src/engine/contracts';
import { INVOICED_PLACEHOLDER_FLOOR, planningWriter, type PlannedWrite } from '../src/engine/dry-run/planning-writer';
import { engineTestStore } from './support/engine-store';

const signal = undefined;

/** A client whose every property access fails the test: the planning writer must not touch it. */
const untouchable = <T extends object>(): T =>
  new Proxy({} as T, {
    get(_target, property) {
      throw new Error(`the planning writer touched the client (${String(property)})`);
    },
  });

describe('engine: the write port', () => {
  it('has the same writes in a real run and in a dry run', () => {
    const real = clientWriter(untouchable<NetSuiteClient>(), untouchable<InvoicedClient>());
    const planned = planningWriter({ store: engineTestStore(), connectionId: 'port' });
    const methods = (writer: SyncWriter) => ({ invoiced: Object.keys(writer.invoiced).sort(), netsuite: Object.keys(writer.netsuite).sort() });
    expect(methods(planned)).toEqual(methods(real));
  });

  it('gives phases no way to write but the port (checked by the type checker)', () => {
    const reads = (deps: PhaseDeps): [InvoicedReader, NetSuiteReader] => [deps.invoiced, deps.netsuite];
    const check = (deps: PhaseDeps) => {
      const [invoiced, netsuite] = reads(deps);
      // @ts-expect-error the Invoiced read view has no create
      void invoiced.invoices.create;
      // @ts-expect-error the Invoiced read view has no void
      void invoiced.payments.void;
      // @ts-expect-error the NetSuite read view has no records (and so no upsert)
      void netsuite.records;
      // @ts-expect-error nor raw requests
      void netsuite.request;
      return deps.writer.invoiced;
    };
    expect(typeof check).toBe('function');
  });
});

describe('engine: the planning writer', () => {
  it('answers creates with placeholder IDs, in order, without a request', async () => {
    const writes: PlannedWrite[] = [];
    const writer = planningWriter({ store: engineTestStore(), connectionId: 'plan', onWrite: (write) => writes.push(write) });
    const customer = await writer.invoiced.createCustomer(
      { name: 'Acme', number: 'C-1', currency: 'USD', metadata: { netsuite_id: '7', note: null } },
      { idempotencyKey: 'key-000001', signal },
    );
    expect(customer).toEqual({ id: INVOICED_PLACEHOLDER_FLOOR + 1, name: 'Acme', number: 'C-1', type: null, email: null, phone: null, currency: 'usd', metadata: { netsuite_id: '7' } });
    expect(await writer.invoiced.createInvoice({ customer: customer.id, items: [] }, { idempotencyKey: 'key-000002', signal })).toEqual({ id: INVOICED_PLACEHOLDER_FLOOR + 2 });
    expect(await writer.invoiced.createPayment({ amount: 10 }, { idempotencyKey: 'key-000003', signal })).toEqual({ id: INVOICED_PLACEHOLDER_FLOOR + 3 });
    await writer.invoiced.voidInvoice(42, { signal });
    await writer.netsuite.delete('invoice', '501', { signal });
    expect(writes.map((write) => `${write.method} ${write.id}`)).toEqual([
      `invoiced.createCustomer ${INVOICED_PLACEHOLDER_FLOOR + 1}`,
      `invoiced.createInvoice ${INVOICED_PLACEHOLDER_FLOOR + 2}`,
      `invoiced.createPayment ${INVOICED_PLACEHOLDER_FLOOR + 3}`,
      'invoiced.voidInvoice 42',
      'netsuite.delete 501',
    ]);
  });

  it('upserts to the linked NetSuite record, or a planned one kept for the external ID', async () => {
    const store = engineTestStore();
    await store.saveLink('plan', { kind: 'invoice', invoicedId: '12', netsuiteId: '3400', origin: 'invoiced', fingerprint: null });
    const writer = planningWriter({ store, connectionId: 'plan' });
    expect(await writer.netsuite.upsert('invoice', 'invd-inv-12', { memo: 'x' }, { signal, replace: ['item'] })).toEqual({ id: '3400' });
    expect(await writer.netsuite.upsert('invoice', 'invd-inv-13', {}, { signal })).toEqual({ id: 'planned-1' });
    expect(await writer.netsuite.upsert('invoice', 'invd-inv-13', {}, { signal })).toEqual({ id: 'planned-1' });
    expect(await writer.netsuite.upsert('customer', 'invd-cust-5', {}, { signal })).toEqual({ id: 'planned-2' });
  });

  it('refuses what the client refuses before sending: bad metadata, a bad ID', async () => {
    const writer = planningWriter({ store: engineTestStore(), connectionId: 'plan' });
    const metadata = Object.fromEntries(Array.from({ length: 11 }, (_, index) => [`k${index}`, 'v']));
    await expect(writer.invoiced.createInvoice({ customer: 1, metadata }, { idempotencyKey: 'key-000001', signal })).rejects.toBeInstanceOf(ConfigurationError);
    await expect(writer.invoiced.updatePayment(0, { notes: 'x' }, { signal })).rejects.toBeInstanceOf(ConfigurationError);
    await expect(writer.invoiced.voidPayment(-1, { signal })).rejects.toBeInstanceOf(ConfigurationError);
  });
});
