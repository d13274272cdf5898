/**
 * Credit notes and credit memos both ways, and credits applied inside payments: an invoice credited in
 * part and paid in part, on either side, ends with the same balance on both.
 */
import { describe, expect, it } from 'vitest';
import { errorsOf, importedInvoice, refOf } from './support/credits';
import { engineTestStore } from './support/engine-store';
import { sandboxWorld } from './support/world';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../src/index';

const { sandbox, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 181,
  start: '2026-11-20T08:00:00Z',
  books: { customers: 6, invoices: 14, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const store = engineTestStore({ clock });
const CONNECTION = 'credits';
const engine = createSyncEngine({ netsuite, invoiced, store, connectionId: CONNECTION, clock, settings });
/** The same engine, telling `onEvent` what it does. */
const engineHearing = (onEvent: NonNullable<SyncEngineOptions['onEvent']>) => createSyncEngine({ netsuite, invoiced, store, connectionId: CONNECTION, clock, settings, onEvent });
const ns = sandbox.netsuite.state;
const inv = sandbox.invoiced.state;
const openInvoice = (amount: number) => importedInvoice(sandbox, store, CONNECTION, amount);

/** Every linked invoice whose balance differs between the two sides: `[netsuiteId, netsuite, invoiced]`. */
async function balanceDisagreements(): Promise<[string, number, number][]> {
  const out: [string, number, number][] = [];
  for (const link of await store.listLinks(CONNECTION, 'invoice')) {
    const netsuiteInvoice = ns.get('invoice', link.netsuiteId);
    const invoicedInvoice = inv.get('invoices', Number(link.invoicedId));
    if (netsuiteInvoice === undefined || invoicedInvoice === undefined || invoicedInvoice.status === 'voided') continue;
    const left = Number(netsuiteInvoice.amountRemaining ?? 0);
    if (Math.abs(left - invoicedInvoice.balance) > 1e-9) out.push([link.netsuiteId, left, invoicedInvoice.balance]);
  }
  return out;
}



/** A NetSuite credit memo of 20 with this external ID, of the invoice record's customer, applied in full to `invoiceId`. */
function appliedMemoOf20(record: { entity?: unknown; currency?: unknown }, invoiceId: string, externalId: string, tranId: string): ReturnType<typeof ns.insert> {
  return ns.insert('creditMemo', {
    entity: { id: refOf(record.entity) },
    currency: { id: refOf(record.currency) },
    externalId,
    tranId,
    item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: 20, amount: 20 }] },
    apply: { items: [{ doc: { id: invoiceId }, apply: true, amount: 20 }] },
  });
}

/**
 * A credit note made on Invoiced and written to NetSuite by `sync`; then, before the next run, a person
 * applies its credit memo in NetSuite to an imported invoice and another deletes the credit note on
 * Invoiced: the memo's applications have nowhere to go there (Invoiced answers 404 for the note).
 */
async function appliedMemoWhoseNoteIsDeleted(sync: SyncEngine, number: string) {
  const { link, copy } = await openInvoice(20);
  later();
  const note = inv.insert('credit_notes', { customer: copy.customer, currency: copy.currency, number, items: [{ name: 'Rebate', quantity: 1, unit_cost: 20 }] });
  later();
  expect(errorsOf(await sync.sync())).toEqual([]);
  const memo = ns.findByExternalId('creditMemo', `invd-cn-${note.id}`);
  later();
  ns.update('creditMemo', String(memo?.id), { apply: { items: [{ doc: { id: link.netsuiteId }, apply: true, amount: 20 }] } });
  inv.delete('credit_notes', note.id);
  later();
  return { memo, note };
}

