/**
 * NetSuite credit memos into Invoiced, batch by batch: the one handler behind phase
 * `netsuite_credit_memos` and the credit memos phase `netsuite_payments` finds applied in payments. Each
 * becomes an Invoiced credit note (its customer matched or created as an invoice's), and where NetSuite
 * applied it to invoices the sync imported, one Invoiced payment of 0 (`NS-CM-<id>`) applies the credit
 * note to them: Invoiced applies a credit note to an invoice only through a payment.
 */
import { isApiError } from '../../errors';
import { dateToUnixSeconds, fingerprint, MappingError, mergeMetadata, netsuiteCreditApplicationsToInvoiced, netsuiteCreditMemoToInvoiced } from '../../mapping/index';
import type { SuiteQLRow } from '../../netsuite/suiteql';
import type { SyncLink } from '../../store/sync-store';
import type { PhaseDeps, PhaseRun } from '../contracts';
import { netsuiteClockOf } from '../netsuite-clock';
import { loadInvoiceLines, loadNetSuiteCustomers, loadPaymentApplications, loadRefunds, valueText } from '../netsuite-queries';
import { forEachConcurrently } from '../run/concurrent';
import { creditNoteGone, relinkWrittenFromInvoiced } from './credit-memo-relink';
import { FieldMapper } from './field-mapper';
import { InvoicedCustomers } from './invoiced-customers';
import { skipUnchanged } from './outcomes';
import { InvoicedRecovery, recordCreateKey } from './recovery';
import { GONE, voidOnInvoiced } from './voids';

const DIRECTION = 'netsuite_to_invoiced' as const;
/** A credit memo as the run names it. */
type RecordRef = { direction: typeof DIRECTION; entity: 'creditNote'; sourceId: string; number: string | null };
/** Credit memos handled per batch: one SuiteQL request each for their lines, links and customers. */
export const CREDIT_MEMO_BATCH = 200;

/**
 * The handler of batches of credit memo rows for one run: phase `netsuite_credit_memos` and, for the
 * credit memos a customer payment applies that are not on Invoiced yet, phase `netsuite_payments`
 * (`required`: imported whatever they are applied to). For each batch it reads the lines, the links and
 * the customers (one query each), then handles its credit memos.
 */
