/**
 * Phase `netsuite_payments` (the spec's "syncing payments recorded on NetSuite to Invoiced"): NetSuite
 * customer payments changed since the cursor become Invoiced payments applied to the linked invoices.
 * A payment waits (as a record error, retried every run) until every invoice it pays is on Invoiced, so
 * it is never applied in part; a voided payment voids its Invoiced counterpart.
 */
import { fingerprint, isNetSuitePaymentVoided, MappingError, netsuitePaymentToInvoiced } from '../../mapping/index';
import type { SuiteQLRow } from '../../netsuite/suiteql';
import type { Phase, PhaseDeps, PhaseRun } from '../contracts';
import { netsuitePhaseWindow } from '../netsuite-clock';
import { changedPaymentsQuery, creditMemosByIdQuery, loadPaymentApplications, loadRefunds, refundedSince, valueText } from '../netsuite-queries';
import { mappedSelect, withMappedColumns } from '../mapped-columns';
import { pendingRetries, retriesSeen, settleVanished, skipUnchanged } from '../records/outcomes';
import { CREDIT_MEMO_BATCH, netsuiteCreditMemoBatches } from '../records/netsuite-credit-memos';
import { InvoicedRecovery } from '../records/recovery';
import { GONE, voidOnInvoiced } from '../records/voids';
import { inBatches, recordSlots } from '../run/concurrent';

const PHASE = 'netsuite_payments';
const DIRECTION = 'netsuite_to_invoiced' as const;
const BATCH = 200;

/**
 * The phase starts with the run and reads ahead (its payments, their applications and refunds) while
 * `netsuite_invoices` runs, when NetSuite's request slots are mostly free; it handles a payment once that
 * phase has settled (a payment pays invoices found by link), and one that applies credit memos once
 * `netsuite_credit_memos` has settled too (the credits are found by link, and that phase may be importing
 * them).
 */
const INVOICES = ['netsuite_invoices'];
const CREDITS = ['netsuite_invoices', 'netsuite_credit_memos'];

export const netsuitePaymentsPhase: Phase = {
  name: PHASE,
  after: [],
  enabled: (settings) => settings.phases.readNetSuitePayments,
  run: importNetSuitePayments,
};

