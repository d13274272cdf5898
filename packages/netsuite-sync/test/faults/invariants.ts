/**
 * The invariants of a seed, checked against the sandbox's state and the store's contents. Each check
 * returns violations as sentences naming the record; an empty list means the check passed.
 *
 * - {@link checkRun}: after every run — record errors name their record and say what to do, run errors
 *   too, cursors move only forward and only to the run's own start, a run is cancelled only when aborted,
 *   a clean run completes.
 * - {@link checkState}: after the run that completed, and after one more clean run — every eligible record
 *   exists exactly once on the other side with the right customer, amounts, lines and applications, or is
 *   missing for a reason the books explain and reported so; nothing else was created (no echo, no stray);
 *   the books' own records are unchanged; no invoice is over-applied and no payment applied twice;
 *   balances agree; links are one-to-one, point at existing records and match them; the retry queue holds
 *   only missing records; every cursor is the last run's start.
 */
import type { RecordError, RetryItem, SyncLink } from '../../src/index';
import type { Expectations } from './expectations';
import { minor, nameKey, readState, type Application, type WorldState } from './state';
import { PHASES, type FaultWorld, type RunOutcome } from './world';

/** Whether a cursor stands for the instant `time` (NetSuite cursors carry the account's offset). */
function sameInstant(cursor: string | null | undefined, time: string): boolean {
  return cursor !== null && cursor !== undefined && Date.parse(cursor) === Date.parse(time);
}

/** Codes of a record refused because its customer's name is shared (books-level duplicates). */
const NAME_CODES: ReadonlySet<string> = new Set(['AMBIGUOUS_CUSTOMER', 'CUSTOMER_ALREADY_LINKED']);
/** Codes of a payment waiting on its customer or its invoices. */
const WAIT_CODES: ReadonlySet<string> = new Set(['CUSTOMER_NOT_SYNCED', 'PAYMENT_INVOICES_NOT_SYNCED']);
/**
 * The engine's own fallback for an error it did not expect ("This looks like a bug in the sync"), told
 * apart from NetSuite's service code `UNEXPECTED_ERROR` (its 500s) by the resolution.
 */
function isEngineBug(error: { code: string; resolution: string | null }): boolean {
  return error.code === 'UNEXPECTED_ERROR' && (error.resolution ?? '').includes('bug in the sync');
}

/** Whole-run errors a clean run may still meet on a loaded machine: a request slower than the clients' short timeout. */
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['TIMEOUT', 'INVOICED_TIMEOUT']);

/** What the checks of one seed read. */
export interface SeedContext {
  readonly world: FaultWorld;
  /** Both services before the first run. */
  readonly initial: WorldState;
  readonly expected: Expectations;
}

function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value.trim() === '';
}

/** Problems of one record error: it must name its record, its code, what happened and what to do. */
export function recordErrorProblems(error: RecordError): string[] {
  const problems: string[] = [];
  const label = `${error.direction} ${error.entity} ${error.sourceId} (${error.code})`;
  if (!['customer', 'invoice', 'payment', 'creditNote'].includes(error.entity)) problems.push(`record error ${label} has no entity`);
  if (isBlank(error.sourceId) && isBlank(error.number)) problems.push(`record error ${label} names no record (no number, no source ID)`);
  if (!/^[A-Z][A-Z0-9_]*$/.test(error.code)) problems.push(`record error ${label} has no code`);
  if (isBlank(error.message)) problems.push(`record error ${label} has no message`);
  if (isBlank(error.resolution)) problems.push(`record error ${label} has no resolution`);
  const name = isBlank(error.number) ? error.sourceId : (error.number ?? '');
  if (!isBlank(error.message) && !error.message.includes(name)) problems.push(`record error ${label}: its message does not name the record ("${name}"): ${error.message}`);
  if (isEngineBug(error)) problems.push(`record error ${label} is the engine's fallback for errors it did not expect: ${error.message}`);
  return problems;
}

