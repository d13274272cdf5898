/**
 * The invariants of refunds (docs/sync-engine.md, "Invoiced refunds" and "refunds from NetSuite"):
 *
 * - each succeeded Invoiced refund of a payment the sync wrote to NetSuite is exactly one NetSuite customer
 *   refund `invd-ref-<id>` refunding that payment's copy (`invd-pay-<payment id>`) for the refund's amount,
 *   or it is reported: `REFUND_REFUSED_BY_NETSUITE` when the copy has less unapplied than the refund (a
 *   refund of a payment applied in full: a person must act), `REFUND_PAYMENT_NOT_SYNCED` while its payment
 *   is not in NetSuite, a customer's name clash;
 * - a voided Invoiced refund has no customer refund in NetSuite once the runs converged (or a record error
 *   says why), and no `invd-ref-` customer refund exists without its Invoiced refund;
 * - nothing is refunded beyond what it may be: a NetSuite payment beyond its unapplied cash, an Invoiced
 *   charge beyond its payment's amount.
 *
 * (NetSuite refunds followed on Invoiced are checked with the payments, flows.ts, through the expected
 * amount, and with the credit notes' balances, balances.ts.)
 */
import { NAME_CODES, REFUND_REFUSED_CODE, VOID_CODES, type CheckInput } from './check-support';
import { minor, type NetSuitePaymentState } from './state';
import { refundedByDocument } from './state-refunds';

/** What a NetSuite payment has not applied to invoices (its cash less the cash it applied; its credits pay the rest). */
function unappliedCash(payment: NetSuitePaymentState, currency: string): number {
  const applied = payment.applications.reduce((sum, application) => sum + minor(application.amount, currency), 0);
  const credits = payment.credits.reduce((sum, credit) => sum + minor(credit.amount, currency), 0);
  return minor(payment.amount, currency) - (applied - credits);
}

