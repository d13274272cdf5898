/**
 * Loading a set of books (`NetSuiteBooks`) into the simulator: everything already there is replaced,
 * reference data goes straight into its tables, and records go through the same writes as REST calls
 * (so books that break NetSuite's rules are refused), keeping their IDs and `lastModifiedDate`. An invoice's
 * header tax is then set as NetSuite computes it (books whose tax amount differs are refused), and voided
 * records are voided as NetSuite voids them: a voided payment applies nothing, so it is loaded without its
 * applications or credits. Credit memos are loaded before the payments that apply them (`credits`), customer
 * refunds last (voided ones first: voided at once, they give back what they took before the others refund).
 */
import type { NetSuiteBooks } from '../books';
import { currencyIdsOf } from '../books-settings';
import { parseRestDateTime, type Stamp } from './dates';
import { clearDatabase, inTransaction, insertCurrency, itemTypeOf } from './database';
import { formatDecimal, parseDecimal } from './money';
import type { StoreContext } from './record-common';
import type { RecordStore } from './record-store';
import { setTransactionTax, voidTransaction } from './transactions';
import { prepared } from './statements';

function internalId(value: string, what: string): number {
  if (!/^\d+$/.test(value)) throw new TypeError(`Books: ${what} has a non-numeric internal ID ${JSON.stringify(value)}.`);
  return Number(value);
}

function stamp(value: string, what: string): { lastModified: Stamp } {
  const parsed = parseRestDateTime(value);
  if (parsed === undefined) throw new TypeError(`Books: ${what} has an invalid lastModifiedDate ${JSON.stringify(value)}.`);
  return { lastModified: parsed };
}

const ref = (id: string) => ({ id });

