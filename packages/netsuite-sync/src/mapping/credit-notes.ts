/**
 * Credit notes both ways. A NetSuite credit memo becomes an Invoiced credit note (lines, discount and tax
 * read as an invoice's, `metadata.netsuite_id`); an Invoiced credit note becomes a NetSuite credit memo
 * upserted by external ID `invd-cn-<id>`, its lines written as an invoice's. Where a credit is applied is
 * not part of either body: on Invoiced a credit note is applied to an invoice only by a payment (an
 * `applied_to` entry of type `credit_note`), so applications travel as payments
 * ({@link netsuiteCreditApplicationsToInvoiced}, and the payment mappings).
 */
import { currencyCodeFromNetSuite, netsuiteCurrencyRef, type NetSuiteCurrencyMap } from './currencies';
import { externalIdFor, netsuiteIdOf } from './customers';
import { unixSecondsToDate } from './dates';
import { MappingError, withRecord } from './errors';
import { field, text, type RecordLike } from './fields';
import { readNetSuiteDocument, type InvoicedLineBody, type NetSuiteInvoiceToInvoicedOptions } from './invoices';
import { netsuiteItemLines, type InvoicedInvoiceSource, type InvoiceItemSettings, type NetSuiteItemLineBody } from './invoices-to-netsuite';
import { fromMinor, minorToNumber, normalizeCurrencyCode, toMinor } from './money';

/** The Invoiced credit note body built from a NetSuite credit memo; fits the client's `creditNotes.create`. */
export type InvoicedCreditNoteBody = {
  customer: number;
  number?: string;
  currency: string;
  date: number;
  draft: false;
  items: InvoicedLineBody[];
  discounts?: { amount: number }[];
  taxes?: { amount: number }[];
  notes?: string;
  /** Set when NetSuite refunded what the credit memo had left: nothing remains to apply. */
  closed?: true;
  metadata: { netsuite_id: string };
};

/** Options of {@link netsuiteCreditMemoToInvoiced}. */
export type NetSuiteCreditMemoToInvoicedOptions = NetSuiteInvoiceToInvoicedOptions & {
  /**
   * NetSuite customer refunds of the credit memo (SuiteQL links from it to a `CustRfnd`: `nextdoc`,
   * `tranid`, `foreignamount`). Invoiced's API cannot record a refund made outside it: the credit note's
   * notes name them, and one refunded with nothing left (`foreignamountunpaid` 0) is closed.
   */
  refunds?: readonly RecordLike[] | undefined;
};

/**
 * The Invoiced credit note of a NetSuite credit memo (a REST `creditMemo` record, or a SuiteQL
 * `transaction` row with its `transactionline` rows, whose item lines a credit memo carries as debits,
 * positive): `number` = `tranId`, `date`, `currency`, the item lines, discount and tax as
 * {@link netsuiteInvoiceToInvoiced} reads an invoice's, `notes` = the memo, `metadata.netsuite_id`.
 * @throws {MappingError} `TOTAL_MISMATCH`, `UNKNOWN_CURRENCY`, `INVALID_DATE`, `AMOUNT_PRECISION`, `INVALID_RECORD`.
 * @example
 * netsuiteCreditMemoToInvoiced(
 *   { id: '1501', tranid: 'CM-7', trandate: '2026-04-02', currency: 'USD', foreigntotal: '-40' },
 *   [{ item: 12, itemname: 'Returned goods', quantity: '2', rate: '20', foreignamount: '40', taxline: 'F' }],
 *   15444,
 * ); // { customer: 15444, number: 'CM-7', items: [{ name: 'Returned goods', quantity: 2, unit_cost: 20 }], metadata: { netsuite_id: '1501' }, ... }
 */
export function netsuiteCreditMemoToInvoiced(
  memo: RecordLike,
  lines: readonly RecordLike[] | undefined,
  customer: number,
  options: NetSuiteCreditMemoToInvoicedOptions = {},
): InvoicedCreditNoteBody {
  const id = netsuiteIdOf(memo, 'credit memo');
  const number = text(field(memo, 'tranId'));
  return withRecord('creditNote', number ?? id, () => {
    const document = readNetSuiteDocument(memo, lines, { id, label: `NetSuite credit memo ${number ?? id}`, what: 'credit memo', side: 'debit' }, options);
    const body: InvoicedCreditNoteBody = { customer, ...document.head, draft: false, items: document.items, metadata: { netsuite_id: id } };
    if (number !== undefined) body.number = number;
    if (document.discounts !== undefined) body.discounts = document.discounts;
    if (document.taxes !== undefined) body.taxes = document.taxes;
    const refunds = (options.refunds ?? []).map((row) => `${text(field(row, 'foreignAmount')) ?? '?'} refunded by NetSuite customer refund ${text(field(row, 'tranId')) ?? text(field(row, 'nextDoc')) ?? '?'}`);
    const notes = [text(field(memo, 'memo')), ...refunds].filter((part) => part !== undefined);
    if (notes.length > 0) body.notes = notes.join('\n');
    const remaining = field(memo, 'foreignAmountUnpaid', 'amountRemaining');
    if (refunds.length > 0 && remaining !== undefined && Number(remaining) === 0) body.closed = true;
    return body;
  });
}

