/**
 * What a finished sync must have done, decided from the books as the world left them (the state after the
 * last change a person made, which no clean run changes on its own) and the rules of docs/sync-engine.md —
 * never from what the engine did. In the first version of the harness the books never changed and this
 * was decided once, from the books as loaded; now it is decided from the state at the end:
 *
 * - flow 1: every NetSuite invoice that is **open now** and did not come from Invoiced (`invd-inv-*`) is
 *   on Invoiced once, with `metadata.netsuite_id`. An invoice closed before the first run (paid, voided)
 *   is never imported. One that closed later (paid in full, voided, deleted) may or may not have been
 *   imported while it was open: if it was, its copy must still be right (checked in flows.ts).
 * - flow 2: a NetSuite payment that is not voided and did not come from Invoiced (`invd-pay-*`) is **in
 *   the sync** when it pays an invoice that is (one with a copy on Invoiced or waiting in the retry queue)
 *   or pays none (money on account); it is on Invoiced once, as `NS-PAY-<id>`, with what it applied to
 *   invoices outside the sync left out of its amount. A payment of invoices outside the sync only is
 *   skipped: it must not be on Invoiced. (Whether an invoice is in the sync used to be "open before the
 *   first run"; now an invoice made and paid in full between two runs never is.)
 * - flow 3: every Invoiced invoice that is not a draft, not voided and did not come from NetSuite is in
 *   NetSuite once, as `invd-inv-<id>`, with its current lines.
 * - flow 4: every Invoiced payment that is not voided and did not come from NetSuite (`NS-PAY-*`) is in
 *   NetSuite once, as `invd-pay-<id>`, with its current amount and applications.
 *
 * Names: two customers on one side whose names are equal once normalized (the generator's duplicates
 * and case pairs, and the clashing customers people add, also those named like a customer the sync made
 * on that side) cannot both be matched to one customer on the other side (`CUSTOMER_ALREADY_LINKED` /
 * `AMBIGUOUS_CUSTOMER`); such records may be missing, with that record error, and so may the payments
 * waiting on them.
 */
import type { RetryItem } from '../../src/index';
import type { WorldLedger } from './ledger';
import { nameKey, type Application, type CreditApplication, type WorldState } from './state';
import { refundedByDocument } from './state-refunds';

/** A NetSuite payment as it must look on Invoiced. */
export interface ExpectedNetSuitePayment {
  readonly id: string;
  /** Its amount less what NetSuite customer refunds (not voided) took of it and what it applied to invoices outside the sync. */
  readonly amount: number;
  /** What NetSuite customer refunds that are not voided took of its unapplied cash. */
  readonly refunded: number;
  /** Its applications to invoices in the sync (NetSuite invoice IDs), summed per invoice: cash and credits together. */
  readonly applications: readonly Application[];
  /** The credit memos it applies (their `credit` lines). */
  readonly credits: readonly CreditApplication[];
  /** How much of its credits goes to invoices in the sync (credits go there first): the credit notes' total on Invoiced. */
  readonly creditsInSync: number;
}

/** A NetSuite credit memo the sync may import (not a copy of an Invoiced credit note), as it must look on Invoiced. */
export interface ExpectedCreditMemo {
  readonly id: string;
  /** Whether it must be on Invoiced: not voided, and open, applied to an invoice in the sync, or applied by a payment in the sync. */
  readonly required: boolean;
  /** Its own applications to invoices in the sync (NetSuite invoice IDs), summed per invoice. */
  readonly applications: readonly Application[];
  /** What it applied itself, and what payments applied of it, to invoices outside the sync: credit Invoiced keeps. */
  readonly leftOut: number;
  /** What NetSuite customer refunds that are not voided took of it: credit Invoiced keeps too (a refund is only noted), unless nothing is left, which closes the credit note. */
  readonly refunded: number;
}

