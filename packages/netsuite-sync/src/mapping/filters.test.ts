import { describe, expect, it } from 'vitest';
import {
  cursorToUnixSeconds,
  invoicedInvoiceEligibility,
  isEligibleInvoicedInvoice,
  overlapCursor,
  shouldWriteInvoiceToInvoiced,
  shouldWriteInvoiceToNetSuite,
  shouldWritePaymentToInvoiced,
  shouldWritePaymentToNetSuite,
} from './filters';
import { invoicedPaymentToNetSuite } from './payments-to-netsuite';

const since = 1_775_000_000;
const sent = { draft: false, status: 'sent', created_at: since - 500, updated_at: since + 1 };

describe('isEligibleInvoicedInvoice', () => {
  it('never writes a draft', () => {
    expect(isEligibleInvoicedInvoice({ ...sent, draft: true, status: 'draft' }, { since: null })).toBe(false);
    expect(invoicedInvoiceEligibility({ ...sent, draft: true }, { since })).toEqual({ eligible: false, reason: 'draft' });
  });

  it('writes every non-draft invoice on the first sync (since = null)', () => {
    expect(isEligibleInvoicedInvoice({ ...sent, updated_at: 1 }, { since: null })).toBe(true);
  });

  it('writes only invoices updated strictly after the cursor', () => {
    expect(isEligibleInvoicedInvoice({ ...sent, updated_at: since + 1 }, { since })).toBe(true);
    expect(isEligibleInvoicedInvoice({ ...sent, updated_at: since }, { since })).toBe(false);
    expect(invoicedInvoiceEligibility({ ...sent, updated_at: since - 1 }, { since })).toEqual({ eligible: false, reason: 'not_changed' });
  });

  it('falls back to created_at for an invoice never updated', () => {
    expect(isEligibleInvoicedInvoice({ ...sent, updated_at: null, created_at: since + 5 }, { since })).toBe(true);
    expect(isEligibleInvoicedInvoice({ ...sent, updated_at: null, created_at: since - 5 }, { since })).toBe(false);
  });

  it('does not write a voided invoice as a new one', () => {
    expect(invoicedInvoiceEligibility({ ...sent, status: 'voided' }, { since: null })).toEqual({ eligible: false, reason: 'voided' });
  });
});

describe('the imported-invoice guard', () => {
  const importedInvoiceLink = { origin: 'netsuite' as const };

  it('does not write an invoice that came from NetSuite back to NetSuite', () => {
    expect(shouldWriteInvoiceToNetSuite(importedInvoiceLink)).toBe(false);
    expect(shouldWriteInvoiceToNetSuite({ origin: 'invoiced' })).toBe(true);
    expect(shouldWriteInvoiceToNetSuite(null)).toBe(true);
  });

  it('still writes the Invoiced payment of an imported invoice to NetSuite', () => {
    const paymentLink = null; // the payment was received on Invoiced
    expect(shouldWritePaymentToNetSuite(paymentLink)).toBe(true);
    const { body } = invoicedPaymentToNetSuite(
      { id: 31, currency: 'usd', amount: 150, date: 1775142000, method: 'credit_card', applied_to: [{ type: 'invoice', invoice: 46225, amount: 150 }] },
      '42',
      { netsuiteInvoiceFor: () => ({ id: '901', currency: 'USD' }), accountRules: [{ currency: '*', method: '*', account: 'undeposited' }] },
    );
    expect(body.apply.items).toEqual([{ doc: { id: '901' }, apply: true, amount: 150 }]);
  });

  it('does not write a payment that came from NetSuite back to NetSuite', () => {
    expect(shouldWritePaymentToNetSuite({ origin: 'netsuite' })).toBe(false);
  });

  it('echoes nothing back to Invoiced either', () => {
    expect(shouldWriteInvoiceToInvoiced({ origin: 'invoiced' })).toBe(false);
    expect(shouldWriteInvoiceToInvoiced({ origin: 'netsuite' })).toBe(true);
    expect(shouldWritePaymentToInvoiced({ origin: 'invoiced' })).toBe(false);
    expect(shouldWritePaymentToInvoiced(undefined)).toBe(true);
  });
});

describe('overlapCursor', () => {
  it('moves a cursor back by the overlap', () => {
    expect(overlapCursor('2026-01-02T03:04:05.000Z', 300_000)).toBe('2026-01-02T02:59:05.000Z');
    expect(overlapCursor('2026-01-02T00:00:30Z', 60_000)).toBe('2026-01-01T23:59:30.000Z');
    expect(overlapCursor('2026-01-02T05:04:05+02:00', 0)).toBe('2026-01-02T03:04:05.000Z');
  });

  it('refuses a malformed cursor or overlap', () => {
    expect(() => overlapCursor('yesterday', 1000)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }) as Error);
    expect(() => overlapCursor('2026-01-02T03:04:05Z', -1)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }) as Error);
  });
});

describe('cursorToUnixSeconds', () => {
  it('rounds down to whole seconds', () => {
    expect(cursorToUnixSeconds('2026-01-02T03:04:05.900Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
  });
});
