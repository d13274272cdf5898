import type { InvoicedErrorBody } from './errors';
import { describe, expect, it } from 'vitest';
import type { InvoicedInvoiceRecord, InvoicedPaymentRecord } from './records';
import { createHarness, type ErrorAnswer } from './test-support';

/** A customer with two open invoices of 100.00 and 50.00, and a second customer with one of 30.00. */
function arrange() {
  const harness = createHarness();
  const { state } = harness;
  const acme = state.insert('customers', { name: 'Acme', currency: 'usd' });
  const other = state.insert('customers', { name: 'Other', currency: 'usd' });
  const big = state.insert('invoices', { customer: acme.id, items: [{ name: 'Big', unit_cost: 100 }] });
  const small = state.insert('invoices', { customer: acme.id, items: [{ name: 'Small', unit_cost: 50 }] });
  const foreign = state.insert('invoices', { customer: other.id, items: [{ name: 'Theirs', unit_cost: 30 }] });
  return { ...harness, acme, other, big, small, foreign };
}

describe('Invoiced payments', () => {
  it('applies part of an invoice and keeps the rest of the payment unapplied', async () => {
    const { call, state, acme, big } = arrange();
    const answer = await call<InvoicedPaymentRecord>('POST', '/payments?include=applied_to', {
      body: { customer: acme.id, amount: 60, method: 'check', reference: '1042', applied_to: [{ type: 'invoice', invoice: big.id, amount: 40.1 }] },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      object: 'payment',
      customer: acme.id,
      currency: 'usd',
      amount: 60,
      balance: 19.9,
      voided: false,
      method: 'check',
      reference: '1042',
      applied_to: [{ type: 'invoice', invoice: big.id, amount: 40.1 }],
    });
    expect(state.get('invoices', big.id)).toMatchObject({ balance: 59.9, paid: false, status: 'not_sent' });
  });

  it('splits one payment across two invoices and marks the one paid in full as paid, bumping its updated_at', async () => {
    const { call, state, acme, big, small, advance, now } = arrange();
    advance(30);
    await call('POST', '/payments', {
      body: {
        customer: acme.id,
        amount: 80,
        applied_to: [
          { type: 'invoice', invoice: big.id, amount: 30 },
          { type: 'invoice', invoice: small.id, amount: 50 },
        ],
      },
    });
    expect(state.get('invoices', big.id)).toMatchObject({ balance: 70, paid: false });
    expect(state.get('invoices', small.id)).toMatchObject({ balance: 0, paid: true, closed: true, status: 'paid', updated_at: now() });
    const open = await call<InvoicedInvoiceRecord[]>('GET', `/invoices?filter[paid]=0&filter[customer]=${acme.id}`);
    expect(open.body.map((invoice) => invoice.id)).toEqual([big.id]);
  });

  it('refuses to apply more than an invoice balance, counting earlier payments', async () => {
    const { call, state, acme, small } = arrange();
    state.insert('payments', { customer: acme.id, amount: 20, applied_to: [{ type: 'invoice', invoice: small.id, amount: 20 }] });
    const answer: ErrorAnswer = await call('POST', '/payments', {
      body: { customer: acme.id, amount: 31, applied_to: [{ type: 'invoice', invoice: small.id, amount: 31 }] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: 'invalid_request', param: 'applied_to.0.amount' });
    expect(state.count('payments')).toBe(1);
    expect(state.get('invoices', small.id)?.balance).toBe(30);
  });

  it('refuses applications that add up to more than the payment, and applies none of them', async () => {
    const { call, state, acme, big, small } = arrange();
    const answer: ErrorAnswer = await call('POST', '/payments', {
      body: {
        customer: acme.id,
        amount: 50,
        applied_to: [
          { type: 'invoice', invoice: big.id, amount: 30 },
          { type: 'invoice', invoice: small.id, amount: 30 },
        ],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.param).toBe('applied_to');
    expect(state.get('invoices', big.id)?.balance).toBe(100);
    expect(state.count('payments')).toBe(0);
  });

  it('refuses an invoice in another currency', async () => {
    const { call, state, acme } = arrange();
    const euros = state.insert('invoices', { customer: acme.id, currency: 'eur', items: [{ name: 'Euro work', unit_cost: 10 }] });
    const answer: ErrorAnswer = await call('POST', '/payments', {
      body: { customer: acme.id, currency: 'usd', amount: 10, applied_to: [{ type: 'invoice', invoice: euros.id, amount: 10 }] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.param).toBe('currency');
  });

  it("refuses another customer's invoice", async () => {
    const { call, acme, foreign } = arrange();
    const answer: ErrorAnswer = await call('POST', '/payments', {
      body: { customer: acme.id, amount: 30, applied_to: [{ type: 'invoice', invoice: foreign.id, amount: 30 }] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.param).toBe('applied_to.0.invoice');
    expect(answer.body.message).toMatch(/another customer/);
  });

  it('refuses an unknown, voided or draft invoice', async () => {
    const { call, state, acme } = arrange();
    const draft = state.insert('invoices', { customer: acme.id, draft: true, items: [{ name: 'Draft', unit_cost: 5 }] });
    const voided = state.void('invoices', state.insert('invoices', { customer: acme.id, items: [{ name: 'V', unit_cost: 5 }] }).id);
    for (const invoice of [999, draft.id, voided.id]) {
      const answer: ErrorAnswer = await call('POST', '/payments', {
        body: { customer: acme.id, amount: 5, applied_to: [{ type: 'invoice', invoice, amount: 5 }] },
      });
      expect(answer.body.param).toBe('applied_to.0.invoice');
    }
  });

  it('voids a payment and restores the balances it settled', async () => {
    const { call, state, acme, small, advance, now } = arrange();
    const payment = state.insert('payments', { customer: acme.id, amount: 50, applied_to: [{ type: 'invoice', invoice: small.id, amount: 50 }] });
    expect(state.get('invoices', small.id)?.status).toBe('paid');
    advance(10);
    const voided = await call<InvoicedPaymentRecord>('DELETE', `/payments/${payment.id}`);
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ voided: true, balance: 50, updated_at: now() });
    expect(state.get('invoices', small.id)).toMatchObject({ balance: 50, paid: false, status: 'not_sent', updated_at: now() });
    const again: ErrorAnswer = await call('DELETE', `/payments/${payment.id}`);
    expect(again.status).toBe(400);
  });

  it('re-applies a payment on PATCH, freeing what it no longer settles', async () => {
    const { call, state, acme, big, small } = arrange();
    const payment = state.insert('payments', { customer: acme.id, amount: 50, applied_to: [{ type: 'invoice', invoice: big.id, amount: 50 }] });
    const answer = await call<InvoicedPaymentRecord>('PATCH', `/payments/${payment.id}`, {
      body: { applied_to: [{ type: 'invoice', invoice: small.id, amount: 50 }] },
    });
    expect(answer.status).toBe(200);
    expect(state.get('invoices', big.id)?.balance).toBe(100);
    expect(state.get('invoices', small.id)?.balance).toBe(0);
  });

  it('checks existing applications again when the amount is lowered', async () => {
    const { call, state, acme, big } = arrange();
    const payment = state.insert('payments', { customer: acme.id, amount: 50, applied_to: [{ type: 'invoice', invoice: big.id, amount: 50 }] });
    const answer: ErrorAnswer = await call('PATCH', `/payments/${payment.id}`, { body: { amount: 40 } });
    expect(answer.body.param).toBe('applied_to');
    expect((await call('PATCH', `/payments/${payment.id}`, { body: { amount: 70, notes: 'more' } })).status).toBe(200);
    expect(state.get('payments', payment.id)).toMatchObject({ amount: 70, balance: 20, notes: 'more' });
  });

  it('puts an amount on credit without touching any invoice', async () => {
    const { call, acme } = arrange();
    const answer = await call<InvoicedPaymentRecord>('POST', '/payments?include=applied_to', {
      body: { customer: acme.id, amount: 25, applied_to: [{ type: 'credit', amount: 25 }] },
    });
    expect(answer.body).toMatchObject({ balance: 0, applied_to: [{ type: 'credit', amount: 25 }] });
  });

  it('refuses amounts with more decimals than the currency, such as summed floats', async () => {
    const { call, acme, big } = arrange();
    const amount: ErrorAnswer = await call('POST', '/payments', { body: { customer: acme.id, amount: 0.1 + 0.2 } });
    expect(amount.body.param).toBe('amount');
    const applied: ErrorAnswer = await call('POST', '/payments', {
      body: { customer: acme.id, amount: 1, applied_to: [{ type: 'invoice', invoice: big.id, amount: 0.305 }] },
    });
    expect(applied.body.param).toBe('applied_to.0.amount');
  });

  it('takes a payment method beyond the documented common ones, as Invoiced does, and defaults source to keyed', async () => {
    const { call, acme } = arrange();
    const answer = await call<InvoicedPaymentRecord>('POST', '/payments', { body: { customer: acme.id, amount: 5, method: 'bitcoin' } });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ method: 'bitcoin', source: 'keyed' });
    expect((await call<InvoicedErrorBody>('POST', '/payments', { body: { customer: acme.id, amount: 5, method: '' } })).body.param).toBe('method');
  });

  it('keeps an invoice with payments from being voided, deleted or undercut', async () => {
    const { call, state, acme, big } = arrange();
    state.insert('payments', { customer: acme.id, amount: 60, applied_to: [{ type: 'invoice', invoice: big.id, amount: 60 }] });
    expect((await call('POST', `/invoices/${big.id}/void`)).status).toBe(400);
    expect((await call('DELETE', `/invoices/${big.id}`)).status).toBe(400);
    const undercut: ErrorAnswer = await call('PATCH', `/invoices/${big.id}`, { body: { items: [{ name: 'Cheaper', unit_cost: 50 }] } });
    expect(undercut.body.param).toBe('items');
    const other = state.insert('customers', { name: 'Someone' });
    expect((await call<InvoicedErrorBody>('PATCH', `/invoices/${big.id}`, { body: { customer: other.id } })).body.param).toBe('customer');
  });
});
