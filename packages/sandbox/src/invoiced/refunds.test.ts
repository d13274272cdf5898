import { describe, expect, it } from 'vitest';
import type { InvoicedInvoiceRecord, InvoicedPaymentRecord, InvoicedRefundRecord } from './records';
import { createHarness, links, type ErrorAnswer } from './test-support';

/** A customer with an open invoice of 100.00, paid in full by a card charge of 100.00. */
function arrange() {
  const harness = createHarness();
  const { state } = harness;
  const acme = state.insert('customers', { name: 'Acme', currency: 'usd' });
  const invoice = state.insert('invoices', { customer: acme.id, items: [{ name: 'Work', unit_cost: 100 }] });
  const payment = state.charge({ customer: acme.id, amount: 100, applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 100 }] });
  return { ...harness, acme, invoice, payment, chargeId: payment.charge.id };
}

describe('Invoiced processed payments', () => {
  it('answers charge: null for a payment recorded through POST /payments', async () => {
    const { call, acme } = arrange();
    const answer = await call<InvoicedPaymentRecord>('POST', '/payments', { body: { customer: acme.id, amount: 5 } });
    expect(answer.body.charge).toBeNull();
  });

  it('records a charge and its payment, applied as asked, with the charge on the payment', async () => {
    const { call, state, payment, invoice, acme, now } = arrange();
    expect(payment).toMatchObject({ amount: 100, balance: 0, method: 'credit_card', source: 'api', reference: payment.charge.gateway_id });
    const { gateway_id: chargeGatewayId, ...charge } = payment.charge;
    expect(chargeGatewayId).toMatch(/^ch_[0-9a-f]{24}$/);
    expect(charge).toEqual({
      id: 1,
      object: 'charge',
      customer: acme.id,
      payment: payment.id,
      currency: 'usd',
      amount: 100,
      gateway: 'stripe',
      status: 'succeeded',
      receipt_email: null,
      failure_message: null,
      payment_source: null,
      amount_refunded: 0,
      refunded: false,
      refunds: [],
      disputed: false,
      created_at: now(),
      updated_at: now(),
    });
    expect(state.get('invoices', invoice.id)).toMatchObject({ balance: 0, status: 'paid' });
    const read = await call<InvoicedPaymentRecord>('GET', `/payments/${payment.id}`);
    expect(read.body.charge).toEqual(payment.charge);
    expect((await call('GET', `/charges/${payment.charge.id}`)).body).toEqual(payment.charge);
  });

  it('refuses a charge the payment rules refuse, and keeps nothing', () => {
    const { state, acme, invoice } = arrange();
    expect(() => state.charge({ customer: acme.id, amount: 10, applied_to: [{ type: 'invoice', invoice: invoice.id, amount: 10 }] })).toThrow(/exceeds the balance/);
    expect(() => state.charge({ customer: acme.id, amount: 0 })).toThrow(/amount/);
    expect(state.count('payments')).toBe(1);
  });

  it('keeps the customer, currency and amount of a processed payment, and lets its other fields change', async () => {
    const { call, payment } = arrange();
    const amount: ErrorAnswer = await call('PATCH', `/payments/${payment.id}`, { body: { amount: 90 } });
    expect(amount.body).toEqual({ type: 'invalid_request', message: 'The amount of a processed payment cannot change.', param: 'amount' });
    expect((await call('PATCH', `/payments/${payment.id}`, { body: { notes: 'card' } })).status).toBe(200);
  });
});

