import { describe, expect, it } from 'vitest';
import type { InvoicedCreditNoteRecord, InvoicedPaymentRecord } from './records';
import { createHarness, type ErrorAnswer } from './test-support';

/** An invoice of 100.00 and a credit note of 40.00 for the same customer, an hour ago. */
function arrange() {
  const harness = createHarness();
  const { state } = harness;
  const acme = state.insert('customers', { name: 'Acme', currency: 'usd' });
  const invoice = state.insert('invoices', { customer: acme.id, items: [{ name: 'Work', unit_cost: 100 }] });
  const note = state.insert('credit_notes', { customer: acme.id, items: [{ name: 'Credit', unit_cost: 40 }], metadata: { netsuite_id: '501' } });
  harness.advance(3600);
  const application = (amount: number) => ({ type: 'credit_note', credit_note: note.id, invoice: invoice.id, document_type: 'invoice', amount });
  return { ...harness, acme, invoice, note, application };
}

describe('Invoiced credit notes applied to invoices', () => {
  it('applies through a payment of amount 0 (document_type accepted), lowering both balances and moving both updated_at', async () => {
    const { call, state, acme, invoice, note, application, now } = arrange();
    const payment = await call<InvoicedPaymentRecord>('POST', '/payments?include=applied_to', {
      body: { customer: acme.id, amount: 0, applied_to: [application(40)] },
    });
    expect(payment.status).toBe(201);
    expect(payment.body).toMatchObject({ amount: 0, balance: 0, applied_to: [{ type: 'credit_note', credit_note: note.id, invoice: invoice.id, amount: 40 }] });
    expect(state.get('credit_notes', note.id)).toMatchObject({ balance: 0, paid: true, closed: true, status: 'paid', updated_at: now() });
    expect(state.get('invoices', invoice.id)).toMatchObject({ balance: 60, updated_at: now() });
  });

  it('gives the balances back when the application is lowered or removed by PATCH, reopening the credit note', async () => {
    const { call, state, acme, invoice, note, application, advance, now } = arrange();
    const payment = state.insert('payments', { customer: acme.id, amount: 0, applied_to: [application(40)] });
    advance(60);
    expect((await call('PATCH', `/payments/${payment.id}`, { body: { applied_to: [application(15)] } })).status).toBe(200);
    expect(state.get('credit_notes', note.id)).toMatchObject({ balance: 25, closed: false, status: 'open', updated_at: now() });
    expect(state.get('invoices', invoice.id)?.balance).toBe(85);
    advance(60);
    expect((await call('PATCH', `/payments/${payment.id}`, { body: { applied_to: [] } })).status).toBe(200);
    expect(state.get('credit_notes', note.id)).toMatchObject({ balance: 40, status: 'open', updated_at: now() });
    expect(state.get('invoices', invoice.id)).toMatchObject({ balance: 100, updated_at: now() });
  });

  it('gives the balances back when the payment is voided with DELETE', async () => {
    const { call, state, acme, invoice, note, application, now } = arrange();
    const payment = state.insert('payments', { customer: acme.id, amount: 0, applied_to: [application(40)] });
    const voided = await call<InvoicedPaymentRecord>('DELETE', `/payments/${payment.id}`);
    expect(voided.body).toMatchObject({ voided: true, amount: 0 });
    expect(state.get('credit_notes', note.id)).toMatchObject({ balance: 40, closed: false, status: 'open', updated_at: now() });
    expect(state.get('invoices', invoice.id)?.balance).toBe(100);
  });

  it('refuses to void or delete an applied credit note, and voids it once it is unapplied', async () => {
    const { call, state, acme, note, application } = arrange();
    const payment = state.insert('payments', { customer: acme.id, amount: 0, applied_to: [application(10)] });
    const message = 'This credit note cannot be voided because it has been applied to an invoice.';
    expect((await call<ErrorAnswer['body']>('POST', `/credit_notes/${note.id}/void`)).body).toEqual({ type: 'invalid_request', message });
    expect((await call<ErrorAnswer['body']>('DELETE', `/credit_notes/${note.id}`)).body).toEqual({ type: 'invalid_request', message, param: 'voided' });
    state.update('payments', payment.id, { applied_to: [] });
    const voided = await call<InvoicedCreditNoteRecord>('POST', `/credit_notes/${note.id}/void`);
    expect(voided.body).toMatchObject({ status: 'voided', balance: 0, total: 40 });
    expect((await call('DELETE', `/credit_notes/${note.id}`)).status).toBe(204);
  });

  it('lists credit notes changed after a time, by filter and by metadata', async () => {
    const { call, state, acme, note, application, now } = arrange();
    const since = now();
    const untouched = state.insert('credit_notes', { customer: acme.id, items: [{ name: 'Other', unit_cost: 5 }] });
    const other = state.insert('customers', { name: 'Other' });
    state.insert('credit_notes', { customer: other.id, metadata: { netsuite_id: '502' } });
    expect((await call<InvoicedCreditNoteRecord[]>('GET', `/credit_notes?updated_after=${since - 1}`)).body.map((n) => n.id)).not.toContain(note.id);
    state.insert('payments', { customer: acme.id, amount: 0, applied_to: [application(40)] });
    const changed = await call<InvoicedCreditNoteRecord[]>('GET', `/credit_notes?updated_after=${since - 1}&filter[customer]=${acme.id}`);
    expect(changed.body.map((n) => n.id)).toEqual([note.id, untouched.id]);
    const open = await call<InvoicedCreditNoteRecord[]>('GET', `/credit_notes?filter[status]=open&filter[customer]=${acme.id}`);
    expect(open.body.map((n) => n.id)).toEqual([untouched.id]);
    const byMetadata = await call<InvoicedCreditNoteRecord[]>('GET', '/credit_notes?metadata[netsuite_id]=501');
    expect(byMetadata.body.map((n) => n.id)).toEqual([note.id]);
  });

  it('creates a draft credit note that cannot be applied until a PATCH issues it', async () => {
    const { call, acme, invoice } = arrange();
    const draft = await call<InvoicedCreditNoteRecord>('POST', '/credit_notes', {
      body: { customer: acme.id, draft: true, items: [{ name: 'Later', unit_cost: 20 }] },
    });
    expect(draft.body).toMatchObject({ draft: true, status: 'draft', balance: 20, paid: false });
    const apply = { customer: acme.id, amount: 0, applied_to: [{ type: 'credit_note', credit_note: draft.body.id, invoice: invoice.id, amount: 20 }] };
    const refused: ErrorAnswer = await call('POST', '/payments', { body: apply });
    expect(refused.body.param).toBe('applied_to.0.credit_note');
    const issued = await call<InvoicedCreditNoteRecord>('PATCH', `/credit_notes/${draft.body.id}`, { body: { draft: false } });
    expect(issued.body).toMatchObject({ draft: false, status: 'open' });
    expect((await call('POST', '/payments', { body: apply })).status).toBe(201);
  });
});
