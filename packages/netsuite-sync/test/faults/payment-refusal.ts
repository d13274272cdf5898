/**
 * When the books explain an Invoiced payment NetSuite refuses to apply (`PAYMENT_REFUSED_CODE`): an invoice
 * it pays was paid in NetSuite meanwhile, so NetSuite has less due on it than the payment applies, or a
 * credit memo it applies was applied there, so less of it remains than the payment applies. And when they
 * explain a credit memo's NetSuite applications Invoiced refuses (`CREDIT_APPLICATION_REFUSED`).
 */
import { PAYMENT_REFUSED_CODE, type CheckInput } from './check-support';
import { minor } from './state';

/** An amount in `currency`'s minor units, in major units again (for messages). */
function major(units: number, currency: string): number {
  return units / minor(1, currency);
}

/** The NetSuite invoice of Invoiced invoice `invoice`: its copy written by the sync, or the one it was imported from. */
export function netsuiteInvoiceOf(input: CheckInput, invoice: string): string | undefined {
  const copy = input.nsInvoicesByExternalId.get(`invd-inv-${invoice}`)?.[0];
  if (copy !== undefined) return copy.id;
  return input.now.invoiced.invoices.get(invoice)?.netsuiteId !== undefined ? input.invoiceLinks.byInvoiced.get(invoice)?.netsuiteId : undefined;
}

/** The NetSuite credit memo of Invoiced credit note `creditNote`: the one it is linked to, or its copy written by the sync. */
export function creditMemoOf(input: CheckInput, creditNote: string): string | undefined {
  return input.creditNoteLinks.byInvoiced.get(creditNote)?.netsuiteId ?? input.nsCreditMemosByExternalId.get(`invd-cn-${creditNote}`)?.[0]?.id;
}

/**
 * Why Invoiced may not refuse the payment of 0 (`NS-CM-<id>`) that applies NetSuite credit memo `id`'s
 * applications, or `undefined` when the books say it may: its credit note is voided, or has less balance
 * (with what that payment applies of it already) than the credit memo applies to invoices on Invoiced.
 */
export function unexplainedApplicationRefusal(input: CheckInput, id: string): string | undefined {
  const memo = input.now.netsuite.creditMemos.get(id);
  if (memo === undefined) return `NetSuite credit memo ${id} does not exist`;
  const link = input.creditNoteLinks.byNetSuite.get(id);
  const note = link === undefined ? input.ivdCreditNotesByNetSuiteId.get(id)?.[0] : input.now.invoiced.creditNotes.get(link.invoicedId);
  if (note === undefined) return `credit memo ${id} (${memo.tranId}) has no credit note on Invoiced`;
  if (note.voided) return undefined;
  const currency = note.currency;
  const wanted = memo.applications.filter((application) => input.invoiceLinks.byNetSuite.has(application.invoice)).reduce((sum, application) => sum + minor(application.amount, currency), 0);
  const own = (input.ivdPaymentsByReference.get(`NS-CM-${id}`) ?? []).filter((payment) => !payment.voided).flatMap((payment) => payment.credits.filter((credit) => credit.credit === note.id)).reduce((sum, credit) => sum + minor(credit.amount, currency), 0);
  if (minor(note.balance, currency) + own < wanted) return undefined;
  return `Invoiced credit note #${note.id} (${note.number}) has ${note.balance} left${own === 0 ? '' : ` and ${major(own, currency)} applied by NS-CM-${id}`}, enough for the ${major(wanted, currency)} credit memo ${id} (${memo.tranId}) applies to invoices on Invoiced`;
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
  // What it applies to each invoice, cash and credit notes together (NetSuite's apply line carries both).
  const perInvoice = new Map<string, number>();
  for (const application of [...ivd.applications, ...ivd.credits]) {
    if (application.invoice !== undefined) perInvoice.set(application.invoice, (perInvoice.get(application.invoice) ?? 0) + minor(application.amount, ivd.currency));
  }
  for (const [invoice, amount] of perInvoice) {
    const netsuiteId = netsuiteInvoiceOf(input, invoice);
    const ns = netsuiteId === undefined ? undefined : input.now.netsuite.invoices.get(netsuiteId);
    if (ns === undefined || ns.status === 'V') continue;
    const own = copy === undefined || copy.voided ? 0 : (copy.applications.find((applied) => applied.invoice === ns.id)?.amount ?? 0);
    const due = minor(ns.remaining, ivd.currency) + minor(own, ivd.currency);
    if (due < amount) return undefined;
    dues.push(`${ns.id} (${ns.tranId}) ${ns.remaining} unpaid${own === 0 ? '' : ` and ${own} from its copy`} for ${major(amount, ivd.currency)}`);
  }
  // The credit memos of the credit notes it applies: NetSuite's amount remaining for the payment leaves out what its own copy applies of them.
  const applied = new Map<string, number>();
  for (const credit of ivd.credits) {
    const memo = creditMemoOf(input, credit.credit);
    if (memo !== undefined) applied.set(memo, (applied.get(memo) ?? 0) + minor(credit.amount, ivd.currency));
  }
  for (const [memoId, amount] of applied) {
    const memo = input.now.netsuite.creditMemos.get(memoId);
    if (memo === undefined || memo.status === 'V') continue;
    const own = copy === undefined || copy.voided ? 0 : copy.credits.filter((credit) => credit.credit === memoId).reduce((sum, credit) => sum + minor(credit.amount, ivd.currency), 0);
    if (minor(memo.remaining, ivd.currency) + own < amount) return undefined;
    dues.push(`credit memo ${memoId} (${memo.tranId}) ${memo.remaining} remaining${own === 0 ? '' : ` and ${major(own, ivd.currency)} from its copy`} for ${major(amount, ivd.currency)}`);
  }
  return `no NetSuite invoice it pays has less due than it applies, nor credit memo less remaining (${dues.length === 0 ? 'none in NetSuite' : dues.join('; ')})`;
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
    const payment = input.now.invoiced.payments.get(id);
    if (payment !== undefined && [...payment.applications, ...payment.credits].some((application) => application.invoice === invoiced)) return true;
    const copy = input.nsPaymentsByExternalId.get(`invd-pay-${id}`)?.[0];
    if (copy !== undefined && !copy.voided && copy.applications.some((application) => application.invoice === netsuite)) return true;
  }
  return false;
}
