/**
 * Deterministic test books: `generateBooks()` builds a NetSuite ledger (customers, invoices, customer
 * payments, credit memos) and the records kept on Invoiced before a sync, full of the edge cases a sync
 * has to survive. The same options and seed always give deep-equal books on every machine: all randomness
 * comes from `createRandom(seed).fork(label)` and all money is computed in integer minor units.
 *
 * The parts: `options.ts` checks the options; `netsuite-customers.ts` builds the NetSuite customers first
 * (the Invoiced side borrows their names), then `invoiced.ts` the Invoiced records, then `netsuite.ts` the
 * rest of the NetSuite books in steps (`netsuite-invoices.ts`, `netsuite-settlements.ts` for credit memos and
 * payments, `netsuite-numbering.ts` for internal IDs, `netsuite-copies.ts` for the records written from
 * Invoiced earlier); all draw on `names.ts`, `money.ts`, `settlement.ts` (open invoices and how a settlement
 * applies), `catalog.ts`, `calendar.ts` and `proportions.ts`. `summary.ts` totals finished books.
 *
 * Choices made where `books.ts` leaves room (each also noted where it is implemented):
 * - Amounts are decimal strings with exactly the currency's exponent (`"12.30"`, `"1200"` for JPY).
 *   Quantities are written with as few decimals as they need (`"3"`, `"1.5"`, `"0.25"`). Rates usually have
 *   the currency's exponent; about one service line in five has a finer rate with two extra decimals
 *   (`"12.3456"`, `"1499.75"` for JPY) so that `amount = quantity x rate` really has to be rounded.
 * - Rounding is half-up on the absolute value (half away from zero), done on integers.
 * - Tax and discount lines have quantity `"1"` and carry their computed amount as the rate; the discount's
 *   rate and amount are negative. The discount applies to the service subtotal, the tax to the subtotal
 *   after discount. Header tax (`invoice.tax`) is the same tax, computed by NetSuite from the rate: the
 *   invoice total is its lines plus `tax.amount`.
 * - Payments and credit memos settle a customer's oldest open invoices first (what NetSuite's auto-apply
 *   does). An application never exceeds the invoice's open amount after the non-voided payments and credit
 *   memos generated before it, and unapplied remainders count against what the customer owes too: for
 *   every customer, its non-voided payment amounts plus credit memo totals never exceed its non-voided
 *   invoice totals (as long as something is left open: once every invoice is settled, further payments
 *   are voided ones applying nothing and further credit memos are unapplied credits, so that counts are
 *   always honoured). Voided payments are generated like the others but nothing they apply is subtracted.
 *   Payments and credit memos are dated on or after every invoice they apply to.
 * - Transaction internal IDs (invoices, payments, credit memos) share one sequence in tranDate order,
 *   starting at {@link TRANSACTION_ID_START}; customers have their own from {@link CUSTOMER_ID_START}.
 *   Each output array is sorted by internal ID, that is chronologically; tranIds are numbered in the same
 *   order per type (`INV-10001`, `PAY-10001`, `CM-10001`), but for copies of Invoiced invoices, which keep
 *   their Invoiced number (`IVD-0007`).
 * - NetSuite records with an `invd-cust-<id>`, `invd-inv-<id>` or `invd-pay-<id>` external ID were written
 *   from Invoiced earlier: each is a copy, as the sync writes it, of the record with ID `<id>` of the same
 *   books' Invoiced side (IDs as the Invoiced simulator gives them on `sandbox.load()`: position + 1), see
 *   `netsuite-copies.ts`. So the Invoiced options change the NetSuite transactions (never the NetSuite
 *   customers, but for their external IDs). Credit memos' `invd-cn-<n>` refer to nothing: `<n>` starts past
 *   the IDs of the books' Invoiced credit notes (`invoiced.creditNotes`), which are never copied.
 * - Payment credits, customer refunds, Invoiced credit notes, processed payments and their refunds (all 0
 *   by default) draw on streams of their own, after everything else: with none asked for, the books are
 *   byte for byte what they were before these options existed (see `netsuite-credits.ts` and
 *   `invoiced-extras.ts`). Refunds share the transactions' ID sequence (after payments on a day).
 * - `lastModifiedDate` is ISO 8601 UTC to the second (`2026-03-04T10:11:12Z`), at least one second before
 *   `now`. A transaction is modified some hours after its tranDate (a voided one days later, when voided);
 *   an invoice is also modified by every payment or credit memo applied to it.
 */
