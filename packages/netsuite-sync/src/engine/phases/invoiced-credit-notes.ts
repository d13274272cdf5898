/**
 * Phase `invoiced_credit_notes`: non-draft Invoiced credit notes changed since the cursor are upserted in
 * NetSuite as credit memos by external ID (`invd-cn-<id>`), their customers found as invoices' are. A
 * credit note imported from NetSuite is never written back; one voided on Invoiced has its NetSuite copy
 * deleted (`invoicedVoids`). Where a credit note is applied is written by phase `invoiced_payments`:
 * Invoiced applies credit notes only through payments.
 */
import { isApiError } from '../../errors';
import type { InvoicedCreditNote } from '../../invoiced/schemas';
import { fingerprint, invoicedCreditNoteToNetSuite, MappingError } from '../../mapping/index';
import type { Phase, PhaseDeps, PhaseRun } from '../contracts';
import { currencyMapFor } from '../currencies';
import { netsuiteClockOf } from '../netsuite-clock';
import { netsuiteIdByExternalId } from '../netsuite-queries';
import { settleCustomerCreates } from '../records/customer-creates';
import { FieldMapper } from '../records/field-mapper';
import { requiredFieldRefusal } from '../records/required-fields';
import { netsuiteCustomerResolver } from '../records/netsuite-customers';
import { readInvoicedRecords } from '../records/invoiced-reads';
import { skipUnchanged, upsertedInNetSuite } from '../records/outcomes';
import { deletedInNetSuite, followInvoicedVoid, GONE } from '../records/voids';

const PHASE = 'invoiced_credit_notes';
const DIRECTION = 'invoiced_to_netsuite' as const;

export const invoicedCreditNotesPhase: Phase = {
  name: PHASE,
  after: ['invoiced_events', 'netsuite_deletions', 'netsuite_credit_memos', 'netsuite_payments', 'invoiced_invoices'],
  targets: 'creditNote',
  enabled: (settings) => settings.phases.writeInvoicedCreditNotes,
  run: writeInvoicedCreditNotes,
};

/** Runs the phase. */
async function writeInvoicedCreditNotes(context: PhaseRun, deps: PhaseDeps): Promise<void> {
  const { store, connectionId, settings, invoiced, netsuite, writer } = deps;
  const signal = context.signal;
  const phaseStart = context.now();
  const cursor = await store.getCursor(connectionId, PHASE);
  const since = cursor === null ? 0 : Math.floor((Date.parse(cursor) - settings.cursorOverlapMs) / 1000);
  const netsuiteCustomerFor = netsuiteCustomerResolver(context, deps, DIRECTION);
  const mapper = new FieldMapper(context, deps);
  // Dates are days in the NetSuite account's time zone: read once, before any record.
  const clock = await netsuiteClockOf(context, deps);

  const handleCreditNote = async (creditNote: InvoicedCreditNote): Promise<void> => {
    const invoicedId = String(creditNote.id);
    const number = creditNote.number ?? null;
    const label = number ?? `#${invoicedId}`;
    const ref = { direction: DIRECTION, entity: 'creditNote' as const, sourceId: invoicedId, number };
    let print: string | null = null;
    try {
      const link = await store.findLinkByInvoicedId(connectionId, 'creditNote', invoicedId);
      if (creditNote.status === 'voided') {
        await followInvoicedVoid(context, deps, { kind: 'creditNote', invoicedId, label, number, link });
        return;
      }
      // Drafts are not listed, but one read again for its retry item may have gone back to draft.
      if (creditNote.draft === true || creditNote.status === 'draft') {
        await context.skipped(ref, 'draft');
        return;
      }
      if (link?.fingerprint === GONE.deletedInNetSuite) throw deletedInNetSuite('creditNote', label, link.netsuiteId, number);
      // As for invoices: a credit note imported from NetSuite is not written back.
      if (link?.origin === 'netsuite' || (link === null && creditNote.metadata.netsuite_id !== undefined)) {
        await context.skipped(ref, 'imported from NetSuite');
        return;
      }
      const currencies = await currencyMapFor(context, deps, [creditNote.currency]);
      const customerId = await netsuiteCustomerFor(creditNote.customer, number ?? invoicedId);
      const base = invoicedCreditNoteToNetSuite(creditNote, customerId, {
        items: settings.items,
        currencies,
        useInvoicedNumber: settings.useInvoicedNumber,
        timeZone: clock.mappingTimeZone,
      });
      const fieldsContext = { label: `Credit note ${label}`, currency: creditNote.currency, customer: creditNote.customer, metadata: creditNote.metadata, netsuiteCustomer: customerId, timeZone: clock.mappingTimeZone };
      const body = await mapper.toNetSuite('creditMemo', base, creditNote, fieldsContext);
      print = fingerprint(body);
      if (await skipUnchanged(context, { ...ref, link, fingerprint: print })) return;
      // An upsert by external ID; `replace`: NetSuite would otherwise add these lines to the ones there.
      const written = await writer.netsuite.upsert('creditMemo', body.externalId, body, { signal, replace: ['item'] }).catch((error: unknown) => {
        throw requiredFieldRefusal(error, 'creditMemo', `Credit note ${label}`, number) ?? refusedByNetSuite(error, { label, externalId: body.externalId, number });
      });
      const netsuiteId = written.id ?? (await netsuiteIdByExternalId(netsuite, 'credit memo', body.externalId, signal));
      await store.saveLink(connectionId, { kind: 'creditNote', invoicedId, netsuiteId, origin: 'invoiced', fingerprint: print });
      await context.succeeded(upsertedInNetSuite(ref, netsuiteId, link !== null));
    } catch (error) {
      await context.failed(ref, error, print);
    }
  };

  const read = await readInvoicedRecords(context, deps, {
    entity: 'creditNote',
    changed: () => invoiced.creditNotes.listNonDraftUpdatedAfter(since, { signal }),
    retrieve: (id) => invoiced.creditNotes.retrieve(id, { signal }),
    handle: handleCreditNote,
    limit: settings.recordConcurrency,
    fromNetSuite: 'imported from NetSuite',
  });
  await context.flushErrors();
  await settleCustomerCreates(context, deps, DIRECTION);
  context.count('invoiced_credit_notes_read', read.changed + read.byId);
  if (read.moveCursor) await store.setCursor(connectionId, PHASE, phaseStart.toISOString());
}

/**
 * NetSuite's refusal (`USER_ERROR`) to write a credit memo, as the record's error: most often a change
 * NetSuite does not make to a credit memo that is applied (its customer, its currency, a total below
 * what is applied). Other errors are returned as they are.
 */
function refusedByNetSuite(error: unknown, creditNote: { label: string; externalId: string; number: string | null }): unknown {
  if (!isApiError(error) || error.api !== 'netsuite' || error.status !== 400 || error.code !== 'USER_ERROR') return error;
  return new MappingError(
    'CREDIT_NOTE_REFUSED_BY_NETSUITE',
    `Credit note ${creditNote.label}: NetSuite refused to write it as credit memo ${creditNote.externalId}: ${error.message}`,
    'A credit memo that is applied (by payments or refunds) cannot change customer or currency, nor drop below what is applied: unapply it in NetSuite (or undo the change on Invoiced), then retry this record.',
    creditNote.number ?? undefined,
    { entity: 'creditNote', details: { externalId: creditNote.externalId }, cause: error },
  );
}
