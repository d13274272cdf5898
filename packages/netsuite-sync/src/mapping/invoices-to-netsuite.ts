/**
 * Invoiced invoices into NetSuite: the body of an upsert by external ID `invd-inv-<id>`. Every Invoiced
 * line needs a NetSuite item (a default item, or one per catalog item); discounts become one line of the
 * discount item and taxes one line per tax rate of the tax item, as Invoiced's own integration does. The
 * NetSuite lines must add up to the Invoiced total to the minor unit, or nothing is written.
 */
import { netsuiteCurrencyRef, type NetSuiteCurrencyMap } from './currencies';
import { externalIdFor } from './customers';
import { unixSecondsToDate } from './dates';
import { MappingError, withRecord } from './errors';
import { text } from './fields';
import { fromMinor, minorToNumber, normalizeCurrencyCode, sumMinor, toMinor } from './money';

/** A line of an Invoiced invoice, as read. */
export interface InvoicedLineSource {
  readonly name?: string | null | undefined;
  readonly description?: string | null | undefined;
  readonly catalog_item?: string | null | undefined;
  readonly quantity: number;
  readonly unit_cost: number;
  readonly amount: number;
  readonly discounts?: readonly unknown[] | null | undefined;
  readonly taxes?: readonly unknown[] | null | undefined;
}

/** The fields of an Invoiced invoice written to NetSuite; an `InvoicedInvoice` fits. */
export interface InvoicedInvoiceSource {
  readonly id: number;
  readonly number?: string | null | undefined;
  readonly currency: string;
  readonly date: number;
  readonly due_date?: number | null | undefined;
  readonly items: readonly InvoicedLineSource[];
  readonly discounts?: readonly unknown[] | null | undefined;
  readonly taxes?: readonly unknown[] | null | undefined;
  readonly total: number;
}

/** One line of the `item` sublist of a NetSuite invoice body. */
export type NetSuiteItemLineBody = { item: { id: string }; quantity?: number; rate: number; amount: number; description?: string };

/** The NetSuite invoice body built from an Invoiced invoice; fits `records.upsert('invoice', ...)`. */
export type NetSuiteInvoiceBody = {
  externalId: string;
  entity: { id: string };
  tranId?: string;
  tranDate: string;
  dueDate?: string;
  currency?: { id: string };
  item: { items: NetSuiteItemLineBody[] };
};

/** Which NetSuite items Invoiced lines, discounts and taxes are written with (internal IDs). */
export interface InvoiceItemSettings {
  /** Item of every line whose catalog item has no item of its own. */
  defaultItem?: string | undefined;
  /** Item of a line by its Invoiced catalog item ID. */
  catalogItems?: Readonly<Record<string, string>> | undefined;
  /** Discount item: required when an invoice has discounts. */
  discountItem?: string | undefined;
  /** Tax item of every tax rate without one of its own: required when an invoice has taxes. */
  taxItem?: string | undefined;
  /** Tax item by Invoiced tax rate ID. */
  taxItems?: Readonly<Record<string, string>> | undefined;
}

/** Settings of {@link invoicedInvoiceToNetSuite}. */
export interface InvoicedInvoiceToNetSuiteSettings {
  items: InvoiceItemSettings;
  /** ISO code -> NetSuite currency ID. Without it the currency is left to NetSuite (the customer's). */
  currencies?: NetSuiteCurrencyMap | undefined;
  /**
   * Write the Invoiced invoice number as NetSuite's `tranId`. Off by default: NetSuite numbers the
   * invoice itself (with auto-numbering on, a given `tranId` may be refused).
   * @default false
   */
  useInvoicedNumber?: boolean | undefined;
  /** IANA time zone in which dates are days. @default 'UTC' */
  timeZone?: string | undefined;
}

interface Rate {
  amount: bigint;
  id: string | undefined;
  name: string | undefined;
}

