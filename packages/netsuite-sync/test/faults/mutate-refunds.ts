/**
 * The changes people make about refunds: on Invoiced, refunds of processed payments' unapplied cash (of a
 * payment of the books, or of one charged now that leaves some cash unapplied), now and then of a payment
 * applied in full (NetSuite refuses its copy: REFUND_REFUSED_BY_NETSUITE), and voids of refunds; in
 * NetSuite, customer refunds of a payment's unapplied cash or of an open credit memo's rest (in full or in
 * part), and voids of customer refunds; and a credit memo the sync wrote from Invoiced applied by a person
 * in NetSuite (the sync must apply its credit note on Invoiced too). Same scope as the other changes: each side refunds its own
 * payments and credits, never the sync's copies.
 */
import type { Touched } from './ledger';
import { choose, createdBy, openNetSuiteInvoices, ownInvoicedInvoices, refId, units, type Change, type Ctx } from './mutate-support';
import { minor } from './state';
import { refundedByDocument } from './state-refunds';

const scaleOf = (currency: string) => (currency === 'jpy' ? 1 : 100);

/** A part of `whole` (minor units): all of it, or 20% to 70% of it (at least 1). */
function part(ctx: Ctx, whole: number, allChance: number): number {
  return ctx.random.chance(allChance) ? whole : Math.max(1, Math.floor(whole * (0.2 + ctx.random.next() * 0.5)));
}

function netsuiteCurrency(ctx: Ctx, currencyId: string): string {
  return (ctx.world.books.netsuite.currencies[Number(currencyId) - 1] ?? 'usd').toLowerCase();
}

/** Processed Invoiced payments a person made (not the sync's), not voided, with their charge and what is left to refund (minor units): unapplied cash, and the charge's rest. */
function processedPayments(ctx: Ctx) {
  const chargeOf = new Map([...ctx.now.refunds.paymentByCharge].map(([charge, payment]) => [payment, charge]));
  const refunded = new Map<string, number>();
  for (const refund of ctx.now.refunds.invoiced.values()) if (refund.status !== 'voided') refunded.set(refund.charge, (refunded.get(refund.charge) ?? 0) + minor(refund.amount, refund.currency));
  return [...ctx.now.invoiced.payments.values()].flatMap((payment) => {
    const charge = chargeOf.get(payment.id);
    if (charge === undefined || payment.voided || /^NS-(PAY|CM)-/.test(payment.reference ?? '')) return [];
    const amount = minor(payment.amount, payment.currency);
    const taken = refunded.get(charge) ?? 0;
    const applied = payment.applications.reduce((sum, application) => sum + minor(application.amount, payment.currency), 0);
    return [{ ...payment, charge, unapplied: amount - applied - taken, rest: amount - taken }];
  });
}

/** An Invoiced refund of a processed payment: of its unapplied cash (made now if need be), or, one time in five, of a payment applied in full. */
function invoicedRefund(ctx: Ctx): Change {
  const ivd = ctx.sandbox.invoiced.state;
  const payments = processedPayments(ctx);
  if (ctx.random.chance(0.2)) {
    const payment = choose(ctx, payments.filter((candidate) => candidate.unapplied <= 0 && candidate.rest > 0), 'invoiced_to_netsuite:payment');
    if (payment === undefined) return null;
    const amount = part(ctx, payment.rest, 0.3);
    const scale = scaleOf(payment.currency);
    return { detail: `Invoiced refund of ${amount / scale} of processed payment #${payment.id}, applied in full (NetSuite refuses it)`, touched: [], act: () => void ivd.refund(Number(payment.charge), amount / scale) };
  }
  const open = payments.filter((candidate) => candidate.unapplied > 0);
  const payment = open.length > 0 && ctx.random.chance(0.6) ? choose(ctx, open, 'invoiced_to_netsuite:payment') : undefined;
  if (payment !== undefined) {
    const amount = part(ctx, payment.unapplied, 0.4);
    const scale = scaleOf(payment.currency);
    return { detail: `Invoiced refund of ${amount / scale} of processed payment #${payment.id}'s ${payment.unapplied / scale} unapplied`, touched: [], act: () => void ivd.refund(Number(payment.charge), amount / scale) };
  }
  // A payment charged now for part of an open invoice of Invoiced, with cash left over, and a refund of that cash.
  const invoice = choose(ctx, ownInvoicedInvoices(ctx), 'invoiced_to_netsuite:invoice');
  if (invoice === undefined) return null;
  const scale = scaleOf(invoice.currency);
  const applied = part(ctx, minor(invoice.balance, invoice.currency), 0.3);
  const extra = units(ctx.random) * scale;
  const refund = part(ctx, extra, 0.4);
  return {
    detail: `Invoiced processed payment of ${(applied + extra) / scale} for #${invoice.id} (${invoice.number}): ${applied / scale} applied, ${extra / scale} unapplied, ${refund / scale} of it refunded`,
    touched: [['invoiced', 'invoices', invoice.id]],
    act: () => {
      const payment = ivd.charge({ customer: Number(invoice.customer), currency: invoice.currency, amount: (applied + extra) / scale, applied_to: [{ type: 'invoice', invoice: Number(invoice.id), amount: applied / scale }] });
      createdBy(ctx).push(['invoiced', 'payments', String(payment.id)]);
      if (payment.charge !== null) ivd.refund(payment.charge.id, refund / scale);
    },
  };
}

