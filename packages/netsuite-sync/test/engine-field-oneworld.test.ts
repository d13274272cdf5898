/**
 * OneWorld and the transform hook: customers created in NetSuite go to the subsidiary a rule gives, are
 * matched by name only within it when the account says so, and rules test a transaction's subsidiary
 * through its customer; imported customers bring a mapped entity field back; the `transform` hook changes
 * what is written, and its failure is one record's error. A dry run plans with the mappings and writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { currencyIdsOf, type NetSuiteAccountShape } from '@invoiced/netsuite-sync-sandbox';
import { engineTestStore } from './support/engine-store';
import { sandboxWorld } from './support/world';
import { createSyncEngine, type FieldTransform, type SyncSettingsInput } from '../src/index';

const w = sandboxWorld({ seed: 197, start: '2026-12-02T08:00:00Z', books: { customers: 3, invoices: 4, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } } });
const ns = w.sandbox.netsuite.state;
const inv = w.sandbox.invoiced.state;
const currencies = currencyIdsOf(w.books.netsuite);
const EUR = currencies.get('EUR') ?? '';
const USD = currencies.get('USD') ?? '';

const SHAPE: NetSuiteAccountShape = {
  subsidiaries: [{ id: '2', name: 'Europe', currency: EUR }],
  classes: [
    { id: '1', name: 'Americas' },
    { id: '2', name: 'EMEA' },
  ],
  customFields: [{ scriptId: 'custentity_tier', label: 'Tier', type: 'text', appliesTo: ['customer'] }],
};
ns.setShape(SHAPE);

const SETTINGS: SyncSettingsInput = {
  ...w.settings,
  subsidiary: [{ when: { currency: 'eur' }, subsidiary: '2' }, { subsidiary: '1' }],
  matchCustomersWithinSubsidiary: true,
  netsuiteFields: {
    customer: { fields: [{ invoiced: 'metadata.tier', netsuite: 'custentity_tier' }] },
    invoice: { rules: [{ when: { subsidiary: '2' }, set: { class: { id: '2' } } }, { when: { subsidiary: '1' }, set: { class: { id: '1' } } }] },
  },
};

const transform: FieldTransform = (record, { type, direction, source }) => {
  // Imported invoices say where they came from, in a metadata key of the hook's own.
  if (type === 'invoice' && direction === 'netsuite_to_invoiced') return { ...record, metadata: { ...(record.metadata as object), origin_system: 'netsuite' } };
  if (type !== 'invoice' || direction !== 'invoiced_to_netsuite') return record;
  if (source.number === 'INV-BOOM') throw new Error('no memo for this one');
  return { ...record, memo: `From Invoiced ${String(source.number)}` };
};

const CONNECTION = 'oneworld';
const store = engineTestStore({ clock: w.clock });
const engine = createSyncEngine({ netsuite: w.netsuite, invoiced: w.invoiced, store, connectionId: CONNECTION, clock: w.clock, settings: SETTINGS, transform });
const refOf = (value: unknown) => (value as { id?: string } | undefined)?.id;
const errorsOf = <E extends { code: string }>(run: { recordErrors: readonly E[] }) => run.recordErrors.filter((error) => error.code !== 'CUSTOMER_ALREADY_LINKED');

describe('engine: OneWorld subsidiaries and the transform hook', () => {
  it('matches a customer by name only within the subsidiary its rule gives, and a rule on the subsidiary sets the class', async () => {
    await engine.sync();
    w.later();
    // One company, a customer of both subsidiaries in NetSuite.
    const americas = ns.insert('customer', { companyName: 'Twin Trading', subsidiary: { id: '1' }, currency: { id: USD } });
    const europe = ns.insert('customer', { companyName: 'Twin Trading', subsidiary: { id: '2' }, currency: { id: EUR } });
    const customer = inv.insert('customers', { name: 'Twin Trading', currency: 'eur' });
    const invoice = inv.insert('invoices', { customer: customer.id, currency: 'eur', number: 'INV-TWIN', draft: false, items: [{ name: 'Work', quantity: 1, unit_cost: 40 }] });
    w.later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    expect((await store.findLinkByInvoicedId(CONNECTION, 'customer', String(customer.id)))?.netsuiteId).toBe(String(europe.id));
    const record = ns.findByExternalId('invoice', `invd-inv-${invoice.id}`);
    expect(refOf(record?.entity)).toBe(String(europe.id));
    expect(refOf(record?.class)).toBe('2');
    expect(String(americas.id)).not.toBe(String(europe.id));
  });

  it('creates a new customer in the subsidiary its rule gives, with its mapped entity field', async () => {
    w.later();
    const customer = inv.insert('customers', { name: 'Nordic Newco', currency: 'eur', metadata: { tier: 'gold' } });
    const invoice = inv.insert('invoices', { customer: customer.id, currency: 'eur', number: 'INV-NORDIC', draft: false, items: [{ name: 'Work', quantity: 1, unit_cost: 60 }] });
    w.later();
    expect(errorsOf(await engine.sync())).toEqual([]);
    const created = ns.findByExternalId('customer', `invd-cust-${customer.id}`);
    expect(refOf(created?.subsidiary)).toBe('2');
    expect(created?.custentity_tier).toBe('gold');
    expect(refOf(ns.findByExternalId('invoice', `invd-inv-${invoice.id}`)?.class)).toBe('2');
  });

  it('runs the transform hook on what it writes; its failure is that record\'s error and the run goes on', async () => {
    w.later();
    const customer = inv.insert('customers', { name: 'Hook Corp', currency: 'usd' });
    const good = inv.insert('invoices', { customer: customer.id, currency: 'usd', number: 'INV-HOOK', draft: false, items: [{ name: 'Work', quantity: 1, unit_cost: 10 }] });
    const bad = inv.insert('invoices', { customer: customer.id, currency: 'usd', number: 'INV-BOOM', draft: false, items: [{ name: 'Work', quantity: 1, unit_cost: 11 }] });
    w.later();
    const run = await engine.sync();
    expect(run.status).toBe('partial');
    expect(errorsOf(run).map((error) => error.code)).toEqual(['FIELD_TRANSFORM_FAILED']);
    expect(run.recordErrors.find((error) => error.code === 'FIELD_TRANSFORM_FAILED')?.message).toBe('Invoice INV-BOOM: the transform hook failed: no memo for this one');
    expect(ns.findByExternalId('invoice', `invd-inv-${good.id}`)?.memo).toBe('From Invoiced INV-HOOK');
    expect(refOf(ns.findByExternalId('invoice', `invd-inv-${good.id}`)?.class)).toBe('1');
    expect(ns.findByExternalId('invoice', `invd-inv-${bad.id}`)).toBeUndefined();
  });

  it("sets the hook's own metadata keys on imported invoices, on their updates too", async () => {
    const link = (await store.listLinks(CONNECTION, 'invoice')).find((entry) => entry.origin === 'netsuite' && inv.get('invoices', Number(entry.invoicedId))?.closed !== true);
    if (link === undefined) throw new Error('an open imported invoice');
    expect(inv.get('invoices', Number(link.invoicedId))?.metadata).toEqual({ netsuite_id: link.netsuiteId, origin_system: 'netsuite' });
    // A person drops the key on Invoiced; the invoice changes in NetSuite; the update puts the key back, keeping the person's own.
    w.later();
    inv.update('invoices', Number(link.invoicedId), { metadata: { netsuite_id: link.netsuiteId, owner: 'carol' } });
    ns.update('invoice', link.netsuiteId, { dueDate: '2027-03-01' });
    w.later();
    const run = await engine.sync();
    // INV-BOOM still fails in the hook (waiting in the retry queue): nothing else does.
    expect(errorsOf(run).map((error) => error.number)).toEqual(['INV-BOOM']);
    expect(run.counts.invoices_updated).toBe(1);
    expect(inv.get('invoices', Number(link.invoicedId))?.metadata).toEqual({ netsuite_id: link.netsuiteId, owner: 'carol', origin_system: 'netsuite' });
  });

  it('brings a mapped entity field of an imported customer back to Invoiced, keeping other metadata', async () => {
    const link = (await store.listLinks(CONNECTION, 'customer')).find((entry) => entry.origin === 'netsuite');
    if (link === undefined) throw new Error('an imported customer');
    inv.update('customers', Number(link.invoicedId), { metadata: { ...inv.get('customers', Number(link.invoicedId))?.metadata, owner: 'bob' } });
    w.later();
    ns.update('customer', link.netsuiteId, { custentity_tier: 'silver' });
    w.later();
    await engine.importCustomers().done;
    expect(inv.get('customers', Number(link.invoicedId))?.metadata).toEqual({ netsuite_id: link.netsuiteId, owner: 'bob', tier: 'silver' });
  });

  it('plans with the mappings in a dry run: a changed mapped value is an update, a bad value a failure, and nothing is written', async () => {
    const engineWithRep = createSyncEngine({
      netsuite: w.netsuite,
      invoiced: w.invoiced,
      store,
      connectionId: CONNECTION,
      clock: w.clock,
      transform,
      settings: { ...SETTINGS, netsuiteFields: { ...SETTINGS.netsuiteFields, invoice: { fields: [{ invoiced: 'metadata.rep', netsuite: 'salesRep', type: 'ref', direction: 'to_netsuite' }] } } },
    });
    w.later();
    const invoice = inv.list('invoices').find((entry) => entry.number === 'INV-HOOK');
    if (invoice === undefined) throw new Error('INV-HOOK');
    const other = inv.list('invoices').find((entry) => entry.number === 'INV-NORDIC');
    inv.update('invoices', invoice.id, { metadata: { rep: 'not an id' } });
    inv.update('invoices', other?.id ?? 0, { notes: 'touched' });
    w.later();
    w.sandbox.netsuite.clearRequests();
    const plan = await engineWithRep.sync({ dryRun: true });
    expect(plan.changes.find((change) => change.sourceId === String(invoice.id))?.action).toBe('fail');
    expect(plan.recordErrors.find((error) => error.sourceId === String(invoice.id))?.code).toBe('FIELD_VALUE_INVALID');
    // Its class rule is gone from these settings: the other invoice's body changes, so it would be updated.
    expect(plan.changes.find((change) => change.sourceId === String(other?.id))?.action).toBe('update');
    expect(w.sandbox.netsuite.requests.filter((entry) => entry.method !== 'GET' && !entry.path.includes('/query/'))).toEqual([]);
  });

  it('needs a subsidiary rule only to create a customer: one no rule covers still matches by name, and a new one is a record error', async () => {
    const euroOnly = createSyncEngine({
      netsuite: w.netsuite,
      invoiced: w.invoiced,
      store,
      connectionId: CONNECTION,
      clock: w.clock,
      settings: { ...w.settings, subsidiary: [{ when: { currency: 'eur' }, subsidiary: '2' }] },
    });
    w.later();
    const existing = ns.insert('customer', { companyName: 'Solo Supplies', subsidiary: { id: '1' }, currency: { id: USD } });
    const known = inv.insert('customers', { name: 'Solo Supplies', currency: 'usd' });
    const unknown = inv.insert('customers', { name: 'Nobody Covers Us', currency: 'usd' });
    inv.insert('invoices', { customer: known.id, currency: 'usd', number: 'INV-SOLO', draft: false, items: [{ name: 'Work', quantity: 1, unit_cost: 5 }] });
    inv.insert('invoices', { customer: unknown.id, currency: 'usd', number: 'INV-NOBODY', draft: false, items: [{ name: 'Work', quantity: 1, unit_cost: 6 }] });
    w.later();
    const run = await euroOnly.sync();
    expect((await store.findLinkByInvoicedId(CONNECTION, 'customer', String(known.id)))?.netsuiteId).toBe(String(existing.id));
    expect(errorsOf(run).map((error) => [error.number, error.code])).toEqual([['INV-NOBODY', 'SUBSIDIARY_RULE_NOT_MATCHED']]);
  });
});

