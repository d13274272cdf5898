/**
 * Refunds on both sides, as the refund invariants read them (refund-checks.ts): NetSuite customer refunds
 * with the documents they refund, Invoiced refunds with the payment their charge made, read from the
 * sandbox's state APIs like the rest of faults/state.ts.
 */
import type { Sandbox } from '@invoiced/netsuite-sync-sandbox';

/** One document a NetSuite customer refund refunds: a customer payment's unapplied cash, or a credit memo's credit. */
export interface RefundedDocument {
  /** The NetSuite ID of the payment or credit memo. */
  readonly doc: string;
  readonly amount: number;
}

export interface NetSuiteRefundState {
  readonly id: string;
  readonly tranId: string;
  readonly customer: string;
  readonly currencyId: string;
  readonly externalId: string | undefined;
  /** `R` refunded, `V` voided. */
  readonly voided: boolean;
  readonly total: number;
  /** Its `apply: true` lines. */
  readonly applications: readonly RefundedDocument[];
}

export interface InvoicedRefundState {
  readonly id: string;
  readonly charge: string;
  /** The Invoiced payment the charge made (`undefined` when no payment has that charge). */
  readonly payment: string | undefined;
  readonly amount: number;
  readonly currency: string;
  /** `succeeded`, `pending`, `failed` or `voided`. */
  readonly status: string;
}

/** Refunds of both sides, and the charge of each processed Invoiced payment. */
export interface RefundsState {
  readonly netsuite: ReadonlyMap<string, NetSuiteRefundState>;
  readonly invoiced: ReadonlyMap<string, InvoicedRefundState>;
  /** Invoiced payment ID by the ID of its charge. */
  readonly paymentByCharge: ReadonlyMap<string, string>;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
const refId = (value: unknown): string => (typeof value === 'object' && value !== null ? (text((value as { id?: unknown }).id) ?? '') : '');
const items = (value: unknown): Record<string, unknown>[] => {
  const list = typeof value === 'object' && value !== null ? (value as { items?: unknown }).items : undefined;
  return Array.isArray(list) ? (list as Record<string, unknown>[]) : [];
};

/** The refunds of both services now. */
export function readRefunds(sandbox: Sandbox): RefundsState {
  const netsuite = new Map<string, NetSuiteRefundState>();
  for (const record of sandbox.netsuite.state.list('customerRefund')) {
    const id = text(record.id) ?? '';
    netsuite.set(id, {
      id,
      tranId: text(record.tranId) ?? '',
      customer: refId(record.customer),
      currencyId: refId(record.currency),
      externalId: text(record.externalId),
      voided: refId(record.status) === 'V' || record.voided === true,
      total: Number(record.total ?? 0),
      applications: items(record.apply)
        .filter((line) => line.apply === true)
        .map((line) => ({ doc: refId(line.doc), amount: Number(line.amount) })),
    });
  }
  const paymentByCharge = new Map<string, string>();
  for (const payment of sandbox.invoiced.state.list('payments')) if (payment.charge !== null) paymentByCharge.set(String(payment.charge.id), String(payment.id));
  const invoiced = new Map<string, InvoicedRefundState>();
  for (const refund of sandbox.invoiced.state.list('refunds')) {
    const charge = String(refund.charge);
    invoiced.set(String(refund.id), { id: String(refund.id), charge, payment: paymentByCharge.get(charge), amount: refund.amount, currency: refund.currency, status: refund.status });
  }
  return { netsuite, invoiced, paymentByCharge };
}

/** What live (not voided) NetSuite customer refunds took of each document (payment or credit memo), by its NetSuite ID. */
export function refundedByDocument(refunds: RefundsState): Map<string, number> {
  const sums = new Map<string, number>();
  for (const refund of refunds.netsuite.values()) {
    if (refund.voided) continue;
    for (const application of refund.applications) sums.set(application.doc, (sums.get(application.doc) ?? 0) + application.amount);
  }
  return sums;
}