/** Replaces the simulator's contents with `books`. Throws (and changes nothing) when they are inconsistent. */
export function loadBooks(context: StoreContext, store: RecordStore, books: NetSuiteBooks): void {
  const { db } = context;
  const currencyIds = currencyIdsOf(books);
  const currency = (code: string, what: string) => {
    const id = currencyIds.get(code.toUpperCase());
    if (id === undefined) throw new TypeError(`Books: ${what} uses currency ${code}, which is not in books.currencies.`);
    return ref(id);
  };
  const lines = (items: NetSuiteBooks['invoices'][number]['lines']) => ({
    items: items.map((line) => ({ item: ref(line.itemId), quantity: line.quantity, rate: line.rate, amount: line.amount, description: line.description })),
  });
  const credit = (credits: NonNullable<NetSuiteBooks['payments'][number]['credits']>) => ({
    items: credits.map((application) => ({ doc: ref(application.creditMemoId), apply: true, amount: application.amount })),
  });
  const apply = (applications: NetSuiteBooks['payments'][number]['applications']) => ({
    items: applications.map((application) => ({ doc: ref(application.invoiceId), apply: true, amount: application.amount })),
  });

  inTransaction(db, () => {
    clearDatabase(db, false);
    books.currencies.forEach((code, index) => insertCurrency(db, index + 1, code.toUpperCase(), index === 0));
    for (const subsidiary of books.subsidiaries) {
      prepared(db, 'INSERT INTO subsidiary (id, name, currency) VALUES (?, ?, 1)').run(internalId(subsidiary.id, 'a subsidiary'), subsidiary.name);
    }
    for (const item of books.items) {
      const cost = item.averageCost === undefined ? null : parseDecimal(item.averageCost);
      if (cost === undefined) throw new TypeError(`Books: item ${item.id} has an invalid averageCost ${JSON.stringify(item.averageCost)}.`);
      prepared(db, 'INSERT INTO item (id, itemid, displayname, itemtype, averagecost) VALUES (?, ?, ?, ?, ?)').run(
        internalId(item.id, 'an item'),
        item.itemId,
        item.itemId,
        itemTypeOf(item.kind),
        cost === null ? null : formatDecimal(cost),
      );
    }
    for (const account of books.accounts) {
      prepared(db, 'INSERT INTO account (id, acctname, fullname, accttype) VALUES (?, ?, ?, ?)').run(
        internalId(account.id, 'an account'),
        account.name,
        account.name,
        account.kind === 'bank' ? 'Bank' : 'OthCurrAsset',
      );
    }
    for (const customer of books.customers) {
      const what = `customer ${customer.id}`;
      store.create(
        'customer',
        {
          entityId: customer.entityId,
          isPerson: customer.isPerson,
          companyName: customer.companyName,
          firstName: customer.firstName,
          lastName: customer.lastName,
          email: customer.email,
          currency: currency(customer.currency, what),
          subsidiary: ref(customer.subsidiaryId),
          externalId: customer.externalId,
          isInactive: customer.isInactive ?? false,
        },
        { id: internalId(customer.id, what), timestamps: stamp(customer.lastModifiedDate, what) },
      );
    }
    for (const invoice of books.invoices) {
      const what = `invoice ${invoice.id}`;
      const id = internalId(invoice.id, what);
      const timestamps = stamp(invoice.lastModifiedDate, what);
      store.create(
        'invoice',
        {
          entity: ref(invoice.customerId),
          tranId: invoice.tranId,
          currency: currency(invoice.currency, what),
          tranDate: invoice.tranDate,
          dueDate: invoice.dueDate,
          item: lines(invoice.lines),
          externalId: invoice.externalId,
          memo: invoice.memo,
        },
        { id, timestamps },
      );
      if (invoice.tax !== undefined) loadTax(context, id, invoice.tax, what, timestamps);
      if (invoice.voided === true) voidTransaction(context, 'invoice', id, { timestamps });
    }
    for (const memo of books.creditMemos) {
      const what = `credit memo ${memo.id}`;
      store.create(
        'creditMemo',
        {
          entity: ref(memo.customerId),
          tranId: memo.tranId,
          currency: currency(memo.currency, what),
          tranDate: memo.tranDate,
          item: lines(memo.lines),
          apply: apply(memo.applications),
          externalId: memo.externalId,
        },
        { id: internalId(memo.id, what), timestamps: stamp(memo.lastModifiedDate, what) },
      );
    }
    for (const payment of books.payments) {
      const what = `payment ${payment.id}`;
      const id = internalId(payment.id, what);
      const timestamps = stamp(payment.lastModifiedDate, what);
      store.create(
        'customerPayment',
        {
          customer: ref(payment.customerId),
          tranId: payment.tranId,
          currency: currency(payment.currency, what),
          tranDate: payment.tranDate,
          payment: payment.amount,
          account: payment.accountId === undefined ? undefined : ref(payment.accountId),
          undepFunds: payment.undepFunds,
          apply: apply(payment.voided === true ? [] : payment.applications),
          ...(payment.credits === undefined || payment.voided === true ? {} : { credit: credit(payment.credits) }),
          externalId: payment.externalId,
          memo: payment.memo,
        },
        { id, timestamps },
      );
      if (payment.voided === true) voidTransaction(context, 'customerPayment', id, { timestamps });
    }
    // Voided refunds first: each takes its amounts and gives them back at once, before the others take theirs.
    const refunds = books.customerRefunds ?? [];
    for (const refund of [...refunds.filter((r) => r.voided === true), ...refunds.filter((r) => r.voided !== true)]) {
      const what = `customer refund ${refund.id}`;
      const id = internalId(refund.id, what);
      const timestamps = stamp(refund.lastModifiedDate, what);
      store.create(
        'customerRefund',
        {
          customer: ref(refund.customerId),
          tranId: refund.tranId,
          currency: currency(refund.currency, what),
          tranDate: refund.tranDate,
          account: ref(refund.accountId),
          apply: { items: refund.applications.map((application) => ({ doc: ref(application.docId), apply: true, amount: application.amount })) },
          externalId: refund.externalId,
          memo: refund.memo,
        },
        { id, timestamps },
      );
      if (refund.voided === true) voidTransaction(context, 'customerRefund', id, { timestamps });
    }
  });
}

/** Sets an invoice's header tax and checks that NetSuite comes to the amount the books say. */
function loadTax(context: StoreContext, id: number, tax: NonNullable<NetSuiteBooks['invoices'][number]['tax']>, what: string, timestamps: { lastModified: Stamp }): void {
  const rate = parseDecimal(tax.rate);
  const amount = parseDecimal(tax.amount);
  if (rate === undefined || amount === undefined) throw new TypeError(`Books: ${what} has an invalid tax rate or amount.`);
  const before = prepared(context.db, 'SELECT foreigntotal FROM ns_transaction WHERE id = ?').get(id);
  setTransactionTax(context, id, { item: internalId(tax.itemId, `the tax item of ${what}`), rate }, { timestamps });
  const after = prepared(context.db, 'SELECT foreigntotal FROM ns_transaction WHERE id = ?').get(id);
  const computed = (parseDecimal(after?.foreigntotal) ?? 0n) - (parseDecimal(before?.foreigntotal) ?? 0n);
  if (computed !== amount) throw new TypeError(`Books: ${what} says its tax is ${tax.amount}, but NetSuite computes ${formatDecimal(computed)}.`);
}
