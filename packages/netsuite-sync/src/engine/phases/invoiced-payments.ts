/**
 * Phase `invoiced_payments` (the spec's "reconciling payments received on Invoiced to NetSuite"):
 * Invoiced payments changed since the cursor are upserted in NetSuite as customer payments
 * (`invd-pay-<id>`) applied to the linked NetSuite invoices, deposited by the payment account rules.
 * Payments of invoices imported from NetSuite are written too: only the invoices themselves are not.
 */
import { isApiError, isNetSuiteSyncError } from '../../errors';
import type { InvoicedPayment } from '../../invoiced/schemas';
import type { EntityKind } from '../../store/sync-store';
import { fingerprint, invoicedPaymentToNetSuite, MappingError } from '../../mapping/index';
import type { Phase, PhaseDeps, PhaseRun } from '../contracts';
import { currencyMapFor } from '../currencies';
import { netsuiteClockOf } from '../netsuite-clock';
import { FieldMapper } from '../records/field-mapper';
import { requiredFieldRefusal } from '../records/required-fields';
import { readInvoicedRecords } from '../records/invoiced-reads';
import { skipUnchanged, upsertedInNetSuite } from '../records/outcomes';
import { deletedInNetSuite, followInvoicedVoid, GONE } from '../records/voids';
import { RecordDeferred } from '../run/deferred';

const PHASE = 'invoiced_payments';
/**
 * The phases that may save a link a payment relies on, by the error its lack gives: its customer's (every
 * phase that resolves customers: the NetSuite payment phase links those of the memos payments apply), its
 * invoices' (the phases that write invoices across) and its credit notes' (those that write credit
 * memos or credit notes across, the NetSuite payment phase included). The phase starts once
 * `invoiced_invoices` has written what it could at once; a payment one of whose links is missing while a
 * phase that may save it still runs waits for those phases (deferred), and is handled as when it ran after
 * them.
 */
const LINKING: Readonly<Record<string, readonly string[]>> = {
  CUSTOMER_NOT_SYNCED: ['netsuite_invoices', 'netsuite_credit_memos', 'netsuite_payments', 'invoiced_invoices', 'invoiced_credit_notes'],
  PAYMENT_INVOICES_NOT_SYNCED: ['netsuite_invoices', 'invoiced_invoices'],
  PAYMENT_CREDIT_NOTES_NOT_SYNCED: ['netsuite_credit_memos', 'netsuite_payments', 'invoiced_credit_notes'],
};
/** Every phase that may save a link a payment relies on. */
const ANY_LINKING = [...new Set(Object.values(LINKING).flat())];
const DIRECTION = 'invoiced_to_netsuite' as const;

export const invoicedPaymentsPhase: Phase = {
  name: PHASE,
  after: ['invoiced_events', 'netsuite_deletions', 'invoiced_invoices:ready'],
  targets: 'payment',
  enabled: (settings) => settings.phases.writeInvoicedPayments,
  run: writeInvoicedPayments,
};

