import { describe, expect, it } from 'vitest';
import { MappingError } from './errors';
import { isNetSuitePaymentVoided, netsuitePaymentToInvoiced } from './payments';
import { invoicedPaymentToNetSuite, type InvoicedPaymentSource } from './payments-to-netsuite';

function caught(run: () => unknown): MappingError {
  try {
    run();
  } catch (error) {
    if (error instanceof MappingError) return error;
    throw error;
  }
  throw new Error('expected a MappingError');
}

const noon = (date: string) => Date.parse(`${date}T12:00:00Z`) / 1000;
const linked: Record<string, string> = { '901': '46225', '902': '46226' };
const invoicedInvoiceIdFor = (netsuiteId: string) => linked[netsuiteId];

/** A REST customer payment with its `apply` sublist expanded (open invoices it does not pay come with `apply: false`). */
const restPayment = {
  id: '5001',
  tranId: 'PYMT-12',
  customer: { id: '42', refName: 'Acme Corp' },
  payment: 300,
  tranDate: '2026-04-02',
  currency: { id: '1', refName: 'US Dollar' },
  paymentMethod: { id: '2', refName: 'Check' },
  status: { id: 'B', refName: 'Not Deposited' },
  apply: {
    items: [
      { doc: { id: '901' }, apply: true, amount: 150, due: 150, total: 150 },
      { doc: { id: '902' }, apply: true, amount: 100, due: 400, total: 400 },
      { doc: { id: '903' }, apply: false, amount: 75, due: 75, total: 75 },
    ],
  },
};