/** Invoiced refunds in NetSuite; see the module comment. */
export function checkInvoicedRefunds(input: CheckInput): void {
  const { now, pending, fail, justify, collides, nsPaymentsByExternalId, nsCurrency } = input;
  const refundsByExternalId = new Map<string, string[]>();
  for (const refund of now.refunds.netsuite.values()) {
    if (refund.externalId !== undefined) refundsByExternalId.set(refund.externalId, [...(refundsByExternalId.get(refund.externalId) ?? []), refund.id]);
  }
  const refunded = refundedByDocument(now.refunds);
  for (const refund of now.refunds.invoiced.values()) {
    const what = `Invoiced refund #${refund.id} of ${refund.amount} (charge ${refund.charge}, payment #${refund.payment ?? '?'})`;
    const key = `invoiced_to_netsuite:refund:${refund.id}`;
    const copies = (refundsByExternalId.get(`invd-ref-${refund.id}`) ?? []).map((id) => now.refunds.netsuite.get(id)).filter((copy) => copy !== undefined && !copy.voided);
    if (copies.length > 1) fail(`${what} is in NetSuite ${copies.length} times (customer refunds ${copies.map((copy) => copy?.id).join(', ')})`);
    const copy = copies[0];
    const waiting = pending.get(key);
    if (refund.status !== 'succeeded') {
      if (copy !== undefined && (waiting === undefined || !VOID_CODES.has(waiting.lastError.code))) fail(`${what} is ${refund.status} on Invoiced, but NetSuite customer refund ${copy.id} (invd-ref-${refund.id}) is still there and no record error says why`);
      continue;
    }
    const payment = refund.payment === undefined ? undefined : now.invoiced.payments.get(refund.payment);
    if (payment === undefined || /^NS-(PAY|CM)-/.test(payment.reference ?? '')) {
      if (copy !== undefined) fail(`${what} is NetSuite customer refund ${copy.id}, but its payment is no payment the sync writes`);
      continue;
    }
    const nsPayment = nsPaymentsByExternalId.get(`invd-pay-${payment.id}`)?.find((candidate) => !candidate.voided);
    if (payment.voided) {
      // Its payment voided: the copy goes with it, or stays where NetSuite refused, which a record error says.
      continue;
    }
    if (copy === undefined) {
      const customer = now.invoiced.customers.get(payment.customer);
      justify(key, what, new Set([REFUND_REFUSED_CODE, 'REFUND_PAYMENT_NOT_SYNCED', 'CUSTOMER_NOT_SYNCED', ...NAME_CODES]), () => {
        const code = pending.get(key)?.lastError.code;
        const paymentWaits = pending.has(`invoiced_to_netsuite:payment:${payment.id}`);
        if (code === REFUND_REFUSED_CODE) {
          if (nsPayment === undefined) return `NetSuite has no payment invd-pay-${payment.id} to refuse a refund of`;
          const currency = nsCurrency(nsPayment.currencyId);
          const left = unappliedCash(nsPayment, currency) - minor(refunded.get(nsPayment.id) ?? 0, currency);
          return left < minor(refund.amount, currency) || paymentWaits ? undefined : `its payment's copy ${nsPayment.id} has ${left / (currency === 'jpy' ? 1 : 100)} unapplied, enough for it (an engine or simulator fault: NetSuite refused what it allows)`;
        }
        if (code === 'REFUND_PAYMENT_NOT_SYNCED') return nsPayment === undefined || paymentWaits ? undefined : `its payment is NetSuite payment ${nsPayment.id} and waits on nothing`;
        return paymentWaits || collides(customer?.name) ? undefined : `its customer #${payment.customer} "${customer?.name}" shares its name with no other customer and its payment waits on nothing`;
      });
      continue;
    }
    const currency = payment.currency;
    const applies = copy.applications.map((application) => `${application.doc}:${minor(application.amount, currency)}`).join(',');
    if (nsPayment === undefined || applies !== `${nsPayment.id}:${minor(refund.amount, currency)}` || minor(copy.total, currency) !== minor(refund.amount, currency)) {
      fail(`${what} must refund ${refund.amount} of NetSuite payment ${nsPayment?.id ?? `invd-pay-${payment.id} (missing)`}, but NetSuite customer refund ${copy.id} (invd-ref-${refund.id}) of ${copy.total} refunds ${JSON.stringify(copy.applications)}`);
    }
  }
  // No customer refund of the sync without its Invoiced refund.
  for (const copy of now.refunds.netsuite.values()) {
    if (copy.voided || !(copy.externalId ?? '').startsWith('invd-ref-')) continue;
    const source = now.refunds.invoiced.get((copy.externalId ?? '').slice('invd-ref-'.length));
    if (source === undefined) fail(`NetSuite customer refund ${copy.id} (${copy.externalId}) was written though Invoiced has no such refund: a stray`);
  }
}

/** Nothing refunded beyond what it may be, on either side. */
export function checkNoOverRefund(input: CheckInput): void {
  const { now, fail, nsCurrency } = input;
  const refunded = refundedByDocument(now.refunds);
  for (const payment of now.netsuite.payments.values()) {
    if (payment.voided) continue;
    const currency = nsCurrency(payment.currencyId);
    const taken = minor(refunded.get(payment.id) ?? 0, currency);
    if (taken > 0 && taken > unappliedCash(payment, currency)) fail(`NetSuite payment ${payment.id} (${payment.externalId ?? payment.tranId}) is over-refunded: ${payment.amount}, applied ${JSON.stringify(payment.applications)}, refunded ${refunded.get(payment.id)}`);
  }
  const byPayment = new Map<string, number>();
  for (const refund of now.refunds.invoiced.values()) {
    if (refund.status === 'voided' || refund.payment === undefined) continue;
    byPayment.set(refund.payment, (byPayment.get(refund.payment) ?? 0) + minor(refund.amount, refund.currency));
  }
  for (const [id, taken] of byPayment) {
    const payment = now.invoiced.payments.get(id);
    if (payment !== undefined && taken > minor(payment.amount, payment.currency)) fail(`Invoiced payment #${id} of ${payment.amount} is over-refunded: its refunds take ${taken / (payment.currency === 'jpy' ? 1 : 100)}`);
  }
}