/** Runs the phase. */
async function writeInvoicedPayments(context: PhaseRun, deps: PhaseDeps): Promise<void> {
  const { store, connectionId, settings, invoiced, writer } = deps;
  const signal = context.signal;
  const phaseStart = context.now();
  const cursor = await store.getCursor(connectionId, PHASE);
  const since = cursor === null ? 0 : Math.floor((Date.parse(cursor) - settings.cursorOverlapMs) / 1000);

  // Dates are days in the NetSuite account's time zone. Read once, before any record: a failure to read
  // NetSuite's clock is the run's, not each record's.
  const clock = await netsuiteClockOf(context, deps);
  const mapper = new FieldMapper(context, deps);

  /**
   * Payments NetSuite refused for an amount due that another payment of this phase may still free: one
   * voided on Invoiced whose NetSuite copy is deleted, or one reduced, handled later in the phase (or at
   * the same time). Each is tried once more after every other payment.
   */
  const refusedOnce: InvoicedPayment[] = [];

  const handlePayment = async (payment: InvoicedPayment, lastTry = false): Promise<void> => {
    const invoicedId = String(payment.id);
    const number = payment.reference ?? null;
    const label = number ?? `#${invoicedId}`;
    const ref = { direction: DIRECTION, entity: 'payment' as const, sourceId: invoicedId, number };
    let print: string | null = null;
    /** The links whose lack the payment's error names: saved by a phase running beside this one, it is handed again. */
    let missing: { kind: EntityKind; ids: string[] } | undefined;
    // The phases that may save its links, as they were before it looked them up: one that saved a link and
    // ended while the payment was still mapping (after its look-up) is one the payment waits for too, and
    // it is handed again at once, to find the link.
    const linkingBefore = context.phasesRunning(ANY_LINKING);
    try {
      const link = await store.findLinkByInvoicedId(connectionId, 'payment', invoicedId);
      // `NS-PAY-`: a NetSuite payment's copy; `NS-CM-`: the payment that applies an imported credit memo.
      if (link?.origin === 'netsuite' || (link === null && /^NS-(PAY|CM)-/.test(payment.reference ?? ''))) {
        await context.skipped(ref, 'came from NetSuite');
        return;
      }
      if (payment.voided === true) {
        await followInvoicedVoid(context, deps, { kind: 'payment', invoicedId, label, number, link });
        return;
      }
      if (link?.fingerprint === GONE.deletedInNetSuite) throw deletedInNetSuite('payment', label, link.netsuiteId, number);
      const customerLink = await store.findLinkByInvoicedId(connectionId, 'customer', String(payment.customer));
      if (customerLink === null) {
        missing = { kind: 'customer', ids: [String(payment.customer)] };
        throw new MappingError(
          'CUSTOMER_NOT_SYNCED',
          `Payment ${label}: its customer (Invoiced #${payment.customer}) is not in NetSuite yet.`,
          'A customer is written to NetSuite with its first invoice. The payment is retried on every run until then.',
          number,
        );
      }
      // Invoiced answers a payment's applications only when asked (`include=applied_to`): a payment read
      // without them is read again, and never taken for a payment applied to nothing.
      const appliedTo = payment.applied_to ?? (await invoiced.payments.retrieve(payment.id, { signal })).applied_to;
      if (appliedTo === undefined) {
        throw new MappingError(
          'PAYMENT_APPLICATIONS_UNKNOWN',
          `Payment ${label}: Invoiced did not say how it is applied (no applied_to, even when asked for it with include=applied_to).`,
          'The payment is not written until Invoiced says how it is applied, and is retried on every run. If this persists, make sure nothing between the sync and Invoiced (a proxy, a custom base URL) drops the include=applied_to parameter or the field.',
          number,
        );
      }
      const applied: InvoicedPayment = { ...payment, applied_to: appliedTo };
      const invoiceLinks = new Map<string, string>();
      const creditLinks = new Map<string, string>();
      /** Credit notes linked to a credit memo they voided: not a link another phase will save. */
      const voidedCredits = new Set<string>();
      for (const application of appliedTo) {
        if (application.type !== 'invoice' && application.type !== 'credit_note') continue;
        if (application.invoice !== null && application.invoice !== undefined && !invoiceLinks.has(String(application.invoice))) {
          const invoiceLink = await store.findLinkByInvoicedId(connectionId, 'invoice', String(application.invoice));
          if (invoiceLink !== null) invoiceLinks.set(String(application.invoice), invoiceLink.netsuiteId);
        }
        if (application.type === 'credit_note' && application.credit_note !== null && application.credit_note !== undefined) {
          const creditLink = await store.findLinkByInvoicedId(connectionId, 'creditNote', String(application.credit_note));
          if (creditLink !== null && creditLink.fingerprint !== GONE.voided) creditLinks.set(String(application.credit_note), creditLink.netsuiteId);
          else if (creditLink !== null) voidedCredits.add(String(application.credit_note));
        }
      }
      const mapping = invoicedPaymentToNetSuite(applied, customerLink.netsuiteId, {
        netsuiteInvoiceFor: (id) => {
          const netsuiteId = invoiceLinks.get(id);
          return netsuiteId === undefined ? undefined : { id: netsuiteId };
        },
        netsuiteCreditMemoFor: (id) => {
          const netsuiteId = creditLinks.get(id);
          return netsuiteId === undefined ? undefined : { id: netsuiteId };
        },
        accountRules: settings.paymentAccounts,
        currencies: await currencyMapFor(context, deps, [payment.currency]),
        timeZone: clock.mappingTimeZone,
      });
      if (mapping.missingInvoices.length > 0) {
        missing = { kind: 'invoice', ids: mapping.missingInvoices.map((entry) => entry.invoicedInvoiceId) };
        throw new MappingError(
          'PAYMENT_INVOICES_NOT_SYNCED',
          `Payment ${label}: it pays Invoiced invoices that are not in NetSuite (${mapping.missingInvoices.map((missing) => `#${missing.invoicedInvoiceId}: ${missing.amount}`).join(', ')}).`,
          'A payment is written once every invoice it pays is in NetSuite (drafts never are), and is retried on every run until then.',
          number,
        );
      }
      if (mapping.missingCreditNotes.length > 0) {
        missing = { kind: 'creditNote', ids: mapping.missingCreditNotes.map((entry) => entry.invoicedCreditNoteId).filter((id) => !voidedCredits.has(id)) };
        throw new MappingError(
          'PAYMENT_CREDIT_NOTES_NOT_SYNCED',
          `Payment ${label}: it applies Invoiced credit notes that are not in NetSuite (${mapping.missingCreditNotes.map((missing) => `#${missing.invoicedCreditNoteId}: ${missing.amount}`).join(', ')}).`,
          'A payment is written once every credit note it applies is in NetSuite as a credit memo (written by the credit note phase, or imported from NetSuite), and is retried on every run until then. Check the credit notes\' own errors in Recent Syncs.',
          number,
        );
      }
      if (mapping.unsupported.length > 0) {
        throw new MappingError(
          'APPLIED_CREDIT_NOT_SUPPORTED',
          `Payment ${label}: it applies the customer's credit balance on Invoiced (${mapping.unsupported.map((entry) => entry.amount).join(', ')}), which names no document NetSuite could apply.`,
          'In NetSuite, apply the customer\'s unapplied payment or credit memo to the invoice by hand, then ignore this record; or, on Invoiced, apply a credit note instead of the credit balance, and the sync writes it.',
          number,
        );
      }
      const paymentBody = await mapper.toNetSuite('customerPayment', mapping.body, payment, {
        label: `Payment ${label}`,
        currency: payment.currency,
        customer: payment.customer ?? undefined,
        netsuiteCustomer: customerLink.netsuiteId,
        timeZone: clock.mappingTimeZone,
      });
      print = fingerprint(paymentBody);
      if (await skipUnchanged(context, { ...ref, link, fingerprint: print })) return;
      // An upsert by external ID: repeating it after a crash or a lost response never duplicates.
      // `replace`: on an existing payment NetSuite would keep applied the invoices (and credits) the body leaves out.
      // A sublist named in `replace` but left out of the body may be kept as it is: an explicit empty
      // `credit` list takes back the credits of a payment that no longer applies any (not fingerprinted, so
      // payments without credits are not rewritten for it).
      const request = paymentBody.credit === undefined ? { ...paymentBody, credit: { items: [] } } : paymentBody;
      const written = await writer.netsuite.upsert('customerPayment', paymentBody.externalId, request, { signal, replace: ['apply', 'credit'] }).catch((error: unknown) => {
        throw requiredFieldRefusal(error, 'customerPayment', `Payment ${label}`, number) ?? refusedByNetSuite(error, { label, externalId: paymentBody.externalId, number });
      });
      const netsuiteId = written.id ?? link?.netsuiteId;
      if (netsuiteId === undefined) {
        throw new MappingError('WRITTEN_RECORD_NOT_FOUND', `NetSuite accepted payment ${label} but did not say its ID.`, 'Retry the payment.', number);
      }
      await store.saveLink(connectionId, { kind: 'payment', invoicedId, netsuiteId, origin: 'invoiced', fingerprint: print });
      await context.succeeded(upsertedInNetSuite(ref, netsuiteId, link !== null));
    } catch (error) {
      // A link it needs is missing while a phase that may still save it runs: it waits for them (see LINKING).
      const linking = !lastTry && isNetSuiteSyncError(error) ? LINKING[error.code] : undefined;
      const running = linking === undefined ? [] : linkingBefore.filter((name) => linking.includes(name));
      if (running.length > 0) throw new RecordDeferred(running, missing === undefined ? undefined : { kind: missing.kind, invoicedIds: missing.ids });
      if (!lastTry && isNetSuiteSyncError(error) && error.code === 'PAYMENT_REFUSED_BY_NETSUITE') {
        refusedOnce.push(payment);
        return;
      }
      await context.failed(ref, error, print);
    }
  };

  const read = await readInvoicedRecords(context, deps, {
    entity: 'payment',
    changed: () => invoiced.payments.list({ updatedAfter: since, sort: 'updated_at ASC', signal }),
    retrieve: (id) => invoiced.payments.retrieve(id, { signal }),
    handle: (payment) => handlePayment(payment),
    limit: settings.recordConcurrency,
    fromNetSuite: 'came from NetSuite',
  });
  // One at a time: two of them may pay the same invoice.
  for (const payment of refusedOnce) {
    context.checkpoint();
    await handlePayment(payment, true);
  }
  await context.flushErrors();
  context.count('invoiced_payments_read', read.changed + read.byId);
  if (read.moveCursor) await store.setCursor(connectionId, PHASE, phaseStart.toISOString());
}

/**
 * NetSuite's refusal (`USER_ERROR`) to write an Invoiced payment, as the record's error: most often an
 * invoice it pays was paid in NetSuite meanwhile ("The amount applied to invoice ... exceeds its amount
 * due"), a double payment only a person can sort out. Other errors are returned as they are.
 */
function refusedByNetSuite(error: unknown, payment: { label: string; externalId: string; number: string | null }): unknown {
  if (!isApiError(error) || error.api !== 'netsuite' || error.status !== 400 || error.code !== 'USER_ERROR') return error;
  return new MappingError(
    'PAYMENT_REFUSED_BY_NETSUITE',
    `Payment ${payment.label}: NetSuite refused to write it as customer payment ${payment.externalId}: ${error.message}`,
    'An invoice it pays has nothing left due in NetSuite, even after the run wrote every other payment (and deleted the NetSuite copies of payments voided on Invoiced). The customer paid twice, or one payment was recorded on both sides: unapply or refund one of the two (in NetSuite, or void this one on Invoiced), then retry this record.',
    payment.number ?? undefined,
    { entity: 'payment', details: { externalId: payment.externalId }, cause: error },
  );
}
