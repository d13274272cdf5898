/**
 * Phase `invoiced_invoices` (the spec's "writing invoices generated on Invoiced to NetSuite"): non-draft
 * Invoiced invoices changed since the cursor are upserted in NetSuite by external ID (`invd-inv-<id>`),
 * each with its customer found (its copy, its source), matched by name or created. An invoice that came from NetSuite is never written
 * back, however it was changed on Invoiced.
 */
import { isApiError } from '../../errors';
import type { InvoicedInvoice } from '../../invoiced/schemas';
import { fingerprint, MappingError, invoicedInvoiceEligibility, invoicedInvoiceToNetSuite } from '../../mapping/index';
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

const PHASE = 'invoiced_invoices';
const DIRECTION = 'invoiced_to_netsuite' as const;

export const invoicedInvoicesPhase: Phase = {
  name: PHASE,
  after: ['invoiced_events', 'netsuite_deletions'],
  targets: 'invoice',
  enabled: (settings) => settings.phases.writeInvoicedInvoices,
  run: writeInvoicedInvoices,
};

/** Runs the phase. */
async function writeInvoicedInvoices(context: PhaseRun, deps: PhaseDeps): Promise<void> {
  const { store, connectionId, settings, invoiced, netsuite, writer } = deps;
  const signal = context.signal;
  const phaseStart = context.now();
  const cursor = await store.getCursor(connectionId, PHASE);
  const since = cursor === null ? null : Math.floor((Date.parse(cursor) - settings.cursorOverlapMs) / 1000);
  const netsuiteCustomerFor = netsuiteCustomerResolver(context, deps, DIRECTION);
  const mapper = new FieldMapper(context, deps);

  // Dates are days in the NetSuite account's time zone. Read once, before any record: a failure to read
  // NetSuite's clock is the run's, not each record's.
  const clock = await netsuiteClockOf(context, deps);

  const handleInvoice = async (invoice: InvoicedInvoice): Promise<void> => {
    const invoicedId = String(invoice.id);
    const number = invoice.number ?? null;
    const ref = { direction: DIRECTION, entity: 'invoice' as const, sourceId: invoicedId, number };
    let print: string | null = null;
    try {
      const eligibility = invoicedInvoiceEligibility(invoice, { since: null });
      if (!eligibility.eligible && eligibility.reason === 'voided') {
        const link = await store.findLinkByInvoicedId(connectionId, 'invoice', invoicedId);
        await followInvoicedVoid(context, deps, { kind: 'invoice', invoicedId, label: number ?? `#${invoicedId}`, number, link });
        return;
      }
      if (!eligibility.eligible) {
        await context.skipped(ref, eligibility.reason);
        return;
      }
      const link = await store.findLinkByInvoicedId(connectionId, 'invoice', invoicedId);
      if (link?.fingerprint === GONE.deletedInNetSuite) throw deletedInNetSuite('invoice', number ?? `#${invoicedId}`, link.netsuiteId, number);
      // The spec's rule: an invoice imported from NetSuite is not written back, even when edited on Invoiced.
      if (link?.origin === 'netsuite' || (link === null && invoice.metadata.netsuite_id !== undefined)) {
        await context.skipped(ref, 'imported from NetSuite');
        return;
      }
      const currencies = await currencyMapFor(context, deps, [invoice.currency]);
      const customerId = await netsuiteCustomerFor(invoice.customer, number ?? invoicedId);
      const base = invoicedInvoiceToNetSuite(invoice, customerId, {
        items: settings.items,
        currencies,
        useInvoicedNumber: settings.useInvoicedNumber,
        timeZone: clock.mappingTimeZone,
      });
      const label = `Invoice ${number ?? `#${invoicedId}`}`;
      const body = await mapper.toNetSuite('invoice', base, invoice, { label, currency: invoice.currency, customer: invoice.customer, metadata: invoice.metadata, netsuiteCustomer: customerId, timeZone: clock.mappingTimeZone });
      print = fingerprint(body);
      if (await skipUnchanged(context, { ...ref, link, fingerprint: print })) return;
      // An upsert by external ID: repeating it after a crash or a lost response never duplicates.
      // `replace`: on an existing invoice NetSuite would add these lines to the ones already there.
      const written = await writer.netsuite.upsert('invoice', body.externalId, body, { signal, replace: ['item'] }).catch((error: unknown) => {
        throw requiredFieldRefusal(error, 'invoice', label, number) ?? refusedByNetSuite(error, { label: number ?? `#${invoicedId}`, externalId: body.externalId, customerId, number });
      });
      const netsuiteId = written.id ?? (await netsuiteIdByExternalId(netsuite, 'invoice', body.externalId, signal));
      await store.saveLink(connectionId, { kind: 'invoice', invoicedId, netsuiteId, origin: 'invoiced', fingerprint: print });
      await context.succeeded(upsertedInNetSuite(ref, netsuiteId, link !== null));
    } catch (error) {
      await context.failed(ref, error, print);
    }
  };

  const read = await readInvoicedRecords(context, deps, {
    entity: 'invoice',
    changed: () => invoiced.invoices.listNonDraftUpdatedAfter(since ?? 0, { signal }),
    retrieve: (id) => invoiced.invoices.retrieve(id, { signal }),
    handle: handleInvoice,
    limit: settings.recordConcurrency,
    fromNetSuite: 'imported from NetSuite',
    ready: () => context.markReady(PHASE),
  });
  await context.flushErrors();
  // Customers whose create in NetSuite went unconfirmed and whose invoice did not come back to settle it.
  await settleCustomerCreates(context, deps, DIRECTION);
  context.count('invoiced_invoices_read', read.changed + read.byId);
  if (read.moveCursor) await store.setCursor(connectionId, PHASE, phaseStart.toISOString());
}

