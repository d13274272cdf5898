/**
 * An account with its own shape (required custom fields, Make Classes Mandatory, a custom form with a
 * mandatory Department): without mappings NetSuite refuses the sync's writes, each a record error naming
 * the field and the setting; with the documented settings every record is written with no error, and a
 * custom field mapped both ways round-trips, cleared values included.
 */
import { describe, expect, it } from 'vitest';
import { currencyIdsOf, type NetSuiteAccountShape } from '@invoiced/netsuite-sync-sandbox';
import { engineTestStore } from './support/engine-store';
import { invoiceOfLinkedCustomer, sandboxWorld } from './support/world';
import { createSyncEngine, type SyncSettingsInput } from '../src/index';

const w = sandboxWorld({ seed: 191, start: '2026-12-01T08:00:00Z', books: { customers: 4, invoices: 6, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } } });
const ns = w.sandbox.netsuite.state;
const inv = w.sandbox.invoiced.state;
const BANK = w.books.netsuite.accounts.find((account) => account.kind === 'bank')?.id ?? '';
const USD = currencyIdsOf(w.books.netsuite).get('USD') ?? '1';

const SHAPE: NetSuiteAccountShape = {
  classes: [
    { id: '1', name: 'Services' },
    { id: '2', name: 'Europe' },
  ],
  departments: [{ id: '10', name: 'Sales' }],
  employees: [{ id: '30', name: 'Jane Rep' }],
  customFields: [
    { scriptId: 'custbody_po', label: 'Customer PO', type: 'text', appliesTo: ['invoice', 'creditMemo'] },
    { scriptId: 'custbody_region', label: 'Region', type: 'text', appliesTo: ['invoice', 'creditMemo'], mandatory: true },
    { scriptId: 'custcol_project', label: 'Project', type: 'text', appliesTo: ['invoice', 'creditMemo'] },
    { scriptId: 'custentity_tier', label: 'Tier', type: 'text', appliesTo: ['customer'], mandatory: true },
  ],
  customForms: [{ id: '100', recordType: 'invoice', name: 'Invoiced Invoice', mandatory: ['department'] }],
  mandatory: { class: true },
};
ns.setShape(SHAPE);

/** The settings docs/field-mappings.md gives for this account. */
const MAPPED: SyncSettingsInput = {
  ...w.settings,
  refundAccount: BANK,
  subsidiary: '1',
  netsuiteFields: {
    customer: { defaults: { custentity_tier: 'standard' }, fields: [{ invoiced: 'metadata.tier', netsuite: 'custentity_tier' }] },
    invoice: {
      defaults: { class: { id: '1' }, department: { id: '10' }, customForm: { id: '100' }, custbody_region: 'US' },
      rules: [{ when: { currency: 'eur' }, set: { class: { id: '2' }, custbody_region: 'EU' } }],
      fields: [
        { invoiced: 'metadata.po', netsuite: 'custbody_po' },
        { invoiced: 'metadata.sales_rep', netsuite: 'salesRep', type: 'ref', direction: 'to_netsuite' },
        { invoiced: 'metadata.project', netsuite: 'custcol_project', line: true, direction: 'to_netsuite' },
      ],
      required: ['class', 'department'],
    },
    creditMemo: { defaults: { class: { id: '1' }, custbody_region: 'US' }, required: ['class'] },
    customerPayment: { defaults: { class: { id: '1' } }, required: ['class'] },
    customerRefund: { defaults: { class: { id: '1' } }, required: ['class'] },
  },
};

const CONNECTION = 'shaped';
const store = engineTestStore({ clock: w.clock });
const plain = createSyncEngine({ netsuite: w.netsuite, invoiced: w.invoiced, store, connectionId: CONNECTION, clock: w.clock, settings: { ...w.settings, refundAccount: BANK } });
const mapped = createSyncEngine({ netsuite: w.netsuite, invoiced: w.invoiced, store, connectionId: CONNECTION, clock: w.clock, settings: MAPPED });
const refOf = (value: unknown) => (value as { id?: string } | undefined)?.id;
/** The books give some NetSuite customers one name on purpose: which of them a run links is not this test's concern. */
const errorsOf = <E extends { code: string }>(run: { recordErrors: readonly E[] }) => run.recordErrors.filter((error) => error.code !== 'CUSTOMER_ALREADY_LINKED');