import type { Books } from '../books';
import { generateInvoiced, invoicedBooksOf } from './invoiced';
import { generateNetSuite } from './netsuite';
import { generateCustomers } from './netsuite-customers';
import { createContext } from './options';
import type { GenerateBooksOptions } from './options';

export type { GenerateBooksOptions, InvoicedBooksOptions } from './options';
export type { BooksSummary, InvoicedCurrencySummary, NetSuiteCurrencySummary } from './summary';
export { summarizeBooks } from './summary';
export { currencyExponent } from './money';
export { CUSTOMER_ID_START } from './netsuite-customers';
export { TRANSACTION_ID_START } from './netsuite-numbering';

/**
 * Generates a deterministic set of books (see the module comment for the conventions).
 *
 * Edge cases, each present for the default options and at a stable proportion for larger ones:
 * - customers (per block of 25): an apostrophe and ampersand name (`O'Brien & Sons`), an accented name in
 *   NFC and another customer with the same name in NFD, two names differing only by case (`ACME Corp` /
 *   `Acme Corp`), two customers with exactly the same name, quotes, a double space, leading/trailing
 *   spaces, backslash/percent/underscore, two persons (no companyName), an inactive customer; those that
 *   an Invoiced customer is (same name, held by no other NetSuite customer, active) have an `externalId`
 *   (`invd-cust-<id>`);
 * - invoices: 1 to 5 service lines with fractional quantities and sub-cent rates, a discount line on one in
 *   five, tax on one in three (half a tax item line, half header tax), the first line of one in seven
 *   selling an inventory item with an average cost (COGS lines in NetSuite), one in forty voided, dueDate 15/30/45/60 days after tranDate; one in
 *   ten (not voided), while there are any, is instead a copy of a non-draft Invoiced invoice of such a
 *   customer (`invd-inv-<id>`), which no NetSuite payment or credit memo of its own settles;
 * - payments: full, partial, split over several invoices and with an unapplied remainder (4:3:2:1), one in
 *   forty voided (when nothing is left open, further payments are voided ones with no applications), one in
 *   three to undeposited funds and the others to the currency's bank account; one in eight (not voided),
 *   while there are any, is instead a copy of an Invoiced payment all of whose invoices were copied
 *   (`invd-pay-<id>`, to undeposited funds);
 * - credit memos: fully applied, partially applied, split, and with unapplied credit, in turn (when nothing
 *   is left open, a credit memo stays unapplied);
 * - Invoiced: half of the customers carry the name of a NetSuite customer (the apostrophe name, a
 *   duplicated name, a person's full name, the NFC form of an NFD name, one of a case pair, then others),
 *   the rest are new; payments settle non-draft invoices of their customer, in full, in part or split
 *   (when nothing is left open, a payment stays unapplied).
 *
 * @example
 * const books = generateBooks({ seed: 7, invoices: 1000 });
 * summarizeBooks(books).netsuite.byCurrency.USD?.open;
 */
export function generateBooks(options: GenerateBooksOptions = {}): Books {
  const context = createContext(options);
  const customers = generateCustomers(context);
  const invoiced = generateInvoiced(context, options.invoiced, customers.records);
  const netsuite = generateNetSuite(context, customers, invoiced);
  return { seed: context.root.seed, netsuite, invoiced: invoicedBooksOf(invoiced) };
}
