/**
 * The NetSuite side of the books, step by step: reference records, customers (generated first, as the
 * Invoiced side borrows their names), invoices (some copied from the Invoiced side), then the credit memos
 * and payments that settle those invoices (credit memos first: they see the invoices open before any
 * payment; some payments copied from the Invoiced side), credit memos applied inside payments and customer
 * refunds of what is left (`netsuite-credits.ts`), and finally internal IDs in date order.
 */
import type { NetSuiteBooks } from '../books';
import { DISCOUNT_ITEM_ID, INVENTORY_ITEM, SERVICE_ITEMS, TAX_ITEM_ID } from './catalog';
import type { InvoicedLedger } from './invoiced';
import { createCurrencyPricing } from './money';
import { InvoicedCopies } from './netsuite-copies';
import type { CustomerLedger } from './netsuite-customers';
import { applyPaymentCredits, draftCustomerRefunds, memoCreditLeft } from './netsuite-credits';
import { generateInvoices } from './netsuite-invoices';
import { numberTransactions } from './netsuite-numbering';
import { createSettlementContext, draftCreditMemos, draftPayments } from './netsuite-settlements';
import type { GenerationContext } from './options';

/**
 * Generates the NetSuite books for `context` around the `customers` already generated; the records written
 * from Invoiced earlier are copies of records of `invoiced`.
 */
export function generateNetSuite(context: GenerationContext, customers: CustomerLedger, invoiced: InvoicedLedger): NetSuiteBooks {
  const { currencies } = context;
  const { subsidiaries, items, accounts } = referenceRecords(currencies);
  const pricing = createCurrencyPricing(currencies);
  const copies = new InvoicedCopies(customers, invoiced, pricing.exponents);
  copies.markCustomers();
  const invoices = generateInvoices(context, customers, pricing, copies);
  const settling = createSettlementContext(context, pricing, customers.currencyOf, invoices);
  const creditMemoDrafts = draftCreditMemos(settling);
  const paymentDrafts = draftPayments(settling, copies);
  const memoLeft = memoCreditLeft(settling, creditMemoDrafts);
  applyPaymentCredits(settling, creditMemoDrafts, paymentDrafts, memoLeft);
  const refundDrafts = draftCustomerRefunds(settling, creditMemoDrafts, paymentDrafts, memoLeft);
  const numbered = numberTransactions({
    context,
    pricing,
    customers,
    invoices,
    creditMemos: creditMemoDrafts,
    payments: paymentDrafts,
    refunds: refundDrafts,
    creditNoteIdOffset: invoiced.extras.creditNotes.length,
  });
  const books: NetSuiteBooks = {
    currencies,
    subsidiaries,
    items,
    accounts,
    customers: customers.records,
    invoices: numbered.invoices,
    payments: numbered.payments,
    creditMemos: numbered.creditMemos,
  };
  if (numbered.customerRefunds.length > 0) books.customerRefunds = numbered.customerRefunds;
  return books;
}

/** Subsidiaries, items and deposit accounts: fixed, but for one bank account per currency. */
function referenceRecords(currencies: readonly string[]): Pick<NetSuiteBooks, 'subsidiaries' | 'items' | 'accounts'> {
  const subsidiaries = [
    { id: '1', name: 'Parent Company' },
    { id: '2', name: 'International Subsidiary' },
  ];
  const items: NetSuiteBooks['items'] = SERVICE_ITEMS.map(([itemId], index) => ({ id: String(index + 1), itemId, kind: 'service' }));
  items.push(
    { id: TAX_ITEM_ID, itemId: 'Sales Tax', kind: 'tax' },
    { id: DISCOUNT_ITEM_ID, itemId: 'Discount', kind: 'discount' },
    { id: INVENTORY_ITEM.id, itemId: INVENTORY_ITEM.itemId, kind: 'inventory', averageCost: INVENTORY_ITEM.averageCost },
  );
  // Account 1 is Undeposited Funds; each currency has its own bank account (id = currency index + 2).
  const accounts: NetSuiteBooks['accounts'] = [{ id: '1', name: 'Undeposited Funds', kind: 'undeposited' }];
  currencies.forEach((code, index) => accounts.push({ id: String(index + 2), name: `Operating Account (${code})`, kind: 'bank' }));
  return { subsidiaries, items, accounts };
}