describe('engine: field mappings on an account with its own shape', () => {
  let invoiceId = 0;
  let euro = false;

  it('without mappings, NetSuite refuses the invoice: a record error naming the field and the setting that fills it', async () => {
    await plain.sync();
    w.later();
    const invoice = await invoiceOfLinkedCustomer(w.sandbox, store, CONNECTION, 'INV-SHAPE-1', 120);
    invoiceId = invoice.id;
    euro = invoice.currency === 'eur';
    inv.update('invoices', invoice.id, { metadata: { po: 'PO-77', sales_rep: '30' }, items: [{ name: 'Consulting', quantity: 1, unit_cost: 120, metadata: { project: 'Apollo' } }] });
    w.later();
    const run = await plain.sync();
    const error = run.recordErrors.find((entry) => entry.sourceId === String(invoice.id));
    expect(error?.code).toBe('NETSUITE_REQUIRED_FIELD');
    expect(error?.message).toMatch(/^Invoice INV-SHAPE-1: NetSuite requires /);
    expect(error?.resolution).toContain('settings.netsuiteFields.invoice.defaults.');
    expect(ns.findByExternalId('invoice', `invd-inv-${invoice.id}`)).toBeUndefined();
  });

  it('with the documented settings the waiting invoice is written, with its class, department, form and mapped fields', async () => {
    w.later();
    const run = await mapped.sync();
    expect(errorsOf(run)).toEqual([]);
    const record = ns.findByExternalId('invoice', `invd-inv-${invoiceId}`);
    // The rule for euro invoices wins over the default.
    expect(refOf(record?.class)).toBe(euro ? '2' : '1');
    expect(record?.custbody_region).toBe(euro ? 'EU' : 'US');
    expect(refOf(record?.department)).toBe('10');
    expect(refOf(record?.customForm)).toBe('100');
    expect(refOf(record?.salesRep)).toBe('30');
    expect(record?.custbody_po).toBe('PO-77');
    const lines = (record?.item as { items: Record<string, unknown>[] }).items;
    expect(lines[0]?.custcol_project).toBe('Apollo');
  });

  it('creates customers, credit memos, payments and refunds the account requires fields of, with no error', async () => {
    w.later();
    const customer = inv.insert('customers', { name: 'Shaped Newco', currency: 'usd', metadata: { tier: 'gold' } });
    const invoice = inv.insert('invoices', { customer: customer.id, currency: 'usd', number: 'INV-SHAPE-2', draft: false, items: [{ name: 'Work', quantity: 1, unit_cost: 50 }] });
    const note = inv.insert('credit_notes', { customer: customer.id, currency: 'usd', number: 'CN-SHAPE-1', items: [{ name: 'Goodwill', quantity: 1, unit_cost: 5 }] });
    inv.insert('payments', { customer: customer.id, currency: 'usd', amount: 0, applied_to: [{ type: 'credit_note', credit_note: note.id, invoice: invoice.id, document_type: 'invoice', amount: 5 }] });
    const processed = inv.charge({ customer: customer.id, currency: 'usd', amount: 30, applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 20 }] });
    inv.refund(processed.charge.id, 10);
    w.later();
    const run = await mapped.sync();
    expect(errorsOf(run)).toEqual([]);
    const netsuiteCustomer = ns.findByExternalId('customer', `invd-cust-${customer.id}`);
    expect(netsuiteCustomer?.custentity_tier).toBe('gold');
    expect(refOf(ns.findByExternalId('creditMemo', `invd-cn-${note.id}`)?.class)).toBe('1');
    expect(ns.list('customerPayment').filter((payment) => typeof payment.externalId === 'string' && payment.externalId.startsWith('invd-pay-')).every((payment) => refOf(payment.class) === '1')).toBe(true);
    expect(ns.list('customerRefund').some((refund) => typeof refund.externalId === 'string' && refund.externalId.startsWith('invd-ref-') && refOf(refund.class) === '1')).toBe(true);
  });

  it('a custom field mapped both ways round-trips: Invoiced -> NetSuite changes and clears, NetSuite -> Invoiced changes and clears', async () => {
    // Invoiced -> NetSuite.
    w.later();
    inv.update('invoices', invoiceId, { metadata: { po: 'PO-78', sales_rep: '30' } });
    w.later();
    expect(errorsOf(await mapped.sync())).toEqual([]);
    expect(ns.findByExternalId('invoice', `invd-inv-${invoiceId}`)?.custbody_po).toBe('PO-78');
    w.later();
    inv.update('invoices', invoiceId, { metadata: { sales_rep: '30' } });
    w.later();
    expect(errorsOf(await mapped.sync())).toEqual([]);
    expect(ns.findByExternalId('invoice', `invd-inv-${invoiceId}`)?.custbody_po).toBeUndefined();

    // NetSuite -> Invoiced: an imported invoice, with a key of a person's own beside the sync's.
    const link = (await store.listLinks(CONNECTION, 'invoice')).find((entry) => entry.origin === 'netsuite' && inv.get('invoices', Number(entry.invoicedId))?.closed !== true);
    if (link === undefined) throw new Error('an open imported invoice');
    inv.update('invoices', Number(link.invoicedId), { metadata: { ...inv.get('invoices', Number(link.invoicedId))?.metadata, owner: 'alice' } });
    w.later();
    ns.update('invoice', link.netsuiteId, { custbody_po: 'NS-PO-1' });
    w.later();
    expect(errorsOf(await mapped.sync())).toEqual([]);
    expect(inv.get('invoices', Number(link.invoicedId))?.metadata).toEqual({ netsuite_id: link.netsuiteId, owner: 'alice', po: 'NS-PO-1' });
    w.later();
    ns.update('invoice', link.netsuiteId, { custbody_po: null });
    w.later();
    expect(errorsOf(await mapped.sync())).toEqual([]);
    expect(inv.get('invoices', Number(link.invoicedId))?.metadata).toEqual({ netsuite_id: link.netsuiteId, owner: 'alice' });

    // An idle run writes nothing: the mapped values do not drift.
    w.later();
    w.sandbox.netsuite.clearRequests();
    w.sandbox.invoiced.clearRequests();
    await mapped.sync();
    expect(w.sandbox.netsuite.requests.filter((entry) => entry.method !== 'GET' && !entry.path.includes('/query/'))).toEqual([]);
    expect(w.sandbox.invoiced.requests.filter((entry) => entry.method !== 'GET')).toEqual([]);
  });

  it('a value of the wrong kind is that record\'s error, and the run goes on', async () => {
    w.later();
    const bad = await invoiceOfLinkedCustomer(w.sandbox, store, CONNECTION, 'INV-SHAPE-BAD', 10);
    inv.update('invoices', bad.id, { metadata: { sales_rep: 'Jane' } });
    const good = await invoiceOfLinkedCustomer(w.sandbox, store, CONNECTION, 'INV-SHAPE-GOOD', 11);
    w.later();
    const run = await mapped.sync();
    expect(errorsOf(run).map((error) => [error.number, error.code])).toEqual([['INV-SHAPE-BAD', 'FIELD_VALUE_INVALID']]);
    expect(run.recordErrors.find((error) => error.code === 'FIELD_VALUE_INVALID')?.message).toContain('metadata.sales_rep is "Jane"');
    expect(ns.findByExternalId('invoice', `invd-inv-${good.id}`)).toBeDefined();
    expect(USD).not.toBe('');
  });

  it('a read-back mapping of a field SuiteQL cannot read fails the run with MAPPED_FIELD_UNREADABLE, naming the setting', async () => {
    const wrong = createSyncEngine({
      netsuite: w.netsuite,
      invoiced: w.invoiced,
      store: engineTestStore({ clock: w.clock }),
      connectionId: 'wrong-field',
      clock: w.clock,
      settings: { ...MAPPED, netsuiteFields: { invoice: { fields: [{ invoiced: 'metadata.po', netsuite: 'custbody_nope' }] } } },
    });
    const run = await wrong.sync();
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('MAPPED_FIELD_UNREADABLE');
    expect(run.error?.message).toContain('settings.netsuiteFields.invoice.fields reads back (custbody_nope)');
  });
});