/** The checks after each run. */
export function checkRun(outcome: RunOutcome): string[] {
  const violations: string[] = [];
  const label = `run ${outcome.plan.number}`;
  if (outcome.end === 'hung') violations.push(`${label} did not settle within a minute`);
  // The run's record errors, as its events reported them and as it stored them (once each).
  const errors = new Map<string, RecordError>();
  for (const error of [...outcome.events.flatMap((event) => (event.type === 'record_failed' ? [event.error] : [])), ...(outcome.run?.recordErrors ?? [])]) {
    errors.set(`${error.direction}:${error.entity}:${error.sourceId}:${error.code}`, error);
  }
  for (const error of errors.values()) violations.push(...recordErrorProblems(error).map((problem) => `${label}: ${problem}`));
  const run = outcome.run;
  if (run !== undefined && (run.status === 'failed' || run.status === 'cancelled')) {
    if (run.error === null || isBlank(run.error.code) || isBlank(run.error.message) || isBlank(run.error.resolution)) {
      violations.push(`${label} ended ${run.status} without a code, message and resolution: ${JSON.stringify(run.error)}`);
    } else if (isEngineBug(run.error)) {
      violations.push(`${label} failed with the engine's fallback for errors it did not expect: ${run.error.message}`);
    }
  }
  if (outcome.end === 'cancelled' && !outcome.aborted) violations.push(`${label} was cancelled though nothing aborted it: ${JSON.stringify(run?.error)}`);
  if (outcome.end === 'rejected') violations.push(`${label}: sync() rejected without a crash: ${describe(outcome.rejection)}`);
  const clean = outcome.plan.netsuiteFaults === null && outcome.plan.invoicedFaults === null && outcome.plan.crash === null && outcome.plan.abortAfterRecords === null;
  if (clean && outcome.end !== 'succeeded' && outcome.end !== 'partial' && !TIMEOUT_CODES.has(run?.error?.code ?? '')) {
    violations.push(`${label} was clean (no faults, no crash, no abort) but ended ${outcome.end}: ${JSON.stringify(run?.error ?? describe(outcome.rejection))}`);
  }
  const started = new Set(outcome.events.flatMap((event) => (event.type === 'phase_started' ? [event.phase] : [])));
  for (const phase of PHASES) {
    const before = outcome.cursorsBefore[phase] ?? null;
    const after = outcome.cursorsAfter[phase] ?? null;
    if (before === after) continue;
    if (after === null) violations.push(`${label} removed the cursor of ${phase}`);
    else if (!sameInstant(after, outcome.time)) violations.push(`${label} moved the cursor of ${phase} to ${after}, not to the run's start ${outcome.time}`);
    else if (before !== null && Date.parse(after) < Date.parse(before)) violations.push(`${label} moved the cursor of ${phase} back from ${before} to ${after}`);
    if (!started.has(phase)) violations.push(`${label} moved the cursor of ${phase}, a phase it never started`);
  }
  return violations;
}

function describe(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}

function groupBy<T>(items: Iterable<T>, key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const value = key(item);
    if (value === undefined) continue;
    const group = groups.get(value);
    if (group === undefined) groups.set(value, [item]);
    else group.push(item);
  }
  return groups;
}