/** The NetSuite credit memo body built from an Invoiced credit note; fits `records.upsert('creditMemo', ...)`. */
export type NetSuiteCreditMemoBody = {
  externalId: string;
  entity: { id: string };
  tranId?: string;
  tranDate: string;
  currency?: { id: string };
  memo?: string;
  item: { items: NetSuiteItemLineBody[] };
};

/** Settings of {@link invoicedCreditNoteToNetSuite}. */
export interface InvoicedCreditNoteToNetSuiteSettings {
  items: InvoiceItemSettings;
  currencies?: NetSuiteCurrencyMap | undefined;
  /** Write the Invoiced number as NetSuite's `tranId` (off: NetSuite numbers the credit memo). @default false */
  useInvoicedNumber?: boolean | undefined;
  /** IANA time zone in which dates are days. @default 'UTC' */
  timeZone?: string | undefined;
}

/** The fields of an Invoiced credit note written to NetSuite; an `InvoicedCreditNote` fits. */
export type InvoicedCreditNoteSource = Omit<InvoicedInvoiceSource, 'due_date'> & { readonly notes?: string | null | undefined };

/**
 * A NetSuite credit memo body from an Invoiced credit note, for an upsert by `externalId: 'invd-cn-<id>'`:
 * `entity` = the NetSuite customer, `tranDate`, `currency`, `memo` = the notes, the item lines as
 * {@link invoicedInvoiceToNetSuite} writes an invoice's (same item settings, same exact total check).
 * No `apply` lines: Invoiced applies a credit note through payments, which the sync writes as customer
 * payments with a `credit` line.
 * @throws {MappingError} `DEFAULT_ITEM_REQUIRED`, `DISCOUNT_ITEM_REQUIRED`, `TAX_ITEM_REQUIRED`, `TOTAL_MISMATCH`...
 * @example
 * const creditNote = { id: 2048, number: 'CN-0016', currency: 'usd', date: 1775088000, items: [{ name: 'Returned', quantity: 1, unit_cost: 40, amount: 40 }], total: 40 };
 * invoicedCreditNoteToNetSuite(creditNote, '7', { items: { defaultItem: '12' }, currencies: { USD: '1' } });
 * // { externalId: 'invd-cn-2048', entity: { id: '7' }, tranDate: '2026-04-02', currency: { id: '1' }, item: { items: [...] } }
 */
export function invoicedCreditNoteToNetSuite(creditNote: InvoicedCreditNoteSource, customer: string, settings: InvoicedCreditNoteToNetSuiteSettings): NetSuiteCreditMemoBody {
  const number = text(creditNote.number);
  return withRecord('creditNote', number ?? String(creditNote.id), () => {
    const label = `Credit note ${number ?? creditNote.id}`;
    const body: NetSuiteCreditMemoBody = {
      externalId: externalIdFor('cn', creditNote.id),
      entity: { id: customer },
      tranDate: unixSecondsToDate(creditNote.date, settings.timeZone),
      item: { items: netsuiteItemLines(creditNote, label, 'credit note', settings.items) },
    };
    if (settings.useInvoicedNumber === true && number !== undefined) body.tranId = number;
    const notes = text(creditNote.notes);
    if (notes !== undefined) body.memo = notes.slice(0, 999);
    const ref = netsuiteCurrencyRef(normalizeCurrencyCode(creditNote.currency), settings.currencies);
    if (ref !== undefined) body.currency = ref;
    return body;
  });
}

/** An application of a credit note on Invoiced: a `credit_note` entry of a payment's `applied_to`. */
export type InvoicedCreditApplicationBody = { type: 'credit_note'; credit_note: number; invoice: number; document_type: 'invoice'; amount: number };

/** The Invoiced payment that applies a NetSuite credit memo to invoices: no money, only `credit_note` entries. */
export type InvoicedCreditApplicationPaymentBody = {
  customer: number;
  amount: 0;
  currency: string;
  date: number;
  method: 'other';
  /** `NS-CM-<internal id>`: stable, and how the payment is found again. */
  reference: string;
  notes: string;
  applied_to: InvoicedCreditApplicationBody[];
};

/** The mapping of a NetSuite credit memo's own applications (its `apply` sublist, or its links to invoices). */
export interface NetSuiteCreditApplicationsMapping {
  body: InvoicedCreditApplicationPaymentBody;
  /** Applications to invoices not linked yet (waiting for their import). */
  missingInvoices: { netsuiteInvoiceId: string; amount: string }[];
  /** Applications to invoices outside the sync (never imported), left out. */
  leftOut: { netsuiteInvoiceId: string; amount: string }[];
}

