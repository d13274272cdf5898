/**
 * The shape of a set of books: what `generateBooks()` produces and what `sandbox.netsuite.load()` and
 * `sandbox.invoiced.load()` accept. Amounts are decimal strings in the currency's units (`"1234.50"`,
 * `"1200"` for JPY), never floats; dates are `YYYY-MM-DD`, datetimes ISO 8601 UTC.
 */

/** Books kept in NetSuite: the source of truth for flows 1, 2 and 5. */
export interface NetSuiteBooks {
  /** ISO currency codes in use, upper case (`USD`). Currency internal IDs are their index + 1. */
  currencies: string[];
  subsidiaries: { id: string; name: string }[];
  /**
   * Items referenced by invoice lines; `kind` tells which ones the sync uses for tax and discounts. An
   * `inventory` item with an `averageCost` (decimal string) makes NetSuite add COGS lines to invoices.
   */
  items: { id: string; itemId: string; kind: 'service' | 'tax' | 'discount' | 'inventory'; averageCost?: string }[];
  /** Accounts payments are deposited to. */
  accounts: { id: string; name: string; kind: 'bank' | 'undeposited' }[];
  customers: BookCustomer[];
  invoices: BookInvoice[];
  payments: BookPayment[];
  creditMemos: BookCreditMemo[];
}

export interface BookCustomer {
  /** NetSuite internal ID. */
  id: string;
  /** NetSuite's customer number / name field. */
  entityId: string;
  isPerson: boolean;
  /** For companies. */
  companyName?: string;
  /** For persons. */
  firstName?: string;
  lastName?: string;
  email?: string;
  /** Currency code. */
  currency: string;
  subsidiaryId: string;
  externalId?: string;
  isInactive?: boolean;
  lastModifiedDate: string;
}

export interface BookLine {
  itemId: string;
  description?: string;
  /** Decimal string. */
  quantity: string;
  /** Decimal string, per unit. */
  rate: string;
  /** Decimal string: quantity x rate, rounded to the currency. */
  amount: string;
}

export interface BookInvoice {
  id: string;
  /** Invoice number, e.g. `INV-10042`. */
  tranId: string;
  customerId: string;
  currency: string;
  tranDate: string;
  dueDate: string;
  lines: BookLine[];
  /**
   * Tax NetSuite computes on the header (legacy tax): a `tax` item, the rate in percent (`"8.25"`) and the
   * amount it comes to on the lines' sum, rounded to the currency. The invoice total is lines + `amount`;
   * NetSuite shows it as a tax line in SuiteQL, not in the `item` sublist.
   */
  tax?: { itemId: string; rate: string; amount: string };
  voided?: boolean;
  externalId?: string;
  memo?: string;
  lastModifiedDate: string;
}

/** How much of a payment or credit memo settles which invoice. */
export interface BookApplication {
  invoiceId: string;
  /** Decimal string. */
  amount: string;
}

export interface BookPayment {
  id: string;
  tranId: string;
  customerId: string;
  currency: string;
  tranDate: string;
  /** Decimal string: the whole payment; may exceed the applications (unapplied remainder). */
  amount: string;
  /** Deposit account, or undefined with `undepFunds`. */
  accountId?: string;
  undepFunds: boolean;
  applications: BookApplication[];
  voided?: boolean;
  externalId?: string;
  memo?: string;
  lastModifiedDate: string;
}

export interface BookCreditMemo {
  id: string;
  tranId: string;
  customerId: string;
  currency: string;
  tranDate: string;
  lines: BookLine[];
  applications: BookApplication[];
  externalId?: string;
  lastModifiedDate: string;
}

/** Records kept on Invoiced before a sync (flow 3 and 4 sources), in Invoiced's own terms. */
export interface InvoicedBooks {
  customers: InvoicedBookCustomer[];
  invoices: InvoicedBookInvoice[];
  payments: InvoicedBookPayment[];
}

export interface InvoicedBookCustomer {
  /** Key used by invoices and payments below to refer to this customer (IDs are assigned on load). */
  key: string;
  name: string;
  type: 'company' | 'person';
  email?: string;
  /** Lower case (`usd`). */
  currency: string;
  metadata?: Record<string, string>;
}

export interface InvoicedBookInvoice {
  key: string;
  customerKey: string;
  number: string;
  currency: string;
  /** UNIX seconds. */
  date: number;
  dueDate?: number;
  draft: boolean;
  items: { name: string; description?: string; quantity: string; unitCost: string }[];
  metadata?: Record<string, string>;
}

export interface InvoicedBookPayment {
  key: string;
  customerKey: string;
  currency: string;
  date: number;
  amount: string;
  method: 'ach' | 'cash' | 'check' | 'credit_card' | 'wire_transfer' | 'other';
  reference?: string;
  appliedTo: { invoiceKey: string; amount: string }[];
}

/** Everything `generateBooks()` produces. */
export interface Books {
  seed: number;
  netsuite: NetSuiteBooks;
  invoiced: InvoicedBooks;
}