function sameLines(a: readonly number[], b: readonly number[], currency: string): boolean {
  const sorted = (lines: readonly number[]) => lines.map((line) => minor(line, currency)).sort((x, y) => x - y);
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function applicationKey(applications: readonly Application[], currency: string): string {
  return JSON.stringify(applications.map((application) => `${application.invoice}:${minor(application.amount, currency)}`).sort());
}

/** Links of one kind by each side's ID (the first of each, duplicates reported separately). */
class LinkIndex {
  readonly byNetSuite = new Map<string, SyncLink>();
  readonly byInvoiced = new Map<string, SyncLink>();
  readonly duplicates: string[] = [];
  constructor(
    readonly kind: string,
    readonly links: readonly SyncLink[],
  ) {
    for (const link of links) {
      if (this.byNetSuite.has(link.netsuiteId)) this.duplicates.push(`NetSuite ${kind} ${link.netsuiteId} has two links`);
      if (this.byInvoiced.has(link.invoicedId)) this.duplicates.push(`Invoiced ${kind} ${link.invoicedId} has two links`);
      this.byNetSuite.set(link.netsuiteId, link);
      this.byInvoiced.set(link.invoicedId, link);
    }
  }
}

/**
 * The checks of the state both services and the store are in after `last`, a run that completed.
 * `strict` after the extra clean run: by then every payment that waited on a customer or an invoice that
 * the completed run linked has been written, so a payment may only still wait on something missing.
 */
export async function checkState(context: SeedContext, last: RunOutcome, strict: boolean): Promise<string[]> {
  const { world, initial, expected } = context;
  const { store, connectionId } = world;
  const now = readState(world.sandbox);
  const violations: string[] = [];
  const fail = (message: string) => violations.push(message);

  const customerLinks = new LinkIndex('customer', await store.listLinks(connectionId, 'customer'));
  const invoiceLinks = new LinkIndex('invoice', await store.listLinks(connectionId, 'invoice'));
  const paymentLinks = new LinkIndex('payment', await store.listLinks(connectionId, 'payment'));
  const retries = await store.listRetries(connectionId);
  const pending = new Map<string, RetryItem>();
  for (const item of retries) {
    if (item.status === 'pending') pending.set(item.key, item);
    else fail(`retry item ${item.key} is ${item.status}, though nothing was ignored`);
  }

  const ivdInvoicesByNetSuiteId = groupBy(now.invoiced.invoices.values(), (invoice) => invoice.netsuiteId);
  const ivdPaymentsByReference = groupBy(now.invoiced.payments.values(), (payment) => payment.reference);
  const ivdCustomersByNetSuiteId = groupBy(now.invoiced.customers.values(), (customer) => customer.netsuiteId);
  const nsInvoicesByExternalId = groupBy(now.netsuite.invoices.values(), (invoice) => invoice.externalId);
  const nsPaymentsByExternalId = groupBy(now.netsuite.payments.values(), (payment) => payment.externalId);
  const nsCustomersByExternalId = groupBy(now.netsuite.customers.values(), (customer) => customer.externalId);
  const currencyOfNetSuiteInvoice = new Map(world.books.netsuite.invoices.map((invoice) => [invoice.id, invoice.currency.toLowerCase()]));
  const currencyOfNetSuitePayment = new Map(world.books.netsuite.payments.map((payment) => [payment.id, payment.currency.toLowerCase()]));
  const nsCurrency = (id: string) => currencyOfNetSuiteInvoice.get(id) ?? currencyOfNetSuitePayment.get(id) ?? 'usd';

  /** A record missing on the other side is allowed only with a pending record error whose code the books explain. */
  const justify = (key: string, what: string, codes: ReadonlySet<string>, reason: () => string | undefined) => {
    const item = pending.get(key);
    if (item === undefined) {
      fail(`${what} is missing on the other side, and no record error says why`);
      return;
    }
    if (!codes.has(item.lastError.code)) {
      fail(`${what} is missing on the other side with ${item.lastError.code}, which the books do not explain: ${item.lastError.message}`);
      return;
    }
    const unexplained = reason();
    if (unexplained !== undefined) fail(`${what} is missing with ${item.lastError.code} (${item.lastError.message}), but ${unexplained}`);
  };
  const collides = (name: string | undefined) => name !== undefined && expected.collidingNames.has(nameKey(name));

  // Links: one-to-one, pointing at records that exist, and at the right ones.
  for (const index of [customerLinks, invoiceLinks, paymentLinks]) violations.push(...index.duplicates);
  for (const link of customerLinks.links) {
    const ivd = now.invoiced.customers.get(link.invoicedId);
    const ns = now.netsuite.customers.get(link.netsuiteId);
    if (ivd === undefined || ns === undefined) {
      fail(`customer link ${link.netsuiteId} <-> #${link.invoicedId} points at a customer that does not exist`);
      continue;
    }
    const consistent = ivd.netsuiteId === link.netsuiteId || ns.externalId === `invd-cust-${link.invoicedId}` || nameKey(ivd.name) === nameKey(ns.name);
    if (!consistent) fail(`customer link ${link.netsuiteId} "${ns.name}" <-> #${link.invoicedId} "${ivd.name}": neither created from the other nor of the same name`);
    if (ivd.netsuiteId !== undefined && ivd.netsuiteId !== link.netsuiteId) {
      fail(`Invoiced customer #${link.invoicedId} carries metadata.netsuite_id ${ivd.netsuiteId} but is linked to NetSuite customer ${link.netsuiteId}`);
    }
  }
  for (const link of invoiceLinks.links) {
    const ivd = now.invoiced.invoices.get(link.invoicedId);
    const ns = now.netsuite.invoices.get(link.netsuiteId);
    if (ivd === undefined || ns === undefined) {
      fail(`invoice link ${link.netsuiteId} <-> #${link.invoicedId} points at an invoice that does not exist`);
      continue;
    }
    if (link.origin === 'netsuite' && (ivd.netsuiteId !== link.netsuiteId || !expected.netsuiteInvoices.has(link.netsuiteId))) {
      fail(`invoice link ${link.netsuiteId} <-> #${link.invoicedId} (from NetSuite) does not match: the Invoiced invoice carries netsuite_id ${ivd.netsuiteId}`);
    }
    if (link.origin === 'invoiced' && (ns.externalId !== `invd-inv-${link.invoicedId}` || !expected.invoicedInvoices.has(link.invoicedId))) {
      fail(`invoice link ${link.netsuiteId} <-> #${link.invoicedId} (from Invoiced) does not match: the NetSuite invoice's external ID is ${ns.externalId}`);
    }
  }
  for (const link of paymentLinks.links) {
    const ivd = now.invoiced.payments.get(link.invoicedId);
    const ns = now.netsuite.payments.get(link.netsuiteId);
    if (ivd === undefined || ns === undefined) {
      fail(`payment link ${link.netsuiteId} <-> #${link.invoicedId} points at a payment that does not exist`);
      continue;
    }
    if (link.origin === 'netsuite' && (ivd.reference !== `NS-PAY-${link.netsuiteId}` || !expected.netsuitePayments.has(link.netsuiteId))) {
      fail(`payment link ${link.netsuiteId} <-> #${link.invoicedId} (from NetSuite) does not match: the Invoiced payment's reference is ${ivd.reference}`);
    }
    if (link.origin === 'invoiced' && (ns.externalId !== `invd-pay-${link.invoicedId}` || !expected.invoicedPayments.has(link.invoicedId))) {
      fail(`payment link ${link.netsuiteId} <-> #${link.invoicedId} (from Invoiced) does not match: the NetSuite payment's external ID is ${ns.externalId}`);
    }
  }

  // Nothing but what the sync must write was created: no echo, no duplicate, no stray.
  for (const [netsuiteId, invoices] of ivdInvoicesByNetSuiteId) {
    if (invoices.length > 1) fail(`NetSuite invoice ${netsuiteId} is on Invoiced ${invoices.length} times (#${invoices.map((invoice) => invoice.id).join(', #')})`);
  }
  for (const invoice of now.invoiced.invoices.values()) {
    if (initial.invoiced.invoices.has(invoice.id)) continue;
    if (invoice.netsuiteId === undefined || !expected.netsuiteInvoices.has(invoice.netsuiteId)) {
      fail(`Invoiced invoice #${invoice.id} (${invoice.number}) was created though it is no open NetSuite invoice of the sync (netsuite_id ${invoice.netsuiteId}): an echo or a stray`);
    }
  }
  for (const [reference, payments] of ivdPaymentsByReference) {
    if (payments.length > 1 && reference.startsWith('NS-PAY-')) fail(`NetSuite payment ${reference} is on Invoiced ${payments.length} times (#${payments.map((payment) => payment.id).join(', #')})`);
  }
  for (const payment of now.invoiced.payments.values()) {
    if (initial.invoiced.payments.has(payment.id)) continue;
    const source = payment.reference?.startsWith('NS-PAY-') === true ? payment.reference.slice('NS-PAY-'.length) : undefined;
    if (source === undefined || !expected.netsuitePayments.has(source)) {
      fail(`Invoiced payment #${payment.id} (${payment.reference}) was created though it is no NetSuite payment the sync writes: an echo, a skipped payment or a stray`);
    }
  }
  for (const [netsuiteId, customers] of ivdCustomersByNetSuiteId) {
    if (customers.length > 1) fail(`NetSuite customer ${netsuiteId} is on Invoiced ${customers.length} times (#${customers.map((customer) => customer.id).join(', #')})`);
  }
  for (const customer of now.invoiced.customers.values()) {
    if (initial.invoiced.customers.has(customer.id)) continue;
    if (customer.netsuiteId === undefined || !initial.netsuite.customers.has(customer.netsuiteId)) {
      fail(`Invoiced customer #${customer.id} "${customer.name}" was created though it is no NetSuite customer (netsuite_id ${customer.netsuiteId})`);
    } else if (customerLinks.byNetSuite.get(customer.netsuiteId)?.invoicedId !== customer.id) {
      fail(`Invoiced customer #${customer.id} "${customer.name}" was created for NetSuite customer ${customer.netsuiteId} but is not its linked customer`);
    }
  }
  for (const invoice of now.netsuite.invoices.values()) {
    if (initial.netsuite.invoices.has(invoice.id)) continue;
    const source = invoice.externalId?.startsWith('invd-inv-') === true ? invoice.externalId.slice('invd-inv-'.length) : undefined;
    if (source === undefined || !expected.invoicedInvoices.has(source)) fail(`NetSuite invoice ${invoice.id} (external ID ${invoice.externalId}) was created though it is no Invoiced invoice the sync writes: an echo or a stray`);
  }
  for (const payment of now.netsuite.payments.values()) {
    if (initial.netsuite.payments.has(payment.id)) continue;
    const source = payment.externalId?.startsWith('invd-pay-') === true ? payment.externalId.slice('invd-pay-'.length) : undefined;
    if (source === undefined || !expected.invoicedPayments.has(source)) fail(`NetSuite payment ${payment.id} (external ID ${payment.externalId}) was created though it is no Invoiced payment the sync writes: an echo or a stray`);
  }
  for (const customer of now.netsuite.customers.values()) {
    if (initial.netsuite.customers.has(customer.id)) continue;
    const source = customer.externalId?.startsWith('invd-cust-') === true ? customer.externalId.slice('invd-cust-'.length) : undefined;
    if (source === undefined || !initial.invoiced.customers.has(source)) {
      fail(`NetSuite customer ${customer.id} "${customer.name}" (external ID ${customer.externalId}) was created though it is no Invoiced customer`);
    } else if (customerLinks.byInvoiced.get(source)?.netsuiteId !== customer.id) {
      fail(`NetSuite customer ${customer.id} "${customer.name}" was created for Invoiced customer #${source} but is not its linked customer`);
    }
  }
  for (const [externalId, records] of [...nsInvoicesByExternalId, ...nsPaymentsByExternalId, ...nsCustomersByExternalId]) {
    if (records.length > 1) fail(`${records.length} NetSuite records have the external ID ${externalId}`);
  }

  // The books' own records are still there, unchanged by the sync (nothing written back to its origin).
  for (const before of initial.netsuite.invoices.values()) {
    const after = now.netsuite.invoices.get(before.id);
    const currency = nsCurrency(before.id);
    if (after === undefined) fail(`NetSuite invoice ${before.id} (${before.tranId}) of the books was deleted`);
    else if (minor(after.total, currency) !== minor(before.total, currency) || !sameLines(after.lines, before.lines, currency) || after.customer !== before.customer) {
      fail(`NetSuite invoice ${before.id} (${before.tranId}) of the books was changed: total ${before.total} -> ${after.total}, lines ${before.lines.join('/')} -> ${after.lines.join('/')}, customer ${before.customer} -> ${after.customer}`);
    } else if (before.externalId === undefined && (after.status !== before.status || minor(after.remaining, currency) !== minor(before.remaining, currency))) {
      fail(`NetSuite invoice ${before.id} (${before.tranId}) of the books was paid or voided by the sync: ${before.status} ${before.remaining} -> ${after.status} ${after.remaining}`);
    }
  }
  for (const before of initial.netsuite.payments.values()) {
    const after = now.netsuite.payments.get(before.id);
    const currency = nsCurrency(before.id);
    if (after === undefined) fail(`NetSuite payment ${before.id} (${before.tranId}) of the books was deleted`);
    else if (minor(after.amount, currency) !== minor(before.amount, currency) || after.voided !== before.voided || applicationKey(after.applications, currency) !== applicationKey(before.applications, currency)) {
      fail(`NetSuite payment ${before.id} (${before.tranId}) of the books was changed: ${before.amount} ${JSON.stringify(before.applications)} -> ${after.amount} ${JSON.stringify(after.applications)}${after.voided ? ' (voided)' : ''}`);
    }
  }
  for (const before of initial.invoiced.invoices.values()) {
    const after = now.invoiced.invoices.get(before.id);
    if (after === undefined) fail(`Invoiced invoice #${before.id} (${before.number}) of the books was deleted`);
    else if (minor(after.total, before.currency) !== minor(before.total, before.currency) || !sameLines(after.lines, before.lines, before.currency) || after.voided || after.draft !== before.draft || after.customer !== before.customer) {
      fail(`Invoiced invoice #${before.id} (${before.number}) of the books was changed: total ${before.total} -> ${after.total}, lines ${before.lines.join('/')} -> ${after.lines.join('/')}${after.voided ? ', voided' : ''}`);
    }
  }
  for (const before of initial.invoiced.payments.values()) {
    const after = now.invoiced.payments.get(before.id);
    if (after === undefined) fail(`Invoiced payment #${before.id} of the books was deleted`);
    else if (minor(after.amount, before.currency) !== minor(before.amount, before.currency) || after.voided !== before.voided || applicationKey(after.applications, before.currency) !== applicationKey(before.applications, before.currency)) {
      fail(`Invoiced payment #${before.id} of the books was changed: ${before.amount} ${JSON.stringify(before.applications)} -> ${after.amount} ${JSON.stringify(after.applications)}`);
    }
  }

  // No invoice over-applied, no payment applying one invoice twice.
  const applied = (payments: Iterable<{ voided: boolean; applications: readonly Application[] }>) => {
    const sums = new Map<string, number>();
    for (const payment of payments) if (!payment.voided) for (const application of payment.applications) sums.set(application.invoice, (sums.get(application.invoice) ?? 0) + application.amount);
    return sums;
  };
  const ivdApplied = applied(now.invoiced.payments.values());
  for (const invoice of now.invoiced.invoices.values()) {
    const total = minor(invoice.total, invoice.currency);
    if (minor(invoice.balance, invoice.currency) < 0 || minor(ivdApplied.get(invoice.id) ?? 0, invoice.currency) > total) {
      fail(`Invoiced invoice #${invoice.id} (${invoice.number}) is over-applied: total ${invoice.total}, payments ${ivdApplied.get(invoice.id) ?? 0}, balance ${invoice.balance}`);
    }
  }
  const nsApplied = applied(now.netsuite.payments.values());
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

  // Flow 1: open NetSuite invoices on Invoiced, once, right.
  const synced1 = new Set<string>();
  for (const id of expected.netsuiteInvoices) {
    const ns = now.netsuite.invoices.get(id);
    if (ns === undefined) continue;
    const what = `NetSuite invoice ${id} (${ns.tranId})`;
    const copies = ivdInvoicesByNetSuiteId.get(id) ?? [];
    const customer = now.netsuite.customers.get(ns.customer);
    if (copies.length === 0) {
      justify(`netsuite_to_invoiced:invoice:${id}`, what, NAME_CODES, () =>
        collides(customer?.name) ? undefined : `its customer ${ns.customer} "${customer?.name}" shares its name with no other customer`,
      );
      continue;
    }
    const copy = copies[0];
    if (copy === undefined) continue;
    synced1.add(id);
    const currency = copy.currency;
    const link = invoiceLinks.byNetSuite.get(id);
    if (link?.invoicedId !== copy.id) fail(`${what} is Invoiced invoice #${copy.id} but its link says ${link === undefined ? 'nothing' : `#${link.invoicedId}`}`);
    if (currency !== nsCurrency(id)) fail(`${what} is in ${nsCurrency(id)} but Invoiced invoice #${copy.id} is in ${currency}`);
    if (copy.voided || copy.draft) fail(`${what} is Invoiced invoice #${copy.id}, which is ${copy.voided ? 'voided' : 'a draft'}`);
    if (minor(copy.total, currency) !== minor(ns.total, currency) || !sameLines(copy.lines, ns.lines, currency)) {
      fail(`${what}: total ${ns.total}, lines ${ns.lines.join('/')} in NetSuite; total ${copy.total}, lines ${copy.lines.join('/')} on Invoiced #${copy.id}`);
    }
    const customerLink = customerLinks.byNetSuite.get(ns.customer);
    if (customerLink?.invoicedId !== copy.customer) fail(`${what} belongs to NetSuite customer ${ns.customer} (linked to ${customerLink === undefined ? 'nothing' : `#${customerLink.invoicedId}`}) but Invoiced invoice #${copy.id} to #${copy.customer}`);
  }

  // Flow 2: NetSuite payments on Invoiced, once, right.
  for (const [id, expectation] of expected.netsuitePayments) {
    const ns = now.netsuite.payments.get(id);
    if (ns === undefined) continue;
    const what = `NetSuite payment ${id} (${ns.tranId})`;
    const copies = ivdPaymentsByReference.get(`NS-PAY-${id}`) ?? [];
    const customerLink = customerLinks.byNetSuite.get(ns.customer);
    if (copies.length === 0) {
      justify(`netsuite_to_invoiced:payment:${id}`, what, WAIT_CODES, () => {
        if (!strict) return undefined;
        const missing = expectation.applications.filter((application) => !synced1.has(application.invoice)).map((application) => application.invoice);
        if (missing.length > 0 || customerLink === undefined) return undefined;
        return `its customer ${ns.customer} and every invoice it pays (${expectation.applications.map((application) => application.invoice).join(', ')}) are on Invoiced`;
      });
      continue;
    }
    const copy = copies[0];
    if (copy === undefined) continue;
    const currency = copy.currency;
    const link = paymentLinks.byNetSuite.get(id);
    if (link?.invoicedId !== copy.id) fail(`${what} is Invoiced payment #${copy.id} but its link says ${link === undefined ? 'nothing' : `#${link.invoicedId}`}`);
    if (copy.voided) fail(`${what} is Invoiced payment #${copy.id}, which is voided`);
    if (minor(copy.amount, currency) !== minor(expectation.amount, currency)) fail(`${what} must be ${expectation.amount} on Invoiced (what it applied outside the sync left out), but #${copy.id} is ${copy.amount}`);
    if (customerLink?.invoicedId !== copy.customer) fail(`${what} belongs to NetSuite customer ${ns.customer} (linked to ${customerLink === undefined ? 'nothing' : `#${customerLink.invoicedId}`}) but Invoiced payment #${copy.id} to #${copy.customer}`);
    const wanted = expectation.applications.map((application) => ({ invoice: ivdInvoicesByNetSuiteId.get(application.invoice)?.[0]?.id ?? `(NetSuite ${application.invoice}, not on Invoiced)`, amount: application.amount }));
    if (applicationKey(wanted, currency) !== applicationKey(copy.applications, currency) || copy.applicationCount !== copy.applications.length) {
      fail(`${what} must apply ${JSON.stringify(wanted)} on Invoiced, but #${copy.id} applies ${JSON.stringify(copy.applications)} (${copy.applicationCount} applications)`);
    }
  }
  // Balances: an imported invoice whose NetSuite payments are all on Invoiced owes the same on both sides.
  for (const id of synced1) {
    const ns = now.netsuite.invoices.get(id);
    const copy = ivdInvoicesByNetSuiteId.get(id)?.[0];
    if (ns === undefined || copy === undefined) continue;
    const payers = [...now.netsuite.payments.values()].filter((payment) => !payment.voided && payment.applications.some((application) => application.invoice === id));
    if (payers.some((payment) => (ivdPaymentsByReference.get(`NS-PAY-${payment.id}`) ?? []).length === 0)) continue;
    if (minor(copy.balance, copy.currency) !== minor(ns.remaining, copy.currency)) {
      fail(`NetSuite invoice ${id} (${ns.tranId}) has ${ns.remaining} unpaid but Invoiced invoice #${copy.id} a balance of ${copy.balance}, though all its payments are on Invoiced`);
    }
  }

  // Flow 3: Invoiced invoices in NetSuite, once, right.
  const synced3 = new Map<string, string>();
  for (const id of expected.invoicedInvoices) {
    const ivd = now.invoiced.invoices.get(id);
    if (ivd === undefined) continue;
    const what = `Invoiced invoice #${id} (${ivd.number})`;
    const link = invoiceLinks.byInvoiced.get(id);
    const customer = now.invoiced.customers.get(ivd.customer);
    const copies = nsInvoicesByExternalId.get(`invd-inv-${id}`) ?? [];
    if (link === undefined) {
      justify(`invoiced_to_netsuite:invoice:${id}`, what, NAME_CODES, () =>
        collides(customer?.name) ? undefined : `its customer #${ivd.customer} "${customer?.name}" shares its name with no other customer`,
      );
      continue;
    }
    const copy = copies[0];
    if (copy === undefined || link.netsuiteId !== copy.id) {
      fail(`${what} is linked to NetSuite invoice ${link.netsuiteId}, but NetSuite's invd-inv-${id} is ${copy?.id ?? 'missing'}`);
      continue;
    }
    synced3.set(id, copy.id);
    if (minor(copy.total, ivd.currency) !== minor(ivd.total, ivd.currency) || !sameLines(copy.lines, ivd.lines, ivd.currency)) {
      fail(`${what}: total ${ivd.total}, lines ${ivd.lines.join('/')} on Invoiced; NetSuite invoice ${copy.id} total ${copy.total}, lines ${copy.lines.join('/')}`);
    }
    const customerLink = customerLinks.byInvoiced.get(ivd.customer);
    if (customerLink?.netsuiteId !== copy.customer) fail(`${what} belongs to Invoiced customer #${ivd.customer} (linked to ${customerLink?.netsuiteId ?? 'nothing'}) but NetSuite invoice ${copy.id} to ${copy.customer}`);
  }

  // Flow 4: Invoiced payments in NetSuite, once, right.
  for (const id of expected.invoicedPayments) {
    const ivd = now.invoiced.payments.get(id);
    if (ivd === undefined) continue;
    const what = `Invoiced payment #${id} (${ivd.reference ?? 'no reference'})`;
    const link = paymentLinks.byInvoiced.get(id);
    const customerLink = customerLinks.byInvoiced.get(ivd.customer);
    if (link === undefined) {
      justify(`invoiced_to_netsuite:payment:${id}`, what, WAIT_CODES, () => {
        if (!strict) return undefined;
        const missing = ivd.applications.filter((application) => !synced3.has(application.invoice));
        if (missing.length > 0 || customerLink === undefined) return undefined;
        return `its customer #${ivd.customer} and every invoice it pays are in NetSuite`;
      });
      continue;
    }
    const copy = nsPaymentsByExternalId.get(`invd-pay-${id}`)?.[0];
    if (copy === undefined || link.netsuiteId !== copy.id) {
      fail(`${what} is linked to NetSuite payment ${link.netsuiteId}, but NetSuite's invd-pay-${id} is ${copy?.id ?? 'missing'}`);
      continue;
    }
    if (copy.voided) fail(`${what} is NetSuite payment ${copy.id}, which is voided`);
    if (minor(copy.amount, ivd.currency) !== minor(ivd.amount, ivd.currency)) fail(`${what} is ${ivd.amount} on Invoiced but NetSuite payment ${copy.id} is ${copy.amount}`);
    if (customerLink?.netsuiteId !== copy.customer) fail(`${what} belongs to Invoiced customer #${ivd.customer} (linked to ${customerLink?.netsuiteId ?? 'nothing'}) but NetSuite payment ${copy.id} to ${copy.customer}`);
    const wanted = ivd.applications.map((application) => ({ invoice: synced3.get(application.invoice) ?? `(#${application.invoice}, not in NetSuite)`, amount: application.amount }));
    if (applicationKey(wanted, ivd.currency) !== applicationKey(copy.applications, ivd.currency)) {
      fail(`${what} must apply ${JSON.stringify(wanted)} in NetSuite, but payment ${copy.id} applies ${JSON.stringify(copy.applications)}`);
    }
  }
  // Balances: an invoice written to NetSuite whose Invoiced payments are all in NetSuite owes the same on both sides.
  for (const [id, netsuiteId] of synced3) {
    const ivd = now.invoiced.invoices.get(id);
    const ns = now.netsuite.invoices.get(netsuiteId);
    if (ivd === undefined || ns === undefined) continue;
    const payers = [...now.invoiced.payments.values()].filter((payment) => !payment.voided && payment.applications.some((application) => application.invoice === id));
    if (payers.some((payment) => (nsPaymentsByExternalId.get(`invd-pay-${payment.id}`) ?? []).length === 0)) continue;
    if (minor(ns.remaining, ivd.currency) !== minor(ivd.balance, ivd.currency)) {
      fail(`Invoiced invoice #${id} (${ivd.number}) has a balance of ${ivd.balance} but NetSuite invoice ${netsuiteId} ${ns.remaining} unpaid, though all its payments are in NetSuite`);
    }
  }

  // The retry queue holds only records the sync must write and has not: a record that is linked, or one
  // the sync has nothing to write for (voided, a payment of closed invoices only), must not wait.
  const stale = new Set<string>();
  const eligible: Record<string, ReadonlySet<string>> = {
    'netsuite_to_invoiced:invoice': expected.netsuiteInvoices,
    'netsuite_to_invoiced:payment': new Set(expected.netsuitePayments.keys()),
    'invoiced_to_netsuite:invoice': expected.invoicedInvoices,
    'invoiced_to_netsuite:payment': expected.invoicedPayments,
  };
  for (const [key, item] of pending) {
    const links = item.entity === 'invoice' ? invoiceLinks : item.entity === 'payment' ? paymentLinks : item.entity === 'customer' ? customerLinks : undefined;
    const linked = item.direction === 'netsuite_to_invoiced' ? links?.byNetSuite.get(item.sourceId) : links?.byInvoiced.get(item.sourceId);
    if (linked !== undefined && linked.fingerprint !== 'voided') {
      stale.add(key);
      fail(`retry item ${key} (${item.lastError.code}) waits though the record is linked to ${linked.invoicedId}/${linked.netsuiteId}`);
    } else if (eligible[`${item.direction}:${item.entity}`]?.has(item.sourceId) !== true) {
      stale.add(key);
      fail(`retry item ${key} (${item.lastError.code}: ${item.lastError.message}) is for a record the sync has nothing to write for (voided, paying only closed invoices, or not in the books)`);
    }
  }

  // Cursors: every phase completed in the last run, and moved to its start.
  const cursors = await world.cursors();
  for (const phase of PHASES) {
    if (!sameInstant(cursors[phase], last.time)) fail(`the cursor of ${phase} is ${cursors[phase] ?? 'missing'}, not the start of run ${last.plan.number} (${last.time}), which completed`);
  }

  // Every record still waiting failed again, with a record error, in the last run.
  const reported = new Set((last.run?.recordErrors ?? []).map((error) => `${error.direction}:${error.entity}:${error.sourceId}`));
  for (const [key, item] of pending) if (!reported.has(key) && !stale.has(key)) fail(`retry item ${key} (${item.lastError.code}) waits but run ${last.plan.number} reported no record error for it`);
  for (const key of reported) if (!pending.has(key)) fail(`run ${last.plan.number} reported a record error for ${key}, which is not in the retry queue`);
  return violations;
}
