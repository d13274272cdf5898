/**
 * Closed, paid and voided documents as Invoiced's backend treats them: a closed document (a paid one is
 * closed for you) cannot be edited unless the same request reopens it; closing is not bad debt; voiding
 * zeroes the balance and does not close; voids and deletions refused in Invoiced's words.
 */
import { describe, expect, it } from 'vitest';
import type { InvoicedCreditNoteRecord, InvoicedInvoiceRecord } from './records';
import { createHarness, DAY, type ErrorAnswer } from './test-support';

const CLOSED = {
  type: 'invalid_request',
  message: 'Your changes cannot be saved because this document is closed. Please re-open the document to make any changes.',
  param: 'closed',
};

function arrange() {
  const harness = createHarness();
  const acme = harness.state.insert('customers', { name: 'Acme', currency: 'usd' });
  const invoice = harness.state.insert('invoices', { customer: acme.id, items: [{ name: 'Work', unit_cost: 100 }] });
  return { ...harness, acme, invoice };
}

describe('Invoiced closed documents', () => {
  it('refuses to edit a closed invoice, naming closed, unless the request reopens it', async () => {
    const { call, state, invoice } = arrange();
    const closed = await call<InvoicedInvoiceRecord>('PATCH', `/invoices/${invoice.id}`, { body: { closed: true } });
    expect(closed.body.closed).toBe(true);
    const refused: ErrorAnswer = await call('PATCH', `/invoices/${invoice.id}`, { body: { notes: 'later' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual(CLOSED);
    expect((await call<ErrorAnswer['body']>('PATCH', `/invoices/${invoice.id}`, { body: { closed: true, notes: 'x' } })).body).toEqual(CLOSED);
    const reopened = await call<InvoicedInvoiceRecord>('PATCH', `/invoices/${invoice.id}`, { body: { closed: false, notes: 'reopened' } });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ closed: false, notes: 'reopened' });
    expect(() => state.update('invoices', invoice.id, { closed: true, notes: 'y' })).not.toThrow();
    expect(() => state.update('invoices', invoice.id, { notes: 'z' })).toThrow(/this document is closed/);
  });

  it('closes a paid invoice, which then needs closed: false in the request that edits it', async () => {
    const { call, state, acme, invoice } = arrange();
    state.insert('payments', { customer: acme.id, amount: 100, applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 100 }] });
    expect(state.get('invoices', invoice.id)).toMatchObject({ paid: true, closed: true, status: 'paid' });
    expect((await call<ErrorAnswer['body']>('PATCH', `/invoices/${invoice.id}`, { body: { purchase_order: 'PO-1' } })).body).toEqual(CLOSED);
    const edited = await call<InvoicedInvoiceRecord>('PATCH', `/invoices/${invoice.id}`, { body: { closed: false, purchase_order: 'PO-1' } });
    expect(edited.body).toMatchObject({ purchase_order: 'PO-1', paid: true, closed: false });
    // The next save of a paid invoice that does not say `closed` closes it again.
    const again = await call<InvoicedInvoiceRecord>('PATCH', `/invoices/${invoice.id}`, { body: { notes: 'n' } });
    expect(again.body).toMatchObject({ notes: 'n', closed: true });
  });

  it('reopens a paid invoice when its payment is voided', async () => {
    const { call, state, acme, invoice } = arrange();
    const payment = state.insert('payments', { customer: acme.id, amount: 100, applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 100 }] });
    expect(state.get('invoices', invoice.id)?.closed).toBe(true);
    await call('DELETE', `/payments/${payment.id}`);
    expect(state.get('invoices', invoice.id)).toMatchObject({ paid: false, closed: false, balance: 100 });
  });

  it('refuses to edit a closed credit note in the same words', async () => {
    const { call, state, acme } = arrange();
    const note = state.insert('credit_notes', { customer: acme.id, items: [{ name: 'Refund', unit_cost: 10 }], closed: true });
    expect((await call<ErrorAnswer['body']>('PATCH', `/credit_notes/${note.id}`, { body: { notes: 'n' } })).body).toEqual(CLOSED);
    const reopened = await call<InvoicedCreditNoteRecord>('PATCH', `/credit_notes/${note.id}`, { body: { closed: false, notes: 'n' } });
    expect(reopened.body).toMatchObject({ closed: false, status: 'open', notes: 'n' });
  });

  it('leaves a closed, unpaid invoice in its own status: closing is not bad debt', async () => {
    const { call, state, acme, now } = arrange();
    const late = state.insert('invoices', { customer: acme.id, items: [{ name: 'Work', unit_cost: 10 }], due_date: now() - DAY });
    const fresh = state.insert('invoices', { customer: acme.id, items: [{ name: 'Work', unit_cost: 10 }] });
    expect((await call<InvoicedInvoiceRecord>('PATCH', `/invoices/${late.id}`, { body: { closed: true } })).body).toMatchObject({ closed: true, status: 'past_due' });
    expect((await call<InvoicedInvoiceRecord>('PATCH', `/invoices/${fresh.id}`, { body: { closed: true } })).body).toMatchObject({ closed: true, status: 'not_sent' });
  });
});