function invoicedRefundVoid(ctx: Ctx): Change {
  const refunds = [...ctx.now.refunds.invoiced.values()].filter((refund) => refund.status === 'succeeded');
  const refund = choose(ctx, refunds, 'invoiced_to_netsuite:refund');
  if (refund === undefined) return null;
  return { detail: `Invoiced refund #${refund.id} of ${refund.amount} (payment #${refund.payment ?? '?'}) voided`, touched: [], act: () => void ctx.sandbox.invoiced.state.void('refunds', Number(refund.id)) };
}

/** The books' first bank account (account 1 is Undeposited Funds, which NetSuite refunds cannot be paid from). */
function bankAccount(ctx: Ctx): string {
  return ctx.world.books.netsuite.accounts.find((account) => account.kind === 'bank')?.id ?? '2';
}

/** A NetSuite customer refund of a payment's unapplied cash (a payment on account made now when none has any) or of an open credit memo's rest. */
function netsuiteRefund(ctx: Ctx, ofMemo: boolean): Change {
  const ns = ctx.sandbox.netsuite.state;
  const refunded = refundedByDocument(ctx.now.refunds);
  const insertRefund = (customer: string, currencyId: string, doc: string, amount: number) => {
    const refund = ns.insert('customerRefund', { customer: { id: customer }, currency: { id: currencyId }, account: { id: bankAccount(ctx) }, tranId: `RF-N${ctx.mutation.index}`, apply: { items: [{ doc: { id: doc }, apply: true, amount }] } });
    return String(refund.id);
  };
  if (ofMemo) {
    const memos = [...ctx.now.netsuite.creditMemos.values()].filter((memo) => memo.status === 'A' && !(memo.externalId ?? '').startsWith('invd-cn-') && memo.remaining > 0);
    const memo = choose(ctx, memos, 'netsuite_to_invoiced:creditNote');
    if (memo === undefined) return null;
    const currency = netsuiteCurrency(ctx, memo.currencyId);
    const scale = scaleOf(currency);
    const amount = part(ctx, minor(memo.remaining, currency), 0.5);
    return {
      detail: `NetSuite customer refund RF-N${ctx.mutation.index} of ${amount / scale} of credit memo ${memo.id} (${memo.tranId}), which had ${memo.remaining} left`,
      touched: [['netsuite', 'creditMemos', memo.id]],
      act: () => void insertRefund(memo.customer, memo.currencyId, memo.id, amount / scale),
    };
  }
  const payments = [...ctx.now.netsuite.payments.values()].flatMap((payment) => {
    if (payment.voided || (payment.externalId ?? '').startsWith('invd-pay-')) return [];
    const currency = netsuiteCurrency(ctx, payment.currencyId);
    const applied = payment.applications.reduce((sum, application) => sum + minor(application.amount, currency), 0) - payment.credits.reduce((sum, credit) => sum + minor(credit.amount, currency), 0);
    const left = minor(payment.amount, currency) - applied - minor(refunded.get(payment.id) ?? 0, currency);
    return left > 0 ? [{ ...payment, currency, left }] : [];
  });
  const payment = payments.length > 0 && ctx.random.chance(0.7) ? choose(ctx, payments, 'netsuite_to_invoiced:payment') : undefined;
  if (payment !== undefined) {
    const scale = scaleOf(payment.currency);
    const amount = part(ctx, payment.left, 0.4);
    return {
      detail: `NetSuite customer refund RF-N${ctx.mutation.index} of ${amount / scale} of payment ${payment.id} (${payment.tranId})'s ${payment.left / scale} unapplied`,
      touched: [['netsuite', 'payments', payment.id]],
      act: () => void insertRefund(payment.customer, payment.currencyId, payment.id, amount / scale),
    };
  }
  const customers = ns.list('customer').filter((customer) => customer.isInactive !== true);
  if (customers.length === 0) return null;
  const customer = ctx.random.pick(customers);
  const currencyId = refId(customer.currency);
  const scale = scaleOf(netsuiteCurrency(ctx, currencyId));
  const total = units(ctx.random) * scale;
  const amount = part(ctx, total, 0.4);
  return {
    detail: `NetSuite payment on account of ${total / scale} for customer ${String(customer.id)}, and customer refund RF-N${ctx.mutation.index} of ${amount / scale} of it`,
    touched: [],
    act: () => {
      const payment = String(ns.insert('customerPayment', { customer: { id: String(customer.id) }, currency: { id: currencyId }, payment: total / scale }).id);
      createdBy(ctx).push(['netsuite', 'payments', payment]);
      insertRefund(String(customer.id), currencyId, payment, amount / scale);
    },
  };
}

