/**
 * NetSuite invoices: service lines with fractional quantities and sub-cent rates, a discount on one in five
 * (on the service subtotal) and tax on one in three (on the subtotal after discount: half of them as a tax
 * item line, half as header tax NetSuite computes, which SuiteQL shows as a tax line), the first line of
 * one in seven selling the inventory item (NetSuite then adds COGS lines), one in forty voided,
 * and on one in ten (not voided), while any is left, a copy of an Invoiced invoice written to NetSuite
 * earlier (external ID `invd-inv-<id>`, see `netsuite-copies.ts`). Records get their internal ID, tranId
 * and lastModifiedDate only once the payments and credit memos applied to them are known.
 */
import type { BookInvoice, BookLine } from '../books';
import type { Random } from '../random';
import { DAY_MS, HOUR_S, orderByDay } from './calendar';
import { DISCOUNT_BASIS_POINTS, DISCOUNT_ITEM_ID, INVENTORY_ITEM, MEMOS, SERVICE_ITEMS, TAX_BASIS_POINTS, TAX_ITEM_ID, TERMS_DAYS } from './catalog';
import { divRound, formatMinor, formatQuantity, formatRate } from './money';
import type { CurrencyPricing } from './money';
import type { InvoicedCopies } from './netsuite-copies';
import type { CustomerLedger } from './netsuite-customers';
import type { GenerationContext } from './options';
import { every } from './proportions';

/** NetSuite invoices in the order they were generated (index `k`), column by column. */
export interface InvoiceLedger {
  records: BookInvoice[];
  customer: Int32Array;
  day: Int32Array;
  /** Total in minor units. */
  total: Float64Array;
  /** 1 when voided. */
  voided: Uint8Array;
  /** Last modification in ms, raised by every payment or credit memo applied later. */
  modified: Float64Array;
  /** Invoice indexes in date order. */
  order: Int32Array;
  /** The Invoiced invoice (index) each invoice is a copy of, or -1. */
  copyOf: Int32Array;
}

interface LineDraft {
  line: BookLine;
  minor: number;
}

/**
 * Generates the NetSuite invoices (randomness forked as `invoices`); every customer gets one first (unless
 * its slot holds a copy of an Invoiced invoice, taken from `copies`).
 */