/** What the sync must have done, given the books as they are now. */
export interface Expectations {
  /** Flow 1, must be on Invoiced: open NetSuite invoice IDs. */
  readonly netsuiteInvoices: ReadonlySet<string>;
  /** Flow 1, may be on Invoiced (once, right): every NetSuite invoice that was open at some time, deleted ones included. */
  readonly importable: ReadonlySet<string>;
  /** Flow 2: by NetSuite payment ID. */
  readonly netsuitePayments: ReadonlyMap<string, ExpectedNetSuitePayment>;
  /** NetSuite payments that pay only invoices outside the sync: skipped, never on Invoiced. */
  readonly skippedNetSuitePayments: ReadonlySet<string>;
  /** Flow 3: Invoiced invoice IDs. */
  readonly invoicedInvoices: ReadonlySet<string>;
  /** Flow 4: Invoiced payment IDs. */
  readonly invoicedPayments: ReadonlySet<string>;
  /** Invoiced invoices, payments and credit notes a person voided (or deleted) during the runs (`invoice:<id>`, ...): their NetSuite copies must go. */
  readonly voidedOnInvoiced: ReadonlySet<string>;
  /** NetSuite credit memos the sync may import, voided ones included: by NetSuite ID. */
  readonly netsuiteCreditMemos: ReadonlyMap<string, ExpectedCreditMemo>;
  /** Invoiced credit notes made on Invoiced, issued and not voided: in NetSuite as `invd-cn-<id>`. */
  readonly invoicedCreditNotes: ReadonlySet<string>;
  /** Normalized customer names held by two or more customers on one side. */
  readonly collidingNames: ReadonlySet<string>;
}

function sumByInvoice(applications: readonly Application[]): Application[] {
  const sums = new Map<string, number>();
  for (const application of applications) sums.set(application.invoice, (sums.get(application.invoice) ?? 0) + application.amount);
  return [...sums].map(([invoice, amount]) => ({ invoice, amount }));
}

const fromInvoiced = (externalId: string | undefined, prefix: string) => (externalId ?? '').startsWith(prefix);

