/**
 * NetSuite records written from Invoiced before the books begin. In the story of the books, some Invoiced
 * invoices and payments were written to NetSuite by an earlier sync, as the NetSuite invoice
 * `invd-inv-<id>` and customer payment `invd-pay-<id>`, `<id>` being the Invoiced record's ID. Those
 * NetSuite records are copies of records of the same books' Invoiced side, made as the sync makes them:
 *
 * - Invoiced IDs are what the Invoiced simulator gives the books' records when they are loaded into an
 *   empty account (`sandbox.load()` empties it first): the position in the books' list, plus one.
 * - The customer: an Invoiced customer that carries a NetSuite customer's name (see `invoiced.ts`) is that
 *   NetSuite customer, provided no other NetSuite customer has the same name (compared as a lenient
 *   matcher compares them, `nameKey`) and it is active: written from Invoiced too, it has the external ID
 *   `invd-cust-<id>`, and the sync finds it by name. Only such customers' records are copied; no other
 *   NetSuite customer has an external ID.
 * - An invoice copy: a non-draft Invoiced invoice of such a customer, with its number as `tranId`, its
 *   currency, date and due date, and one line per Invoiced line (the service item of that name, quantity,
 *   rate = unit cost, amount = quantity x unit cost rounded to the currency, the line's description).
 * - A payment copy: an Invoiced cash payment of such a customer, not processed, applying no credit note,
 *   all of whose applications are to copied invoices: its amount, date and currency, the reference as memo, to undeposited funds, applied to the
 *   invoice copies by the same amounts.
 *
 * NetSuite's own payments and credit memos never settle a copied invoice (what is paid on it comes from
 * Invoiced); Invoiced payments that are not copied are what the sync still has to write.
 */
import type { BookLine } from '../books';
import type { InvoicedLedger } from './invoiced';
import { formatMinor, formatQuantity } from './money';
import { nameKey } from './names';
import type { CustomerLedger } from './netsuite-customers';

/** The ID the Invoiced simulator gives the record at `index` of a list of the books, loaded into an empty account. */
export function invoicedIdAt(index: number): number {
  return index + 1;
}

/** A NetSuite invoice copied from an Invoiced invoice. */
export interface InvoiceCopy {
  /** Index of the Invoiced invoice. */
  source: number;
  /** Index of the NetSuite customer. */
  customer: number;
  day: number;
  /** Days from the date to the due date. */
  terms: number;
  lines: BookLine[];
  /** Total in minor units. */
  total: number;
  tranId: string;
  externalId: string;
}

/** A NetSuite customer payment copied from an Invoiced payment. */
export interface PaymentCopy {
  /** Index of the Invoiced payment. */
  source: number;
  /** Index of the NetSuite customer. */
  customer: number;
  day: number;
  /** Amount in minor units. */
  amount: number;
  /** Flat `[NetSuite invoice index, minor]` pairs. */
  apps: number[];
  memo: string | undefined;
  externalId: string;
}

/** The display name of a NetSuite customer of the books. */
function displayName(customer: CustomerLedger['records'][number]): string {
  return customer.isPerson ? `${customer.firstName ?? ''} ${customer.lastName ?? ''}` : (customer.companyName ?? '');
}

/**
 * Hands out copies of Invoiced records to NetSuite slots: invoices in Invoiced order while NetSuite invoices
 * are generated, then payments (whose invoices must all have been copied by then).
 */
export class InvoicedCopies {
  /** The NetSuite customer (index) each Invoiced customer is, or -1 when the sync could not tell by name. */
  readonly linkedCustomer: Int32Array;
  /** The NetSuite invoice (index) copied from each Invoiced invoice, or -1. */
  readonly invoiceCopy: Int32Array;
  private nextInvoice = 0;
  private nextPayment = 0;

  /** `exponents` by currency index of the NetSuite books. */
  constructor(
    private readonly customers: CustomerLedger,
    private readonly ledger: InvoicedLedger,
    private readonly exponents: readonly number[],
  ) {
    const holders = new Map<string, number>();
    for (const customer of customers.records) {
      const key = nameKey(displayName(customer));
      holders.set(key, (holders.get(key) ?? 0) + 1);
    }
    const source = ledger.customers.source;
    this.linkedCustomer = Int32Array.from(source, (index) => {
      const customer = index < 0 ? undefined : customers.records[index];
      if (customer === undefined || customer.isInactive === true) return -1;
      return holders.get(nameKey(displayName(customer))) === 1 ? index : -1;
    });
    this.invoiceCopy = new Int32Array(ledger.invoices.records.length).fill(-1);
  }

  /** Gives each NetSuite customer that an Invoiced customer is the external ID `invd-cust-<id>` of that customer. */
  markCustomers(): void {
    this.linkedCustomer.forEach((index, invoiced) => {
      const customer = this.customers.records[index];
      if (customer !== undefined) customer.externalId = `invd-cust-${invoicedIdAt(invoiced)}`;
    });
  }

  /** The next Invoiced invoice that can be copied, as the NetSuite invoice at index `slot`; `undefined` when none is left. */
  takeInvoice(slot: number): InvoiceCopy | undefined {
    const invoices = this.ledger.invoices;
    while (this.nextInvoice < invoices.records.length) {
      const source = this.nextInvoice;
      this.nextInvoice += 1;
      const customer = this.linkedCustomer[invoices.customer[source]!]!;
      if (invoices.isDraft[source] === 1 || customer < 0) continue;
      this.invoiceCopy[source] = slot;
      const record = invoices.records[source]!;
      const exponent = this.exponents[this.customers.currencyOf[customer]!]!;
      const lines = invoices.lines[source]!.map((line, index): BookLine => {
        const description = record.items[index]?.description;
        return {
          itemId: String(line.item + 1),
          ...(description === undefined ? {} : { description }),
          quantity: formatQuantity(line.quantity),
          rate: formatMinor(line.unitCost, exponent),
          amount: formatMinor(line.amount, exponent),
        };
      });
      return {
        source,
        customer,
        day: invoices.day[source]!,
        terms: invoices.terms[source]!,
        lines,
        total: invoices.total[source]!,
        tranId: record.number,
        externalId: `invd-inv-${invoicedIdAt(source)}`,
      };
    }
    return undefined;
  }

  /** The next Invoiced payment that can be copied (once every invoice has been generated); `undefined` when none is left. */
  takePayment(): PaymentCopy | undefined {
    const payments = this.ledger.payments;
    while (this.nextPayment < payments.records.length) {
      const source = this.nextPayment;
      this.nextPayment += 1;
      const customer = this.linkedCustomer[payments.customer[source]!]!;
      const apps = payments.apps[source]!;
      // a processed payment or one applying credit notes is never copied (its copy would need more than a payment)
      const record = payments.records[source]!;
      if (record.processed === true || record.appliedTo.some((applied) => 'creditNoteKey' in applied)) continue;
      const copied: number[] = [];
      for (let a = 0; a < apps.length; a += 2) copied.push(this.invoiceCopy[apps[a]!]!, apps[a + 1]!);
      if (customer < 0 || copied.some((value, index) => index % 2 === 0 && value < 0)) continue;
      return {
        source,
        customer,
        day: payments.day[source]!,
        amount: payments.amount[source]!,
        apps: copied,
        memo: record.reference,
        externalId: `invd-pay-${invoicedIdAt(source)}`,
      };
    }
    return undefined;
  }
}
