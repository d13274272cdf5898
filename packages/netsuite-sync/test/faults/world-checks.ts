/**
 * State checks about what the sync must not do: create anything but the records it must write (no echo,
 * no duplicate, no stray), change the world's own records, or apply money twice.
 */
import { applicationKey, sameLines, type CheckInput } from './check-support';
import { minor, type Application, type CreditApplication } from './state';

/** Credits of a payment as one comparable string. */
export function creditKey(credits: readonly CreditApplication[], currency: string): string {
  return JSON.stringify(credits.map((credit) => `${credit.credit}>${credit.invoice ?? ''}:${minor(credit.amount, currency)}`).sort());
}

/** Nothing but what the sync must write was created: no echo, no duplicate, no stray. */
export function checkNothingElse(input: CheckInput): void {
  const { now, ledger, expected, fail, customerLinks, ivdInvoicesByNetSuiteId, ivdPaymentsByReference, nsInvoicesByExternalId, nsPaymentsByExternalId, nsCustomersByExternalId } = input;
  const { baseline } = ledger;
  for (const [netsuiteId, invoices] of ivdInvoicesByNetSuiteId) {
    if (invoices.length > 1) fail(`NetSuite invoice ${netsuiteId} is on Invoiced ${invoices.length} times (#${invoices.map((invoice) => invoice.id).join(', #')})`);
  }
  for (const invoice of now.invoiced.invoices.values()) {
    if (baseline.invoiced.invoices.has(invoice.id)) continue;
    if (invoice.netsuiteId === undefined || !expected.importable.has(invoice.netsuiteId)) {
      fail(`Invoiced invoice #${invoice.id} (${invoice.number}) was created though it is no NetSuite invoice the sync imports (netsuite_id ${invoice.netsuiteId}): an echo, a stray, or one closed before the first run`);
    }
  }
  for (const [reference, payments] of ivdPaymentsByReference) {
    if (payments.length > 1 && reference.startsWith('NS-PAY-')) fail(`NetSuite payment ${reference} is on Invoiced ${payments.length} times (#${payments.map((payment) => payment.id).join(', #')})`);
  }
  for (const payment of now.invoiced.payments.values()) {
    if (baseline.invoiced.payments.has(payment.id)) continue;
    const source = payment.reference?.startsWith('NS-PAY-') === true ? payment.reference.slice('NS-PAY-'.length) : undefined;
    // (The payment of 0 that applies a credit memo where NetSuite applied it is the sync's too: an imported one, or one the sync wrote that a person applied.)
    const memo = payment.reference?.startsWith('NS-CM-') === true ? payment.reference.slice('NS-CM-'.length) : undefined;
    if (memo !== undefined && (expected.netsuiteCreditMemos.has(memo) || input.creditNoteLinks.byNetSuite.get(memo)?.origin === 'invoiced')) continue;
    if (source === undefined || !expected.netsuitePayments.has(source)) {
      fail(`Invoiced payment #${payment.id} (${payment.reference}) was created though it is no NetSuite payment the sync writes: an echo, a skipped payment or a stray`);
    }
  }
  const ivdCustomersByNetSuiteId = new Map<string, string[]>();
  for (const customer of now.invoiced.customers.values()) {
    if (customer.netsuiteId !== undefined) ivdCustomersByNetSuiteId.set(customer.netsuiteId, [...(ivdCustomersByNetSuiteId.get(customer.netsuiteId) ?? []), customer.id]);
  }
  for (const [netsuiteId, ids] of ivdCustomersByNetSuiteId) if (ids.length > 1) fail(`NetSuite customer ${netsuiteId} is on Invoiced ${ids.length} times (#${ids.join(', #')})`);
  for (const customer of now.invoiced.customers.values()) {
    if (baseline.invoiced.customers.has(customer.id)) continue;
    if (customer.netsuiteId === undefined || !now.netsuite.customers.has(customer.netsuiteId)) {
      fail(`Invoiced customer #${customer.id} "${customer.name}" was created though it is no NetSuite customer (netsuite_id ${customer.netsuiteId})`);
    } else if (customerLinks.byNetSuite.get(customer.netsuiteId)?.invoicedId !== customer.id) {
      fail(`Invoiced customer #${customer.id} "${customer.name}" was created for NetSuite customer ${customer.netsuiteId} but is not its linked customer`);
    }
  }
  for (const invoice of now.netsuite.invoices.values()) {
    if (baseline.netsuite.invoices.has(invoice.id)) continue;
    const source = invoice.externalId?.startsWith('invd-inv-') === true ? invoice.externalId.slice('invd-inv-'.length) : undefined;
    if (source === undefined || !(expected.invoicedInvoices.has(source) || expected.voidedOnInvoiced.has(`invoice:${source}`))) {
      fail(`NetSuite invoice ${invoice.id} (external ID ${invoice.externalId}) was created though it is no Invoiced invoice the sync writes: an echo or a stray`);
    }
  }
  for (const payment of now.netsuite.payments.values()) {
    if (baseline.netsuite.payments.has(payment.id)) continue;
    const source = payment.externalId?.startsWith('invd-pay-') === true ? payment.externalId.slice('invd-pay-'.length) : undefined;
    if (source === undefined || !(expected.invoicedPayments.has(source) || expected.voidedOnInvoiced.has(`payment:${source}`))) {
      fail(`NetSuite payment ${payment.id} (external ID ${payment.externalId}) was created though it is no Invoiced payment the sync writes: an echo or a stray`);
    }
  }
  for (const customer of now.netsuite.customers.values()) {
    if (baseline.netsuite.customers.has(customer.id)) continue;
    const source = customer.externalId?.startsWith('invd-cust-') === true ? customer.externalId.slice('invd-cust-'.length) : undefined;
    if (source === undefined || !now.invoiced.customers.has(source)) {
      fail(`NetSuite customer ${customer.id} "${customer.name}" (external ID ${customer.externalId}) was created though it is no Invoiced customer`);
    } else if (customerLinks.byInvoiced.get(source)?.netsuiteId !== customer.id) {
      fail(`NetSuite customer ${customer.id} "${customer.name}" was created for Invoiced customer #${source} but is not its linked customer`);
    }
  }
  for (const [externalId, records] of [...nsInvoicesByExternalId, ...nsPaymentsByExternalId, ...nsCustomersByExternalId]) {
    if (records.length > 1) fail(`${records.length} NetSuite records have the external ID ${externalId}`);
  }
}