describe('netsuitePaymentToInvoiced', () => {
  it('splits a payment across linked invoices and leaves the rest as balance', () => {
    const result = netsuitePaymentToInvoiced(restPayment, undefined, 15444, { invoicedInvoiceIdFor, currencies: { USD: '1' }, methods: { '2': 'check' } });
    expect(result.body).toEqual({
      customer: 15444,
      amount: 300,
      currency: 'usd',
      date: noon('2026-04-02'),
      method: 'check',
      reference: 'NS-PAY-5001',
      notes: 'NetSuite payment PYMT-12',
      applied_to: [
        { type: 'invoice', invoice: 46225, amount: 150 },
        { type: 'invoice', invoice: 46226, amount: 100 },
      ],
    });
    expect(result.missingInvoices).toEqual([]);
    expect(result.unapplied).toBe('50.00');
    expect(result.voided).toBe(false);
  });

  it('reports an application to an invoice that is not linked yet instead of dropping it silently', () => {
    const result = netsuitePaymentToInvoiced(restPayment, undefined, 15444, { invoicedInvoiceIdFor: (id) => (id === '901' ? '46225' : undefined), currencies: { USD: '1' } });
    expect(result.body.applied_to).toEqual([{ type: 'invoice', invoice: 46225, amount: 150 }]);
    expect(result.missingInvoices).toEqual([{ netsuiteInvoiceId: '902', amount: '100.00' }]);
    expect(result.unapplied).toBe('150.00');
  });

  it('leaves out of the amount what it applies to invoices outside the sync, and says so in its notes', () => {
    const result = netsuitePaymentToInvoiced(restPayment, undefined, 15444, {
      invoicedInvoiceIdFor: (id) => (id === '901' ? '46225' : undefined),
      outsideSync: (id) => id === '902',
      currencies: { USD: '1' },
    });
    expect(result.body.amount).toBe(200);
    expect(result.body.applied_to).toEqual([{ type: 'invoice', invoice: 46225, amount: 150 }]);
    expect(result.body.notes).toBe('NetSuite payment PYMT-12 of 300.00 USD; 100.00 applied to NetSuite invoice 902, not on Invoiced, left out');
    expect(result.missingInvoices).toEqual([]);
    expect(result.leftOut).toEqual([{ netsuiteInvoiceId: '902', amount: '100.00' }]);
    expect(result.unapplied).toBe('50.00');
  });

  it('never leaves out a linked invoice, whatever outsideSync says', () => {
    const result = netsuitePaymentToInvoiced(restPayment, undefined, 15444, { invoicedInvoiceIdFor, outsideSync: () => true, currencies: { USD: '1' } });
    expect(result.body.amount).toBe(300);
    expect(result.leftOut).toEqual([]);
  });

  it('reads SuiteQL rows: the payment and its NextTransactionLineLink rows', () => {
    const row = { id: 5002, tranid: 'PYMT-13', trandate: '2026-04-03', entity: 42, currency: 'USD', foreigntotal: '0.30', status: 'B' };
    const links = [
      { previousdoc: 901, nextdoc: 5002, foreignamount: '0.10' },
      { previousdoc: 901, nextdoc: 5002, foreignamount: '0.20' },
    ];
    const result = netsuitePaymentToInvoiced(row, links, 15444, { invoicedInvoiceIdFor });
    expect(result.body.amount).toBe(0.3);
    expect(result.body.method).toBe('other');
    expect(result.body.applied_to).toEqual([{ type: 'invoice', invoice: 46225, amount: 0.3 }]);
    expect(result.unapplied).toBe('0.00');
  });

  it('refuses a negative application and an Invoiced ID that is not one', () => {
    const negative = { ...restPayment, apply: { items: [{ doc: { id: '901' }, apply: true, amount: -5 }] } };
    expect(caught(() => netsuitePaymentToInvoiced(negative, undefined, 1, { invoicedInvoiceIdFor, currencies: { USD: '1' } })).message).toContain('-5.00 USD');
    expect(caught(() => netsuitePaymentToInvoiced(restPayment, undefined, 1, { invoicedInvoiceIdFor: () => 'abc', currencies: { USD: '1' } })).code).toBe('INVALID_RECORD');
  });

  it('flags a payment NetSuite voided by its voided checkbox, as the engine reads it through SuiteQL', () => {
    // A direct void leaves the payment with amount 0, memo VOID and its status (B or C): no status says void.
    const row = { id: '5001', tranid: 'PYMT-12', trandate: '2026-04-02', currency: 'USD', foreigntotal: '0', status: 'B', voided: 'T', memo: 'VOID' };
    expect(netsuitePaymentToInvoiced(row, [], 1, { invoicedInvoiceIdFor }).voided).toBe(true);
    expect(netsuitePaymentToInvoiced({ ...row, voided: 'F', foreigntotal: '300', memo: null }, [], 1, { invoicedInvoiceIdFor }).voided).toBe(false);
    expect(isNetSuitePaymentVoided({ voided: true })).toBe(true);
  });

  it('never takes a status for a void: customer payment statuses are A, R, B and C', () => {
    for (const status of ['A', 'R', 'B', 'C', 'CustPymt:C', { id: 'B', refName: 'Not Deposited' }]) expect(isNetSuitePaymentVoided({ status, voided: 'F' })).toBe(false);
    expect(isNetSuitePaymentVoided(restPayment)).toBe(false);
  });

  it('reads a payment total SuiteQL gives with a minus sign as the amount received', () => {
    const row = { id: '5001', tranid: 'PYMT-12', trandate: '2026-04-02', currency: 'USD', foreigntotal: '-250', voided: 'F' };
    const result = netsuitePaymentToInvoiced(row, [{ previousdoc: 901, foreignamount: '250' }], 1, { invoicedInvoiceIdFor });
    expect(result.body.amount).toBe(250);
    expect(result.body.applied_to).toEqual([{ type: 'invoice', invoice: 46225, amount: 250 }]);
  });

  it('refuses applications that exceed the payment', () => {
    const error = caught(() => netsuitePaymentToInvoiced({ ...restPayment, payment: 200 }, undefined, 1, { invoicedInvoiceIdFor, currencies: { USD: '1' } }));
    expect(error.code).toBe('APPLIED_EXCEEDS_PAYMENT');
    expect(error.number).toBe('PYMT-12');
    expect(error.details).toEqual({ applied: '250.00', amount: '200.00', currency: 'USD' });
  });
});

/** A payment as Invoiced's API returns it. */
function payment(overrides: Partial<InvoicedPaymentSource> = {}): InvoicedPaymentSource {
  return {
    id: 20,
    customer: 15444,
    date: Date.UTC(2026, 3, 2, 15) / 1000,
    currency: 'usd',
    amount: 300,
    balance: 0,
    voided: false,
    method: 'check',
    reference: 'CHK-1042',
    source: null,
    notes: null,
    applied_to: [
      { type: 'invoice', invoice: 46225, amount: 150 },
      { type: 'invoice', invoice: 46226, amount: 100 },
      { type: 'credit', amount: 50 },
      // A credit balance spent on the invoice: not money received, so not applied in NetSuite.
      { type: 'applied_credit', invoice: 46226, amount: 25 },
    ],
    created_at: 1775142000,
    ...overrides,
  } as InvoicedPaymentSource;
}

