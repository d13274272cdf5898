import { describe, expect, it } from 'vitest';
import type { InvoicedCreditNoteRecord, InvoicedPaymentRecord } from './records';
import { createHarness, type ErrorAnswer } from './test-support';

function arrange() {
  const harness = createHarness();
  const customer = harness.state.insert('customers', { name: 'Acme', currency: 'usd' });
  const invoice = harness.state.insert('invoices', { customer: customer.id, items: [{ name: 'Work', quantity: 4, unit_cost: 25 }] });
  return { ...harness, customer, invoice };
}

describe('Invoiced credit notes', () => {
  it('creates an open credit note numbered CN-00001 with exact totals', async () => {
    const { call, customer } = arrange();
    const answer = await call<InvoicedCreditNoteRecord>('POST', '/credit_notes', {
      body: { customer: customer.id, items: [{ name: 'Refund', quantity: 1, unit_cost: 40.05 }], metadata: { netsuite_id: '77' } },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      object: 'credit_note',
      number: 'CN-00001',
      currency: 'usd',
      status: 'open',
      total: 40.05,
      balance: 40.05,
      metadata: { netsuite_id: '77' },
    });
  });

  it('ignores invoice-only fields, which its model does not have', async () => {
    const { call, customer } = arrange();
    const answer = await call<Record<string, unknown>>('POST', '/credit_notes', { body: { customer: customer.id, due_date: 1_700_000_000 } });
    expect(answer.status).toBe(201);
    expect(answer.body).not.toHaveProperty('due_date');
  });

  it('is applied to an invoice through a payment application, lowering both balances', async () => {
    const { call, state, customer, invoice } = arrange();
    const note = state.insert('credit_notes', { customer: customer.id, items: [{ name: 'Refund', unit_cost: 40 }] });
    const payment = await call<InvoicedPaymentRecord>('POST', '/payments?include=applied_to', {
      body: { customer: customer.id, amount: 0, applied_to: [{ type: 'credit_note', credit_note: note.id, invoice: invoice.id, amount: 40 }] },
    });
    expect(payment.status).toBe(201);
    expect(payment.body.applied_to).toEqual([{ type: 'credit_note', credit_note: note.id, invoice: invoice.id, amount: 40 }]);
    expect(payment.body.balance).toBe(0);
    expect(state.get('invoices', invoice.id)?.balance).toBe(60);
    expect(state.get('credit_notes', note.id)).toMatchObject({ balance: 0, status: 'paid' });
  });

  it('refuses to apply more than the credit note holds', async () => {
    const { call, state, customer, invoice } = arrange();
    const note = state.insert('credit_notes', { customer: customer.id, items: [{ name: 'Refund', unit_cost: 10 }] });
    const answer: ErrorAnswer = await call('POST', '/payments', {
      body: { customer: customer.id, amount: 0, applied_to: [{ type: 'credit_note', credit_note: note.id, invoice: invoice.id, amount: 15 }] },
    });
    expect(answer.body.param).toBe('applied_to.0.amount');
    expect(state.get('invoices', invoice.id)?.balance).toBe(100);
  });

  it('is voided through POST /credit_notes/{id}/void', async () => {
    const { call, state, customer } = arrange();
    const note = state.insert('credit_notes', { customer: customer.id, items: [{ name: 'Refund', unit_cost: 10 }] });
    const answer = await call<InvoicedCreditNoteRecord>('POST', `/credit_notes/${note.id}/void`);
    expect(answer.body.status).toBe('voided');
  });

  it('lists and filters credit notes by metadata', async () => {
    const { call, state, customer } = arrange();
    state.insert('credit_notes', { customer: customer.id, metadata: { netsuite_id: '1' } });
    const wanted = state.insert('credit_notes', { customer: customer.id, metadata: { netsuite_id: '2' } });
    const answer = await call<InvoicedCreditNoteRecord[]>('GET', '/credit_notes?metadata[netsuite_id]=2');
    expect(answer.body.map((note) => note.id)).toEqual([wanted.id]);
  });
});
