/**
 * Both services' records as the invariants read them, taken from the sandbox's state APIs (no HTTP, no
 * faults): one plain structure per side, amounts as the services give them.
 */
import type { Sandbox } from '@invoiced/netsuite-sync-sandbox';
import { readRefunds, type RefundsState } from './state-refunds';

/** One application of a payment to an invoice. */
export interface Application {
  readonly invoice: string;
  readonly amount: number;
}

/** One credit applied by a payment: a NetSuite credit memo (`credit` line), or an Invoiced credit note to an invoice (`credit_note` entry). */
export interface CreditApplication {
  /** The credit memo's NetSuite ID, or the credit note's Invoiced ID. */
  readonly credit: string;
  /** The invoice it goes to (Invoiced entries only; NetSuite's `credit` lines name no invoice). */
  readonly invoice: string | undefined;
  readonly amount: number;
}

export interface NetSuiteCustomerState {
  readonly id: string;
  readonly name: string;
  readonly externalId: string | undefined;
  readonly inactive: boolean;
}

export interface NetSuiteInvoiceState {
  readonly id: string;
  readonly tranId: string;
  readonly customer: string;
  readonly status: string;
  readonly externalId: string | undefined;
  /** NetSuite's currency ID (the books' currencies in order, from 1). */
  readonly currencyId: string;
  readonly total: number;
  readonly remaining: number;
  /** Line amounts, in line order. */
  readonly lines: readonly number[];
}

export interface NetSuitePaymentState {
  readonly id: string;
  readonly tranId: string;
  readonly customer: string;
  /** NetSuite's currency ID (the books' currencies in order, from 1). */
  readonly currencyId: string;
  readonly amount: number;
  readonly voided: boolean;
  readonly externalId: string | undefined;
  /** Applications (`apply: true` lines only): what each invoice got, cash and credits together. */
  readonly applications: readonly Application[];
  /** Credit memos it applies (`credit` lines with `apply: true`). */
  readonly credits: readonly CreditApplication[];
}

export interface NetSuiteCreditMemoState {
  readonly id: string;
  readonly tranId: string;
  readonly customer: string;
  /** `A` open, `B` fully applied, `V` voided. */
  readonly status: string;
  readonly externalId: string | undefined;
  readonly currencyId: string;
  readonly total: number;
  readonly remaining: number;
  readonly lines: readonly number[];
  /** Its own applications to invoices (`apply: true` lines). */
  readonly applications: readonly Application[];
}

export interface InvoicedCustomerState {
  readonly id: string;
  readonly name: string;
  readonly netsuiteId: string | undefined;
}

export interface InvoicedInvoiceState {
  readonly id: string;
  readonly number: string;
  readonly customer: string;
  readonly currency: string;
  readonly draft: boolean;
  readonly voided: boolean;
  readonly total: number;
  readonly balance: number;
  /** Line amounts, in line order. */
  readonly lines: readonly number[];
  readonly netsuiteId: string | undefined;
}

export interface InvoicedPaymentState {
  readonly id: string;
  readonly customer: string;
  readonly currency: string;
  readonly amount: number;
  readonly voided: boolean;
  readonly reference: string | undefined;
  /** Applications of type `invoice`. */
  readonly applications: readonly Application[];
  /** Applications of type `credit_note` (a credit note applied to an invoice). */
  readonly credits: readonly CreditApplication[];
  /** Every application, whatever its type (to see that nothing but invoices and credit notes was applied). */
  readonly applicationCount: number;
}

export interface InvoicedCreditNoteState {
  readonly id: string;
  readonly number: string;
  readonly customer: string;
  readonly currency: string;
  readonly draft: boolean;
  readonly voided: boolean;
  readonly total: number;
  readonly balance: number;
  /** Closed (`closed: true`): nothing more is applied of it. */
  readonly closed: boolean;
  readonly lines: readonly number[];
  readonly netsuiteId: string | undefined;
}

