import { describe, expect, it } from 'vitest';
import { MappingError } from './errors';
import { invoicedInvoiceToNetSuite, type InvoicedInvoiceSource } from './invoices-to-netsuite';

function caught(run: () => unknown): MappingError {
  try {
    run();
  } catch (error) {
    if (error instanceof MappingError) return error;
    throw error;
  }
  throw new Error('expected a MappingError');
}

const line = (overrides: Record<string, unknown> = {}) => ({
  id: 7,
  object: 'line_item',
  catalog_item: null,
  type: 'product',
  name: 'Copy Paper, Case',
  description: null,
  quantity: 1,
  unit_cost: 45,
  amount: 45,
  discountable: true,
  discounts: [],
  taxable: true,
  taxes: [],
  metadata: {},
  ...overrides,
});

/** An invoice as Invoiced's API returns it. */
function invoice(overrides: Partial<InvoicedInvoiceSource> & Record<string, unknown> = {}): InvoicedInvoiceSource {
  return {
    id: 46225,
    object: 'invoice',
    customer: 15444,
    number: 'INV-0016',
    currency: 'usd',
    draft: false,
    closed: false,
    paid: false,
    status: 'not_sent',
    date: Date.UTC(2026, 2, 31, 15) / 1000,
    due_date: Date.UTC(2026, 3, 14, 15) / 1000,
    items: [line(), line({ id: 8, catalog_item: 'delivery', name: 'Delivery', description: 'Same day', unit_cost: 10, amount: 10 })],
    subtotal: 55,
    discounts: [],
    taxes: [],
    total: 55,
    balance: 55,
    created_at: 1774968000,
    metadata: {},
    ...overrides,
  } as InvoicedInvoiceSource;
}

const settings = { items: { defaultItem: '12' }, currencies: { USD: '1' } };

