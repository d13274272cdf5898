/**
 * The acceptance test: an invoice credited in part and paid in part ends with the same balance on
 * both sides, through every combination of where the invoice, the credit, the payment and a refund of the
 * payment's unapplied rest were recorded. A refund is recorded where its payment was: Invoiced refunds only
 * the charges it processed, and NetSuite refunds of payments the sync wrote from Invoiced are not mirrored.
 */
import { describe, expect, it } from 'vitest';
import { errorsOf } from './support/credits';
import { engineTestStore } from './support/engine-store';
import { sandboxWorld } from './support/world';
import { createSyncEngine } from '../src/index';

const { sandbox, books, clock, later, netsuite, invoiced, settings } = sandboxWorld({
  seed: 184,
  start: '2026-11-23T08:00:00Z',
  books: { customers: 4, invoices: 4, payments: 0, creditMemos: 0, invoiced: { customers: 0, invoices: 0, payments: 0 } },
});
const store = engineTestStore({ clock });
/** The books' bank account (USD): what refunds are paid from. */
const BANK = books.netsuite.accounts.find((account) => account.kind === 'bank')?.id ?? '';
const CONNECTION = 'combinations';
const engine = createSyncEngine({ netsuite, invoiced, store, connectionId: CONNECTION, clock, settings: { ...settings, refundAccount: BANK, subsidiary: books.netsuite.subsidiaries[0]?.id ?? '1' } });
const ns = sandbox.netsuite.state;
const inv = sandbox.invoiced.state;

type Side = 'netsuite' | 'invoiced';
const SIDES: readonly Side[] = ['netsuite', 'invoiced'];
const cases = SIDES.flatMap((invoice) => SIDES.flatMap((credit) => SIDES.flatMap((payment) => [false, true].map((refund) => ({ invoice, credit, payment, refund })))));


/**
 * A USD customer of the test's own, linked on both sides (made on Invoiced with a first invoice, which
 * writes it to NetSuite): the books' customers share names on purpose, and which of two such customers a
 * run links depends on timing.
 */
let own: { netsuiteId: string; invoicedId: number } | undefined;
async function usdCustomer(): Promise<{ netsuiteId: string; invoicedId: number }> {
  if (own !== undefined) return own;
  const customer = inv.insert('customers', { name: 'Combination Traders', currency: 'usd' });
  inv.insert('invoices', { customer: customer.id, currency: 'usd', draft: false, items: [{ name: 'Opening', quantity: 1, unit_cost: 1 }] });
  await syncClean();
  const link = await store.findLinkByInvoicedId(CONNECTION, 'customer', String(customer.id));
  if (link === null) throw new Error('the test customer is linked');
  own = { netsuiteId: link.netsuiteId, invoicedId: customer.id };
  return own;
}

async function syncClean(): Promise<void> {
  later();
  const run = await engine.sync();
  expect(errorsOf(run)).toEqual([]);
  expect(run.status === 'succeeded' || run.status === 'partial' ? null : run.error).toBeNull();
}

