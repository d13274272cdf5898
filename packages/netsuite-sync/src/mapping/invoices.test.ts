import { describe, expect, it } from 'vitest';
import { MappingError } from './errors';
import { netsuiteInvoiceStatus, netsuiteInvoiceToInvoiced } from './invoices';

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

/** A REST invoice as `records.get('invoice', id, { expandSubResources: true })` returns it. */
const restInvoice = {
  id: '1001',
  tranId: 'INV-1001',
  entity: { id: '42', refName: 'Acme Corp' },
  tranDate: '2026-03-31',
  dueDate: '2026-04-30',
  currency: { id: '1', refName: 'US Dollar' },
  total: 1234.5,
  amountRemaining: 1234.5,
  status: { id: 'open', refName: 'Open' },
  otherRefNum: 'PO-778',
  item: {
    items: [
      { item: { id: '12', refName: 'Consulting' }, line: 1, quantity: 10, rate: 100, amount: 1000, description: 'March hours' },
      { item: { id: '13', refName: 'Hosting' }, line: 2, quantity: 1, rate: 234.5, amount: 234.5, description: 'Hosting' },
    ],
  },
};

/**
 * The engine's SuiteQL rows: lower-case keys, amounts as strings, the currency code joined in; lines signed
 * as the ledger (an invoice's income lines are credits: negative amount and quantity, the rate as entered).
 */
const suiteqlHeader = { id: 901, tranid: 'INV-901', trandate: '2026-03-31', duedate: null, entity: 42, currency: 'USD', foreigntotal: '150.00', foreignamountunpaid: '150.00', externalid: null, memo: null };
const suiteqlLines = [{ id: 1, transaction: 901, item: 12, itemname: 'Consulting', quantity: '-3', rate: '50', foreignamount: '-150', memo: null, taxline: 'F' }];