/** What to do about each of NetSuite's refusals of an invoice that has payments applied, by the field it names. */
const REFUSAL_RESOLUTIONS: Readonly<Record<string, (customerId: string) => string>> = {
  entity: (customerId) =>
    `NetSuite does not move an invoice with payments applied to another customer, and this invoice's Invoiced customer is now linked to NetSuite customer ${customerId}. ` +
    'If that link is wrong (two customers share a name), give the customers distinct names and fix the link; otherwise unapply the payments of the NetSuite invoice. Then retry this record.',
  currency: () => 'NetSuite does not change the currency of an invoice with payments applied: change it back on Invoiced, or unapply the payments of the NetSuite invoice, then retry this record.',
  item: () => 'Its total on Invoiced is now below what is paid on the NetSuite invoice: unapply or reduce its payments in NetSuite (or restore the invoice on Invoiced), then retry this record.',
};

/**
 * NetSuite's refusal (`USER_ERROR`) to write an Invoiced invoice, as the record's error: it names the
 * invoice and NetSuite's reason, and says what a person can do (NetSuite keeps an invoice with payments
 * applied from changing customer or currency, or from a total below what is paid). Other errors are
 * returned as they are.
 */
function refusedByNetSuite(error: unknown, invoice: { label: string; externalId: string; customerId: string; number: string | null }): unknown {
  if (!isApiError(error) || error.api !== 'netsuite' || error.status !== 400 || error.code !== 'USER_ERROR') return error;
  const field = 'errorPath' in error && typeof error.errorPath === 'string' ? error.errorPath : undefined;
  const reason = 'detail' in error && typeof error.detail === 'string' ? error.detail : error.message;
  const resolution = REFUSAL_RESOLUTIONS[field ?? '']?.(invoice.customerId) ?? 'Correct the invoice on Invoiced, or what NetSuite names in its reason, then retry this record.';
  return new MappingError('INVOICE_REFUSED_BY_NETSUITE', `Invoice ${invoice.label}: NetSuite refused to write it as invoice ${invoice.externalId}: ${reason}`, resolution, invoice.number ?? undefined, {
    entity: 'invoice',
    details: { externalId: invoice.externalId, ...(field === undefined ? {} : { field }) },
    cause: error,
  });
}
