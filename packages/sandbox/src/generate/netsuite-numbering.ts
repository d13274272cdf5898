/**
 * Internal IDs and tranIds. Invoices, credit memos, payments and customer refunds share one ID sequence in
 * tranDate order (invoices first on a day, then credit memos, then payments, then refunds, so that what a
 * transaction applies or refunds always has a lower ID); tranIds are numbered in the same order per type, but for copies of Invoiced invoices, which keep
 * their Invoiced number (NetSuite's invoice numbering skips them). Only here do drafts become records.
 */
import type { BookApplication, BookCreditMemo, BookCustomerRefund, BookInvoice, BookPayment, BookPaymentCredit } from '../books';
import { isoSeconds, orderByDay } from './calendar';
import { formatMinor } from './money';
import type { CurrencyPricing } from './money';
import type { RefundDrafts } from './netsuite-credits';
import type { CustomerLedger } from './netsuite-customers';
import type { InvoiceLedger } from './netsuite-invoices';
import type { CreditMemoDrafts, PaymentDrafts } from './netsuite-settlements';
import type { GenerationContext } from './options';

/** First NetSuite transaction internal ID (invoices, payments and credit memos share the sequence). */
export const TRANSACTION_ID_START = 100001;

/** Everything numbering reads. */
export interface NumberingContext {
  context: GenerationContext;
  pricing: CurrencyPricing;
  customers: CustomerLedger;
  invoices: InvoiceLedger;
  creditMemos: CreditMemoDrafts;
  payments: PaymentDrafts;
  refunds: RefundDrafts;
  /** Added to the numbers of credit memos' `invd-cn-<n>` external IDs, past the Invoiced credit notes' IDs. */
  creditNoteIdOffset: number;
}

/** The transactions of the NetSuite books, each array in internal ID order. */
export interface NumberedTransactions {
  invoices: BookInvoice[];
  payments: BookPayment[];
  creditMemos: BookCreditMemo[];
  customerRefunds: BookCustomerRefund[];
}

/** Internal IDs in date order: of each invoice by generation index, of credit memos and payments by date position. */
interface TransactionIds {
  /** Invoice records in date order (IDs and tranIds set). */
  invoices: BookInvoice[];
  invoiceIds: string[];
  memoOrder: Int32Array;
  memoIds: string[];
  paymentOrder: Int32Array;
  paymentIds: string[];
  /** IDs of credit memos and payments by generation index. */
  memoIdOf: string[];
  paymentIdOf: string[];
  refundOrder: Int32Array;
  refundIds: string[];
}

/** Numbers every transaction and completes the records (lastModifiedDate of invoices included). */
export function numberTransactions(numbering: NumberingContext): NumberedTransactions {
  const { context, invoices } = numbering;
  const ids = assignIds(numbering);
  const creditMemos = creditMemoRecords(numbering, ids);
  const payments = paymentRecords(numbering, ids);
  const customerRefunds = refundRecords(numbering, ids);
  const { records: invoiceRecords, modified: invoiceModified } = invoices;
  for (let k = 0; k < context.invoiceCount; k += 1) invoiceRecords[k]!.lastModifiedDate = isoSeconds(context.beforeNow(invoiceModified[k]!));
  return { invoices: ids.invoices, payments, creditMemos, customerRefunds };
}

function assignIds({ context, invoices: ledger, creditMemos, payments, refunds }: NumberingContext): TransactionIds {
  const { invoiceCount, creditMemoCount, paymentCount, days } = context;
  const { records: invoiceRecords, day: invoiceDay, order: invoiceOrder } = ledger;
  const { day: memoDay } = creditMemos;
  const { day: paymentDay } = payments;
  const memoOrder = orderByDay(memoDay, creditMemoCount, days);
  const paymentOrder = orderByDay(paymentDay, paymentCount, days);
  const refundCount = refunds.drafts.length;
  const refundOrder = orderByDay(refunds.day, refundCount, days);
  const refundIds: string[] = new Array<string>(refundCount);
  const memoIdOf: string[] = new Array<string>(creditMemoCount);
  const paymentIdOf: string[] = new Array<string>(paymentCount);
  const invoiceIds: string[] = new Array<string>(invoiceCount);
  const memoIds: string[] = new Array<string>(creditMemoCount);
  const paymentIds: string[] = new Array<string>(paymentCount);
  const invoices: BookInvoice[] = new Array<BookInvoice>(invoiceCount);
  let nextId = TRANSACTION_ID_START;
  let invoiceNumber = 10001;
  let i = 0;
  let m = 0;
  let p = 0;
  let r = 0;
  // invoices first on a day, then credit memos, then payments, then refunds, so that what a transaction
  // applies or refunds has a lower ID
  while (i < invoiceCount || m < creditMemoCount || p < paymentCount || r < refundCount) {
    const invoiceNext = i < invoiceCount ? invoiceDay[invoiceOrder[i]!]! : Infinity;
    const memoNext = m < creditMemoCount ? memoDay[memoOrder[m]!]! : Infinity;
    const paymentNext = p < paymentCount ? paymentDay[paymentOrder[p]!]! : Infinity;
    const refundNext = r < refundCount ? refunds.day[refundOrder[r]!]! : Infinity;
    const id = String(nextId++);
    if (invoiceNext <= memoNext && invoiceNext <= paymentNext && invoiceNext <= refundNext) {
      const k = invoiceOrder[i]!;
      const record = invoiceRecords[k]!;
      record.id = id;
      if (ledger.copyOf[k] === -1) record.tranId = `INV-${invoiceNumber++}`;
      invoiceIds[k] = id;
      invoices[i] = record;
      i += 1;
    } else if (memoNext <= paymentNext && memoNext <= refundNext) {
      memoIdOf[memoOrder[m]!] = id;
      memoIds[m++] = id;
    } else if (paymentNext <= refundNext) {
      paymentIdOf[paymentOrder[p]!] = id;
      paymentIds[p++] = id;
    } else {
      refundIds[r++] = id;
    }
  }
  return { invoices, invoiceIds, memoOrder, memoIds, paymentOrder, paymentIds, memoIdOf, paymentIdOf, refundOrder, refundIds };
}