describe('engine: credit memos from NetSuite', () => {
  it('imports a credit memo applied to an imported invoice as a credit note applied by a payment of 0, so the balances agree', async () => {
    const first = await engine.sync();
    expect(errorsOf(first)).toEqual([]);
    const { link, record, copy } = await openInvoice(50);
    later();
    const memo = ns.insert('creditMemo', {
      entity: { id: refOf(record.entity) },
      currency: { id: refOf(record.currency) },
      tranId: 'CM-RETURN',
      item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 2, rate: 15, amount: 30 }] },
      apply: { items: [{ doc: { id: link.netsuiteId }, apply: true, amount: 30 }] },
    });
    later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    const noteLink = await store.findLinkByNetSuiteId(CONNECTION, 'creditNote', String(memo.id));
    const note = inv.get('credit_notes', Number(noteLink?.invoicedId));
    expect(note).toMatchObject({ number: 'CM-RETURN', total: 30, balance: 0, metadata: { netsuite_id: String(memo.id) } });
    expect(inv.get('invoices', copy.id)?.balance).toBeCloseTo(copy.balance - 30, 6);
    expect(await balanceDisagreements()).toEqual([]);
    expect(run.counts.creditNotes_created).toBe(1);
    // Nothing goes back: the credit note came from NetSuite, and its applying payment too.
    expect(ns.list('creditMemo').filter((entry) => (typeof entry.externalId === 'string' && entry.externalId.startsWith('invd-')))).toEqual([]);
    expect(ns.list('customerPayment').filter((entry) => (typeof entry.externalId === 'string' && entry.externalId.startsWith('invd-')))).toEqual([]);
  });

  it('applies on Invoiced the credit memos a NetSuite payment applies with its cash', async () => {
    const { link, record, copy } = await openInvoice(60);
    later();
    const memo = ns.insert('creditMemo', {
      entity: { id: refOf(record.entity) },
      currency: { id: refOf(record.currency) },
      tranId: 'CM-GOODWILL',
      item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: 25, amount: 25 }] },
    });
    ns.insert('customerPayment', {
      customer: { id: refOf(record.entity) },
      currency: { id: refOf(record.currency) },
      tranId: 'PAY-WITH-CREDIT',
      payment: 35,
      apply: { items: [{ doc: { id: link.netsuiteId }, apply: true, amount: 60 }] },
      credit: { items: [{ doc: { id: String(memo.id) }, apply: true, amount: 25 }] },
    });
    later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    const noteLink = await store.findLinkByNetSuiteId(CONNECTION, 'creditNote', String(memo.id));
    expect(inv.get('credit_notes', Number(noteLink?.invoicedId))?.balance).toBe(0);
    expect(inv.get('invoices', copy.id)?.balance).toBeCloseTo(copy.balance - 60, 6);
    expect(await balanceDisagreements()).toEqual([]);
  });

  it('writes a payment that applies no credit memo without waiting for the import of a memo another payment of its batch applies', async () => {
    const first = await openInvoice(60);
    later();
    const memo = ns.insert('creditMemo', {
      entity: { id: refOf(first.record.entity) },
      currency: { id: refOf(first.record.currency) },
      tranId: 'CM-IMPORTED-BY-PAYMENT',
      item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: 25, amount: 25 }] },
    });
    ns.insert('customerPayment', {
      customer: { id: refOf(first.record.entity) },
      currency: { id: refOf(first.record.currency) },
      tranId: 'PAY-APPLIES-MEMO',
      payment: 35,
      apply: { items: [{ doc: { id: first.link.netsuiteId }, apply: true, amount: 60 }] },
      credit: { items: [{ doc: { id: String(memo.id) }, apply: true, amount: 25 }] },
    });
    const second = await openInvoice(40);
    ns.insert('customerPayment', {
      customer: { id: refOf(second.record.entity) },
      currency: { id: refOf(second.record.currency) },
      tranId: 'PAY-CASH-ONLY',
      payment: 40,
      apply: { items: [{ doc: { id: second.link.netsuiteId }, apply: true, amount: 40 }] },
    });
    later();
    const order: string[] = [];
    const run = await engineHearing((event) => {
      if (event.type === 'record_synced' && event.direction === 'netsuite_to_invoiced') order.push(`${event.entity} ${event.number ?? event.sourceId}`);
    }).sync();
    expect(errorsOf(run)).toEqual([]);
    // The memo is imported by the payment phase (the payment that applies it waits for it); the other payment does not wait.
    expect(order).toContain('creditNote CM-IMPORTED-BY-PAYMENT');
    expect(order.indexOf('payment PAY-CASH-ONLY')).toBeLessThan(order.indexOf('creditNote CM-IMPORTED-BY-PAYMENT'));
    expect(order.indexOf('payment PAY-APPLIES-MEMO')).toBeGreaterThan(order.indexOf('creditNote CM-IMPORTED-BY-PAYMENT'));
    expect(await balanceDisagreements()).toEqual([]);
  });

  it('imports once a credit memo that payments of two batches apply, however the batches fall', async () => {
    const first = await openInvoice(40);
    const customer = { id: refOf(first.record.entity) };
    const currency = { id: refOf(first.record.currency) };
    later();
    const newMemo = (tranId: string, amount: number) =>
      ns.insert('creditMemo', { entity: customer, currency, tranId, item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: amount, amount }] } });
    const memo = newMemo('CM-TWO-BATCHES', 30);
    // The first payment also applies a memo of its own, looked at after the shared one.
    const own = newMemo('CM-FIRST-ONLY', 5);
    const pay = (tranId: string, invoice: string, credits: { id: string; amount: number }[] = []) =>
      ns.insert('customerPayment', {
        customer,
        currency,
        tranId,
        payment: credits.length === 0 ? 1 : 20 - credits.reduce((sum, credit) => sum + credit.amount, 0),
        apply: { items: [{ doc: { id: invoice }, apply: true, amount: credits.length === 0 ? 1 : 20 }] },
        ...(credits.length === 0 ? {} : { credit: { items: credits.map((credit) => ({ doc: { id: credit.id }, apply: true, amount: credit.amount })) } }),
      });
    pay('PAY-BATCH-ONE', first.link.netsuiteId, [{ id: String(memo.id), amount: 15 }, { id: String(own.id), amount: 5 }]);
    // Payments of an invoice the sync never imports (paid in full before it runs): a batch of them in between.
    const closed = String(ns.insert('invoice', { entity: customer, currency, tranDate: '2026-11-20', item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: 200 }] } }).id);
    for (let index = 0; index < 200; index += 1) pay(`PAY-FILLER-${index}`, closed);
    const second = await openInvoice(40);
    pay('PAY-BATCH-TWO', second.link.netsuiteId, [{ id: String(memo.id), amount: 15 }]);
    later();
    const synced: string[] = [];
    const run = await engineHearing((event) => {
      if (event.type === 'record_synced' && event.entity === 'creditNote') synced.push(`${event.number ?? event.sourceId} ${event.action}`);
    }).sync();
    expect(errorsOf(run)).toEqual([]);
    expect(synced.filter((entry) => entry.startsWith('CM-TWO-BATCHES'))).toEqual(['CM-TWO-BATCHES created']);
    expect(inv.list('credit_notes').filter((note) => note.metadata.netsuite_id === String(memo.id))).toHaveLength(1);
    expect(await balanceDisagreements()).toEqual([]);
  });

  it('voids the credit note (and the payment that applied it) when the credit memo is voided in NetSuite', async () => {
    const { link, record, copy } = await openInvoice(10);
    later();
    const memo = ns.insert('creditMemo', {
      entity: { id: refOf(record.entity) },
      currency: { id: refOf(record.currency) },
      tranId: 'CM-MISTAKE',
      item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: 10, amount: 10 }] },
      apply: { items: [{ doc: { id: link.netsuiteId }, apply: true, amount: 10 }] },
    });
    later();
    await engine.sync();
    expect(inv.get('invoices', copy.id)?.balance).toBeCloseTo(copy.balance - 10, 6);
    later();
    ns.update('creditMemo', String(memo.id), { apply: { items: [{ doc: { id: link.netsuiteId }, apply: false }] } });
    ns.update('creditMemo', String(memo.id), { voided: true });
    later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    const noteLink = await store.findLinkByNetSuiteId(CONNECTION, 'creditNote', String(memo.id));
    expect(inv.get('credit_notes', Number(noteLink?.invoicedId))?.status).toBe('voided');
    expect(inv.get('invoices', copy.id)?.balance).toBeCloseTo(copy.balance, 6);
    expect(await balanceDisagreements()).toEqual([]);
  });
});