export function netsuiteCreditMemoBatches(
  context: PhaseRun,
  deps: PhaseDeps,
  options: { scanAll: boolean; required?: boolean; afterEach?: (netsuiteId: string) => void },
): (batch: SuiteQLRow[]) => Promise<void> {
  const { store, connectionId, settings, writer } = deps;
  const signal = context.signal;
  const invoicedCustomers = InvoicedCustomers.of(context, deps);
  const recovery = InvoicedRecovery.creditNotes(context, deps, { scanAll: options.scanAll });
  const mapper = new FieldMapper(context, deps);
  let queuedInvoices: Set<string> | undefined;
  let timeZone: string | undefined;

  /**
   * A credit memo the sync wrote from an Invoiced credit note: never written back, but what a person applied
   * it to in NetSuite (its own applications: the sync writes none) is applied on Invoiced as well, by a
   * payment of 0 as for an imported credit memo, so that the invoices' balances agree.
   */
  const followInvoicedCreditNote = async (row: SuiteQLRow, ref: RecordRef, found: SyncLink | null, own: readonly SuiteQLRow[], invoiceLinks: ReadonlyMap<string, string>): Promise<void> => {
    const label = ref.number ?? ref.sourceId;
    if (found === null && invoiceLinks.size === 0) {
      await context.skipped(ref, 'written to NetSuite from Invoiced');
      return;
    }
    const link = found ?? (await relinkWrittenFromInvoiced(context, deps, row));
    if (link === null || link.origin !== 'invoiced') {
      if (invoiceLinks.size === 0) {
        await context.skipped(ref, 'written to NetSuite from Invoiced');
        return;
      }
      throw new MappingError(
        'CREDIT_MEMO_NOT_LINKED',
        `Credit memo ${label} carries the sync's external ID ${valueText(row.externalid)} but is linked to no Invoiced credit note, and it is applied in NetSuite to invoices that are on Invoiced: those applications are not on Invoiced.`,
        'If the Invoiced credit note still exists, the next run links it again and applies it there. If it was deleted on Invoiced, unapply the credit memo in NetSuite (or apply a credit on Invoiced by hand), then ignore this record.',
        ref.number,
        { entity: 'creditNote' },
      );
    }
    if (valueText(row.state) === 'CustCred:V' || link.fingerprint === GONE.voided || link.fingerprint === GONE.deletedInNetSuite) {
      await context.skipped(ref, 'came from Invoiced');
      return;
    }
    const customerLink = await store.findLinkByNetSuiteId(connectionId, 'customer', valueText(row.entity));
    if (customerLink === null) throw new MappingError('CUSTOMER_NOT_SYNCED', `Credit memo ${label}: its customer (NetSuite ${valueText(row.entity)}) is not linked.`, 'It is retried on every run.', ref.number);
    const mapping = netsuiteCreditApplicationsToInvoiced(row, own, {
      customer: Number(customerLink.invoicedId),
      creditNote: Number(link.invoicedId),
      date: dateToUnixSeconds(valueText(row.trandate), timeZone),
      invoicedInvoiceIdFor: (id) => invoiceLinks.get(id),
      outsideSync: (id) => queuedInvoices?.has(id) !== true,
    });
    if (mapping.missingInvoices.length > 0) {
      throw new MappingError(
        'CREDIT_MEMO_INVOICES_NOT_SYNCED',
        `Credit memo ${label}: it is applied in NetSuite to invoices that are not on Invoiced yet (${mapping.missingInvoices.map((missing) => `${missing.netsuiteInvoiceId}: ${missing.amount}`).join(', ')}).`,
        'It is applied on Invoiced once those invoices are imported, and is retried on every run until then.',
        ref.number,
        { entity: 'creditNote' },
      );
    }
    // Nothing to apply when its credit note is voided or deleted on Invoiced: phase invoiced_credit_notes
    // follows that as a void (a deletion, when the sync follows deletions).
    if (mapping.body.applied_to.length > 0) {
      const gone = await creditNoteGone(deps, { invoicedId: link.invoicedId, label, number: ref.number }, signal);
      if (gone !== undefined) {
        await context.skipped(ref, gone);
        return;
      }
    }
    if (await writeApplications(context, deps, { netsuiteId: ref.sourceId, label, body: mapping.body, recovering: false })) {
      await context.succeeded({ ...ref, targetId: link.invoicedId, action: 'updated', change: 'update', reason: 'applied in NetSuite (it came from Invoiced)' });
    } else {
      await context.skipped(ref, 'came from Invoiced');
    }
  };

  /** Voids on Invoiced the credit note of a voided credit memo, the payment that applied it first. */
  const voidImported = async (ref: RecordRef, link: SyncLink): Promise<void> => {
    // Its applications first: Invoiced keeps a credit note that is applied from being voided.
    const applying = await store.findLinkByNetSuiteId(connectionId, 'payment', ref.sourceId);
    if (applying !== null && applying.fingerprint !== GONE.voided) {
      await voidOnInvoiced(deps, 'payment', Number(applying.invoicedId), signal);
      await store.saveLink(connectionId, { ...applying, fingerprint: GONE.voided });
    }
    await voidOnInvoiced(deps, 'creditNote', Number(link.invoicedId), signal).catch((error: unknown) => {
      if (!isApiError(error) || error.status !== 400) throw error;
      throw new MappingError(
        'CREDIT_NOTE_VOID_REFUSED',
        `Credit memo ${ref.number ?? ref.sourceId} was voided in NetSuite, but Invoiced refused to void its credit note #${link.invoicedId}: ${error.message}`,
        'A payment on Invoiced still applies the credit note (the credit was used there too). Take the credit note off that payment on Invoiced (edit or void the payment), then retry this record; the sync then voids the credit note.',
        ref.number,
        { entity: 'creditNote', cause: error },
      );
    });
    await store.saveLink(connectionId, { ...link, fingerprint: GONE.voided });
    await context.succeeded({ ...ref, targetId: link.invoicedId, action: 'updated', change: 'void', reason: 'voided in NetSuite' });
  };

  const handleMemo = async (row: SuiteQLRow, lines: readonly SuiteQLRow[], applications: readonly SuiteQLRow[], refunds: readonly SuiteQLRow[], customer: SuiteQLRow | undefined): Promise<void> => {
    const netsuiteId = valueText(row.id);
    const number = valueText(row.tranid) || null;
    const label = number ?? netsuiteId;
    const ref = { direction: DIRECTION, entity: 'creditNote' as const, sourceId: netsuiteId, number };
    let print: string | null = null;
    try {
      const link = await store.findLinkByNetSuiteId(connectionId, 'creditNote', netsuiteId);
      const state = valueText(row.state);
      const own = applications.filter((application) => valueText(application.previoustype) !== 'CustCred' && valueText(application.previoustype) !== 'CustPymt');
      const invoiceLinks = new Map<string, string>();
      for (const application of own) {
        const invoiceId = valueText(application.previousdoc);
        const invoiceLink = await store.findLinkByNetSuiteId(connectionId, 'invoice', invoiceId);
        if (invoiceLink !== null) invoiceLinks.set(invoiceId, invoiceLink.invoicedId);
      }
      if (link?.origin === 'invoiced' || valueText(row.externalid).startsWith('invd-cn-')) {
        await followInvoicedCreditNote(row, ref, link, own, invoiceLinks);
        return;
      }
      if (state === 'CustCred:V') {
        // Unlinked: its credit note may still be on Invoiced (a create whose answer was lost, then the void).
        const found = link === null ? await recovery.find(netsuiteId, netsuiteId) : undefined;
        const linked = link ?? (found === undefined ? null : await store.saveLink(connectionId, { kind: 'creditNote', invoicedId: String(found), netsuiteId, origin: 'netsuite', fingerprint: null }));
        if (linked === null || linked.fingerprint === GONE.voided) {
          await context.skipped(ref, 'voided');
          return;
        }
        await voidImported(ref, linked);
        return;
      }
      // Fully applied, and to nothing the sync has or waits for: it settled invoices Invoiced never had.
      const matters = invoiceLinks.size > 0 || own.some((application) => queuedInvoices?.has(valueText(application.previousdoc)) === true);
      // (One whose create went unconfirmed is looked for first: its credit note may be on Invoiced already.)
      if (link === null && state !== 'CustCred:A' && !matters && options.required !== true && (await recovery.find(netsuiteId, netsuiteId)) === undefined) {
        await context.skipped(ref, 'fully applied to invoices that were not imported');
        return;
      }
      if (customer === undefined) {
        throw new MappingError('CUSTOMER_NOT_FOUND', `Credit memo ${label}: its NetSuite customer ${valueText(row.entity)} cannot be read.`, 'Check that the role can see the customer record, then retry the credit memo.', number);
      }
      const customerId = await invoicedCustomers.forInvoice(customer, label);
      const mapped = await mapper.toInvoiced('creditMemo', netsuiteCreditMemoToInvoiced(row, lines, customerId, { timeZone, refunds }), row, `Credit memo ${label}`);
      const body = mapped.body;
      print = fingerprint({ body, applications: own.map((application) => [valueText(application.previousdoc), valueText(application.foreignamount), invoiceLinks.get(valueText(application.previousdoc)) ?? null]) });
      if (await skipUnchanged(context, { ...ref, link, fingerprint: print })) return;

      const existing = link !== null ? Number(link.invoicedId) : await recovery.find(netsuiteId, netsuiteId);
      let creditNoteId: number;
      if (existing !== undefined) {
        // Invoiced does not change a closed credit note (used up, or closed after a refund): only its
        // applications are kept up to date.
        const current = await deps.invoiced.creditNotes.retrieve(existing, { signal });
        if (current.closed !== true) {
          const { metadata: _metadata, ...changes } = body;
          const metadata = Object.keys(mapped.metadata).length > 0 ? mergeMetadata(current.metadata, mapped.metadata) : undefined;
          await writer.invoiced.updateCreditNote(existing, metadata === undefined ? changes : { ...changes, metadata }, { signal });
        }
        creditNoteId = existing;
      } else {
        const idempotencyKey = await recovery.beforeCreate(netsuiteId, number, print, `ns-cm-${netsuiteId}-${print.slice(0, 24)}`);
        creditNoteId = (await writer.invoiced.createCreditNote(body, { idempotencyKey, signal })).id;
      }
      // Linked with no fingerprint until its applications are written too: a failure below retries both.
      await store.saveLink(connectionId, { kind: 'creditNote', invoicedId: String(creditNoteId), netsuiteId, origin: 'netsuite', fingerprint: null });

      const mapping = netsuiteCreditApplicationsToInvoiced(row, own, {
        customer: customerId,
        creditNote: creditNoteId,
        date: body.date,
        invoicedInvoiceIdFor: (id) => invoiceLinks.get(id),
        outsideSync: (id) => queuedInvoices?.has(id) !== true,
      });
      if (mapping.missingInvoices.length > 0) {
        throw new MappingError(
          'CREDIT_MEMO_INVOICES_NOT_SYNCED',
          `Credit memo ${label}: it is applied to NetSuite invoices that are not on Invoiced yet (${mapping.missingInvoices.map((missing) => `${missing.netsuiteInvoiceId}: ${missing.amount}`).join(', ')}).`,
          'The credit note is on Invoiced; it is applied there once those invoices are imported, and is retried on every run until then. Check the invoices\' own errors in Recent Syncs.',
          number,
          { entity: 'creditNote' },
        );
      }
      await writeApplications(context, deps, { netsuiteId, label, body: mapping.body, recovering: link?.fingerprint == null });
      await store.saveLink(connectionId, { kind: 'creditNote', invoicedId: String(creditNoteId), netsuiteId, origin: 'netsuite', fingerprint: print });
      const reason = link === null ? (existing === undefined ? 'new credit memo in NetSuite' : 'found on Invoiced by metadata.netsuite_id, not linked yet') : 'changed in NetSuite';
      await context.succeeded({ ...ref, targetId: String(creditNoteId), action: existing === undefined ? 'created' : link === null ? 'linked' : 'updated', change: existing === undefined ? 'create' : 'update', reason });
    } catch (error) {
      await context.failed(ref, error, print);
    }
  };

  return async (batch: SuiteQLRow[]) => {
    queuedInvoices ??= new Set((await context.retryItems()).filter((item) => item.direction === DIRECTION && item.entity === 'invoice').map((item) => item.sourceId));
    timeZone ??= (await netsuiteClockOf(context, deps)).mappingTimeZone;
    const ids = batch.map((row) => valueText(row.id));
    const lines = await loadInvoiceLines(deps.netsuite, ids, signal);
    const applications = await loadPaymentApplications(deps.netsuite, ids, signal);
    const refunds = settings.phases.readNetSuiteRefunds ? await loadRefunds(deps.netsuite, ids, signal) : new Map<string, SuiteQLRow[]>();
    const customers = await loadNetSuiteCustomers(deps.netsuite, [...new Set(batch.map((row) => valueText(row.entity)))], signal, deps.settings.netsuiteFields);
    await forEachConcurrently(context, batch, settings.recordConcurrency, async (row) => {
      const id = valueText(row.id);
      await handleMemo(row, lines.get(id) ?? [], applications.get(id) ?? [], refunds.get(id) ?? [], customers.get(valueText(row.entity)));
      options.afterEach?.(valueText(row.id));
    });
    await context.flushErrors();
  };
}

