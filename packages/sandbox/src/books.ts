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
  /** Refunds of credit memos' remaining credit or payments' unapplied cash; none when left out. */
  customerRefunds?: BookCustomerRefund[];
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
  /**
   * What the payment applies to each invoice: cash and credits together (NetSuite's `apply` sublist). With
   * `credits`, the cash applied is the applications' sum less the credits'.
   */
  applications: BookApplication[];
  /**
   * Credit memos of the same customer and currency the payment applies (NetSuite's `credit` sublist), each
   * at most what the memo has left; their sum is at most the applications' sum. Ignored on a voided payment.
   */
  credits?: BookPaymentCredit[];
  voided?: boolean;
  externalId?: string;
  memo?: string;
  lastModifiedDate: string;
}

/** A credit memo applied by a customer payment. */
export interface BookPaymentCredit {
  creditMemoId: string;
  /** Decimal string. */
  amount: string;
}

/**
 * A customer refund: money paid back out of a credit memo's remaining credit or a payment's unapplied
 * cash (its `applications`, each a credit memo or a payment of the same customer and currency, each at most
 * what that document has left); its total is the applications' sum.
 */
export interface BookCustomerRefund {
  id: string;
  tranId: string;
  customerId: string;
  currency: string;
  tranDate: string;
  /** The bank account paid from. */
  accountId: string;
  applications: BookRefundApplication[];
  /** Voided: NetSuite gives the documents their amounts back. */
  voided?: boolean;
  externalId?: string;
  memo?: string;
  lastModifiedDate: string;
}

/** How much of a credit memo or payment a refund pays out. */
export interface BookRefundApplication {
  /** Internal ID of a credit memo or a customer payment. */
  docId: string;
  /** Decimal string. */
  amount: string;
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
  /** Credit notes, loaded after the invoices and before the payments that apply them; none when left out. */
  creditNotes?: InvoicedBookCreditNote[];
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
  /**
   * Cash applied to invoices (`{ invoiceKey, amount }`, at most `amount` in total) and credit notes applied
   * to invoices (`{ creditNoteKey, invoiceKey, amount }`, not counted against `amount`: a payment of `"0"`
   * may only apply credit notes).
   */
  appliedTo: InvoicedBookApplication[];
  /**
   * A processed payment: taken through Invoiced (a card or ACH charge, `state.charge()`), so it carries a
   * charge that can be refunded. Its method is `credit_card` or `ach`, its amount above 0; Invoiced's
   * gateway gives it its reference.
   */
  processed?: boolean;
  /** Refunds of a processed payment's charge, in order: decimal amounts adding up to at most its amount. */
  refunds?: string[];
}

/** What an Invoiced payment applies: cash to an invoice, or a credit note to an invoice. */
export type InvoicedBookApplication = { invoiceKey: string; amount: string } | { creditNoteKey: string; invoiceKey: string; amount: string };

/** An Invoiced credit note, like an invoice: its total is its items'. */
export interface InvoicedBookCreditNote {
  key: string;
  customerKey: string;
  number: string;
  currency: string;
  /** UNIX seconds. */
  date: number;
  draft: boolean;
  items: { name: string; description?: string; quantity: string; unitCost: string }[];
  metadata?: Record<string, string>;
}

/** Everything `generateBooks()` produces. */
export interface Books {
  seed: number;
  netsuite: NetSuiteBooks;
  invoiced: InvoicedBooks;
}