export function generateInvoices(context: GenerationContext, customers: CustomerLedger, pricing: CurrencyPricing, copies: InvoicedCopies): InvoiceLedger {
  const { root, invoiceCount, customerCount, days, startMs, currencies, dayText } = context;
  const { records: customerRecords, currencyOf } = customers;
  const { exponents, prices } = pricing;
  const invRandom = root.fork('invoices');
  const voidedInvoice = every(invRandom, 40);
  const externalInvoice = every(invRandom, 10);
  const discounted = every(invRandom, 5);
  const taxed = every(invRandom, 3);
  const invoiceCustomer = new Int32Array(invoiceCount);
  const invoiceDay = new Int32Array(invoiceCount);
  const invoiceTotal = new Float64Array(invoiceCount);
  const invoiceVoided = new Uint8Array(invoiceCount);
  const invoiceModified = new Float64Array(invoiceCount);
  const copyOf = new Int32Array(invoiceCount).fill(-1);
  const invoiceRecords: BookInvoice[] = new Array<BookInvoice>(invoiceCount);
  for (let k = 0; k < invoiceCount; k += 1) {
    // every customer gets an invoice first, then they are spread at random
    const customer = k < customerCount ? k : invRandom.int(0, customerCount - 1);
    const currency = currencyOf[customer]!;
    const exponent = exponents[currency]!;
    const [low, high] = prices[currency]!;
    const day = invRandom.int(0, days - 1);
    invoiceCustomer[k] = customer;
    invoiceDay[k] = day;
    const lineCount = invRandom.int(1, 5);
    const lines: BookLine[] = [];
    let subtotal = 0;
    for (let l = 0; l < lineCount; l += 1) {
      const drafted = serviceLine(invRandom, low, high, exponent);
      subtotal += drafted.minor;
      lines.push(drafted.line);
    }
    // Chosen by position, not drawn, so that every other value of the books stays as it was.
    if (k % 7 === 3 && lines[0] !== undefined) lines[0] = { ...lines[0], itemId: INVENTORY_ITEM.id, description: INVENTORY_ITEM.description };
    let headerTax: BookInvoice['tax'];
    let total = subtotal;
    if (discounted(k)) {
      const basisPoints = invRandom.pick(DISCOUNT_BASIS_POINTS);
      const discount = divRound(subtotal * basisPoints, 10_000);
      if (discount > 0) {
        const amount = formatMinor(-discount, exponent);
        lines.push({ itemId: DISCOUNT_ITEM_ID, description: `Discount ${basisPoints / 100}%`, quantity: '1', rate: amount, amount });
        total -= discount;
      }
    }
    if (taxed(k)) {
      const basisPoints = invRandom.pick(TAX_BASIS_POINTS);
      const tax = divRound(total * basisPoints, 10_000);
      if (tax > 0) {
        const amount = formatMinor(tax, exponent);
        if (k % 2 === 0) headerTax = { itemId: TAX_ITEM_ID, rate: String(basisPoints / 100), amount };
        else lines.push({ itemId: TAX_ITEM_ID, description: `Tax ${basisPoints / 100}%`, quantity: '1', rate: amount, amount });
        total += tax;
      }
    }
    invoiceTotal[k] = total;
    const tranDate = startMs + day * DAY_MS;
    let record: BookInvoice = {
      id: '',
      tranId: '',
      customerId: customerRecords[customer]!.id,
      currency: currencies[currency]!,
      tranDate: dayText(day),
      dueDate: dayText(day + invRandom.pick(TERMS_DAYS)),
      lines,
      ...(headerTax === undefined ? {} : { tax: headerTax }),
      lastModifiedDate: '',
    };
    let modifiedMs = tranDate + invRandom.int(6 * HOUR_S, 30 * HOUR_S) * 1000;
    if (voidedInvoice(k)) {
      record.voided = true;
      invoiceVoided[k] = 1;
      modifiedMs += invRandom.int(1, 20) * DAY_MS;
    }
    if (invRandom.chance(0.15)) record.memo = invRandom.pick(MEMOS);
    const copy = externalInvoice(k) && record.voided !== true ? copies.takeInvoice(k) : undefined;
    if (copy !== undefined) {
      // the slot holds a copy of an Invoiced invoice instead, modified as long after its own date
      const copyDate = startMs + copy.day * DAY_MS;
      modifiedMs = copyDate + (modifiedMs - tranDate);
      invoiceCustomer[k] = copy.customer;
      invoiceDay[k] = copy.day;
      invoiceTotal[k] = copy.total;
      copyOf[k] = copy.source;
      record = {
        id: '',
        tranId: copy.tranId,
        customerId: customerRecords[copy.customer]!.id,
        currency: currencies[currencyOf[copy.customer]!]!,
        tranDate: dayText(copy.day),
        dueDate: dayText(copy.day + copy.terms),
        lines: copy.lines,
        externalId: copy.externalId,
        lastModifiedDate: '',
      };
    }
    invoiceModified[k] = modifiedMs;
    invoiceRecords[k] = record;
  }
  return {
    records: invoiceRecords,
    customer: invoiceCustomer,
    day: invoiceDay,
    total: invoiceTotal,
    voided: invoiceVoided,
    modified: invoiceModified,
    order: orderByDay(invoiceDay, invoiceCount, days),
    copyOf,
  };
}

/** A service line: quantity in hundredths (mostly whole, some quarters, some odd), rate sometimes sub-minor-unit. */
function serviceLine(random: Random, low: number, high: number, exponent: number): LineDraft {
  const itemIndex = random.int(0, SERVICE_ITEMS.length - 1);
  const roll = random.next();
  const quantity = roll < 0.7 ? random.int(1, 20) * 100 : roll < 0.9 ? random.int(1, 40) * 25 : random.int(101, 999);
  let rateMinor = random.int(low, high);
  // most prices are round numbers
  const step = Math.max(1, Math.floor(low / 2));
  if (random.chance(0.6)) rateMinor = Math.max(step, rateMinor - (rateMinor % step));
  const rate = rateMinor * 100 + (random.chance(0.2) ? random.int(1, 99) : 0);
  const minor = divRound(quantity * rate, 10_000);
  const itemId = String(itemIndex + 1);
  const [quantityText, rateText, amountText] = [formatQuantity(quantity), formatRate(rate, exponent), formatMinor(minor, exponent)];
  const line: BookLine = random.chance(0.7)
    ? { itemId, description: SERVICE_ITEMS[itemIndex]![1], quantity: quantityText, rate: rateText, amount: amountText }
    : { itemId, quantity: quantityText, rate: rateText, amount: amountText };
  return { line, minor };
}
