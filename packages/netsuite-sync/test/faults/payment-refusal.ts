/**
 * When the books explain an Invoiced payment NetSuite refuses to apply (`PAYMENT_REFUSED_CODE`): an invoice
 * it pays was paid in NetSuite meanwhile, so NetSuite has less due on it than the payment applies.
 */
import { PAYMENT_REFUSED_CODE, type CheckInput } from './check-support';
import { minor } from './state';

/** The NetSuite invoice of Invoiced invoice `invoice`: its copy written by the sync, or the one it was imported from. */
export function netsuiteInvoiceOf(input: CheckInput, invoice: string): string | undefined {
  const copy = input.nsInvoicesByExternalId.get(`invd-inv-${invoice}`)?.[0];
  if (copy !== undefined) return copy.id;
  return input.now.invoiced.invoices.get(invoice)?.netsuiteId !== undefined ? input.invoiceLinks.byInvoiced.get(invoice)?.netsuiteId : undefined;
}

/**
 * Why NetSuite may not refuse to apply Invoiced payment `id`, or `undefined` when the books say it may: one of
 * the NetSuite invoices it pays (not voided) has less amount due than the payment applies to it. NetSuite's
 * amount due for the payment leaves out what the payment's own NetSuite copy already applies there. This
 * holds after any completed run, not only once the runs converged: flow 4 tries a refused payment again
 * after every other payment of the phase (the NetSuite copies of payments voided on Invoiced deleted), so
 * a refusal the run reports is one the books explain at its end.
 */
export function unexplainedPaymentRefusal(input: CheckInput, id: string): string | undefined {
  const ivd = input.now.invoiced.payments.get(id);
  if (ivd === undefined) return `Invoiced payment #${id} does not exist`;
  const copy = input.nsPaymentsByExternalId.get(`invd-pay-${id}`)?.[0];
  const dues: string[] = [];
  for (const application of ivd.applications) {
    const netsuiteId = netsuiteInvoiceOf(input, application.invoice);
    const ns = netsuiteId === undefined ? undefined : input.now.netsuite.invoices.get(netsuiteId);
    if (ns === undefined || ns.status === 'V') continue;
    const own = copy === undefined || copy.voided ? 0 : (copy.applications.find((applied) => applied.invoice === ns.id)?.amount ?? 0);
    const due = minor(ns.remaining, ivd.currency) + minor(own, ivd.currency);
    if (due < minor(application.amount, ivd.currency)) return undefined;
    dues.push(`${ns.id} (${ns.tranId}) ${ns.remaining} unpaid${own === 0 ? '' : ` and ${own} from its copy`} for ${application.amount}`);
  }
  return `no NetSuite invoice it pays has less due than it applies (${dues.length === 0 ? 'none in NetSuite' : dues.join('; ')})`;
}

/**
 * Invoiced payments NetSuite refused to apply for a reason the books explain, pending with that record error:
 * their NetSuite copies may be missing or out of date, so the balances of what they pay may differ.
 */
export function refusedPayments(input: CheckInput): Set<string> {
  const refused = new Set<string>();
  for (const item of input.pending.values()) {
    if (item.direction !== 'invoiced_to_netsuite' || item.entity !== 'payment' || item.lastError.code !== PAYMENT_REFUSED_CODE) continue;
    if (unexplainedPaymentRefusal(input, item.sourceId) === undefined) refused.add(item.sourceId);
  }
  return refused;
}

/**
 * Whether a refused payment explains the balance of an invoice: it pays Invoiced invoice `invoiced` on
 * Invoiced, or its NetSuite copy pays NetSuite invoice `netsuite`.
 */
export function refusalExplains(input: CheckInput, refused: ReadonlySet<string>, invoiced: string, netsuite: string): boolean {
  for (const id of refused) {
    if (input.now.invoiced.payments.get(id)?.applications.some((application) => application.invoice === invoiced) === true) return true;
    const copy = input.nsPaymentsByExternalId.get(`invd-pay-${id}`)?.[0];
    if (copy !== undefined && !copy.voided && copy.applications.some((application) => application.invoice === netsuite)) return true;
  }
  return false;
}
