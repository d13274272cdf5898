/**
 * Request bodies and customer rules as Invoiced's backend applies them: unknown fields ignored by the
 * routes that do not check their body (customers warn only, invoices and credit notes check nothing),
 * refused by the payment routes; fields Invoiced protects refused; customer fields validated by the model;
 * numbers unique whatever their case; customers deletable while they only have payments.
 */
import { describe, expect, it } from 'vitest';
import type { InvoicedCustomerRecord, InvoicedInvoiceRecord } from './records';
import { createHarness, type ErrorAnswer } from './test-support';

function arrange() {
  const harness = createHarness();
  const acme = harness.state.insert('customers', { name: 'Acme', number: 'CUST-ACME' });
  return { ...harness, acme };
}

describe('Invoiced unknown body fields', () => {
  it('ignores an unknown field on a customer, an invoice and a credit note', async () => {
    const { call, state, acme } = arrange();
    const customer = await call<InvoicedCustomerRecord>('POST', '/customers', { body: { name: 'Beta', netsuite_id: '42' } });
    expect(customer.status).toBe(201);
    expect(customer.body).not.toHaveProperty('netsuite_id');
    const invoice = await call<InvoicedInvoiceRecord>('POST', '/invoices', { body: { customer: acme.id, items: [{ name: 'W', unit_cost: 1 }], netsuite_id: '1' } });
    expect(invoice.status).toBe(201);
    expect((await call('PATCH', `/invoices/${invoice.body.id}`, { body: { netsuiteId: 1 } })).status).toBe(200);
    expect(state.insert('credit_notes', { customer: acme.id, foo: 'bar' })).not.toHaveProperty('foo');
  });

  it('refuses a field Invoiced protects from mass assignment, in its words and without a param', async () => {
    const { call, state, acme } = arrange();
    const invoice = state.insert('invoices', { customer: acme.id, items: [{ name: 'W', unit_cost: 1 }] });
    expect((await call<ErrorAnswer['body']>('PATCH', `/invoices/${invoice.id}`, { body: { notes: 'n', total: 5 } })).body).toEqual({
      type: 'invalid_request',
      message: 'Mass assignment of total on Invoice is not allowed',
    });
    expect((await call<ErrorAnswer['body']>('POST', '/customers', { body: { name: 'B', credit_balance: 5 } })).body.message).toBe(
      'Mass assignment of credit_balance on Customer is not allowed',
    );
    expect((await call<ErrorAnswer['body']>('POST', '/credit_notes', { body: { customer: acme.id, balance: 0 } })).body.message).toBe(
      'Mass assignment of balance on CreditNote is not allowed',
    );
  });

  it('refuses an unknown payment field as the payment routes check their body, naming request', async () => {
    const { call, acme } = arrange();
    const answer: ErrorAnswer = await call('POST', '/payments', { body: { customer: acme.id, amount: 5, netsuite_id: '1' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      type: 'invalid_request',
      param: 'request',
      message:
        "The option 'netsuite_id' does not exist. Defined options are: 'accounting_id', 'accounting_system', 'ach_sender_id', 'amount', 'applied_to', 'attachments', 'currency', 'customer', 'date', 'metadata', 'method', 'notes', 'reference', 'source'.",
    });
  });

  it('refuses, in its own words, a field Invoiced documents that the sandbox does not model', async () => {
    const { call, acme } = arrange();
    const invoice: ErrorAnswer = await call('POST', '/invoices', { body: { customer: acme.id, autopay: true } });
    expect(invoice.body).toMatchObject({ type: 'invalid_request', param: 'autopay' });
    expect(invoice.body.message).toMatch(/sandbox does not simulate/);
    expect((await call<ErrorAnswer['body']>('POST', '/customers', { body: { name: 'B', language: 'fr' } })).body.param).toBe('language');
    expect((await call<ErrorAnswer['body']>('POST', '/payments', { body: { amount: 1, attachments: [] } })).body.param).toBe('attachments');
  });
});

describe('Invoiced customer fields', () => {
  it('takes the four customer types', async () => {
    const { call } = arrange();
    for (const type of ['company', 'government', 'non_profit', 'person']) {
      expect((await call<InvoicedCustomerRecord>('POST', '/customers', { body: { name: type, type } })).body.type).toBe(type);
    }
    expect((await call<ErrorAnswer['body']>('POST', '/customers', { body: { name: 'X', type: 'partnership' } })).body).toEqual({
      type: 'invalid_request',
      message: 'Type must be one of the allowed values',
      param: 'type',
    });
  });

  it('limits name to 255 and number to 32 bytes, in Invoiced words', async () => {
    const { call } = arrange();
    expect((await call('POST', '/customers', { body: { name: 'n'.repeat(255), number: 'N'.repeat(32) } })).status).toBe(201);
    expect((await call<ErrorAnswer['body']>('POST', '/customers', { body: { name: 'n'.repeat(256) } })).body).toEqual({
      type: 'invalid_request',
      message: 'Name must be a string between 1 and 255 characters.',
      param: 'name',
    });
    expect((await call<ErrorAnswer['body']>('POST', '/customers', { body: { name: 'X', number: 'é'.repeat(17) } })).body).toEqual({
      type: 'invalid_request',
      message: 'Number must be a string between 1 and 32 characters.',
      param: 'number',
    });
  });

  it('checks an email address, and keeps it trimmed and in lower case', async () => {
    const { call } = arrange();
    const kept = await call<InvoicedCustomerRecord>('POST', '/customers', { body: { name: 'X', email: '  AP@Example.TEST ' } });
    expect(kept.body.email).toBe('ap@example.test');
    expect((await call<InvoicedCustomerRecord>('POST', '/customers', { body: { name: 'Y', email: '' } })).body.email).toBeNull();
    expect((await call<ErrorAnswer['body']>('POST', '/customers', { body: { name: 'Z', email: 'not an address' } })).body).toEqual({
      type: 'invalid_request',
      message: 'Email must be a valid email address',
      param: 'email',
    });
  });
});

describe('Invoiced numbers', () => {
  it('refuses a number another record holds in another case, in Invoiced words', async () => {
    const { call, state, acme } = arrange();
    expect((await call<ErrorAnswer['body']>('POST', '/customers', { body: { name: 'B', number: 'cust-acme' } })).body).toEqual({
      type: 'invalid_request',
      message: 'The given customer number has already been taken: cust-acme',
      param: 'number',
    });
    state.insert('invoices', { customer: acme.id, number: 'INV-A' });
    const invoice: ErrorAnswer = await call('POST', '/invoices', { body: { customer: acme.id, number: 'inv-a' } });
    expect(invoice.body).toEqual({ type: 'invalid_request', message: 'The given invoice number has already been taken: inv-a', param: 'number' });
    state.insert('credit_notes', { customer: acme.id, number: 'CN-A' });
    const note: ErrorAnswer = await call('POST', '/credit_notes', { body: { customer: acme.id, number: 'Cn-A' } });
    expect(note.body.message).toBe('The given credit note number has already been taken: Cn-A');
    expect(state.update('customers', acme.id, { number: 'cust-acme' }).number).toBe('cust-acme');
  });
});

describe('Invoiced customer deletion', () => {
  it('deletes a customer that only has payments, and refuses one with documents in Invoiced words', async () => {
    const { call, state, acme } = arrange();
    state.insert('payments', { customer: acme.id, amount: 5 });
    expect((await call('DELETE', `/customers/${acme.id}`)).status).toBe(204);
    const busy = state.insert('customers', { name: 'Busy' });
    state.insert('credit_notes', { customer: busy.id });
    expect((await call<ErrorAnswer['body']>('DELETE', `/customers/${busy.id}`)).body).toEqual({
      type: 'invalid_request',
      message: 'Customers with transactions cannot be deleted',
    });
  });
});