describe('netsuiteInvoiceToInvoiced', () => {
  it('maps a REST invoice with its item lines', () => {
    expect(netsuiteInvoiceToInvoiced(restInvoice, undefined, 15444, { currencies: { USD: '1' } })).toEqual({
      customer: 15444,
      number: 'INV-1001',
      currency: 'usd',
      date: noon('2026-03-31'),
      due_date: noon('2026-04-30'),
      purchase_order: 'PO-778',
      draft: false,
      items: [
        { name: 'Consulting', description: 'March hours', quantity: 10, unit_cost: 100 },
        { name: 'Hosting', quantity: 1, unit_cost: 234.5 },
      ],
      metadata: { netsuite_id: '1001' },
    });
  });

  it('maps the SuiteQL rows the engine reads, with amounts as strings', () => {
    expect(netsuiteInvoiceToInvoiced(suiteqlHeader, suiteqlLines, 7)).toEqual({
      customer: 7,
      number: 'INV-901',
      currency: 'usd',
      date: noon('2026-03-31'),
      draft: false,
      items: [{ name: 'Consulting', quantity: 3, unit_cost: 50 }],
      metadata: { netsuite_id: '901' },
    });
  });

  it('turns over lines signed as the ledger sees them (income negative), a discount line staying negative', () => {
    const lines = [
      { item: 12, itemname: 'Consulting', quantity: '-3', rate: '50', foreignamount: '-150', mainline: 'F' },
      { item: 14, itemname: 'Discount', quantity: '-1', rate: '-15', foreignamount: '15', mainline: 'F' },
    ];
    expect(netsuiteInvoiceToInvoiced({ ...suiteqlHeader, foreigntotal: '135.00' }, lines, 7).items).toEqual([
      { name: 'Consulting', quantity: 3, unit_cost: 50 },
      { name: 'Discount', quantity: 1, unit_cost: -15 },
    ]);
  });

  it('maps an invoice that comes to zero (a line and its full discount) with the signs the ledger gives, not guessed', () => {
    const lines = [
      { item: 12, itemname: 'Consulting', quantity: '-1', rate: '100', foreignamount: '-100' },
      { item: 14, itemname: 'Discount', quantity: '-1', rate: '-100', foreignamount: '100' },
    ];
    expect(netsuiteInvoiceToInvoiced({ ...suiteqlHeader, foreigntotal: '0' }, lines, 7).items).toEqual([
      { name: 'Consulting', quantity: 1, unit_cost: 100 },
      { name: 'Discount', quantity: 1, unit_cost: -100 },
    ]);
  });

  it('leaves out the main line and the COGS lines, and makes the tax lines one Invoiced tax, so the total is right', () => {
    const lines = [
      { id: 0, mainline: 'T', taxline: 'F', iscogs: 'F', foreignamount: '162.38' },
      { id: 1, mainline: 'F', taxline: 'F', iscogs: 'F', item: 12, itemname: 'Widget', quantity: '-3', rate: '50', foreignamount: '-150' },
      { id: 2, mainline: 'F', taxline: 'T', iscogs: 'F', item: 30, itemname: 'Sales Tax', foreignamount: '-12.38' },
      { id: 3, mainline: 'F', taxline: 'F', iscogs: 'T', item: 12, itemname: 'Widget', foreignamount: '60.2' },
      { id: 4, mainline: 'F', taxline: 'F', iscogs: 'T', item: 12, itemname: 'Widget', foreignamount: '-60.2' },
    ];
    const body = netsuiteInvoiceToInvoiced({ ...suiteqlHeader, foreigntotal: '162.38' }, lines, 7);
    expect(body.items).toEqual([{ name: 'Widget', quantity: 3, unit_cost: 50 }]);
    expect(body.taxes).toEqual([{ amount: 12.38 }]);
  });

  it('adds several tax lines into one Invoiced tax', () => {
    const lines = [
      ...suiteqlLines,
      { id: 2, taxline: 'T', item: 30, itemname: 'GST', foreignamount: '-7.5' },
      { id: 3, taxline: 'T', item: 31, itemname: 'PST', foreignamount: '-10.5' },
    ];
    expect(netsuiteInvoiceToInvoiced({ ...suiteqlHeader, foreigntotal: '168.00' }, lines, 7).taxes).toEqual([{ amount: 18 }]);
  });

  it('bills one unit of the line amount when quantity × rate does not give it', () => {
    const lines = [{ item: 12, itemname: 'Retainer', quantity: '-3', rate: '33.33', foreignamount: '-100.00' }];
    const header = { ...suiteqlHeader, foreigntotal: '100.00' };
    expect(netsuiteInvoiceToInvoiced(header, lines, 7).items).toEqual([{ name: 'Retainer', quantity: 1, unit_cost: 100 }]);
  });

  it('keeps a unit price with more decimals than the currency when the line amount agrees', () => {
    const lines = [{ item: 12, itemname: 'Widgets', quantity: '-1000', rate: '0.125', foreignamount: '-125.00' }];
    const header = { ...suiteqlHeader, foreigntotal: '125' };
    expect(netsuiteInvoiceToInvoiced(header, lines, 7).items).toEqual([{ name: 'Widgets', quantity: 1000, unit_cost: 0.125 }]);
  });

  it('maps a JPY invoice without decimals', () => {
    const header = { ...suiteqlHeader, currency: 'JPY', foreigntotal: '15000' };
    const lines = [{ item: 12, itemname: 'Seminar', quantity: '-3', rate: '5000', foreignamount: '-15000' }];
    const body = netsuiteInvoiceToInvoiced(header, lines, 7);
    expect(body.currency).toBe('jpy');
    expect(body.items).toEqual([{ name: 'Seminar', quantity: 3, unit_cost: 5000 }]);
  });

  it('carries the header discount and tax as Invoiced discounts and taxes', () => {
    const invoice = { ...restInvoice, total: 1201.5, discountTotal: -100, taxTotal: 67 };
    const body = netsuiteInvoiceToInvoiced(invoice, undefined, 15444, { currencies: { USD: '1' } });
    expect(body.discounts).toEqual([{ amount: 100 }]);
    expect(body.taxes).toEqual([{ amount: 67 }]);
  });

  it('skips main lines and description-only lines', () => {
    const lines = [{ mainline: 'T', foreignamount: '150' }, { item: 99, itemname: 'Note', memo: 'Thanks for your business' }, ...suiteqlLines];
    expect(netsuiteInvoiceToInvoiced(suiteqlHeader, lines, 7).items).toHaveLength(1);
  });

  it('refuses an invoice whose lines do not add up to its total, naming both amounts and the invoice', () => {
    const error = caught(() => netsuiteInvoiceToInvoiced({ ...suiteqlHeader, foreigntotal: '175.00' }, suiteqlLines, 7));
    expect(error.code).toBe('TOTAL_MISMATCH');
    expect(error.number).toBe('INV-901');
    expect(error.entity).toBe('invoice');
    expect(error.details).toEqual({ netsuiteTotal: '175.00', linesTotal: '150.00', currency: 'USD' });
    expect(error.message).toContain('150.00 USD');
    expect(error.message).toContain('175.00 USD');
  });

  it('labels money and date errors with the invoice number', () => {
    const precise = caught(() => netsuiteInvoiceToInvoiced(suiteqlHeader, [{ ...suiteqlLines[0], foreignamount: '-150.001' }], 7));
    expect(precise.code).toBe('AMOUNT_PRECISION');
    expect(precise.number).toBe('INV-901');
    const dated = caught(() => netsuiteInvoiceToInvoiced({ ...suiteqlHeader, trandate: '3/31/2026' }, suiteqlLines, 7));
    expect(dated.code).toBe('INVALID_DATE');
    expect(dated.number).toBe('INV-901');
  });

  it('refuses a currency it cannot resolve', () => {
    expect(caught(() => netsuiteInvoiceToInvoiced(restInvoice, undefined, 1)).code).toBe('UNKNOWN_CURRENCY');
  });

  it('refuses a record without an internal ID', () => {
    expect(caught(() => netsuiteInvoiceToInvoiced({ tranid: 'INV-1' }, [], 1)).code).toBe('INVALID_RECORD');
  });
});

describe('netsuiteInvoiceStatus', () => {
  it('reads letters, compound values and REST references', () => {
    expect(netsuiteInvoiceStatus({ status: 'A' })).toBe('open');
    expect(netsuiteInvoiceStatus({ status: 'CustInvc:B' })).toBe('paid');
    expect(netsuiteInvoiceStatus({ status: { id: 'paidInFull', refName: 'Paid In Full' } })).toBe('paid');
    expect(netsuiteInvoiceStatus({ status: { id: 'voided', refName: 'Voided' } })).toBe('voided');
    expect(netsuiteInvoiceStatus({ status: 'Pending Approval' })).toBe('pending_approval');
    expect(netsuiteInvoiceStatus({ status: 'Z' })).toBe('unknown');
    expect(netsuiteInvoiceStatus({})).toBe('unknown');
  });
});