describe('engine: credit notes from Invoiced', () => {
  it('writes a credit note as a credit memo, and its application in a payment as the payment\'s credit line', async () => {
    const { link, copy } = await openInvoice(40);
    later();
    const note = inv.insert('credit_notes', { customer: copy.customer, currency: copy.currency, number: 'CN-INV-1', items: [{ name: 'Refund of fees', quantity: 1, unit_cost: 40 }] });
    inv.insert('payments', {
      customer: copy.customer,
      currency: copy.currency,
      amount: 0,
      applied_to: [{ type: 'credit_note', credit_note: note.id, invoice: copy.id, document_type: 'invoice', amount: 40 }],
    });
    later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    const memo = ns.findByExternalId('creditMemo', `invd-cn-${note.id}`);
    expect(memo).toMatchObject({ total: 40, amountRemaining: 0 });
    expect(Number(ns.get('invoice', link.netsuiteId)?.amountRemaining)).toBeCloseTo(inv.get('invoices', copy.id)?.balance ?? NaN, 6);
    expect(await balanceDisagreements()).toEqual([]);
    // An imported credit note edited on Invoiced is still never written back.
    const open = ns.insert('creditMemo', {
      entity: { id: refOf(ns.get('invoice', link.netsuiteId)?.entity) },
      tranId: 'CM-OPEN',
      item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: 5, amount: 5 }] },
    });
    later();
    await engine.sync();
    const imported = await store.findLinkByNetSuiteId(CONNECTION, 'creditNote', String(open.id));
    expect(inv.get('credit_notes', Number(imported?.invoicedId))).toMatchObject({ status: 'open', balance: 5 });
    later();
    inv.update('credit_notes', Number(imported?.invoicedId), { notes: 'edited on Invoiced' });
    later();
    const again = await engine.sync();
    expect(errorsOf(again)).toEqual([]);
    expect(ns.findByExternalId('creditMemo', `invd-cn-${imported?.invoicedId}`)).toBeUndefined();
  });

  it('writes a payment of cash and a credit note to an invoice created on Invoiced, so both balances agree', async () => {
    const customer = (await store.listLinks(CONNECTION, 'customer'))[0];
    const record = inv.get('customers', Number(customer?.invoicedId));
    later();
    const invoice = inv.insert('invoices', { customer: record?.id, currency: record?.currency ?? 'usd', number: 'INV-CREDITED', draft: false, items: [{ name: 'Work', quantity: 1, unit_cost: 100 }] });
    const note = inv.insert('credit_notes', { customer: record?.id, currency: record?.currency ?? 'usd', number: 'CN-PART', items: [{ name: 'Discount agreed', quantity: 1, unit_cost: 30 }] });
    inv.insert('payments', {
      customer: record?.id,
      currency: record?.currency ?? 'usd',
      amount: 50,
      applied_to: [
        { type: 'invoice', invoice: invoice.id, amount: 50 },
        { type: 'credit_note', credit_note: note.id, invoice: invoice.id, document_type: 'invoice', amount: 30 },
      ],
    });
    later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    const netsuiteInvoice = ns.findByExternalId('invoice', `invd-inv-${invoice.id}`);
    expect(Number(netsuiteInvoice?.amountRemaining)).toBe(20);
    expect(inv.get('invoices', invoice.id)?.balance).toBe(20);
    expect(ns.findByExternalId('creditMemo', `invd-cn-${note.id}`)?.amountRemaining).toBe(0);
  });

  it('takes the credit back in NetSuite when a payment on Invoiced stops applying its credit note', async () => {
    const customer = (await store.listLinks(CONNECTION, 'customer'))[0];
    const record = inv.get('customers', Number(customer?.invoicedId));
    later();
    const invoice = inv.insert('invoices', { customer: record?.id, currency: record?.currency ?? 'usd', draft: false, items: [{ name: 'Work', quantity: 1, unit_cost: 60 }] });
    const note = inv.insert('credit_notes', { customer: record?.id, currency: record?.currency ?? 'usd', items: [{ name: 'Credit', quantity: 1, unit_cost: 15 }] });
    const payment = inv.insert('payments', {
      customer: record?.id,
      currency: record?.currency ?? 'usd',
      amount: 20,
      applied_to: [
        { type: 'invoice', invoice: invoice.id, amount: 20 },
        { type: 'credit_note', credit_note: note.id, invoice: invoice.id, document_type: 'invoice', amount: 15 },
      ],
    });
    later();
    expect(errorsOf(await engine.sync())).toEqual([]);
    const memo = ns.findByExternalId('creditMemo', `invd-cn-${note.id}`);
    expect(memo?.amountRemaining).toBe(0);
    later();
    inv.update('payments', payment.id, { applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 20 }] });
    later();
    expect(errorsOf(await engine.sync())).toEqual([]);
    expect(ns.get('creditMemo', String(memo?.id))?.amountRemaining).toBe(15);
    expect(Number(ns.findByExternalId('invoice', `invd-inv-${invoice.id}`)?.amountRemaining)).toBe(inv.get('invoices', invoice.id)?.balance);
  });

  it('applies on Invoiced a credit memo written from Invoiced that a person applied in NetSuite', async () => {
    const { link, copy } = await openInvoice(20);
    later();
    const note = inv.insert('credit_notes', { customer: copy.customer, currency: copy.currency, number: 'CN-APPLIED-IN-NS', items: [{ name: 'Rebate', quantity: 1, unit_cost: 20 }] });
    later();
    expect(errorsOf(await engine.sync())).toEqual([]);
    const memo = ns.findByExternalId('creditMemo', `invd-cn-${note.id}`);
    later();
    ns.update('creditMemo', String(memo?.id), { apply: { items: [{ doc: { id: link.netsuiteId }, apply: true, amount: 20 }] } });
    later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    expect(inv.get('credit_notes', note.id)?.balance).toBe(0);
    expect(inv.get('invoices', copy.id)?.balance).toBeCloseTo(Number(ns.get('invoice', link.netsuiteId)?.amountRemaining), 6);
    expect(await balanceDisagreements()).toEqual([]);
    // Written once: the next run changes nothing.
    later();
    const again = await engine.sync();
    expect(again.counts.payments_created ?? 0).toBe(0);
    expect(again.counts.creditNotes_updated ?? 0).toBe(0);
  });

  it('links again, in the same run, a credit memo written from Invoiced whose link was lost, that a person applied in NetSuite', async () => {
    const { link, record, copy } = await openInvoice(20);
    later();
    const note = inv.insert('credit_notes', { customer: copy.customer, currency: copy.currency, number: 'CN-LOST-LINK', items: [{ name: 'Rebate', quantity: 1, unit_cost: 20 }] });
    // The memo as phase invoiced_credit_notes writes it, from a run that stopped before saving its link;
    // then a person applies it in NetSuite.
    const memo = appliedMemoOf20(record, link.netsuiteId, `invd-cn-${note.id}`, 'CN-LOST-LINK');
    later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    expect(await store.findLinkByNetSuiteId(CONNECTION, 'creditNote', String(memo.id))).toMatchObject({ invoicedId: String(note.id), origin: 'invoiced' });
    expect(inv.get('credit_notes', note.id)?.balance).toBe(0);
    expect(await balanceDisagreements()).toEqual([]);
    expect((await engine.retryQueue()).filter((item) => item.sourceId === String(memo.id))).toEqual([]);
    expect(ns.list('creditMemo').filter((entry) => entry.externalId === `invd-cn-${note.id}`)).toHaveLength(1);
    later();
    const again = await engine.sync();
    expect(errorsOf(again)).toEqual([]);
    expect(again.counts.payments_created ?? 0).toBe(0);
  });

  it('does not fail a credit memo written from Invoiced that a person applied in NetSuite once its credit note is deleted on Invoiced: the deletion is followed', async () => {
    const { memo, note } = await appliedMemoWhoseNoteIsDeleted(engine, 'CN-DELETED');
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    // The deletion is followed as a void: the memo is deleted in NetSuite, and nothing waits in the queue.
    expect(ns.findByExternalId('creditMemo', `invd-cn-${note.id}`)).toBeUndefined();
    expect((await engine.retryQueue()).filter((item) => item.sourceId === String(memo?.id) || item.sourceId === String(note.id))).toEqual([]);
  });

  it('names the credit memo in a record error a service answered (its credit note deleted on Invoiced by a person)', async () => {
    const { record } = await openInvoice(10);
    later();
    const memo = ns.insert('creditMemo', {
      entity: { id: refOf(record.entity) },
      currency: { id: refOf(record.currency) },
      tranId: 'CM-GONE',
      item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: 5, amount: 5 }] },
    });
    later();
    expect(errorsOf(await engine.sync())).toEqual([]);
    const noteLink = await store.findLinkByNetSuiteId(CONNECTION, 'creditNote', String(memo.id));
    inv.delete('credit_notes', Number(noteLink?.invoicedId));
    later();
    ns.update('creditMemo', String(memo.id), { item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: 6, amount: 6 }] } });
    later();
    const run = await engine.sync();
    const error = run.recordErrors.find((entry) => entry.sourceId === String(memo.id));
    expect(error?.code).toBe('INVOICED_NOT_FOUND');
    // Invoiced's answer names only the request; the record error names the record before it.
    const noteId = String(noteLink?.invoicedId);
    expect(error?.message).toBe(`NetSuite credit memo CM-GONE (${String(memo.id)}): Invoiced GET /credit_notes/${noteId} failed with 404: Credit Note was not found: ${noteId}`);
    // Set aside, as a person would after reading it, so that the runs of the tests below start clean.
    for (const item of await engine.retryQueue()) if (item.sourceId === String(memo.id)) await engine.ignore(item.key);
  });

  it('reports CREDIT_NOTE_DELETED_ON_INVOICED, naming the memo, when its credit note is deleted on Invoiced and the sync does not follow deletions', async () => {
    const noFollowing = createSyncEngine({ netsuite, invoiced, store, connectionId: CONNECTION, clock, settings: { ...settings, phases: { followInvoicedDeletions: false } } });
    const { memo, note } = await appliedMemoWhoseNoteIsDeleted(noFollowing, 'CN-DELETED-2');
    const run = await noFollowing.sync();
    const error = run.recordErrors.find((entry) => entry.sourceId === String(memo?.id));
    expect(error).toMatchObject({ code: 'CREDIT_NOTE_DELETED_ON_INVOICED', direction: 'netsuite_to_invoiced', entity: 'creditNote' });
    expect(error?.message).toContain(String(memo?.tranId ?? memo?.id));
    expect(error?.message).toContain(`#${note.id}`);
    expect(ns.findByExternalId('creditMemo', `invd-cn-${note.id}`)).toBeDefined();
    // Set aside, as a person would once they have unapplied it, so that the runs of the tests below start clean.
    for (const item of await noFollowing.retryQueue()) if (item.sourceId === String(memo?.id)) await noFollowing.ignore(item.key);
  });

  it('deletes the credit memo when an unapplied credit note is voided on Invoiced, and reports the credit balance it cannot apply', async () => {
    const customer = (await store.listLinks(CONNECTION, 'customer'))[0];
    const record = inv.get('customers', Number(customer?.invoicedId));
    later();
    const note = inv.insert('credit_notes', { customer: record?.id, currency: record?.currency ?? 'usd', number: 'CN-VOID', items: [{ name: 'Oops', quantity: 1, unit_cost: 12 }] });
    later();
    await engine.sync();
    expect(ns.findByExternalId('creditMemo', `invd-cn-${note.id}`)).toBeDefined();
    later();
    inv.void('credit_notes', note.id);
    later();
    const run = await engine.sync();
    expect(errorsOf(run)).toEqual([]);
    expect(ns.findByExternalId('creditMemo', `invd-cn-${note.id}`)).toBeUndefined();
    expect(run.counts.credit_notes_deleted_in_netsuite).toBe(1);
  });
});