describe('engine: an invoice credited, paid and refunded on either side', () => {
  it.each(cases)('invoice on $invoice, credit on $credit, payment on $payment, refund $refund: the same balance on both sides', async ({ invoice, credit, payment, refund }) => {
    const customer = await usdCustomer();
    const usd = '1';
    // The invoice: 100.
    later();
    let netsuiteInvoice: string;
    let invoicedInvoice: number;
    if (invoice === 'netsuite') {
      const record = ns.insert('invoice', { entity: { id: customer.netsuiteId }, currency: { id: usd }, item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: 100, amount: 100 }] } });
      await syncClean();
      netsuiteInvoice = String(record.id);
      invoicedInvoice = Number((await store.findLinkByNetSuiteId(CONNECTION, 'invoice', netsuiteInvoice))?.invoicedId);
    } else {
      const record = inv.insert('invoices', { customer: customer.invoicedId, currency: 'usd', draft: false, items: [{ name: 'Work', quantity: 1, unit_cost: 100 }] });
      await syncClean();
      invoicedInvoice = record.id;
      netsuiteInvoice = (await store.findLinkByInvoicedId(CONNECTION, 'invoice', String(record.id)))?.netsuiteId ?? '';
    }
    expect(netsuiteInvoice).not.toBe('');
    // A credit of 30 applied to it.
    later();
    if (credit === 'netsuite') {
      ns.insert('creditMemo', {
        entity: { id: customer.netsuiteId },
        currency: { id: usd },
        item: { items: [{ item: { id: settings.items.defaultItem }, quantity: 1, rate: 30, amount: 30 }] },
        apply: { items: [{ doc: { id: netsuiteInvoice }, apply: true, amount: 30 }] },
      });
    } else {
      const note = inv.insert('credit_notes', { customer: customer.invoicedId, currency: 'usd', items: [{ name: 'Credit', quantity: 1, unit_cost: 30 }] });
      inv.insert('payments', { customer: customer.invoicedId, currency: 'usd', amount: 0, applied_to: [{ type: 'credit_note', credit_note: note.id, invoice: invoicedInvoice, document_type: 'invoice', amount: 30 }] });
    }
    await syncClean();
    // A payment of 50 to it, with 20 more that stays unapplied when the rest is refunded.
    later();
    const cash = refund ? 70 : 50;
    let netsuitePayment: string | undefined;
    let chargeId: number | undefined;
    let invoicedPayment: number | undefined;
    if (payment === 'netsuite') {
      const record = ns.insert('customerPayment', { customer: { id: customer.netsuiteId }, currency: { id: usd }, payment: cash, apply: { items: [{ doc: { id: netsuiteInvoice }, apply: true, amount: 50 }] } });
      netsuitePayment = String(record.id);
    } else if (refund) {
      const record = inv.charge({ customer: customer.invoicedId, currency: 'usd', amount: cash, applied_to: [{ type: 'invoice', invoice: invoicedInvoice, amount: 50 }] });
      chargeId = record.charge.id;
      invoicedPayment = record.id;
    } else {
      invoicedPayment = inv.insert('payments', { customer: customer.invoicedId, currency: 'usd', amount: cash, applied_to: [{ type: 'invoice', invoice: invoicedInvoice, amount: 50 }] }).id;
    }
    await syncClean();
    if (refund) {
      later();
      if (payment === 'netsuite') ns.insert('customerRefund', { customer: { id: customer.netsuiteId }, account: { id: BANK }, apply: { items: [{ doc: { id: netsuitePayment }, amount: 20 }] } });
      else inv.refund(chargeId ?? 0, 20);
      await syncClean();
    }
    await syncClean();

    const remaining = Number(ns.get('invoice', netsuiteInvoice)?.amountRemaining);
    expect(remaining).toBe(20);
    expect(inv.get('invoices', invoicedInvoice)?.balance).toBe(20);
    // What the customer still holds of the payment is the same on both sides too.
    const paymentLink = netsuitePayment === undefined ? await store.findLinkByInvoicedId(CONNECTION, 'payment', String(invoicedPayment)) : await store.findLinkByNetSuiteId(CONNECTION, 'payment', netsuitePayment);
    const netsuiteUnapplied = Number(ns.get('customerPayment', paymentLink?.netsuiteId ?? '')?.unapplied);
    const invoicedUnapplied = inv.get('payments', Number(paymentLink?.invoicedId))?.balance;
    if (refund && payment === 'invoiced') {
      // Invoiced keeps the refunded payment's balance; NetSuite's copy paid the 20 out in a customer refund.
      expect(netsuiteUnapplied).toBe(0);
      expect(ns.list('customerRefund').some((record) => record.externalId !== undefined && Number(record.total) === 20)).toBe(true);
    } else {
      expect(netsuiteUnapplied).toBe(invoicedUnapplied);
    }
  });
});