/**
 * The world's own records are as the world left them: totals, lines, customers, void status and
 * applications of every record the books or a person made. Adapted to the changing world: records a
 * person changed are compared with the state that person left them in; copies the sync keeps in step
 * (`invd-*` in NetSuite, `metadata.netsuite_id` and `NS-PAY-*` on Invoiced) are checked by the flows
 * against their source instead, and may be gone only where the sync must remove them (the NetSuite copy
 * of a record voided on Invoiced). What a payment written by the sync does to an invoice's amount due is
 * checked through the payments (no stray payment, right applications), no longer by freezing the amount
 * due, which payments people record now change.
 */
export function checkWorldBooks(input: CheckInput): void {
  const { now, ledger, expected, fail, nsCurrency } = input;
  const { baseline } = ledger;
  for (const before of baseline.netsuite.invoices.values()) {
    const after = now.netsuite.invoices.get(before.id);
    const copyOf = before.externalId?.startsWith('invd-inv-') === true ? before.externalId.slice('invd-inv-'.length) : undefined;
    if (after === undefined) {
      if (copyOf === undefined || !expected.voidedOnInvoiced.has(`invoice:${copyOf}`)) fail(`NetSuite invoice ${before.id} (${before.tranId}) of the books was deleted`);
      continue;
    }
    if (copyOf !== undefined) continue;
    const currency = nsCurrency(before.currencyId);
    if (minor(after.total, currency) !== minor(before.total, currency) || !sameLines(after.lines, before.lines, currency) || after.customer !== before.customer) {
      fail(`NetSuite invoice ${before.id} (${before.tranId}) of the books was changed: total ${before.total} -> ${after.total}, lines ${before.lines.join('/')} -> ${after.lines.join('/')}, customer ${before.customer} -> ${after.customer}`);
    } else if ((after.status === 'V') !== (before.status === 'V')) {
      fail(`NetSuite invoice ${before.id} (${before.tranId}) of the books was ${after.status === 'V' ? 'voided' : 'unvoided'} by the sync`);
    }
  }
  for (const before of baseline.netsuite.payments.values()) {
    const after = now.netsuite.payments.get(before.id);
    const copyOf = before.externalId?.startsWith('invd-pay-') === true ? before.externalId.slice('invd-pay-'.length) : undefined;
    if (after === undefined) {
      if (copyOf === undefined || !expected.voidedOnInvoiced.has(`payment:${copyOf}`)) fail(`NetSuite payment ${before.id} (${before.tranId}) of the books was deleted`);
      continue;
    }
    if (copyOf !== undefined) continue;
    const currency = nsCurrency(before.currencyId);
    if (minor(after.amount, currency) !== minor(before.amount, currency) || after.voided !== before.voided || applicationKey(after.applications, currency) !== applicationKey(before.applications, currency) || creditKey(after.credits, currency) !== creditKey(before.credits, currency)) {
      fail(`NetSuite payment ${before.id} (${before.tranId}) of the books was changed: ${before.amount} ${JSON.stringify(before.applications)} credits ${JSON.stringify(before.credits)} -> ${after.amount} ${JSON.stringify(after.applications)} credits ${JSON.stringify(after.credits)}${after.voided ? ' (voided)' : ''}`);
    }
  }
  for (const before of baseline.invoiced.invoices.values()) {
    const after = now.invoiced.invoices.get(before.id);
    if (after === undefined) fail(`Invoiced invoice #${before.id} (${before.number}) of the books was deleted`);
    else if (before.netsuiteId !== undefined) continue;
    else if (minor(after.total, before.currency) !== minor(before.total, before.currency) || !sameLines(after.lines, before.lines, before.currency) || after.voided !== before.voided || after.draft !== before.draft || after.customer !== before.customer) {
      fail(`Invoiced invoice #${before.id} (${before.number}) of the books was changed: total ${before.total} -> ${after.total}, lines ${before.lines.join('/')} -> ${after.lines.join('/')}${after.voided ? ', voided' : ''}`);
    }
  }
  for (const before of baseline.invoiced.payments.values()) {
    const after = now.invoiced.payments.get(before.id);
    if (after === undefined) fail(`Invoiced payment #${before.id} of the books was deleted`);
    else if (/^NS-(PAY|CM)-/.test(before.reference ?? '')) continue;
    else if (minor(after.amount, before.currency) !== minor(before.amount, before.currency) || after.voided !== before.voided || applicationKey(after.applications, before.currency) !== applicationKey(before.applications, before.currency) || creditKey(after.credits, before.currency) !== creditKey(before.credits, before.currency)) {
      fail(`Invoiced payment #${before.id} of the books was changed: ${before.amount} ${JSON.stringify(before.applications)} credits ${JSON.stringify(before.credits)} -> ${after.amount} ${JSON.stringify(after.applications)} credits ${JSON.stringify(after.credits)}`);
    }
  }
}

