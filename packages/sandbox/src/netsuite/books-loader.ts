/**
 * Loading a set of books (`NetSuiteBooks`) into the simulator: everything already there is replaced,
 * reference data goes straight into its tables, and records go through the same writes as REST calls
 * (so books that break NetSuite's rules are refused), keeping their IDs and `lastModifiedDate`.
 */
import type { NetSuiteBooks } from '../books';
import { parseRestDateTime, type Stamp } from './dates';
import { clearDatabase, inTransaction, insertCurrency, itemTypeOf } from './database';
import type { StoreContext } from './record-common';
import type { RecordStore } from './record-store';

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
  const currencyIds = new Map(books.currencies.map((code, index) => [code.toUpperCase(), String(index + 1)]));
  const currency = (code: string, what: string) => {
    const id = currencyIds.get(code.toUpperCase());
    if (id === undefined) throw new TypeError(`Books: ${what} uses currency ${code}, which is not in books.currencies.`);
    return ref(id);
  };
  const lines = (items: NetSuiteBooks['invoices'][number]['lines']) => ({
    items: items.map((line) => ({ item: ref(line.itemId), quantity: line.quantity, rate: line.rate, amount: line.amount, description: line.description })),
  });
  const apply = (applications: NetSuiteBooks['payments'][number]['applications']) => ({
    items: applications.map((application) => ({ doc: ref(application.invoiceId), apply: true, amount: application.amount })),
  });

  inTransaction(db, () => {
    clearDatabase(db, false);
    books.currencies.forEach((code, index) => insertCurrency(db, index + 1, code.toUpperCase(), index === 0));
    for (const subsidiary of books.subsidiaries) {
      db.prepare('INSERT INTO subsidiary (id, name, currency) VALUES (?, ?, 1)').run(internalId(subsidiary.id, 'a subsidiary'), subsidiary.name);
    }
    for (const item of books.items) {
      db.prepare('INSERT INTO item (id, itemid, displayname, itemtype) VALUES (?, ?, ?, ?)').run(internalId(item.id, 'an item'), item.itemId, item.itemId, itemTypeOf(item.kind));
    }
    for (const account of books.accounts) {
      db.prepare('INSERT INTO account (id, acctname, fullname, accttype) VALUES (?, ?, ?, ?)').run(
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
          voided: invoice.voided ?? false,
        },
        { id: internalId(invoice.id, what), timestamps: stamp(invoice.lastModifiedDate, what) },
      );
    }
    for (const payment of books.payments) {
      const what = `payment ${payment.id}`;
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
          apply: apply(payment.applications),
          externalId: payment.externalId,
          memo: payment.memo,
          voided: payment.voided ?? false,
        },
        { id: internalId(payment.id, what), timestamps: stamp(payment.lastModifiedDate, what) },
      );
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
  });
}