/** The expectations of the world `now`, with the retry queue `retries` and what `ledger` knows of the books' history. */
export function expectationsOf(now: WorldState, ledger: WorldLedger, retries: readonly RetryItem[]): Expectations {
  const queued = new Set(retries.filter((item) => item.status === 'pending').map((item) => `${item.direction}:${item.entity}:${item.sourceId}`));
  const netsuiteInvoices = new Set<string>();
  const importable = new Set<string>();
  for (const invoice of [...now.netsuite.invoices.values(), ...[...ledger.deletedNetSuiteInvoices].flatMap((id) => ledger.initial.netsuite.invoices.get(id) ?? [])]) {
    if (fromInvoiced(invoice.externalId, 'invd-inv-') || ledger.closedBeforeFirstRun.has(invoice.id)) continue;
    importable.add(invoice.id);
    if (invoice.status === 'A' && now.netsuite.invoices.has(invoice.id)) netsuiteInvoices.add(invoice.id);
  }
  for (const id of ledger.deletedNetSuiteInvoices) importable.add(id);
  const copied = new Set([...now.invoiced.invoices.values()].flatMap((invoice) => (invoice.netsuiteId === undefined ? [] : [invoice.netsuiteId])));
  const inSync = (id: string) => importable.has(id) && (copied.has(id) || queued.has(`netsuite_to_invoiced:invoice:${id}`));

  const refunded = refundedByDocument(now.refunds);
  const netsuitePayments = new Map<string, ExpectedNetSuitePayment>();
  const skippedNetSuitePayments = new Set<string>();
  for (const payment of now.netsuite.payments.values()) {
    if (payment.voided || fromInvoiced(payment.externalId, 'invd-pay-')) continue;
    const included = payment.applications.filter((application) => inSync(application.invoice));
    if (payment.applications.length > 0 && included.length === 0) {
      skippedNetSuitePayments.add(payment.id);
      continue;
    }
    const leftOut = payment.applications.filter((application) => !inSync(application.invoice)).reduce((sum, application) => sum + application.amount, 0);
    const credits = payment.credits.reduce((sum, credit) => sum + credit.amount, 0);
    const synced = included.reduce((sum, application) => sum + application.amount, 0);
    // The credits go to the invoices in the sync first; what they leave of those outside it is the cash left out.
    const creditsInSync = Math.min(credits, synced);
    const refunds = refunded.get(payment.id) ?? 0;
    netsuitePayments.set(payment.id, { id: payment.id, amount: payment.amount - refunds - (leftOut - (credits - creditsInSync)), refunded: refunds, applications: sumByInvoice(included), credits: payment.credits, creditsInSync });
  }
  const netsuiteCreditMemos = new Map<string, ExpectedCreditMemo>();
  for (const memo of now.netsuite.creditMemos.values()) {
    if (fromInvoiced(memo.externalId, 'invd-cn-')) continue;
    const payers = [...netsuitePayments.values()].filter((payment) => payment.credits.some((credit) => credit.credit === memo.id));
    const included = memo.applications.filter((application) => inSync(application.invoice));
    const outside = memo.applications.filter((application) => !inSync(application.invoice)).reduce((sum, application) => sum + application.amount, 0);
    const paidOutside = [...now.netsuite.payments.values()]
      .filter((payment) => !payment.voided && payment.credits.some((credit) => credit.credit === memo.id) && payment.applications.some((application) => !inSync(application.invoice)))
      .reduce((sum, payment) => sum + payment.credits.filter((credit) => credit.credit === memo.id).reduce((total, credit) => total + credit.amount, 0), 0);
    const required = memo.status !== 'V' && (memo.status === 'A' || included.length > 0 || payers.some((payment) => payment.applications.length > 0));
    netsuiteCreditMemos.set(memo.id, { id: memo.id, required, applications: sumByInvoice(included), leftOut: outside + paidOutside, refunded: refunded.get(memo.id) ?? 0 });
  }
  const invoicedInvoices = new Set<string>();
  const voidedOnInvoiced = new Set<string>();
  for (const invoice of now.invoiced.invoices.values()) {
    if (invoice.netsuiteId !== undefined) continue;
    if (!invoice.draft && !invoice.voided) invoicedInvoices.add(invoice.id);
    if (invoice.voided && ledger.initial.invoiced.invoices.get(invoice.id)?.voided !== true) voidedOnInvoiced.add(`invoice:${invoice.id}`);
  }
  const invoicedCreditNotes = new Set<string>();
  for (const note of now.invoiced.creditNotes.values()) {
    if (note.netsuiteId !== undefined) continue;
    if (!note.draft && !note.voided) invoicedCreditNotes.add(note.id);
    if (note.voided && ledger.initial.invoiced.creditNotes.get(note.id)?.voided !== true) voidedOnInvoiced.add(`creditNote:${note.id}`);
  }
  const invoicedPayments = new Set<string>();
  for (const payment of now.invoiced.payments.values()) {
    // Payments the sync made on Invoiced: those of NetSuite payments, and those that apply NetSuite credit memos.
    if (/^NS-(PAY|CM)-/.test(payment.reference ?? '')) continue;
    if (!payment.voided) invoicedPayments.add(payment.id);
    else if (ledger.initial.invoiced.payments.get(payment.id)?.voided !== true) voidedOnInvoiced.add(`payment:${payment.id}`);
  }
  // Deleted on Invoiced by a person: followed as a void is (the copy deleted, or a record error).
  for (const key of ledger.deletedOnInvoiced) voidedOnInvoiced.add(key);
  const collidingNames = new Set<string>();
  for (const side of ['netsuite', 'invoiced'] as const) {
    const world = ledger.baseline[side].customers;
    const seen = new Set<string>();
    for (const customer of world.values()) {
      const key = nameKey(customer.name);
      if (seen.has(key)) collidingNames.add(key);
      seen.add(key);
    }
    // A customer the sync made has its source's name, which no customer of the books shares (else it would
    // have been matched, not made); but a customer a person adds later may take it, and the two then share it.
    const added = new Set([...world.values()].filter((customer) => !ledger.initial[side].customers.has(customer.id)).map((customer) => nameKey(customer.name)));
    for (const customer of now[side].customers.values()) {
      if (!world.has(customer.id) && added.has(nameKey(customer.name))) collidingNames.add(nameKey(customer.name));
    }
  }
  return { netsuiteInvoices, importable, netsuitePayments, skippedNetSuitePayments, invoicedInvoices, invoicedPayments, voidedOnInvoiced, netsuiteCreditMemos, invoicedCreditNotes, collidingNames };
}
