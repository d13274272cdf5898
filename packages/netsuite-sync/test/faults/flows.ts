/**
 * The state checks of the four flows: every record the sync must write is on the other side once, with the
 * right customer, amounts, lines and applications, or is missing for a reason the books explain and
 * reported so; records a person closed, voided or deleted are followed; balances agree on both sides.
 */
import { APPLIED_CREDIT_CODE, LINKED_WAIT_CODES, NAME_CODES, PAYMENT_REFUSED_CODE, REFUSED_CODE, VOID_CODES, WAIT_CODES, applicationKey, sameLines, type CheckInput } from './check-support';
import { unexplainedPaymentRefusal } from './payment-refusal';
import { minor, type Application, type CreditApplication } from './state';

/** Link fingerprints of records whose counterpart is gone (the engine's `GONE`): such a link may point at a deleted record. */
export const GONE_FINGERPRINTS: ReadonlySet<string> = new Set(['voided', 'deleted_in_netsuite']);

/** Flow 1 (NetSuite invoices on Invoiced). Returns the NetSuite IDs of the invoices that have a copy. */
export function checkNetSuiteInvoices(input: CheckInput): Set<string> {
  const { now, expected, fail, justify, collides, ivdInvoicesByNetSuiteId, invoiceLinks, customerLinks, pending, nsCurrency } = input;
  const synced = new Set<string>();
  for (const id of expected.importable) {
    const ns = now.netsuite.invoices.get(id);
    const what = `NetSuite invoice ${id} (${ns?.tranId ?? 'deleted'})`;
    const copies = ivdInvoicesByNetSuiteId.get(id) ?? [];
    const copy = copies[0];
    if (copy === undefined) {
      if (!expected.netsuiteInvoices.has(id)) continue; // closed before a run imported it: never written
      const customer = now.netsuite.customers.get(ns?.customer ?? '');
      justify(`netsuite_to_invoiced:invoice:${id}`, what, NAME_CODES, () => (collides(customer?.name) ? undefined : `its customer ${ns?.customer} "${customer?.name}" shares its name with no other customer`));
      continue;
    }
    synced.add(id);
    const link = invoiceLinks.byNetSuite.get(id);
    if (link?.invoicedId !== copy.id) fail(`${what} is Invoiced invoice #${copy.id} but its link says ${link === undefined ? 'nothing' : `#${link.invoicedId}`}`);
    if (ns === undefined || ns.status === 'V') {
      // Deleted or voided in NetSuite: its copy is voided, unless Invoiced refused and a record error says what to do.
      const refused = pending.get(`netsuite_to_invoiced:invoice:${id}`);
      if (!copy.voided && (refused === undefined || !VOID_CODES.has(refused.lastError.code))) fail(`${what} was ${ns === undefined ? 'deleted' : 'voided'} in NetSuite, but Invoiced invoice #${copy.id} is not voided and no record error says why`);
      continue;
    }
    const currency = copy.currency;
    if (currency !== nsCurrency(ns.currencyId)) fail(`${what} is in ${nsCurrency(ns.currencyId)} but Invoiced invoice #${copy.id} is in ${currency}`);
    if (copy.voided || copy.draft) fail(`${what} is Invoiced invoice #${copy.id}, which is ${copy.voided ? 'voided' : 'a draft'}`);
    if (minor(copy.total, currency) !== minor(ns.total, currency) || !sameLines(copy.lines, ns.lines, currency)) {
      fail(`${what}${ns.status === 'A' ? '' : ' (closed in NetSuite)'}: total ${ns.total}, lines ${ns.lines.join('/')} in NetSuite; total ${copy.total}, lines ${copy.lines.join('/')} on Invoiced #${copy.id}`);
    }
    const customerLink = customerLinks.byNetSuite.get(ns.customer);
    if (customerLink?.invoicedId !== copy.customer) fail(`${what} belongs to NetSuite customer ${ns.customer} (linked to ${customerLink === undefined ? 'nothing' : `#${customerLink.invoicedId}`}) but Invoiced invoice #${copy.id} to #${copy.customer}`);
  }
  return synced;
}

/** Flow 2 (NetSuite payments on Invoiced); `synced1` from {@link checkNetSuiteInvoices}. */
export function checkNetSuitePayments(input: CheckInput, synced1: ReadonlySet<string>): void {
  const { now, expected, fail, justify, strict, ivdPaymentsByReference, ivdInvoicesByNetSuiteId, paymentLinks, customerLinks, justified } = input;
  for (const [id, expectation] of expected.netsuitePayments) {
    const ns = now.netsuite.payments.get(id);
    if (ns === undefined) continue;
    const what = `NetSuite payment ${id} (${ns.tranId})`;
    const copies = ivdPaymentsByReference.get(`NS-PAY-${id}`) ?? [];
    const customerLink = customerLinks.byNetSuite.get(ns.customer);
    const copy = copies[0];
    if (copy === undefined) {
      justify(`netsuite_to_invoiced:payment:${id}`, what, WAIT_CODES, () => {
        if (!strict || customerLink === undefined) return undefined;
        // It may wait only on an invoice that is itself missing for a reason a person must deal with.
        const invoices = expectation.applications.map((application) => application.invoice);
        if (invoices.some((invoice) => !synced1.has(invoice) && justified.has(`netsuite_to_invoiced:invoice:${invoice}`))) return undefined;
        // Or on a credit memo it applies that is itself missing for such a reason.
        if (expectation.credits.some((credit) => justified.has(`netsuite_to_invoiced:creditNote:${credit.credit}`))) return undefined;
        // Or on a credit memo with the sync's external ID (`invd-cn-`, the generator's books have such memos)
        // that no credit note is linked to: the engine never imports one, so the payment waits until a person
        // links or unapplies it. (Its record error's resolution, "edit the credit memo so the next run imports
        // it", cannot help there: a gap of the engine's wording, reported with the refunds change.)
        if (expectation.credits.some((credit) => (now.netsuite.creditMemos.get(credit.credit)?.externalId ?? '').startsWith('invd-cn-') && input.creditNoteLinks.byNetSuite.get(credit.credit)?.origin !== 'invoiced')) return undefined;
        const unlinked = invoices.filter((invoice) => synced1.has(invoice));
        return `its customer ${ns.customer} is on Invoiced and every invoice it pays (${invoices.join(', ')}) is on Invoiced or waits on nothing a person must fix${unlinked.length > 0 ? ` (on Invoiced: ${unlinked.join(', ')})` : ''}`;
      });
      continue;
    }
    const currency = copy.currency;
    const link = paymentLinks.byNetSuite.get(id);
    if (link?.invoicedId !== copy.id) fail(`${what} is Invoiced payment #${copy.id} but its link says ${link === undefined ? 'nothing' : `#${link.invoicedId}`}`);
    if (copy.voided) fail(`${what} is Invoiced payment #${copy.id}, which is voided`);
    // Written before, and a credit it applies now is not on Invoiced yet: its copy may be out of date, with that record error.
    const key = `netsuite_to_invoiced:payment:${id}`;
    if (LINKED_WAIT_CODES.has(input.pending.get(key)?.lastError.code ?? '') && justify(key, what, LINKED_WAIT_CODES, () => undefined)) continue;
    if (minor(copy.amount, currency) !== minor(expectation.amount, currency)) fail(`${what} must be ${expectation.amount} on Invoiced (${expectation.refunded > 0 ? `${expectation.refunded} refunded by NetSuite customer refunds and ` : ''}what it applied outside the sync left out), but #${copy.id} is ${copy.amount}`);
    if (customerLink?.invoicedId !== copy.customer) fail(`${what} belongs to NetSuite customer ${ns.customer} (linked to ${customerLink === undefined ? 'nothing' : `#${customerLink.invoicedId}`}) but Invoiced payment #${copy.id} to #${copy.customer}`);
    // Each invoice gets on Invoiced what it got in NetSuite, cash and credits together (however the credits are split).
    const wanted = expectation.applications.map((application) => ({ invoice: ivdInvoicesByNetSuiteId.get(application.invoice)?.[0]?.id ?? `(NetSuite ${application.invoice}, not on Invoiced)`, amount: application.amount }));
    const got = perInvoice(copy);
    if (applicationKey(wanted, currency) !== applicationKey(got, currency) || copy.applicationCount !== copy.applications.length + copy.credits.length) {
      fail(`${what} must apply ${JSON.stringify(wanted)} on Invoiced (cash and credits), but #${copy.id} applies ${JSON.stringify(copy.applications)} and credits ${JSON.stringify(copy.credits)} (${copy.applicationCount} applications)`);
    }
    const memos = new Set(expectation.credits.map((credit) => credit.credit));
    const credited = copy.credits.reduce((sum, credit) => sum + credit.amount, 0);
    const strangers = copy.credits.filter((credit) => !memos.has(input.creditNoteLinks.byInvoiced.get(credit.credit)?.netsuiteId ?? ''));
    if (minor(credited, currency) !== minor(expectation.creditsInSync, currency) || strangers.length > 0) {
      fail(`${what} applies credit memos ${JSON.stringify(expectation.credits)} (${expectation.creditsInSync} of them to invoices on Invoiced), but #${copy.id} applies credit notes ${JSON.stringify(copy.credits)}${strangers.length > 0 ? ', some not linked to those credit memos' : ''}`);
    }
  }
}

/** What a payment applies to each invoice, its invoice entries and its credit entries together. */
export function perInvoice(payment: { applications: readonly Application[]; credits: readonly CreditApplication[] }): Application[] {
  const sums = new Map<string, number>();
  for (const entry of [...payment.applications, ...payment.credits.map((credit) => ({ invoice: credit.invoice ?? '(no invoice)', amount: credit.amount }))]) {
    sums.set(entry.invoice, (sums.get(entry.invoice) ?? 0) + entry.amount);
  }
  return [...sums].map(([invoice, amount]) => ({ invoice, amount }));
}

/**
 * Why NetSuite may refuse to write Invoiced invoice `id` (`REFUSED_CODE`), or `undefined` when the books say
 * it may: its NetSuite copy has a payment applied. Before the runs converged the payment may also be one
 * the same run deletes later (voided on Invoiced: flow 4 follows it after flow 3), so only a refusal that
 * outlasts the runs must have a payment still applied.
 */
function unexplainedRefusal(input: CheckInput, id: string): string | undefined {
  const copy = input.nsInvoicesByExternalId.get(`invd-inv-${id}`)?.[0];
  if (copy === undefined) return `NetSuite has no invoice invd-inv-${id} to refuse a change of`;
  if (!input.strict) return undefined;
  const paid = [...input.now.netsuite.payments.values()].some((payment) => !payment.voided && payment.applications.some((application) => application.invoice === copy.id));
  return paid ? undefined : `NetSuite invoice ${copy.id} (invd-inv-${id}) has no payment applied, which is what NetSuite refuses such changes for`;
}

/** Flow 3 (Invoiced invoices in NetSuite). Returns Invoiced ID -> NetSuite ID of those written. */
export function checkInvoicedInvoices(input: CheckInput): Map<string, string> {
  const { now, expected, fail, justify, collides, nsInvoicesByExternalId, invoiceLinks, customerLinks, pending } = input;
  const synced = new Map<string, string>();
  const codes = new Set([...NAME_CODES, REFUSED_CODE]);
  for (const id of expected.invoicedInvoices) {
    const ivd = now.invoiced.invoices.get(id);
    if (ivd === undefined) continue;
    const what = `Invoiced invoice #${id} (${ivd.number})`;
    const key = `invoiced_to_netsuite:invoice:${id}`;
    const link = invoiceLinks.byInvoiced.get(id);
    const customer = now.invoiced.customers.get(ivd.customer);
    if (link === undefined) {
      justify(key, what, codes, () => {
        if (pending.get(key)?.lastError.code === REFUSED_CODE) return unexplainedRefusal(input, id);
        return collides(customer?.name) ? undefined : `its customer #${ivd.customer} "${customer?.name}" shares its name with no other customer`;
      });
      continue;
    }
    const copy = nsInvoicesByExternalId.get(`invd-inv-${id}`)?.[0];
    if (copy === undefined || link.netsuiteId !== copy.id) {
      fail(`${what} is linked to NetSuite invoice ${link.netsuiteId}, but NetSuite's invd-inv-${id} is ${copy?.id ?? 'missing'}`);
      continue;
    }
    synced.set(id, copy.id);
    // Written before, and NetSuite refuses its latest change: its copy may differ, with that record error.
    if (pending.get(key)?.lastError.code === REFUSED_CODE && justify(key, what, codes, () => unexplainedRefusal(input, id))) continue;
    if (minor(copy.total, ivd.currency) !== minor(ivd.total, ivd.currency) || !sameLines(copy.lines, ivd.lines, ivd.currency)) {
      fail(`${what}: total ${ivd.total}, lines ${ivd.lines.join('/')} on Invoiced; NetSuite invoice ${copy.id} total ${copy.total}, lines ${copy.lines.join('/')}`);
    }
    const customerLink = customerLinks.byInvoiced.get(ivd.customer);
    if (customerLink?.netsuiteId !== copy.customer) fail(`${what} belongs to Invoiced customer #${ivd.customer} (linked to ${customerLink?.netsuiteId ?? 'nothing'}) but NetSuite invoice ${copy.id} to ${copy.customer}`);
  }
  // Voided on Invoiced by a person: the NetSuite copy is deleted, unless NetSuite refused and a record error says what to do.
  for (const key of expected.voidedOnInvoiced) {
    const [entity, id] = key.split(':') as ['invoice' | 'payment' | 'creditNote', string];
    if (entity === 'creditNote') continue; // flows-credits.ts
    const copy = (entity === 'invoice' ? nsInvoicesByExternalId : input.nsPaymentsByExternalId).get(`invd-${entity === 'invoice' ? 'inv' : 'pay'}-${id}`)?.[0];
    const refused = pending.get(`invoiced_to_netsuite:${entity}:${id}`);
    if (copy !== undefined && (refused === undefined || !VOID_CODES.has(refused.lastError.code))) fail(`Invoiced ${entity} #${id} was voided on Invoiced, but its NetSuite copy ${copy.id} is still there and no record error says why`);
  }
  return synced;
}

/** Flow 4 (Invoiced payments in NetSuite); `synced3` from {@link checkInvoicedInvoices}. */
export function checkInvoicedPayments(input: CheckInput, synced3: ReadonlyMap<string, string>): void {
  const { now, expected, fail, justify, strict, nsPaymentsByExternalId, paymentLinks, customerLinks, justified, invoiceLinks, pending } = input;
  const codes = new Set([...WAIT_CODES, PAYMENT_REFUSED_CODE, APPLIED_CREDIT_CODE]);
  // An Invoiced invoice's NetSuite counterpart: its copy, or the NetSuite invoice it was imported from.
  const counterpart = (invoice: string) => synced3.get(invoice) ?? (now.invoiced.invoices.get(invoice)?.netsuiteId !== undefined ? invoiceLinks.byInvoiced.get(invoice)?.netsuiteId : undefined);
  for (const id of expected.invoicedPayments) {
    const ivd = now.invoiced.payments.get(id);
    if (ivd === undefined) continue;
    const what = `Invoiced payment #${id} (${ivd.reference ?? 'no reference'})`;
    const key = `invoiced_to_netsuite:payment:${id}`;
    const link = paymentLinks.byInvoiced.get(id);
    const customerLink = customerLinks.byInvoiced.get(ivd.customer);
    if (link === undefined) {
      justify(key, what, codes, () => {
        if (pending.get(key)?.lastError.code === PAYMENT_REFUSED_CODE) return unexplainedPaymentRefusal(input, id);
        if (!strict || customerLink === undefined) return undefined;
        if (ivd.applications.some((application) => counterpart(application.invoice) === undefined && justified.has(`invoiced_to_netsuite:invoice:${application.invoice}`))) return undefined;
        if (ivd.credits.some((credit) => input.creditNoteLinks.byInvoiced.get(credit.credit) === undefined && justified.has(`invoiced_to_netsuite:creditNote:${credit.credit}`))) return undefined;
        return `its customer #${ivd.customer} is in NetSuite and every invoice it pays is in NetSuite or waits on nothing a person must fix`;
      });
      continue;
    }
    const copy = nsPaymentsByExternalId.get(`invd-pay-${id}`)?.[0];
    if (copy === undefined || link.netsuiteId !== copy.id) {
      fail(`${what} is linked to NetSuite payment ${link.netsuiteId}, but NetSuite's invd-pay-${id} is ${copy?.id ?? 'missing'}`);
      continue;
    }
    // Written before, and NetSuite refuses its latest change: its copy may differ, with that record error.
    if (pending.get(key)?.lastError.code === PAYMENT_REFUSED_CODE && justify(key, what, codes, () => unexplainedPaymentRefusal(input, id))) continue;
    // Written before, and a credit note it applies now is not in NetSuite yet: its copy may be out of date, with that record error.
    if (LINKED_WAIT_CODES.has(pending.get(key)?.lastError.code ?? '') && justify(key, what, LINKED_WAIT_CODES, () => undefined)) continue;
    if (copy.voided) fail(`${what} is NetSuite payment ${copy.id}, which is voided`);
    if (minor(copy.amount, ivd.currency) !== minor(ivd.amount, ivd.currency)) fail(`${what} is ${ivd.amount} on Invoiced but NetSuite payment ${copy.id} is ${copy.amount}`);
    if (customerLink?.netsuiteId !== copy.customer) fail(`${what} belongs to Invoiced customer #${ivd.customer} (linked to ${customerLink?.netsuiteId ?? 'nothing'}) but NetSuite payment ${copy.id} to ${copy.customer}`);
    // Each invoice's `apply` amount is its cash and credits together; each credit note is a `credit` line of its credit memo.
    const wanted = perInvoice(ivd).map((application) => ({ invoice: counterpart(application.invoice) ?? `(#${application.invoice}, not in NetSuite)`, amount: application.amount }));
    if (applicationKey(wanted, ivd.currency) !== applicationKey(copy.applications, ivd.currency)) {
      fail(`${what} must apply ${JSON.stringify(wanted)} in NetSuite (cash and credits), but payment ${copy.id} applies ${JSON.stringify(copy.applications)}`);
    }
    const credits = new Map<string, number>();
    for (const credit of ivd.credits) {
      const memo = input.creditNoteLinks.byInvoiced.get(credit.credit)?.netsuiteId ?? `(#${credit.credit}, not in NetSuite)`;
      credits.set(memo, (credits.get(memo) ?? 0) + credit.amount);
    }
    const wantedCredits = [...credits].map(([invoice, amount]) => ({ invoice, amount }));
    const gotCredits = copy.credits.map((credit) => ({ invoice: credit.credit, amount: credit.amount }));
    if (applicationKey(wantedCredits, ivd.currency) !== applicationKey(gotCredits, ivd.currency)) {
      fail(`${what} must apply credit memos ${JSON.stringify(wantedCredits)} in NetSuite, but payment ${copy.id} applies ${JSON.stringify(gotCredits)}`);
    }
  }
}