/** Discount or tax entries (`{ amount, coupon | tax_rate: { id, name } }`) in minor units. */
function readRates(entries: readonly unknown[] | null | undefined, currency: string, rateKey: 'coupon' | 'tax_rate'): Rate[] {
  return (entries ?? []).map((entry) => {
    const { amount, [rateKey]: rate } = (entry ?? {}) as Record<string, unknown>;
    if (typeof amount !== 'number' && typeof amount !== 'string') {
      throw new MappingError('INVALID_RECORD', `A ${rateKey === 'coupon' ? 'discount' : 'tax'} without an amount cannot be synced.`, 'Read the invoice as Invoiced returns it.');
    }
    const { id, name } = (rate ?? {}) as { id?: unknown; name?: unknown };
    return { amount: toMinor(amount, currency), id: text(id), name: text(name) ?? text(id) };
  });
}

/**
 * A NetSuite invoice body from an Invoiced invoice, for an upsert by `externalId: 'invd-inv-<id>'`:
 * `entity` = the NetSuite customer, `tranDate`/`dueDate` as `YYYY-MM-DD`, `currency` from the map, one
 * item line per Invoiced line (`quantity`, `rate` = `unit_cost`, `amount` = the line amount), a discount
 * line (negative) for all discounts of the invoice and its lines, and one tax line per tax rate. `tranId`
 * only with `useInvoicedNumber`.
 * @throws {MappingError} `DEFAULT_ITEM_REQUIRED`, `DISCOUNT_ITEM_REQUIRED`, `TAX_ITEM_REQUIRED` when an
 * item setting is missing; `TOTAL_MISMATCH` when the lines do not add up to the Invoiced total (details
 * `invoicedTotal`, `netsuiteTotal`, `currency`); `UNKNOWN_CURRENCY`, `AMOUNT_PRECISION`... Each error
 * carries the invoice number.
 * @example
 * invoicedInvoiceToNetSuite(invoice, '7', { items: { defaultItem: '12', taxItem: '90' }, currencies: { USD: '1' } });
 * // { externalId: 'invd-inv-46225', entity: { id: '7' }, tranDate: '2026-03-31', currency: { id: '1' }, item: { items: [...] } }
 */
export function invoicedInvoiceToNetSuite(invoice: InvoicedInvoiceSource, customer: string, settings: InvoicedInvoiceToNetSuiteSettings): NetSuiteInvoiceBody {
  const number = text(invoice.number);
  return withRecord('invoice', number ?? String(invoice.id), () => {
    const body: NetSuiteInvoiceBody = {
      externalId: externalIdFor('inv', invoice.id),
      entity: { id: customer },
      tranDate: unixSecondsToDate(invoice.date, settings.timeZone),
      item: { items: netsuiteItemLines(invoice, `Invoice ${number ?? invoice.id}`, 'invoice', settings.items) },
    };
    if (settings.useInvoicedNumber === true && number !== undefined) body.tranId = number;
    if (typeof invoice.due_date === 'number') body.dueDate = unixSecondsToDate(invoice.due_date, settings.timeZone);
    const ref = netsuiteCurrencyRef(normalizeCurrencyCode(invoice.currency), settings.currencies);
    if (ref !== undefined) body.currency = ref;
    return body;
  });
}

/**
 * The `item` lines of a NetSuite invoice or credit memo written from an Invoiced invoice or credit note:
 * one per Invoiced line, one discount line, one tax line per tax rate, adding up to the Invoiced total to
 * the minor unit. @internal
 * @throws {MappingError} `DEFAULT_ITEM_REQUIRED`, `DISCOUNT_ITEM_REQUIRED`, `TAX_ITEM_REQUIRED`, `TOTAL_MISMATCH`...
 */