// Last: the conflicts it leaves stay in the retry queue.
describe('engine: one credit used on both sides at once', () => {
  it('reports the credit applied in NetSuite and on Invoiced (CREDIT_APPLICATION_REFUSED), and a void Invoiced refuses (CREDIT_NOTE_VOID_REFUSED)', async () => {
    const first = await openInvoice(30);
    const other = (await store.listLinks(CONNECTION, 'invoice')).find((entry) => entry.origin === 'netsuite' && entry.netsuiteId !== first.link.netsuiteId && ns.get('invoice', entry.netsuiteId)?.amountRemaining !== 0 && refOf(ns.get('invoice', entry.netsuiteId)?.entity) === refOf(first.record.entity) && refOf(ns.get('invoice', entry.netsuiteId)?.currency) === refOf(first.record.currency));
    const memoFields = { entity: { id: refOf(first.record.entity) }, currency: { id: refOf(first.record.currency) } };
    const line = (amount: number) => ({ items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: amount, amount }] });
    later();
    const twice = ns.insert('creditMemo', { ...memoFields, tranId: 'CM-TWICE', item: line(10) });
    const voided = ns.insert('creditMemo', { ...memoFields, tranId: 'CM-VOIDED', item: line(5) });
    later();
    expect(errorsOf(await engine.sync())).toEqual([]);
    const noteOf = async (memo: Readonly<Record<string, unknown>>) => Number((await store.findLinkByNetSuiteId(CONNECTION, 'creditNote', String(memo.id)))?.invoicedId);
    later();
    // On Invoiced, both credit notes are applied to the first invoice...
    for (const [memo, amount] of [[twice, 10], [voided, 5]] as const) {
      inv.insert('payments', { customer: first.copy.customer, currency: first.copy.currency, amount: 0, applied_to: [{ type: 'credit_note', credit_note: await noteOf(memo), invoice: first.copy.id, document_type: 'invoice', amount }] });
    }
    // ...while in NetSuite one credit memo is applied to another invoice and the other voided.
    if (other !== undefined) ns.update('creditMemo', String(twice.id), { apply: { items: [{ doc: { id: other.netsuiteId }, apply: true, amount: 10 }] } });
    ns.update('creditMemo', String(voided.id), { voided: true });
    later();
    const run = await engine.sync();
    const codes = run.recordErrors.map((error) => `${error.code} ${error.number ?? ''}`);
    expect(codes).toContain('CREDIT_NOTE_VOID_REFUSED CM-VOIDED');
    if (other !== undefined) expect(codes).toContain('CREDIT_APPLICATION_REFUSED CM-TWICE');
    for (const error of run.recordErrors.filter((entry) => entry.code.startsWith('CREDIT_'))) expect(error.resolution).toMatch(/Invoiced/);
  });
});

// Last: what it leaves (a memo with a foreign external ID, reported) stays reported.
describe('engine: a memo carrying the external ID of a credit note it was not written from', () => {
  it('still reports a memo whose external ID names a credit note it was not written from (another customer), and links nothing', async () => {
    const { link, record } = await openInvoice(20);
    const other = inv.list('customers').find((customer) => customer.id !== Number(inv.get('invoices', Number(link.invoicedId))?.customer));
    later();
    const note = inv.insert('credit_notes', { customer: Number(other?.id), currency: 'usd', number: 'CN-ELSEWHERE', items: [{ name: 'Rebate', quantity: 1, unit_cost: 20 }] });
    const memo = appliedMemoOf20(record, link.netsuiteId, `invd-cn-${note.id}`, 'CM-NOT-ITS-NOTE');
    later();
    const run = await engine.sync();
    expect(run.recordErrors.find((error) => error.sourceId === String(memo.id))?.code).toBe('CREDIT_MEMO_NOT_LINKED');
    expect(await store.findLinkByNetSuiteId(CONNECTION, 'creditNote', String(memo.id))).toBeNull();
  });
});