/** No invoice over-applied (by payments and credits), no payment applying one invoice twice. */
export function checkApplications(input: CheckInput): void {
  const { now, fail } = input;
  const applied = (payments: Iterable<{ voided: boolean; applications: readonly Application[] }>) => {
    const sums = new Map<string, number>();
    for (const payment of payments) if (!payment.voided) for (const application of payment.applications) sums.set(application.invoice, (sums.get(application.invoice) ?? 0) + application.amount);
    return sums;
  };
  // On Invoiced a credit note is applied to an invoice by a payment's `credit_note` entry; in NetSuite a
  // payment's `apply` amount includes its credits, and a credit memo applies itself too.
  const ivdApplied = applied([...now.invoiced.payments.values()].map((payment) => ({ voided: payment.voided, applications: [...payment.applications, ...payment.credits.map((credit) => ({ invoice: credit.invoice ?? '', amount: credit.amount }))] })));
  for (const invoice of now.invoiced.invoices.values()) {
    const total = minor(invoice.total, invoice.currency);
    if (minor(invoice.balance, invoice.currency) < 0 || minor(ivdApplied.get(invoice.id) ?? 0, invoice.currency) > total) {
      fail(`Invoiced invoice #${invoice.id} (${invoice.number}) is over-applied: total ${invoice.total}, payments ${ivdApplied.get(invoice.id) ?? 0}, balance ${invoice.balance}`);
    }
  }
  const nsApplied = applied([...now.netsuite.payments.values(), ...[...now.netsuite.creditMemos.values()].map((memo) => ({ voided: memo.status === 'V', applications: memo.applications }))]);
  for (const invoice of now.netsuite.invoices.values()) {
    if (invoice.remaining < -1e-9 || (nsApplied.get(invoice.id) ?? 0) - invoice.total > 1e-6) {
      fail(`NetSuite invoice ${invoice.id} (${invoice.tranId}) is over-applied: total ${invoice.total}, payments ${nsApplied.get(invoice.id) ?? 0}, remaining ${invoice.remaining}`);
    }
  }
  for (const [side, payments] of [['Invoiced', now.invoiced.payments.values()], ['NetSuite', now.netsuite.payments.values()]] as const) {
    for (const payment of payments) {
      const invoices = payment.applications.map((application) => application.invoice);
      if (new Set(invoices).size !== invoices.length) fail(`${side} payment ${payment.id} applies one invoice twice: ${JSON.stringify(payment.applications)}`);
    }
  }
}