/** Applications from flat `[invoice, minor]` pairs. */
function applications(invoiceIds: readonly string[], apps: readonly number[], exponent: number): BookApplication[] {
  const result: BookApplication[] = [];
  for (let a = 0; a < apps.length; a += 2) result.push({ invoiceId: invoiceIds[apps[a]!]!, amount: formatMinor(apps[a + 1]!, exponent) });
  return result;
}

function creditMemoRecords({ context, pricing, customers: ledger, creditMemos: memos, creditNoteIdOffset }: NumberingContext, ids: TransactionIds): BookCreditMemo[] {
  const { creditMemoCount, dayText } = context;
  const { records: customers, currencyOf } = ledger;
  const { exponents } = pricing;
  const { memoOrder, memoIds, invoiceIds } = ids;
  const { drafts: memoDrafts, external: externalMemo } = memos;
  const creditMemos: BookCreditMemo[] = new Array<BookCreditMemo>(creditMemoCount);
  for (let n = 0; n < creditMemoCount; n += 1) {
    const draft = memoDrafts[memoOrder[n]!]!;
    const customer = customers[draft.customer]!;
    const record: BookCreditMemo = {
      id: memoIds[n]!,
      tranId: `CM-${10001 + n}`,
      customerId: customer.id,
      currency: customer.currency,
      tranDate: dayText(draft.day),
      lines: draft.lines,
      applications: applications(invoiceIds, draft.apps, exponents[currencyOf[draft.customer]!]!),
      lastModifiedDate: '',
    };
    if (externalMemo(n)) record.externalId = `invd-cn-${creditNoteIdOffset + n + 1}`;
    record.lastModifiedDate = isoSeconds(draft.modifiedMs);
    creditMemos[n] = record;
  }
  return creditMemos;
}

function paymentRecords({ context, pricing, customers: ledger, payments: drafted }: NumberingContext, ids: TransactionIds): BookPayment[] {
  const { paymentCount, dayText } = context;
  const { records: customers, currencyOf } = ledger;
  const { exponents } = pricing;
  const { paymentOrder, paymentIds, invoiceIds } = ids;
  const { drafts: paymentDrafts, undeposited } = drafted;
  const payments: BookPayment[] = new Array<BookPayment>(paymentCount);
  for (let n = 0; n < paymentCount; n += 1) {
    const original = paymentOrder[n]!;
    const draft = paymentDrafts[original]!;
    const customer = customers[draft.customer]!;
    const exponent = exponents[currencyOf[draft.customer]!]!;
    const record: BookPayment = {
      id: paymentIds[n]!,
      tranId: `PAY-${10001 + n}`,
      customerId: customer.id,
      currency: customer.currency,
      tranDate: dayText(draft.day),
      amount: formatMinor(draft.amount, exponent),
      // a copy of an Invoiced payment went to undeposited funds, as the sync writes payments by default
      undepFunds: draft.copy !== undefined || undeposited(original),
      applications: applications(invoiceIds, draft.apps, exponent),
      lastModifiedDate: '',
    };
    if (!record.undepFunds) record.accountId = String(currencyOf[draft.customer]! + 2);
    if (draft.credits !== undefined && draft.credits.length > 0) record.credits = paymentCredits(ids.memoIdOf, draft.credits, exponent);
    if (draft.voided) record.voided = true;
    if (draft.copy !== undefined) record.externalId = draft.copy.externalId;
    if (draft.memo !== undefined) record.memo = draft.memo;
    record.lastModifiedDate = isoSeconds(draft.modifiedMs);
    payments[n] = record;
  }
  return payments;
}

function paymentCredits(memoIdOf: readonly string[], credits: readonly number[], exponent: number): BookPaymentCredit[] {
  const result: BookPaymentCredit[] = [];
  for (let a = 0; a < credits.length; a += 2) result.push({ creditMemoId: memoIdOf[credits[a]!]!, amount: formatMinor(credits[a + 1]!, exponent) });
  return result;
}

/** Customer refunds, paid from the currency's bank account (`tranId` `RFND-10001`, ...). */
function refundRecords({ context, customers: ledger, pricing, refunds }: NumberingContext, ids: TransactionIds): BookCustomerRefund[] {
  const { records: customers, currencyOf } = ledger;
  const { refundOrder, refundIds, memoIdOf, paymentIdOf } = ids;
  return refundIds.map((id, n) => {
    const draft = refunds.drafts[refundOrder[n]!]!;
    const customer = customers[draft.customer]!;
    const exponent = pricing.exponents[currencyOf[draft.customer]!]!;
    const applications: BookCustomerRefund['applications'] = [];
    for (let a = 0; a < draft.docs.length; a += 3) {
      const index = draft.docs[a + 1]!;
      applications.push({ docId: draft.docs[a] === 0 ? memoIdOf[index]! : paymentIdOf[index]!, amount: formatMinor(draft.docs[a + 2]!, exponent) });
    }
    const record: BookCustomerRefund = {
      id,
      tranId: `RFND-${10001 + n}`,
      customerId: customer.id,
      currency: customer.currency,
      tranDate: context.dayText(draft.day),
      accountId: String(currencyOf[draft.customer]! + 2),
      applications,
      lastModifiedDate: isoSeconds(draft.modifiedMs),
    };
    if (draft.voided) record.voided = true;
    return record;
  });
}