/** Runs the phase. */
async function importNetSuitePayments(context: PhaseRun, deps: PhaseDeps): Promise<void> {
  const { store, connectionId, settings, writer } = deps;
  const signal = context.signal;
  const reach = await netsuitePhaseWindow(context, deps, PHASE);
  const pending = await pendingRetries(context, DIRECTION, 'payment');
  // On the phase's first run, payments may already be on Invoiced from before: Invoiced's list is read once.
  const recovery = InvoicedRecovery.payments(context, deps, { scanAll: reach.since === null });
  // Its pages follow one another: read while the invoice phase runs, they hold up no payment.
  recovery.warm();
  // NetSuite invoices whose import failed (and may succeed later): a payment of one of them waits. Read once
  // the invoice phase has settled, before the first payment is handled.
  let queuedInvoices = new Set<string>();
  let invoicesSettled: Promise<void> | undefined;
  const afterInvoices = (): Promise<void> =>
    (invoicesSettled ??= context.phasesSettled(INVOICES).then(async () => {
      context.checkpoint();
      queuedInvoices = new Set((await context.retryItems()).filter((item) => item.direction === DIRECTION && item.entity === 'invoice').map((item) => item.sourceId));
    }));

  const handlePayment = async (row: SuiteQLRow, applications: readonly SuiteQLRow[], refunds: readonly SuiteQLRow[]): Promise<void> => {
    const netsuiteId = valueText(row.id);
    const number = valueText(row.tranid) || null;
    const label = number ?? netsuiteId;
    const ref = { direction: DIRECTION, entity: 'payment' as const, sourceId: netsuiteId, number };
    let print: string | null = null;
    try {
      if (valueText(row.externalid).startsWith('invd-pay-')) {
        await context.skipped(ref, 'written to NetSuite from Invoiced');
        return;
      }
      const link = await store.findLinkByNetSuiteId(connectionId, 'payment', netsuiteId);
      if (link?.origin === 'invoiced') {
        await context.skipped(ref, 'came from Invoiced');
        return;
      }
      // A link from a credit memo is a credit the payment applies, not an invoice it pays.
      const credits = applications.filter((application) => valueText(application.previoustype) === 'CustCred');
      const paid = applications.filter((application) => valueText(application.previoustype) !== 'CustCred');
      const invoiceLinks = new Map<string, string>();
      for (const application of paid) {
        const invoiceId = valueText(application.previousdoc);
        const invoiceLink = await store.findLinkByNetSuiteId(connectionId, 'invoice', invoiceId);
        if (invoiceLink !== null) invoiceLinks.set(invoiceId, invoiceLink.invoicedId);
      }
      const creditLinks = new Map<string, string>();
      for (const credit of credits) {
        const memoId = valueText(credit.previousdoc);
        const creditLink = await store.findLinkByNetSuiteId(connectionId, 'creditNote', memoId);
        if (creditLink !== null && creditLink.fingerprint !== GONE.voided) creditLinks.set(memoId, creditLink.invoicedId);
      }
      // An invoice that is neither linked nor waiting in the retry queue will never be imported: it was
      // closed before the first sync, or dated before invoiceStartDate. A payment of such invoices only
      // has nothing to be applied to on Invoiced, which is not an error; of a payment that also pays
      // imported invoices, what such invoices got is left out of its amount on Invoiced.
      const unlinked = paid.map((application) => valueText(application.previousdoc)).filter((id) => !invoiceLinks.has(id));
      const waitingOn = unlinked.filter((id) => queuedInvoices.has(id));
      if (link === null && unlinked.length > 0 && invoiceLinks.size === 0 && waitingOn.length === 0) {
        await context.skipped(ref, 'pays no invoice that was imported (closed before the first sync, or before invoiceStartDate)');
        return;
      }
      // A voided payment that was never synced needs nothing, whatever else it lacks.
      if (link === null && isNetSuitePaymentVoided(row)) {
        await context.skipped(ref, 'voided');
        return;
      }
      const customerLink = await store.findLinkByNetSuiteId(connectionId, 'customer', valueText(row.entity));
      if (customerLink === null) {
        throw new MappingError(
          'CUSTOMER_NOT_SYNCED',
          `Payment ${label}: its customer (NetSuite ${valueText(row.entity)}) is not on Invoiced yet.`,
          'A customer is imported with its first open invoice. The payment is retried on every run until then.',
          number,
        );
      }
      const mapping = netsuitePaymentToInvoiced(row, applications, Number(customerLink.invoicedId), {
        invoicedInvoiceIdFor: (id) => invoiceLinks.get(id),
        invoicedCreditNoteIdFor: (id) => creditLinks.get(id),
        refunds,
        outsideSync: (id) => !queuedInvoices.has(id),
        timeZone: reach.clock.mappingTimeZone,
      });
      if (mapping.voided) {
        if (link === null || link.fingerprint === GONE.voided) {
          await context.skipped(ref, 'voided');
          return;
        }
        await voidOnInvoiced(deps, 'payment', Number(link.invoicedId), signal);
        await store.saveLink(connectionId, { ...link, fingerprint: GONE.voided });
        await context.succeeded({ ...ref, targetId: link.invoicedId, action: 'updated', change: 'void', reason: 'voided in NetSuite' });
        return;
      }
      if (mapping.missingInvoices.length > 0) {
        throw new MappingError(
          'PAYMENT_INVOICES_NOT_SYNCED',
          `Payment ${label}: it pays NetSuite invoices that are not on Invoiced (${mapping.missingInvoices.map((missing) => `${missing.netsuiteInvoiceId}: ${missing.amount}`).join(', ')}).`,
          'Only open invoices are imported; a payment is applied once every invoice it pays is on Invoiced, and is retried on every run until then. Import or skip those invoices, or ignore this payment.',
          number,
        );
      }
      if (mapping.missingCredits.length > 0) {
        throw new MappingError(
          'PAYMENT_CREDITS_NOT_SYNCED',
          `Payment ${label}: it applies NetSuite credit memos that are not on Invoiced (${mapping.missingCredits.map((missing) => `${missing.netsuiteCreditMemoId}: ${missing.amount}`).join(', ')}).`,
          'The payment is applied once every credit it applies is on Invoiced, and is retried on every run until then: the sync imports the credit memos a payment applies (see their own errors in Recent Syncs). A credit memo the sync wrote from an Invoiced credit note (external ID invd-cn-…) that is no longer linked (the credit note was deleted on Invoiced) is never imported: unapply it from this payment in NetSuite, or restore the credit on Invoiced and ignore this record.',
          number,
        );
      }
      print = fingerprint(mapping.body);
      if (await skipUnchanged(context, { ...ref, link, fingerprint: print })) return;
      const { customer: _customer, currency: _currency, ...changes } = mapping.body;
      // Invoiced's API reference gives payments no metadata: a crash after the create is recovered by the
      // payment's stable reference.
      const recovered = link === null ? await recovery.find(netsuiteId, mapping.body.reference) : undefined;
      const invoicedId = link?.invoicedId ?? (recovered === undefined ? undefined : String(recovered));
      if (invoicedId !== undefined) {
        await writer.invoiced.updatePayment(Number(invoicedId), changes, { signal });
        await store.saveLink(connectionId, { kind: 'payment', invoicedId, netsuiteId, origin: link?.origin ?? 'netsuite', fingerprint: print });
        const reason = link === null ? 'found on Invoiced by its reference, not linked yet' : 'changed in NetSuite';
        await context.succeeded({ ...ref, targetId: invoicedId, action: link === null ? 'linked' : 'updated', change: 'update', reason });
        return;
      }
      const idempotencyKey = await recovery.beforeCreate(netsuiteId, number, print, `ns-pay-${netsuiteId}-${print.slice(0, 24)}`);
      const created = await writer.invoiced.createPayment(mapping.body, { idempotencyKey, signal });
      await store.saveLink(connectionId, { kind: 'payment', invoicedId: String(created.id), netsuiteId, origin: 'netsuite', fingerprint: print });
      await context.succeeded({ ...ref, targetId: String(created.id), action: 'created', change: 'create', reason: 'new payment in NetSuite' });
    } catch (error) {
      await context.failed(ref, error, print);
    }
  };

  // Credit memos the payments apply that are not on Invoiced yet (applied in full before the first run, or
  // after the credit memo phase read them) are imported first, whatever they are applied to. Only the
  // payments that apply one wait for its import; a memo two batches apply is imported by the first, and the
  // payments of the second wait for that import (then find its link) instead of importing it again.
  const creditMemos = settings.phases.readNetSuiteCreditMemos ? netsuiteCreditMemoBatches(context, deps, { scanAll: false, required: true }) : undefined;
  /** Imports started, by memo ID: each settles (never rejects) once its import has ended. */
  const importing = new Map<string, Promise<void>>();
  /** Starts importing the memos `applications` apply that are neither linked nor being imported; resolves once started, with that import. */
  const importAppliedCredits = async (applications: Map<string, SuiteQLRow[]>): Promise<{ imported: Promise<void> }> => {
    if (creditMemos === undefined) return { imported: Promise.resolve() };
    let settle!: { resolve: () => void; reject: (error: unknown) => void };
    const imported = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // A failed import is its batch's error (it ends the run); to the payments waiting for it, nothing to wait for.
    const waited = imported.catch(() => undefined);
    const wanted: string[] = [];
    for (const rows of applications.values()) {
      for (const row of rows) {
        if (valueText(row.previoustype) !== 'CustCred') continue;
        const memoId = valueText(row.previousdoc);
        if (importing.has(memoId)) continue;
        const linked = (await store.findLinkByNetSuiteId(connectionId, 'creditNote', memoId)) !== null;
        // Claimed at once (batches look side by side): another batch that applies it waits for this import.
        if (!linked && !importing.has(memoId)) {
          wanted.push(memoId);
          importing.set(memoId, waited);
        }
      }
    }
    if (wanted.length === 0) {
      settle.resolve();
      return { imported };
    }
    const query = creditMemosByIdQuery(wanted, mappedSelect(deps.settings.netsuiteFields, 'creditMemo', 't'));
    inBatches(withMappedColumns(deps.netsuite.suiteqlAll(query, { signal }), deps.settings.netsuiteFields, 'creditMemo'), CREDIT_MEMO_BATCH, creditMemos).then(
      () => settle.resolve(),
      (error: unknown) => settle.reject(error),
    );
    return { imported };
  };
  /** A payment's memo imports still running (in its batch or another). */
  const importsOf = (applications: readonly SuiteQLRow[]): Promise<void>[] =>
    applications.flatMap((row) => (valueText(row.previoustype) === 'CustCred' ? (importing.get(valueText(row.previousdoc)) ?? []) : []));

  const { seen, see } = retriesSeen(pending);
  // Batches are read ahead; their records share the phase's slots.
  const slots = recordSlots(context, settings.recordConcurrency);
  const processBatch = async (batch: SuiteQLRow[]) => {
    for (const row of batch) see(valueText(row.id));
    const ids = batch.map((row) => valueText(row.id));
    // The batch's applications and refunds are read at the same time.
    const [applications, refunds] = await Promise.all([
      loadPaymentApplications(deps.netsuite, ids, signal),
      settings.phases.readNetSuiteRefunds ? loadRefunds(deps.netsuite, ids, signal) : new Map<string, SuiteQLRow[]>(),
    ]);
    await afterInvoices();
    // Payments that apply credit memos wait for the credit memo phase, then for the imports of those of
    // their memos that are not on Invoiced; the others of the batch are written meanwhile.
    const appliesCredits = (row: SuiteQLRow) => (applications.get(valueText(row.id)) ?? []).some((application) => valueText(application.previoustype) === 'CustCred');
    const withCredits = batch.filter(appliesCredits);
    const handle = (row: SuiteQLRow) => handlePayment(row, applications.get(valueText(row.id)) ?? [], refunds.get(valueText(row.id)) ?? []);
    const credited = async (): Promise<void> => {
      if (withCredits.length === 0) return;
      await context.phasesSettled(CREDITS);
      context.checkpoint();
      const { imported } = await importAppliedCredits(applications);
      const [written, imports] = await Promise.allSettled([
        slots(withCredits, async (row) => {
          const waits = importsOf(applications.get(valueText(row.id)) ?? []);
          if (waits.length > 0) await Promise.all(waits);
          await handle(row);
        }),
        imported,
      ]);
      if (imports.status === 'rejected') throw imports.reason;
      if (written.status === 'rejected') throw written.reason;
    };
    const outcomes = await Promise.allSettled([slots(batch.filter((row) => !appliesCredits(row)), handle), credited()]);
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    await context.flushErrors();
  };

  // Payments refunded since the last run are read again: what a refund took is left out of the Invoiced copy.
  const refunded = settings.phases.readNetSuiteRefunds ? refundedSince(reach.since) : undefined;
  const query = changedPaymentsQuery(reach.since, pending.map((item) => item.sourceId), refunded);
  // A batch's reads (applications, refunds, the credit memos it applies) take longer than its writes: six
  // more batches read while one is written keep NetSuite's request slots busy (and are what is read ahead
  // while the invoice phase runs).
  const read = await inBatches(deps.netsuite.suiteqlAll(query, { signal }), BATCH, processBatch, { ahead: 6 });
  // A payment waiting for a retry that NetSuite no longer has (or no longer shows the sync): nothing to do.
  await settleVanished(context, deps, pending, seen);
  context.count('netsuite_payments_read', read);
  await reach.advance();
}