/** Both sides at one moment. */
export interface WorldState {
  readonly netsuite: {
    readonly customers: ReadonlyMap<string, NetSuiteCustomerState>;
    readonly invoices: ReadonlyMap<string, NetSuiteInvoiceState>;
    readonly payments: ReadonlyMap<string, NetSuitePaymentState>;
    readonly creditMemos: ReadonlyMap<string, NetSuiteCreditMemoState>;
  };
  readonly invoiced: {
    readonly customers: ReadonlyMap<string, InvoicedCustomerState>;
    readonly invoices: ReadonlyMap<string, InvoicedInvoiceState>;
    readonly payments: ReadonlyMap<string, InvoicedPaymentState>;
    readonly creditNotes: ReadonlyMap<string, InvoicedCreditNoteState>;
  };
  /** Customer refunds in NetSuite, refunds on Invoiced (faults/state-refunds.ts). */
  readonly refunds: RefundsState;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
const number = (value: unknown): number => (typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN);
const refId = (value: unknown): string => (typeof value === 'object' && value !== null ? (text((value as { id?: unknown }).id) ?? '') : '');
const items = (value: unknown): Record<string, unknown>[] => {
  const list = typeof value === 'object' && value !== null ? (value as { items?: unknown }).items : undefined;
  return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
};

/** The name the sync knows a NetSuite customer by: first and last name for a person, else the company name. */
export function netsuiteCustomerName(record: Record<string, unknown>): string {
  const person = [text(record.firstName), text(record.lastName)].filter((part) => part !== undefined).join(' ');
  const company = text(record.companyName) ?? '';
  return record.isPerson === true ? person || company : company || person;
}

/** The state of both services now. */
export function readState(sandbox: Sandbox): WorldState {
  const ns = sandbox.netsuite.state;
  const customers = new Map<string, NetSuiteCustomerState>();
  for (const record of ns.list('customer')) {
    const id = text(record.id) ?? '';
    customers.set(id, { id, name: netsuiteCustomerName(record), externalId: text(record.externalId), inactive: record.isInactive === true });
  }
  const invoices = new Map<string, NetSuiteInvoiceState>();
  for (const record of ns.list('invoice')) {
    const id = text(record.id) ?? '';
    invoices.set(id, {
      id,
      tranId: text(record.tranId) ?? '',
      customer: refId(record.entity),
      status: refId(record.status),
      externalId: text(record.externalId),
      currencyId: refId(record.currency),
      total: number(record.total),
      remaining: number(record.amountRemaining ?? 0),
      lines: items(record.item).map((line) => number(line.amount)),
    });
  }
  const payments = new Map<string, NetSuitePaymentState>();
  // NetSuite marks a voided payment with transaction.voided; its REST record has no voided status.
  const voidedPayments = new Set(ns.query("SELECT id FROM transaction WHERE type = 'CustPymt' AND voided = 'T'").map((row) => String(row.id)));
  for (const record of ns.list('customerPayment')) {
    const id = text(record.id) ?? '';
    payments.set(id, {
      id,
      tranId: text(record.tranId) ?? '',
      customer: refId(record.customer),
      currencyId: refId(record.currency),
      amount: number(record.payment),
      voided: voidedPayments.has(id),
      externalId: text(record.externalId),
      applications: items(record.apply)
        .filter((line) => line.apply === true)
        .map((line) => ({ invoice: refId(line.doc), amount: number(line.amount) })),
      credits: items(record.credit)
        .filter((line) => line.apply === true)
        .map((line) => ({ credit: refId(line.doc), invoice: undefined, amount: number(line.amount) })),
    });
  }
  const creditMemos = new Map<string, NetSuiteCreditMemoState>();
  for (const record of ns.list('creditMemo')) {
    const id = text(record.id) ?? '';
    creditMemos.set(id, {
      id,
      tranId: text(record.tranId) ?? '',
      customer: refId(record.entity),
      status: refId(record.status),
      externalId: text(record.externalId),
      currencyId: refId(record.currency),
      total: number(record.total),
      remaining: number(record.amountRemaining ?? 0),
      lines: items(record.item).map((line) => number(line.amount)),
      applications: items(record.apply)
        .filter((line) => line.apply === true)
        .map((line) => ({ invoice: refId(line.doc), amount: number(line.amount) })),
    });
  }

  const ivd = sandbox.invoiced.state;
  const invoicedCustomers = new Map<string, InvoicedCustomerState>();
  for (const record of ivd.list('customers')) {
    invoicedCustomers.set(String(record.id), { id: String(record.id), name: record.name, netsuiteId: record.metadata.netsuite_id });
  }
  const invoicedInvoices = new Map<string, InvoicedInvoiceState>();
  for (const record of ivd.list('invoices')) {
    invoicedInvoices.set(String(record.id), {
      id: String(record.id),
      number: record.number,
      customer: String(record.customer),
      currency: record.currency,
      draft: record.draft,
      voided: record.status === 'voided',
      total: record.total,
      balance: record.balance,
      lines: record.items.map((line) => line.amount),
      netsuiteId: record.metadata.netsuite_id,
    });
  }
  const invoicedPayments = new Map<string, InvoicedPaymentState>();
  for (const record of ivd.list('payments')) {
    invoicedPayments.set(String(record.id), {
      id: String(record.id),
      customer: String(record.customer),
      currency: record.currency,
      amount: record.amount,
      voided: record.voided,
      reference: record.reference ?? undefined,
      applications: record.applied_to
        .filter((entry) => entry.type === 'invoice' && entry.invoice !== undefined)
        .map((entry) => ({ invoice: String(entry.invoice), amount: entry.amount })),
      credits: record.applied_to
        .filter((entry) => entry.type === 'credit_note' && entry.credit_note !== undefined && entry.credit_note !== null)
        .map((entry) => ({ credit: String(entry.credit_note), invoice: entry.invoice === undefined || entry.invoice === null ? undefined : String(entry.invoice), amount: entry.amount })),
      applicationCount: record.applied_to.length,
    });
  }
  const creditNotes = new Map<string, InvoicedCreditNoteState>();
  for (const record of ivd.list('credit_notes')) {
    creditNotes.set(String(record.id), {
      id: String(record.id),
      number: record.number,
      customer: String(record.customer),
      currency: record.currency,
      draft: record.draft,
      voided: record.status === 'voided',
      total: record.total,
      balance: record.balance,
      closed: record.closed,
      lines: record.items.map((line) => line.amount),
      netsuiteId: record.metadata.netsuite_id,
    });
  }
  return {
    netsuite: { customers, invoices, payments, creditMemos },
    invoiced: { customers: invoicedCustomers, invoices: invoicedInvoices, payments: invoicedPayments, creditNotes },
    refunds: readRefunds(sandbox),
  };
}

/** Minor units of a currency (`jpy` has none). */
export function minor(amount: number, currency: string): number {
  return Math.round(amount * 10 ** (currency.toLowerCase() === 'jpy' ? 0 : 2));
}

/**
 * A customer name as the sync compares names: Unicode NFC, trimmed, inner whitespace collapsed, lower
 * case. (The harness's own spelling of the rule in docs/sync-engine.md, not the engine's code.)
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}