/**
 * Creates or updates the Invoiced payment that applies a credit note where NetSuite applied its credit
 * memo (link kind `payment`, keyed by the credit memo's internal ID: NetSuite's transactions share one
 * ID sequence). One found by its reference (a create whose answer was lost) is updated, not duplicated.
 */
async function writeApplications(
  context: PhaseRun,
  deps: PhaseDeps,
  input: { netsuiteId: string; label: string; body: ReturnType<typeof netsuiteCreditApplicationsToInvoiced>['body']; recovering: boolean },
): Promise<boolean> {
  const { store, connectionId, writer, invoiced } = deps;
  const signal = context.signal;
  const print = fingerprint(input.body);
  const link = await store.findLinkByNetSuiteId(connectionId, 'payment', input.netsuiteId);
  if (link !== null && link.fingerprint === print) return false;
  // Looked for by its reference only while the credit memo itself is being recovered (a create whose
  // answer or link was lost): a steady credit memo with nothing applied costs no request.
  if (link === null && input.body.applied_to.length === 0 && !input.recovering) return false;
  let paymentId = link === null || link.fingerprint === GONE.voided ? undefined : Number(link.invoicedId);
  if (paymentId === undefined && link === null) {
    for await (const payment of invoiced.payments.list({ filter: { reference: input.body.reference }, signal })) {
      if (payment.voided !== true && payment.reference === input.body.reference) paymentId = payment.id;
    }
  }
  if (paymentId === undefined && input.body.applied_to.length === 0) return false;
  try {
    if (paymentId === undefined) {
      if (link !== null) return false; // voided with its credit memo: nothing is applied any more
      // After a refusal of the credit memo's writes, its retry item gives the create a key of its own.
      const idempotencyKey = await recordCreateKey(context, { entity: 'creditNote', sourceId: input.netsuiteId }, `ns-cma-${input.netsuiteId}-${print.slice(0, 24)}`);
      const created = await writer.invoiced.createPayment(input.body, { idempotencyKey, signal });
      paymentId = created.id;
      context.count('credit_applications_created');
    } else {
      const { customer: _customer, currency: _currency, ...changes } = input.body;
      await writer.invoiced.updatePayment(paymentId, changes, { signal });
      context.count('credit_applications_updated');
    }
  } catch (error) {
    throw applicationRefused(error, input.label, input.body.applied_to[0]?.credit_note);
  }
  await store.saveLink(connectionId, { kind: 'payment', invoicedId: String(paymentId), netsuiteId: input.netsuiteId, origin: 'netsuite', fingerprint: print });
  return true;
}

/**
 * Invoiced's refusal (a 400) of the payment that applies a credit memo's NetSuite applications, as the
 * credit memo's error: the credit was used on Invoiced too (its balance there is less than NetSuite applied).
 */
function applicationRefused(error: unknown, label: string, creditNote: number | undefined): unknown {
  if (!isApiError(error) || error.api !== 'invoiced' || error.status !== 400) return error;
  return new MappingError(
    'CREDIT_APPLICATION_REFUSED',
    `Credit memo ${label}: Invoiced refused to apply credit note #${creditNote ?? '?'} where NetSuite applied the credit memo: ${error.message}`,
    'The credit was used twice: applied in NetSuite and, on Invoiced, by a payment that applies the credit note. Unapply it on one side (in NetSuite, or edit that payment on Invoiced), then retry this record.',
    label,
    { entity: 'creditNote', cause: error },
  );
}
