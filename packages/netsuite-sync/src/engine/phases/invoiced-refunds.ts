/**
 * Phase `invoiced_refunds`: refunds of payments processed through Invoiced become NetSuite customer
 * refunds (`invd-ref-<id>`) of the payments' NetSuite copies, partial refunds included; a refund voided on
 * Invoiced has its NetSuite copy deleted (`invoicedVoids`). Runs last, after the payments are written.
 *
 * Invoiced's service lists refunds (`GET /refunds`) with no `updated_after`: every run reads the whole
 * list and skips, by its link's fingerprint, each refund already written as it is. A refund names its
 * charge; the charge (`GET /charges/{id}`) names its payment, read only for refunds not yet written.
 */
import { isApiError } from '../../errors';
import type { InvoicedRefund } from '../../invoiced/schemas';
import { fingerprint, invoicedRefundToNetSuite, MappingError } from '../../mapping/index';
import { invoicedValue } from '../../mapping/field-mappings';
import type { Phase, PhaseDeps, PhaseRun } from '../contracts';
import { currencyMapFor } from '../currencies';
import { netsuiteClockOf } from '../netsuite-clock';
import { FieldMapper } from '../records/field-mapper';
import { requiredFieldRefusal } from '../records/required-fields';
import { skipUnchanged, upsertedInNetSuite } from '../records/outcomes';
import { deletedInNetSuite, followInvoicedVoid, GONE } from '../records/voids';
import { readInvoicedRecords } from '../records/invoiced-reads';

const PHASE = 'invoiced_refunds';
const DIRECTION = 'invoiced_to_netsuite' as const;

export const invoicedRefundsPhase: Phase = {
  name: PHASE,
  after: ['invoiced_events', 'netsuite_deletions', 'netsuite_invoices', 'netsuite_credit_memos', 'netsuite_payments', 'invoiced_invoices', 'invoiced_credit_notes', 'invoiced_payments'],
  targets: 'refund',
  enabled: (settings) => settings.phases.writeInvoicedRefunds,
  run: writeInvoicedRefunds,
};