describe('invoicedInvoiceToNetSuite', () => {
  it('writes an invoice with one line per Invoiced line, dates as days, and its external ID', () => {
    expect(invoicedInvoiceToNetSuite(invoice(), '42', { ...settings, items: { defaultItem: '12', catalogItems: { delivery: '31' } } })).toEqual({
      externalId: 'invd-inv-46225',
      entity: { id: '42' },
      tranDate: '2026-03-31',
      dueDate: '2026-04-14',
      currency: { id: '1' },
      item: {
        items: [
          { item: { id: '12' }, quantity: 1, rate: 45, amount: 45, description: 'Copy Paper, Case' },
          { item: { id: '31' }, quantity: 1, rate: 10, amount: 10, description: 'Delivery\nSame day' },
        ],
      },
    });
  });

  it("lets NetSuite number the invoice unless told to keep Invoiced's number", () => {
    expect(invoicedInvoiceToNetSuite(invoice(), '42', settings).tranId).toBeUndefined();
    expect(invoicedInvoiceToNetSuite(invoice(), '42', { ...settings, useInvoicedNumber: true }).tranId).toBe('INV-0016');
  });

  it('writes the days in the accounts time zone', () => {
    const body = invoicedInvoiceToNetSuite(invoice({ date: Date.UTC(2026, 2, 31, 20) / 1000 }), '42', { ...settings, timeZone: 'Asia/Tokyo' });
    expect(body.tranDate).toBe('2026-04-01');
  });

  it('adds a discount line and one tax line per tax rate, and the lines add up to the total', () => {
    const taxed = invoice({
      items: [line({ discounts: [{ id: 1, object: 'discount', amount: 4.5, coupon: { id: 'spring', name: 'Spring 10%' } }] }), line({ id: 8, name: 'Delivery', unit_cost: 10, amount: 10 })],
      discounts: [{ id: 2, object: 'discount', amount: 5, coupon: null, expires: null }],
      taxes: [
        { id: 3, object: 'tax', amount: 3.2, tax_rate: { id: 'ca-state', name: 'CA State' } },
        { id: 4, object: 'tax', amount: 0.85, tax_rate: { id: 'sf-city', name: 'SF City' } },
      ],
      total: 49.55, // 55 - 9.50 + 4.05 (written out: float arithmetic would give 49.550000000000004)
    });
    const body = invoicedInvoiceToNetSuite(taxed, '42', { ...settings, items: { defaultItem: '12', discountItem: '50', taxItem: '90', taxItems: { 'sf-city': '91' } } });
    expect(body.item.items.slice(2)).toEqual([
      { item: { id: '50' }, rate: -9.5, amount: -9.5, description: 'Discount: Spring 10%' },
      { item: { id: '90' }, rate: 3.2, amount: 3.2, description: 'Tax: CA State' },
      { item: { id: '91' }, rate: 0.85, amount: 0.85, description: 'Tax: SF City' },
    ]);
  });

  it('refuses an invoice with discounts when no discount item is set', () => {
    const error = caught(() => invoicedInvoiceToNetSuite(invoice({ discounts: [{ amount: 5, coupon: null }], total: 50 }), '42', settings));
    expect(error.code).toBe('DISCOUNT_ITEM_REQUIRED');
    expect(error.resolution).toMatch(/^Discount item is required/);
    expect(error.number).toBe('INV-0016');
  });

  it('refuses an invoice with taxes when no tax item is set for the rate', () => {
    const taxed = invoice({ taxes: [{ amount: 3.85, tax_rate: { id: 'vat', name: 'VAT 7%' } }], total: 58.85 });
    const error = caught(() => invoicedInvoiceToNetSuite(taxed, '42', { ...settings, items: { defaultItem: '12', taxItems: { other: '91' } } }));
    expect(error.code).toBe('TAX_ITEM_REQUIRED');
    expect(error.resolution).toMatch(/^Tax item is required for tax rate VAT 7%/);
    expect(error.number).toBe('INV-0016');
  });

  it('needs no discount or tax item when the discounts and taxes are zero', () => {
    const body = invoicedInvoiceToNetSuite(invoice({ discounts: [{ amount: 0, coupon: null }], taxes: [{ amount: 0, tax_rate: null }] }), '42', settings);
    expect(body.item.items).toHaveLength(2);
  });

  it('refuses lines without a default item', () => {
    const error = caught(() => invoicedInvoiceToNetSuite(invoice(), '42', { items: {} }));
    expect(error.code).toBe('DEFAULT_ITEM_REQUIRED');
    expect(error.message).toContain('Copy Paper, Case');
  });

  it('refuses an invoice whose NetSuite lines would not add up to the Invoiced total, with both amounts', () => {
    const error = caught(() => invoicedInvoiceToNetSuite(invoice({ total: 60, shipping: [{ amount: 5 }] }), '42', settings));
    expect(error.code).toBe('TOTAL_MISMATCH');
    expect(error.number).toBe('INV-0016');
    expect(error.details).toEqual({ invoicedTotal: '60.00', netsuiteTotal: '55.00', currency: 'USD' });
  });

  it('checks totals in minor units, where summing floats would be off', () => {
    const items = Array.from({ length: 10 }, (_, index) => line({ id: index, name: `Item ${index}`, unit_cost: 0.1, amount: 0.1 }));
    expect(() => invoicedInvoiceToNetSuite(invoice({ items, total: 1 }), '42', settings)).not.toThrow();
  });

  it('writes a JPY invoice and a KWD invoice with their own decimals', () => {
    const yen = invoice({ currency: 'jpy', items: [line({ unit_cost: 1500, amount: 1500 })], total: 1500 });
    expect(invoicedInvoiceToNetSuite(yen, '42', { items: { defaultItem: '12' } }).item.items[0]?.amount).toBe(1500);
    const dinar = invoice({ currency: 'kwd', items: [line({ unit_cost: 1.234, amount: 1.234 })], total: 1.234 });
    expect(invoicedInvoiceToNetSuite(dinar, '42', { items: { defaultItem: '12' } }).item.items[0]?.amount).toBe(1.234);
  });

  it('refuses a currency missing from the currency map', () => {
    expect(caught(() => invoicedInvoiceToNetSuite(invoice({ currency: 'eur' }), '42', settings)).code).toBe('UNKNOWN_CURRENCY');
  });
});
