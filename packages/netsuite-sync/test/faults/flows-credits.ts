/**
 * The state checks of credits, both ways: every NetSuite credit memo the sync must import is on Invoiced
 * once as a credit note (`metadata.netsuite_id`) with its lines, and where it applied itself to invoices on
 * Invoiced, one payment of 0 (`NS-CM-<id>`) applies the credit note to their copies; a voided one has its
 * credit note (and that payment) voided. Every Invoiced credit note made on Invoiced and issued is in
 * NetSuite once as `invd-cn-<id>`; one voided on Invoiced has its copy deleted. Or the record is missing
 * for a reason the books explain, and reported so. (Credits inside payments are checked with the payments,
 * flows.ts; balances in balances.ts.)
 */
import { CREDIT_NOTE_REFUSED_CODE, NAME_CODES, VOID_CODES, WAIT_CODES, applicationKey, sameLines, type CheckInput } from './check-support';
import { minor } from './state';

/** NetSuite credit memos on Invoiced. */
export function checkNetSuiteCreditMemos(input: CheckInput): void {
  const { now, expected, fail, justify, collides, pending, creditNoteLinks, customerLinks, paymentLinks, ivdCreditNotesByNetSuiteId, ivdPaymentsByReference, ivdInvoicesByNetSuiteId, nsCurrency } = input;
  for (const [id, expectation] of expected.netsuiteCreditMemos) {
    const ns = now.netsuite.creditMemos.get(id);
    if (ns === undefined) continue;
    const what = `NetSuite credit memo ${id} (${ns.tranId})`;
    const key = `netsuite_to_invoiced:creditNote:${id}`;
    const copy = ivdCreditNotesByNetSuiteId.get(id)?.[0];
    const appliers = (ivdPaymentsByReference.get(`NS-CM-${id}`) ?? []).filter((payment) => !payment.voided);
    if (copy === undefined) {
      if (appliers.length > 0) fail(`${what} is not on Invoiced, but Invoiced payment #${appliers[0]?.id} (NS-CM-${id}) applies it`);
      if (!expectation.required) continue;
      const customer = now.netsuite.customers.get(ns.customer);
      justify(key, what, NAME_CODES, () => (collides(customer?.name) ? undefined : `its customer ${ns.customer} "${customer?.name}" shares its name with no other customer`));
      continue;
    }
    const link = creditNoteLinks.byNetSuite.get(id);
    if (link?.invoicedId !== copy.id) fail(`${what} is Invoiced credit note #${copy.id} but its link says ${link === undefined ? 'nothing' : `#${link.invoicedId}`}`);
    if (ns.status === 'V') {
      // Voided in NetSuite: its credit note is voided, and the payment that applied it, unless Invoiced refused and a record error says what to do.
      const refused = pending.get(key);
      if ((!copy.voided || appliers.length > 0) && (refused === undefined || !VOID_CODES.has(refused.lastError.code))) {
        fail(`${what} was voided in NetSuite, but ${copy.voided ? '' : `Invoiced credit note #${copy.id} is not voided${appliers.length > 0 ? ' and ' : ''}`}${appliers.length > 0 ? `payment #${appliers[0]?.id} still applies it` : ''}, and no record error says why`);
      }
      continue;
    }
    const currency = copy.currency;
    if (currency !== nsCurrency(ns.currencyId)) fail(`${what} is in ${nsCurrency(ns.currencyId)} but Invoiced credit note #${copy.id} is in ${currency}`);
    if (copy.voided || copy.draft) fail(`${what} is Invoiced credit note #${copy.id}, which is ${copy.voided ? 'voided' : 'a draft'}`);
    if (minor(copy.total, currency) !== minor(ns.total, currency) || !sameLines(copy.lines, ns.lines, currency)) {
      fail(`${what}: total ${ns.total}, lines ${ns.lines.join('/')} in NetSuite; total ${copy.total}, lines ${copy.lines.join('/')} on Invoiced #${copy.id}`);
    }
    const customerLink = customerLinks.byNetSuite.get(ns.customer);
    if (customerLink?.invoicedId !== copy.customer) fail(`${what} belongs to NetSuite customer ${ns.customer} (linked to ${customerLink === undefined ? 'nothing' : `#${customerLink.invoicedId}`}) but Invoiced credit note #${copy.id} to #${copy.customer}`);
    // Its own applications: one payment of 0 applies the credit note to the copies of the invoices it applied itself to.
    if (appliers.length > 1) fail(`${what} is applied on Invoiced by ${appliers.length} payments (#${appliers.map((payment) => payment.id).join(', #')})`);
    const waiting = expectation.applications.some((application) => ivdInvoicesByNetSuiteId.get(application.invoice) === undefined);
    if (waiting || WAIT_CODES.has(pending.get(key)?.lastError.code ?? '')) {
      // An invoice it applies to is not on Invoiced yet: its applications wait, with that record error.
      justify(key, `${what}'s applications`, WAIT_CODES, () => (waiting || !input.strict ? undefined : 'every invoice it applies to is on Invoiced'));
      continue;
    }
    const wanted = expectation.applications.map((application) => ({ invoice: ivdInvoicesByNetSuiteId.get(application.invoice)?.[0]?.id ?? '', amount: application.amount }));
    const applier = appliers[0];
    const got = (applier?.credits ?? []).map((credit) => ({ invoice: credit.invoice ?? '(no invoice)', amount: credit.amount }));
    if (applicationKey(wanted, currency) !== applicationKey(got, currency) || (applier !== undefined && (applier.credits.some((credit) => credit.credit !== copy.id) || minor(applier.amount, currency) !== 0 || applier.applicationCount !== applier.credits.length))) {
      fail(`${what} applies ${JSON.stringify(expectation.applications)} itself, so on Invoiced credit note #${copy.id} must be applied to ${JSON.stringify(wanted)} by a payment of 0, but ${applier === undefined ? 'no payment applies it' : `payment #${applier.id} of ${applier.amount} applies ${JSON.stringify(applier.credits)} (${applier.applicationCount} entries)`}`);
    }
    if (applier !== undefined && paymentLinks.byNetSuite.get(id)?.invoicedId !== applier.id) fail(`${what} is applied on Invoiced by payment #${applier.id}, but the payment link of ${id} says ${paymentLinks.byNetSuite.get(id)?.invoicedId ?? 'nothing'}`);
  }
}

/** Invoiced credit notes in NetSuite. */
export function checkInvoicedCreditNotes(input: CheckInput): void {
  const { now, expected, fail, justify, collides, pending, creditNoteLinks, customerLinks, nsCreditMemosByExternalId } = input;
  const codes = new Set([...NAME_CODES, CREDIT_NOTE_REFUSED_CODE]);
  for (const id of expected.invoicedCreditNotes) {
    const ivd = now.invoiced.creditNotes.get(id);
    if (ivd === undefined) continue;
    const what = `Invoiced credit note #${id} (${ivd.number})`;
    const key = `invoiced_to_netsuite:creditNote:${id}`;
    const link = creditNoteLinks.byInvoiced.get(id);
    const customer = now.invoiced.customers.get(ivd.customer);
    const copy = nsCreditMemosByExternalId.get(`invd-cn-${id}`)?.[0];
    if (link === undefined) {
      justify(key, what, codes, () => (pending.get(key)?.lastError.code === CREDIT_NOTE_REFUSED_CODE ? (copy === undefined ? `NetSuite has no credit memo invd-cn-${id} to refuse a change of` : undefined) : collides(customer?.name) ? undefined : `its customer #${ivd.customer} "${customer?.name}" shares its name with no other customer`));
      continue;
    }
    if (copy === undefined || link.netsuiteId !== copy.id) {
      fail(`${what} is linked to NetSuite credit memo ${link.netsuiteId}, but NetSuite's invd-cn-${id} is ${copy?.id ?? 'missing'}`);
      continue;
    }
    if (pending.get(key)?.lastError.code === CREDIT_NOTE_REFUSED_CODE && justify(key, what, codes, () => undefined)) continue;
    if (copy.status === 'V') fail(`${what} is NetSuite credit memo ${copy.id}, which is voided`);
    if (minor(copy.total, ivd.currency) !== minor(ivd.total, ivd.currency) || !sameLines(copy.lines, ivd.lines, ivd.currency)) {
      fail(`${what}: total ${ivd.total}, lines ${ivd.lines.join('/')} on Invoiced; NetSuite credit memo ${copy.id} total ${copy.total}, lines ${copy.lines.join('/')}`);
    }
    // The sync writes no apply lines: what the copy applies itself, a person applied in NetSuite (balances.ts checks it is on Invoiced too).
    const personApplied = JSON.stringify(input.ledger.baseline.netsuite.creditMemos.get(copy.id)?.applications ?? []);
    if (copy.applications.length > 0 && JSON.stringify(copy.applications) !== personApplied) fail(`${what} is NetSuite credit memo ${copy.id}, which applies itself to ${JSON.stringify(copy.applications)} though a person applied ${personApplied}: the sync writes no apply lines`);
    const customerLink = customerLinks.byInvoiced.get(ivd.customer);
    if (customerLink?.netsuiteId !== copy.customer) fail(`${what} belongs to Invoiced customer #${ivd.customer} (linked to ${customerLink?.netsuiteId ?? 'nothing'}) but NetSuite credit memo ${copy.id} to ${copy.customer}`);
  }
  // Voided on Invoiced by a person: the NetSuite copy is deleted, unless NetSuite refused and a record error says what to do.
  for (const key of expected.voidedOnInvoiced) {
    const [entity, id] = key.split(':') as [string, string];
    if (entity !== 'creditNote') continue;
    const copy = nsCreditMemosByExternalId.get(`invd-cn-${id}`)?.[0];
    const refused = pending.get(`invoiced_to_netsuite:creditNote:${id}`);
    if (copy !== undefined && (refused === undefined || !VOID_CODES.has(refused.lastError.code))) fail(`Invoiced credit note #${id} was voided on Invoiced, but its NetSuite copy ${copy.id} is still there and no record error says why`);
  }
}