/** Runs the phase. */
async function writeInvoicedRefunds(context: PhaseRun, deps: PhaseDeps): Promise<void> {
  const { store, connectionId, settings, invoiced, writer } = deps;
  const signal = context.signal;
  const phaseStart = context.now();
  let timeZone: string | undefined;
  const mapper = new FieldMapper(context, deps);

  const handleRefund = async (refund: InvoicedRefund): Promise<void> => {
    const invoicedId = String(refund.id);
    const label = `#${invoicedId}`;
    const ref = { direction: DIRECTION, entity: 'refund' as const, sourceId: invoicedId, number: null };
    let print: string | null = null;
    try {
      const link = await store.findLinkByInvoicedId(connectionId, 'refund', invoicedId);
      if (refund.status === 'voided') {
        await followInvoicedVoid(context, deps, { kind: 'refund', invoicedId, label, number: null, link });
        return;
      }
      if (refund.status !== 'succeeded') {
        await context.skipped(ref, `not paid out (${refund.status})`);
        return;
      }
      if (link?.fingerprint === GONE.deletedInNetSuite) throw deletedInNetSuite('refund', label, link.netsuiteId, null);
      // Written as it is now: skipped before its charge is read.
      const mapped = (settings.netsuiteFields.customerRefund?.fields ?? []).map((field) => invoicedValue(refund, field.invoiced) ?? null);
      print = fingerprint({ refund: [refund.amount, refund.currency, refund.created_at, refund.status], ...(mapped.length === 0 ? {} : { mapped }) });
      if (await skipUnchanged(context, { ...ref, link, fingerprint: print })) return;
      const charge = await invoiced.charges.retrieve(refund.charge, { signal });
      if (charge.payment === null || charge.payment === undefined) {
        throw new MappingError(
          'REFUND_PAYMENT_UNKNOWN',
          `Refund ${label}: Invoiced did not say which payment its charge #${refund.charge} made.`,
          'The refund is written once Invoiced names the payment (the charge\'s payment field); it is retried on every run. Record it in NetSuite by hand if it persists, then ignore this record.',
        );
      }
      const paymentLink = await store.findLinkByInvoicedId(connectionId, 'payment', String(charge.payment));
      if (paymentLink === null || paymentLink.fingerprint === GONE.voided) {
        throw new MappingError(
          'REFUND_PAYMENT_NOT_SYNCED',
          `Refund ${label}: the payment it refunds (Invoiced #${charge.payment}) is not in NetSuite${paymentLink === null ? ' yet' : ' any more'}.`,
          'A refund is written once its payment is in NetSuite (see the payment\'s own errors in Recent Syncs), and is retried on every run until then.',
        );
      }
      const customerLink = charge.customer === null || charge.customer === undefined ? null : await store.findLinkByInvoicedId(connectionId, 'customer', String(charge.customer));
      if (customerLink === null) {
        throw new MappingError('CUSTOMER_NOT_SYNCED', `Refund ${label}: its customer (Invoiced #${String(charge.customer)}) is not in NetSuite yet.`, 'The refund is retried on every run until its customer and payment are in NetSuite.');
      }
      timeZone ??= (await netsuiteClockOf(context, deps)).mappingTimeZone;
      const base = invoicedRefundToNetSuite(refund, {
        customer: customerLink.netsuiteId,
        payment: paymentLink.netsuiteId,
        account: settings.refundAccount,
        paymentLabel: `#${charge.payment}`,
        currencies: await currencyMapFor(context, deps, [refund.currency]),
        timeZone,
      });
      const body = await mapper.toNetSuite('customerRefund', base, refund, { label: `Refund ${label}`, currency: refund.currency, customer: String(charge.customer), netsuiteCustomer: customerLink.netsuiteId, timeZone });
      const written = await writer.netsuite.upsert('customerRefund', body.externalId, body, { signal, replace: ['apply'] }).catch((error: unknown) => {
        throw requiredFieldRefusal(error, 'customerRefund', `Refund ${label}`, null) ?? refusedByNetSuite(error, { label, externalId: body.externalId, payment: paymentLink.netsuiteId });
      });
      if (written.id === undefined && link === null) {
        throw new MappingError('WRITTEN_RECORD_NOT_FOUND', `NetSuite accepted refund ${label} but did not say its ID.`, 'Retry the refund.');
      }
      const netsuiteId = written.id ?? link?.netsuiteId ?? '';
      await store.saveLink(connectionId, { kind: 'refund', invoicedId, netsuiteId, origin: 'invoiced', fingerprint: print });
      await context.succeeded(upsertedInNetSuite(ref, netsuiteId, link !== null));
    } catch (error) {
      await context.failed(ref, error, print);
    }
  };

  // Invoiced's refunds have no `updated_after`: every run reads them all, so the retry queue is not read.
  const read = await readInvoicedRecords(context, deps, {
    entity: 'refund',
    changed: () => invoiced.refunds.list({ sort: 'id ASC', signal }),
    retrieve: (id) => invoiced.refunds.retrieve(id, { signal }),
    handle: handleRefund,
    limit: settings.recordConcurrency,
    retries: false,
  });
  await context.flushErrors();
  context.count('invoiced_refunds_read', read.changed + read.byId);
  if (read.moveCursor) await store.setCursor(connectionId, PHASE, phaseStart.toISOString());
}

/**
 * NetSuite's refusal (`USER_ERROR`) to write a refund, as the record's error: most often the payment has
 * nothing unapplied to refund, because Invoiced keeps a refunded payment applied to its invoices.
 */
function refusedByNetSuite(error: unknown, refund: { label: string; externalId: string; payment: string }): unknown {
  if (!isApiError(error) || error.api !== 'netsuite' || error.status !== 400 || error.code !== 'USER_ERROR') return error;
  return new MappingError(
    'REFUND_REFUSED_BY_NETSUITE',
    `Refund ${refund.label}: NetSuite refused to write it as customer refund ${refund.externalId} of customer payment ${refund.payment}: ${error.message}`,
    'NetSuite refunds only what a payment has unapplied, and Invoiced keeps a refunded payment applied to its invoices. On Invoiced, take the refunded amount off the invoices the payment pays (so that they are owed again); the sync then unapplies it in NetSuite and writes the refund. Or record the refund in NetSuite by hand and ignore this record.',
    undefined,
    { entity: 'refund', details: { externalId: refund.externalId }, cause: error },
  );
}
