/**
 * What a finished sync of a seed's books must have done, decided from the books as loaded (before the
 * first run) and the rules of docs/sync-engine.md — never from what the engine did:
 *
 * - flow 1: every NetSuite invoice that is open and did not come from Invoiced (external ID
 *   `invd-inv-*`) is on Invoiced once, with `metadata.netsuite_id`. Paid and voided invoices were closed
 *   before the first sync: never imported.
 * - flow 2: every NetSuite payment that is not voided, did not come from Invoiced (`invd-pay-*`), and
 *   pays an invoice of flow 1 (or pays none: money on account) is on Invoiced once, as `NS-PAY-<id>`, with
 *   what it applied to invoices outside the sync left out of its amount. A payment of closed invoices only
 *   is skipped: it must not be on Invoiced.
 * - flow 3: every Invoiced invoice of the books that is not a draft (and not voided) is in NetSuite once,
 *   as `invd-inv-<id>` (the books' copies of some of them are updated in place).
 * - flow 4: every Invoiced payment of the books that is not voided is in NetSuite once, as `invd-pay-<id>`.
 *
 * The books also carry problems the engine deliberately refuses (see `isJustified` in invariants.ts): two
 * NetSuite customers whose names are equal once normalized (exact duplicates, case pairs, NFC/NFD pairs)
 * cannot both be matched to one Invoiced customer (`CUSTOMER_ALREADY_LINKED` / `AMBIGUOUS_CUSTOMER`), and
 * an Invoiced customer named like two NetSuite customers is ambiguous when its invoice is written
 * (`AMBIGUOUS_CUSTOMER`). Payments of such invoices, or of customers that never reach the other side,
 * wait (`PAYMENT_INVOICES_NOT_SYNCED`, `CUSTOMER_NOT_SYNCED`). Those records are the only ones allowed
 * to be missing, and only with a record error saying so.
 */
import { nameKey, type Application, type WorldState } from './state';

/** A NetSuite payment as it must look on Invoiced. */
export interface ExpectedNetSuitePayment {
  readonly id: string;
  /** Its amount less what it applied to invoices outside the sync. */
  readonly amount: number;
  /** Its applications to flow 1 invoices (NetSuite invoice IDs), summed per invoice. */
  readonly applications: readonly Application[];
}

/** What a seed's sync must do. */
export interface Expectations {
  /** Flow 1: NetSuite invoice IDs. */
  readonly netsuiteInvoices: ReadonlySet<string>;
  /** Flow 2: by NetSuite payment ID. */
  readonly netsuitePayments: ReadonlyMap<string, ExpectedNetSuitePayment>;
  /** NetSuite payments that pay only invoices outside the sync: skipped, never on Invoiced. */
  readonly skippedNetSuitePayments: ReadonlySet<string>;
  /** Flow 3: Invoiced invoice IDs. */
  readonly invoicedInvoices: ReadonlySet<string>;
  /** Flow 4: Invoiced payment IDs. */
  readonly invoicedPayments: ReadonlySet<string>;
  /** Normalized customer names held by two or more customers on one side. */
  readonly collidingNames: ReadonlySet<string>;
}

function sumByInvoice(applications: readonly Application[]): Application[] {
  const sums = new Map<string, number>();
  for (const application of applications) sums.set(application.invoice, (sums.get(application.invoice) ?? 0) + application.amount);
  return [...sums].map(([invoice, amount]) => ({ invoice, amount }));
}

/** The expectations of books loaded into a sandbox, from its state before the first run. */
export function expectationsOf(initial: WorldState): Expectations {
  const netsuiteInvoices = new Set<string>();
  for (const invoice of initial.netsuite.invoices.values()) {
    if (invoice.status === 'A' && !(invoice.externalId ?? '').startsWith('invd-inv-')) netsuiteInvoices.add(invoice.id);
  }
  const netsuitePayments = new Map<string, ExpectedNetSuitePayment>();
  const skippedNetSuitePayments = new Set<string>();
  for (const payment of initial.netsuite.payments.values()) {
    if (payment.voided || (payment.externalId ?? '').startsWith('invd-pay-')) continue;
    const inSync = payment.applications.filter((application) => netsuiteInvoices.has(application.invoice));
    if (payment.applications.length > 0 && inSync.length === 0) {
      skippedNetSuitePayments.add(payment.id);
      continue;
    }
    const leftOut = payment.applications.filter((application) => !netsuiteInvoices.has(application.invoice)).reduce((sum, application) => sum + application.amount, 0);
    netsuitePayments.set(payment.id, { id: payment.id, amount: payment.amount - leftOut, applications: sumByInvoice(inSync) });
  }
  const invoicedInvoices = new Set<string>();
  for (const invoice of initial.invoiced.invoices.values()) {
    if (!invoice.draft && !invoice.voided && invoice.netsuiteId === undefined) invoicedInvoices.add(invoice.id);
  }
  const invoicedPayments = new Set<string>();
  for (const payment of initial.invoiced.payments.values()) {
    if (!payment.voided && !(payment.reference ?? '').startsWith('NS-PAY-')) invoicedPayments.add(payment.id);
  }
  const collidingNames = new Set<string>();
  for (const customers of [initial.netsuite.customers, initial.invoiced.customers]) {
    const seen = new Set<string>();
    for (const customer of customers.values()) {
      const key = nameKey(customer.name);
      if (seen.has(key)) collidingNames.add(key);
      seen.add(key);
    }
  }
  return { netsuiteInvoices, netsuitePayments, skippedNetSuitePayments, invoicedInvoices, invoicedPayments, collidingNames };
}