export function netsuiteItemLines(document: InvoicedInvoiceSource, label: string, what: 'invoice' | 'credit note', items: InvoiceItemSettings): NetSuiteItemLineBody[] {
  const currency = normalizeCurrencyCode(document.currency);
  const lines: NetSuiteItemLineBody[] = [];
  const amounts: bigint[] = [];

  for (const line of document.items) {
    const catalog = text(line.catalog_item);
    const item = (catalog === undefined ? undefined : items.catalogItems?.[catalog]) ?? items.defaultItem;
    if (item === undefined) {
      throw new MappingError(
        'DEFAULT_ITEM_REQUIRED',
        `${label}: default item is required to write line "${text(line.name) ?? 'untitled'}" to NetSuite.`,
        `Choose a default NetSuite item (defaultItem) or an item for its catalog item in the integration settings, then retry the ${what}.`,
      );
    }
    const amount = toMinor(line.amount, currency);
    const description = [text(line.name), text(line.description)].filter((part) => part !== undefined).join('\n');
    lines.push({ item: { id: item }, quantity: line.quantity, rate: line.unit_cost, amount: minorToNumber(amount, currency), ...(description === '' ? {} : { description }) });
    amounts.push(amount);
  }

  const discounts = [document.discounts, ...document.items.map((line) => line.discounts)].flatMap((entries) => readRates(entries, currency, 'coupon'));
  const discount = sumMinor(discounts.map((entry) => entry.amount));
  if (discount !== 0n) {
    if (items.discountItem === undefined) {
      throw new MappingError(
        'DISCOUNT_ITEM_REQUIRED',
        `${label}: discount item is required to write its discount of ${fromMinor(discount, currency)} ${currency} to NetSuite.`,
        `Discount item is required: choose a NetSuite discount item (discountItem) in the integration settings, then retry the ${what}.`,
      );
    }
    const names = [...new Set(discounts.map((entry) => entry.name).filter((name) => name !== undefined))];
    const value = minorToNumber(-discount, currency);
    lines.push({ item: { id: items.discountItem }, rate: value, amount: value, description: names.length === 0 ? 'Discount' : `Discount: ${names.join(', ')}` });
    amounts.push(-discount);
  }

  const taxes = [document.taxes, ...document.items.map((line) => line.taxes)].flatMap((entries) => readRates(entries, currency, 'tax_rate'));
  const byRate = new Map<string, { rate: Rate; amount: bigint }>();
  for (const tax of taxes) {
    const key = tax.id ?? '';
    const group = byRate.get(key);
    if (group === undefined) byRate.set(key, { rate: tax, amount: tax.amount });
    else group.amount += tax.amount;
  }
  for (const [key, { rate, amount }] of byRate) {
    if (amount === 0n) continue;
    const item = (key === '' ? undefined : items.taxItems?.[key]) ?? items.taxItem;
    const rateName = rate.name ?? 'without a rate';
    if (item === undefined) {
      throw new MappingError(
        'TAX_ITEM_REQUIRED',
        `${label}: tax item is required for tax rate ${rateName} (${fromMinor(amount, currency)} ${currency}).`,
        `Tax item is required for tax rate ${rateName}: choose a NetSuite tax item (taxItem, or taxItems for this rate) in the integration settings, then retry the ${what}.`,
      );
    }
    const value = minorToNumber(amount, currency);
    lines.push({ item: { id: item }, rate: value, amount: value, description: rate.name === undefined ? 'Tax' : `Tax: ${rate.name}` });
    amounts.push(amount);
  }

  const invoicedTotal = toMinor(document.total, currency);
  const netsuiteTotal = sumMinor(amounts);
  if (netsuiteTotal !== invoicedTotal) {
    throw new MappingError(
      'TOTAL_MISMATCH',
      `${label}: the NetSuite lines add up to ${fromMinor(netsuiteTotal, currency)} ${currency} but the Invoiced total is ${fromMinor(invoicedTotal, currency)} ${currency}.`,
      `The ${what} has amounts the sync does not write (e.g. shipping). Correct the ${what} on Invoiced, then retry it.`,
      undefined,
      { details: { invoicedTotal: fromMinor(invoicedTotal, currency), netsuiteTotal: fromMinor(netsuiteTotal, currency), currency } },
    );
  }
  return lines;
}