function netsuiteRefundVoid(ctx: Ctx): Change {
  const refunds = [...ctx.now.refunds.netsuite.values()].filter((refund) => !refund.voided && !(refund.externalId ?? '').startsWith('invd-ref-'));
  const refund = ctx.mutation.target === undefined ? (refunds.length === 0 ? undefined : ctx.random.pick(refunds)) : refunds.find((candidate) => candidate.id === ctx.mutation.target);
  if (refund === undefined) return null;
  const touched = refund.applications.map((application): Touched => (ctx.now.netsuite.creditMemos.has(application.doc) ? ['netsuite', 'creditMemos', application.doc] : ['netsuite', 'payments', application.doc]));
  return { detail: `NetSuite customer refund ${refund.id} (${refund.tranId}) of ${refund.total} voided`, touched, act: () => void ctx.sandbox.netsuite.state.update('customerRefund', refund.id, { voided: true }) };
}

/**
 * A credit memo the sync wrote from an Invoiced credit note (`invd-cn-<id>`, linked) applied by a person in
 * NetSuite to an open NetSuite invoice of its customer: the sync applies the credit note on Invoiced too.
 */
function netsuiteCopyApplied(ctx: Ctx): Change {
  const memos = [...ctx.now.netsuite.creditMemos.values()].filter((memo) => {
    const note = ctx.now.invoiced.creditNotes.get((memo.externalId ?? '').slice('invd-cn-'.length));
    return (memo.externalId ?? '').startsWith('invd-cn-') && memo.status === 'A' && memo.remaining > 0 && note !== undefined && note.netsuiteId === undefined && !note.voided;
  });
  const memo = choose(ctx, memos, 'invoiced_to_netsuite:creditNote');
  if (memo === undefined) return null;
  const invoices = openNetSuiteInvoices(ctx).filter((invoice) => invoice.customer === memo.customer && invoice.currencyId === memo.currencyId);
  if (invoices.length === 0) return null;
  const invoice = ctx.random.pick(invoices);
  const currency = netsuiteCurrency(ctx, memo.currencyId);
  const scale = scaleOf(currency);
  const amount = part(ctx, Math.min(minor(memo.remaining, currency), minor(invoice.remaining, currency)), 0.4);
  return {
    detail: `NetSuite credit memo ${memo.id} (${memo.externalId}, written from Invoiced) applied by a person to invoice ${invoice.id} (${invoice.tranId}): ${amount / scale}`,
    touched: [['netsuite', 'creditMemos', memo.id], ['netsuite', 'invoices', invoice.id]],
    act: () => void ctx.sandbox.netsuite.state.update('creditMemo', memo.id, { apply: { items: [{ doc: { id: invoice.id }, apply: true, amount: amount / scale }] } }),
  };
}

/** The change of a refund mutation (or of a credit memo of the sync applied in NetSuite), or `null` for another kind. */
export function refundChange(ctx: Ctx): Change {
  switch (ctx.mutation.kind) {
    case 'ivd_refund':
      return invoicedRefund(ctx);
    case 'ivd_refund_void':
      return invoicedRefundVoid(ctx);
    case 'ns_refund_payment':
      return netsuiteRefund(ctx, false);
    case 'ns_refund_memo':
      return netsuiteRefund(ctx, true);
    case 'ns_refund_void':
      return netsuiteRefundVoid(ctx);
    case 'ns_copy_memo_apply':
      return netsuiteCopyApplied(ctx);
    default:
      return null;
  }
}