const netsuiteInvoices: Record<string, { id: string; currency?: string }> = { '46225': { id: '901', currency: 'USD' }, '46226': { id: '902', currency: 'usd' } };
const settings = {
  netsuiteInvoiceFor: (invoicedId: string) => netsuiteInvoices[invoicedId],
  accountRules: [
    { currency: '*', method: '*', account: 'undeposited' },
    { currency: 'USD', method: 'ach', account: '118' },
  ],
  currencies: { USD: '1', EUR: '4' },
};

describe('invoicedPaymentToNetSuite', () => {
  it('writes a payment split across linked invoices into undeposited funds', () => {
    const result = invoicedPaymentToNetSuite(payment(), '42', settings);
    expect(result.body).toEqual({
      externalId: 'invd-pay-20',
      customer: { id: '42' },
      payment: 300,
      tranDate: '2026-04-02',
      currency: { id: '1' },
      undepFunds: { id: 'T' },
      memo: 'CHK-1042',
      apply: {
        items: [
          { doc: { id: '901' }, apply: true, amount: 150 },
          { doc: { id: '902' }, apply: true, amount: 100 },
        ],
      },
    });
    expect(result.unapplied).toBe('50.00');
    expect(result.missingInvoices).toEqual([]);
  });

  it('deposits to the account of the most specific rule, with the undepFunds radio set to the account', () => {
    const body = invoicedPaymentToNetSuite(payment({ method: 'ach' }), '42', settings).body;
    expect(body.undepFunds).toEqual({ id: 'F' });
    expect(body.account).toEqual({ id: '118' });
  });

  it('writes undepFunds as the { id } object the REST schema types it as, never a boolean', () => {
    const bodies = [payment(), payment({ method: 'ach' })].map((source) => invoicedPaymentToNetSuite(source, '42', settings).body);
    for (const body of bodies) expect(typeof body.undepFunds).toBe('object');
  });

  it('writes a partial payment of one invoice', () => {
    const result = invoicedPaymentToNetSuite(payment({ amount: 60, applied_to: [{ type: 'invoice', invoice: 46225, amount: 60 }] }), '42', settings);
    expect(result.body.apply.items).toEqual([{ doc: { id: '901' }, apply: true, amount: 60 }]);
    expect(result.unapplied).toBe('0.00');
  });

  it('reports an invoice that is not in NetSuite yet', () => {
    const result = invoicedPaymentToNetSuite(payment({ applied_to: [{ type: 'invoice', invoice: 46225, amount: 150 }, { type: 'invoice', invoice: 47000, amount: 150 }] }), '42', settings);
    expect(result.body.apply.items).toEqual([{ doc: { id: '901' }, apply: true, amount: 150 }]);
    expect(result.missingInvoices).toEqual([{ invoicedInvoiceId: '47000', amount: '150.00' }]);
    expect(result.unapplied).toBe('150.00');
  });

  it('refuses to apply a payment to an invoice in another currency', () => {
    const error = caught(() => invoicedPaymentToNetSuite(payment({ currency: 'eur' }), '42', settings));
    expect(error.code).toBe('CURRENCY_MISMATCH');
    expect(error.entity).toBe('payment');
    expect(error.number).toBe('CHK-1042');
    expect(error.details).toMatchObject({ paymentCurrency: 'EUR', invoiceCurrency: 'USD' });
  });

  it('refuses a payment no account rule covers', () => {
    const error = caught(() => invoicedPaymentToNetSuite(payment(), '42', { ...settings, accountRules: [{ currency: 'EUR', method: '*', account: '200' }] }));
    expect(error.code).toBe('NO_PAYMENT_ACCOUNT');
    expect(error.resolution).toMatch(/payment account rule/);
  });

  it('refuses applications that exceed the payment', () => {
    expect(caught(() => invoicedPaymentToNetSuite(payment({ amount: 200 }), '42', settings)).code).toBe('APPLIED_EXCEEDS_PAYMENT');
  });

  it('flags a voided payment', () => {
    expect(invoicedPaymentToNetSuite(payment({ voided: true }), '42', settings).voided).toBe(true);
  });
});