/**
 * The Invoiced payment that applies an imported credit memo where NetSuite applied it: amount 0, one
 * `credit_note` entry per linked invoice (Invoiced applies a credit note to an invoice only through a
 * payment), `reference: 'NS-CM-<id>'`. `applications` are the credit memo's links to invoices (SuiteQL
 * `previousdoc` = the invoice, `foreignamount`), or its REST `apply` lines.
 * @throws {MappingError} `APPLIED_EXCEEDS_PAYMENT` when it applies more than its total; `INVALID_RECORD`, `AMOUNT_PRECISION`.
 * @example
 * netsuiteCreditApplicationsToInvoiced({ id: '1501', tranid: 'CM-7', trandate: '2026-04-02', currency: 'USD', foreigntotal: '-40' },
 *   [{ previousdoc: '901', foreignamount: '25' }], { customer: 15444, creditNote: 2048, invoicedInvoiceIdFor: () => '46225', date: 1775088000 });
 * // body.applied_to: [{ type: 'credit_note', credit_note: 2048, invoice: 46225, document_type: 'invoice', amount: 25 }]
 */
export function netsuiteCreditApplicationsToInvoiced(
  memo: RecordLike,
  applications: readonly RecordLike[],
  options: {
    customer: number;
    creditNote: number;
    date: number;
    invoicedInvoiceIdFor(netsuiteInvoiceId: string): string | undefined;
    outsideSync?: ((netsuiteInvoiceId: string) => boolean) | undefined;
    currencies?: NetSuiteCurrencyMap | undefined;
  },
): NetSuiteCreditApplicationsMapping {
  const id = netsuiteIdOf(memo, 'credit memo');
  const tranId = text(field(memo, 'tranId'));
  return withRecord('creditNote', tranId ?? id, () => {
    const label = `NetSuite credit memo ${tranId ?? id}`;
    const rawCurrency = field(memo, 'currency');
    if (rawCurrency === undefined) throw new MappingError('UNKNOWN_CURRENCY', `${label} has no currency.`, 'Read the credit memo with its currency field.');
    const currency = currencyCodeFromNetSuite(rawCurrency, options.currencies);
    const rawTotal = field(memo, 'total', 'foreignTotal');
    const total = rawTotal === undefined ? undefined : toMinor(typeof rawTotal === 'string' ? rawTotal.replace(/^\s*-/, '') : Math.abs(rawTotal as number), currency);
    const byInvoice = new Map<string, bigint>();
    for (const entry of applications) {
      const doc = text(field(entry, 'previousDoc')) ?? text((field(entry, 'doc') as { id?: unknown } | undefined)?.id);
      const value = field(entry, 'foreignAmount', 'amount');
      if (doc === undefined || value === undefined) throw new MappingError('INVALID_RECORD', `${label} has an application without an invoice or amount.`, 'Read applications with their document and amount.');
      const amount = toMinor(typeof value === 'string' ? value.replace(/^\s*-/, '') : Math.abs(value as number), currency);
      byInvoice.set(doc, (byInvoice.get(doc) ?? 0n) + amount);
    }
    const applied = [...byInvoice.values()].reduce((sum, amount) => sum + amount, 0n);
    if (total !== undefined && applied > total) {
      throw new MappingError('APPLIED_EXCEEDS_PAYMENT', `${label} applies ${fromMinor(applied, currency)} ${currency} but is only ${fromMinor(total, currency)} ${currency}.`, 'Check the credit memo in NetSuite, then retry it.');
    }
    const appliedTo: InvoicedCreditApplicationBody[] = [];
    const missingInvoices: NetSuiteCreditApplicationsMapping['missingInvoices'] = [];
    const leftOut: NetSuiteCreditApplicationsMapping['leftOut'] = [];
    for (const [doc, amount] of byInvoice) {
      if (amount === 0n) continue;
      const invoicedId = options.invoicedInvoiceIdFor(doc);
      if (invoicedId === undefined) {
        (options.outsideSync?.(doc) === true ? leftOut : missingInvoices).push({ netsuiteInvoiceId: doc, amount: fromMinor(amount, currency) });
        continue;
      }
      appliedTo.push({ type: 'credit_note', credit_note: options.creditNote, invoice: Number(invoicedId), document_type: 'invoice', amount: minorToNumber(amount, currency) });
    }
    const notes = [`Applies NetSuite credit memo ${tranId ?? id}`];
    if (leftOut.length > 0) notes.push(`(${leftOut.map((entry) => `${entry.amount} applied to NetSuite invoice ${entry.netsuiteInvoiceId}, not on Invoiced, left out`).join(', ')})`);
    const body: InvoicedCreditApplicationPaymentBody = {
      customer: options.customer,
      amount: 0,
      currency: currency.toLowerCase(),
      date: options.date,
      method: 'other',
      reference: `NS-CM-${id}`,
      notes: notes.join(' '),
      applied_to: appliedTo,
    };
    return { body, missingInvoices, leftOut };
  });
}