describe('Invoiced refunds', () => {
  it('refunds part of a charge: 201 with the refund; the charge changes, the payment and invoice do not', async () => {
    const { call, state, payment, invoice, chargeId, advance, now } = arrange();
    advance(60);
    const answer = await call<InvoicedRefundRecord>('POST', `/charges/${chargeId}/refunds`, { body: { amount: 40 } });
    expect(answer.status).toBe(201);
    const { gateway_id: refundGatewayId, ...refund } = answer.body;
    expect(refundGatewayId).toMatch(/^re_[0-9a-f]{24}$/);
    expect(refund).toEqual({
      id: 1,
      object: 'refund',
      charge: chargeId,
      amount: 40,
      currency: 'usd',
      gateway: 'stripe',
      status: 'succeeded',
      failure_message: null,
      created_at: now(),
      updated_at: now(),
    });
    const read = await call<InvoicedPaymentRecord>('GET', `/payments/${payment.id}?include=applied_to`);
    expect(read.body).toMatchObject({ amount: 100, balance: 0, applied_to: payment.applied_to, updated_at: payment.updated_at });
    expect(read.body.charge).toMatchObject({ amount_refunded: 40, refunded: false, refunds: [answer.body], updated_at: now() });
    expect(state.get('invoices', invoice.id)).toMatchObject({ balance: 0, status: 'paid', updated_at: invoice.updated_at });
  });

  it('marks the charge refunded when the refunds reach its amount, and refuses more', async () => {
    const { call, state, chargeId, payment } = arrange();
    state.refund(chargeId, 60.5);
    expect((await call('POST', `/charges/${chargeId}/refunds`, { body: { amount: 39.5 } })).status).toBe(201);
    expect(state.get('payments', payment.id)?.charge).toMatchObject({ amount_refunded: 100, refunded: true });
    const more: ErrorAnswer = await call('POST', `/charges/${chargeId}/refunds`, { body: { amount: 0.01 } });
    expect(more.status).toBe(400);
    expect(more.body).toEqual({ type: 'invalid_request', message: 'The refund amount cannot exceed the original charge amount.' });
    expect(state.count('refunds')).toBe(2);
  });

  it('refuses an amount that is missing, zero or negative, in IB words', async () => {
    const { call, chargeId } = arrange();
    const missing: ErrorAnswer = await call('POST', `/charges/${chargeId}/refunds`, { body: {} });
    expect(missing.body).toEqual({ type: 'invalid_request', message: 'Invalid refund amount: 0 USD' });
    const negative: ErrorAnswer = await call('POST', `/charges/${chargeId}/refunds`, { body: { amount: -5 } });
    expect(negative.body.message).toBe('Invalid refund amount: -5 USD');
    const decimals: ErrorAnswer = await call('POST', `/charges/${chargeId}/refunds`, { body: { amount: 1.005 } });
    expect(decimals.body.param).toBe('amount');
  });

  it('takes a form-encoded amount', async () => {
    const { call, chargeId } = arrange();
    const answer = await call<InvoicedRefundRecord>('POST', `/charges/${chargeId}/refunds`, {
      body: 'amount=12.5',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(answer.body).toMatchObject({ amount: 12.5 });
  });

  it('refuses a charge that has not cleared, and answers 404 for an unknown charge', async () => {
    const { call, state, acme } = arrange();
    const pending = state.charge({ customer: acme.id, amount: 20, method: 'ach', status: 'pending' });
    const refused: ErrorAnswer = await call('POST', `/charges/${pending.charge.id}/refunds`, { body: { amount: 5 } });
    expect(refused.body).toEqual({ type: 'invalid_request', message: 'Refunds are not available for this charge because it has not cleared.' });
    const unknown: ErrorAnswer = await call('POST', '/charges/999/refunds', { body: { amount: 5 } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('Charge was not found: 999');
  });

  it('refunds the charge of a voided payment, as IB checks only the charge', async () => {
    const { call, payment, chargeId } = arrange();
    expect((await call('DELETE', `/payments/${payment.id}`)).status).toBe(200);
    expect((await call('POST', `/charges/${chargeId}/refunds`, { body: { amount: 100 } })).status).toBe(201);
  });

  it('replays a refund sent again with the same Idempotency-Key', async () => {
    const { call, state, chargeId } = arrange();
    const headers = { 'idempotency-key': 'refund-key-1' };
    const first = await call<InvoicedRefundRecord>('POST', `/charges/${chargeId}/refunds`, { body: { amount: 10 }, headers });
    const second = await call<InvoicedRefundRecord>('POST', `/charges/${chargeId}/refunds`, { body: { amount: 10 }, headers });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(state.count('refunds')).toBe(1);
    expect(state.idempotencyLog().map((entry) => entry.replayed)).toEqual([false, true]);
  });

  it('voids a refund: 201 with it voided, its amount no longer refunded; a second void refused', async () => {
    const { call, state, chargeId, payment, advance, now } = arrange();
    const refund = state.refund(chargeId, 100);
    advance(30);
    const voided = await call<InvoicedRefundRecord>('POST', `/refunds/${refund.id}/void`);
    expect(voided.status).toBe(201);
    expect(voided.body).toMatchObject({ id: refund.id, status: 'voided', amount: 100, updated_at: now() });
    expect(state.get('payments', payment.id)?.charge).toMatchObject({
      amount_refunded: 0,
      refunded: false,
      refunds: [voided.body],
      updated_at: now(),
    });
    const again: ErrorAnswer = await call('POST', `/refunds/${refund.id}/void`);
    expect(again.body).toEqual({ type: 'invalid_request', message: 'This refund has already been voided.' });
    expect(state.void('refunds', state.refund(chargeId, 100).id).status).toBe('voided');
  });

  it('reads refunds one by one and as a list, paged and filtered as the other lists', async () => {
    const { call, state, acme, chargeId } = arrange();
    const other = state.charge({ customer: acme.id, amount: 50 });
    const a = state.refund(chargeId, 10);
    const b = state.refund(other.charge.id, 20);
    const c = state.refund(chargeId, 30);
    expect((await call('GET', `/refunds/${b.id}`)).body).toEqual(b);
    expect((await call<ErrorAnswer['body']>('GET', '/refunds/99')).body.message).toBe('Refund was not found: 99');

    const page = await call<InvoicedRefundRecord[]>('GET', '/refunds?per_page=2');
    expect(page.body.map((refund) => refund.id)).toEqual([a.id, b.id]);
    expect(page.headers['x-total-count']).toBe('3');
    expect(links(page.headers.link).get('next')).toBe('https://api.sandbox.invoiced.com/refunds?page=2&per_page=2');
    const filtered = await call<InvoicedRefundRecord[]>('GET', `/refunds?filter[charge]=${chargeId}&sort=amount%20desc`);
    expect(filtered.body.map((refund) => refund.id)).toEqual([c.id, a.id]);
    expect(state.list('refunds').map((refund) => refund.id)).toEqual([a.id, b.id, c.id]);
    expect(state.get('refunds', a.id)).toEqual(a);
  });

  it('refuses list options the refund list does not define (no updated_after, no metadata)', async () => {
    const { call } = arrange();
    const updated: ErrorAnswer = await call('GET', '/refunds?updated_after=1');
    expect(updated.status).toBe(400);
    expect(updated.body.message).toMatch(/^The option 'updated_after' does not exist\. Defined options are: /);
    expect((await call<ErrorAnswer['body']>('GET', '/refunds?metadata[k]=v')).body.param).toBe('query');
  });

  it('forgets charges and refunds on reset, their IDs starting again at 1', () => {
    const { state, chargeId } = arrange();
    state.refund(chargeId, 1);
    state.reset();
    expect(state.count('refunds')).toBe(0);
    const acme = state.insert('customers', { name: 'Acme' });
    const payment = state.charge({ customer: acme.id, amount: 3 });
    expect(payment.charge.id).toBe(1);
    expect(state.refund(payment.charge.id, 3)).toMatchObject({ id: 1, charge: 1 });
  });

  it('routes only what Invoiced routes', async () => {
    const { call, chargeId } = arrange();
    expect((await call('POST', '/refunds', { body: {} })).status).toBe(405);
    expect((await call('GET', '/refunds/1/void')).status).toBe(405);
    expect((await call('GET', `/charges/${chargeId}/refunds`)).status).toBe(405);
    expect((await call('PATCH', '/refunds/1', { body: {} })).status).toBe(405);
    expect((await call('GET', '/charges')).status).toBe(404);
    expect((await call('GET', '/charges/abc')).status).toBe(404);
    expect((await call<InvoicedInvoiceRecord>('GET', '/refunds/1/other')).status).toBe(404);
  });
});