describe('Invoiced voided documents', () => {
  it('zeroes the balance of a voided invoice and credit note, and does not close them', async () => {
    const { call, state, acme, invoice } = arrange();
    const voided = await call<InvoicedInvoiceRecord>('POST', `/invoices/${invoice.id}/void`);
    expect(voided.body).toMatchObject({ status: 'voided', total: 100, balance: 0, paid: false, closed: false });
    const note = state.insert('credit_notes', { customer: acme.id, items: [{ name: 'Refund', unit_cost: 10 }] });
    expect(state.void('credit_notes', note.id)).toMatchObject({ status: 'voided', total: 10, balance: 0, paid: false, closed: false });
  });

  it('refuses to edit a voided document, naming voided', async () => {
    const { call, invoice } = arrange();
    await call('POST', `/invoices/${invoice.id}/void`);
    const refused: ErrorAnswer = await call('PATCH', `/invoices/${invoice.id}`, { body: { closed: false, notes: 'n' } });
    expect(refused.body).toEqual({ type: 'invalid_request', message: 'Your changes cannot be saved because this document is voided.', param: 'voided' });
  });

  it('words void and delete refusals as Invoiced does', async () => {
    const { call, state, acme, invoice } = arrange();
    const note = state.insert('credit_notes', { customer: acme.id, items: [{ name: 'Refund', unit_cost: 10 }] });
    state.insert('payments', { customer: acme.id, amount: 10, applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 10 }] });
    const paidVoid: ErrorAnswer = await call('POST', `/invoices/${invoice.id}/void`);
    expect(paidVoid.body).toEqual({ type: 'invalid_request', message: 'This invoice cannot be voided because it has a payment applied.' });
    const paidDelete: ErrorAnswer = await call('DELETE', `/invoices/${invoice.id}`);
    expect(paidDelete.body).toEqual({ type: 'invalid_request', message: 'This invoice cannot be voided because it has a payment applied.', param: 'voided' });
    const other = state.insert('invoices', { customer: acme.id, items: [{ name: 'Work', unit_cost: 50 }] });
    state.insert('payments', { customer: acme.id, amount: 0, applied_to: [{ type: 'credit_note', credit_note: note.id, invoice: other.id, amount: 5 }] });
    expect((await call<ErrorAnswer['body']>('POST', `/invoices/${other.id}/void`)).body.message).toBe('This invoice cannot be voided because it has a credit note applied.');
    expect((await call<ErrorAnswer['body']>('POST', `/credit_notes/${note.id}/void`)).body.message).toBe('This credit note cannot be voided because it has been applied to an invoice.');
    const fresh = state.insert('invoices', { customer: acme.id, items: [{ name: 'Work', unit_cost: 1 }] });
    await call('POST', `/invoices/${fresh.id}/void`);
    expect((await call<ErrorAnswer['body']>('POST', `/invoices/${fresh.id}/void`)).body).toEqual({ type: 'invalid_request', message: 'This document has already been voided.' });
  });
});

describe('Invoiced document names', () => {
  it('names an invoice "Invoice" and a credit note "Credit Note" when the request does not', () => {
    const { state, acme } = arrange();
    expect(state.insert('invoices', { customer: acme.id }).name).toBe('Invoice');
    expect(state.insert('credit_notes', { customer: acme.id }).name).toBe('Credit Note');
    expect(state.insert('invoices', { customer: acme.id, name: 'Retainer' }).name).toBe('Retainer');
  });
});
