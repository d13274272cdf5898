import { describe, expect, it } from 'vitest';
import type { InvoicedInvoiceRecord } from './records';
import { createHarness, DAY, type ErrorAnswer } from './test-support';

function withCustomer(currency = 'usd', extra: Record<string, unknown> = {}) {
  const harness = createHarness();
  const customer = harness.state.insert('customers', { name: 'Acme', currency, ...extra });
  return { ...harness, customer };
}

describe('Invoiced invoices', () => {
  it('creates an invoice whose lines and totals are exact', async () => {
    const { call, customer, now } = withCustomer();
    const answer = await call<InvoicedInvoiceRecord>('POST', '/invoices', {
      body: {
        customer: customer.id,
        items: [
          { name: 'Widget', quantity: 3, unit_cost: 0.1 },
          { name: 'Gadget', quantity: 3, unit_cost: 19.99 },
        ],
      },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      id: 1,
      object: 'invoice',
      customer: customer.id,
      number: 'INV-00001',
      currency: 'usd',
      draft: false,
      closed: false,
      paid: false,
      status: 'not_sent',
      date: now(),
      subtotal: 60.27,
      total: 60.27,
      balance: 60.27,
    });
    expect(answer.body.items.map((item) => item.amount)).toEqual([0.3, 59.97]);
    expect(answer.body.items[0]).toMatchObject({ object: 'line_item', quantity: 3, unit_cost: 0.1 });
  });

  it("takes the customer's currency and payment terms, and derives the due date from NET terms", async () => {
    const { call, customer, now } = withCustomer('eur', { payment_terms: 'NET 30' });
    const answer = await call<InvoicedInvoiceRecord>('POST', '/invoices', { body: { customer: customer.id } });
    expect(answer.body).toMatchObject({ currency: 'eur', payment_terms: 'NET 30', due_date: now() + 30 * DAY });
  });

  it('rounds line amounts to the currency, with no decimals for JPY', async () => {
    const { call, customer } = withCustomer('jpy');
    const answer = await call<InvoicedInvoiceRecord>('POST', '/invoices', {
      body: { customer: customer.id, items: [{ name: 'Paper', quantity: 3, unit_cost: 333.5 }] },
    });
    expect(answer.body.items[0]?.amount).toBe(1001);
    expect(answer.body.total).toBe(1001);
  });

  it('subtracts discounts and adds taxes to the total', async () => {
    const { call, customer } = withCustomer();
    const answer = await call<InvoicedInvoiceRecord>('POST', '/invoices', {
      body: {
        customer: customer.id,
        items: [{ name: 'Work', quantity: 2, unit_cost: 50, taxes: [{ amount: 8.25 }] }],
        discounts: [{ amount: 10 }],
      },
    });
    expect(answer.body).toMatchObject({ subtotal: 100, total: 98.25, balance: 98.25 });
    expect(answer.body.discounts).toEqual([{ id: expect.any(Number) as number, object: 'discount', amount: 10 }]);
  });

  it('rounds a discount or a tax with more decimals than the currency, half away from zero, as Invoiced does', async () => {
    const { call, customer } = withCustomer('jpy');
    const yen = await call<InvoicedInvoiceRecord>('POST', '/invoices', {
      body: { customer: customer.id, items: [{ name: 'Paper', unit_cost: 100 }], discounts: [{ amount: 0.5 }] },
    });
    expect(yen.status).toBe(201);
    expect(yen.body).toMatchObject({ subtotal: 100, total: 99, discounts: [{ amount: 1 }] });
    const dollars = withCustomer();
    const taxed = await dollars.call<InvoicedInvoiceRecord>('POST', '/invoices', {
      body: { customer: dollars.customer.id, items: [{ name: 'Work', unit_cost: 10, taxes: [{ amount: 0.825 }] }], taxes: [{ amount: 0.1 + 0.2 }] },
    });
    expect(taxed.body).toMatchObject({ total: 11.13, taxes: [{ amount: 0.3 }] });
    expect(taxed.body.items[0]?.taxes).toEqual([{ id: expect.any(Number) as number, object: 'tax', amount: 0.83 }]);
  });

  it('rounds a line of 1.005 to 1.01, as PHP 8.3 rounds the product Invoiced computes', async () => {
    const { call, customer } = withCustomer();
    const answer = await call<InvoicedInvoiceRecord>('POST', '/invoices', { body: { customer: customer.id, items: [{ name: 'Odd', quantity: 1, unit_cost: 1.005 }] } });
    expect(answer.body.items[0]?.amount).toBe(1.01);
  });

  it('requires an existing customer', async () => {
    const { call } = createHarness();
    const missing: ErrorAnswer = await call('POST', '/invoices', { body: { items: [] } });
    expect(missing.body.param).toBe('customer');
    const unknown: ErrorAnswer = await call('POST', '/invoices', { body: { customer: 404 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ param: 'customer', message: 'No such customer: 404' });
  });

  it('names the line item field at fault', async () => {
    const { call, customer } = withCustomer();
    const answer: ErrorAnswer = await call('POST', '/invoices', {
      body: { customer: customer.id, items: [{ name: 'Ok', quantity: 1 }, { name: 'Bad', quantity: '2' }] },
    });
    expect(answer.body.param).toBe('items.1.quantity');
  });

  it('refuses a duplicate invoice number', async () => {
    const { call, customer } = withCustomer();
    await call('POST', '/invoices', { body: { customer: customer.id, number: 'INV-7' } });
    const answer: ErrorAnswer = await call('POST', '/invoices', { body: { customer: customer.id, number: 'INV-7' } });
    expect(answer.status).toBe(400);
    expect(answer.body.param).toBe('number');
  });

  it('derives draft and past_due statuses from the draft flag and the clock', async () => {
    const { call, customer, now, advance } = withCustomer();
    const draft = await call<InvoicedInvoiceRecord>('POST', '/invoices', { body: { customer: customer.id, draft: true } });
    expect(draft.body.status).toBe('draft');
    const due = await call<InvoicedInvoiceRecord>('POST', '/invoices', {
      body: { customer: customer.id, due_date: now() + DAY, items: [{ name: 'Work', unit_cost: 10 }] },
    });
    expect(due.body.status).toBe('not_sent');
    advance(DAY + 1);
    const later = await call<InvoicedInvoiceRecord>('GET', `/invoices/${due.body.id}`);
    expect(later.body.status).toBe('past_due');
  });

  it('recomputes totals when the items are edited, and bumps updated_at', async () => {
    const { call, state, customer, advance, now } = withCustomer();
    const invoice = state.insert('invoices', { customer: customer.id, items: [{ name: 'Work', quantity: 1, unit_cost: 100 }] });
    advance(5);
    const firstLine = invoice.items[0]?.id;
    const answer = await call<InvoicedInvoiceRecord>('PATCH', `/invoices/${invoice.id}`, {
      body: { items: [{ id: firstLine, quantity: 2 }, { name: 'Extra', unit_cost: 0.5 }], metadata: { netsuite_id: '9' } },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ subtotal: 200.5, total: 200.5, balance: 200.5, updated_at: now(), metadata: { netsuite_id: '9' } });
    expect(answer.body.items[0]).toMatchObject({ id: firstLine, name: 'Work', quantity: 2, unit_cost: 100, amount: 200 });
  });

  it('refuses to edit a line item the invoice does not have', async () => {
    const { call, state, customer } = withCustomer();
    const invoice = state.insert('invoices', { customer: customer.id, items: [{ name: 'Work', unit_cost: 1 }] });
    const answer: ErrorAnswer = await call('PATCH', `/invoices/${invoice.id}`, { body: { items: [{ id: 12345, quantity: 1 }] } });
    expect(answer.body.param).toBe('items.0.id');
  });

  it('voids an invoice through POST /invoices/{id}/void and refuses to void it twice', async () => {
    const { call, state, customer } = withCustomer();
    const invoice = state.insert('invoices', { customer: customer.id, items: [{ name: 'Work', unit_cost: 10 }] });
    const voided = await call<InvoicedInvoiceRecord>('POST', `/invoices/${invoice.id}/void`);
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ status: 'voided', closed: false, paid: false, balance: 0 });
    const again: ErrorAnswer = await call('POST', `/invoices/${invoice.id}/void`);
    expect(again.status).toBe(400);
    const edit: ErrorAnswer = await call('PATCH', `/invoices/${invoice.id}`, { body: { notes: 'late' } });
    expect(edit.status).toBe(400);
  });

  it('answers 404 for an unknown invoice, a non-numeric ID and an unknown action', async () => {
    const { call, state, customer } = withCustomer();
    const invoice = state.insert('invoices', { customer: customer.id });
    expect((await call('GET', '/invoices/77')).status).toBe(404);
    expect((await call('GET', '/invoices/abc')).status).toBe(404);
    expect((await call('POST', `/invoices/${invoice.id}/pay`)).status).toBe(404);
    expect((await call('POST', '/customers/1/void')).status).toBe(404);
    expect((await call('PUT', `/invoices/${invoice.id}`)).status).toBe(405);
  });

  it('lists invoices', async () => {
    const { call, state, customer } = withCustomer();
    state.insert('invoices', { customer: customer.id, number: 'A-1' });
    state.insert('invoices', { customer: customer.id, number: 'A-2' });
    const answer = await call<InvoicedInvoiceRecord[]>('GET', '/invoices');
    expect(answer.body.map((invoice) => invoice.number)).toEqual(['A-1', 'A-2']);
  });

  it('answers under a base URL with a path prefix', async () => {
    const { call, customer } = withCustomer();
    const answer = await call<InvoicedInvoiceRecord>('POST', 'https://proxy.internal/invoiced/invoices', { body: { customer: customer.id } });
    expect(answer.status).toBe(201);
  });
});
