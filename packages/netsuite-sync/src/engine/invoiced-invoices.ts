/**
 * Phase `invoiced_invoices` (the spec's "writing invoices generated on Invoiced to NetSuite"): non-draft
 * Invoiced invoices changed since the cursor are upserted in NetSuite by external ID (`invd-inv-<id>`),
 * each with its customer matched by name or created. An invoice that came from NetSuite is never written
 * back, however it was changed on Invoiced.
 */
import type { InvoicedCustomer, InvoicedInvoice } from '../invoiced/schemas';
import {
  customerDisplayName,
  fingerprint,
  invoicedCustomerToNetSuite,
  invoicedInvoiceEligibility,
  invoicedInvoiceToNetSuite,
  MappingError,
  matchCustomerByName,
  normalizeName,
} from '../mapping/index';
import { sql } from '../netsuite/sql';
import { KeyedLock } from './concurrent';
import type { PhaseDeps } from './phases';
import { ambiguousCustomer, changedThenPending, customerAlreadyLinked, pendingRetries, skipUnchanged, valueText } from './records';
import { netsuiteClockOf } from './netsuite-clock';
import { deletedInNetSuite, GONE } from './netsuite-deletions';
import type { RunContext } from './run-context';
import { followInvoicedVoid } from './voids';

const PHASE = 'invoiced_invoices';
const DIRECTION = 'invoiced_to_netsuite' as const;

/** NetSuite customers by name, loaded once per run when first needed. */
type NameIndex = { id: string; name: string }[];

async function loadNetSuiteCustomerNames(deps: PhaseDeps, signal: AbortSignal | undefined): Promise<NameIndex> {
  const index: NameIndex = [];
  const query = sql`SELECT id, entityid, companyname, isperson, firstname, lastname FROM customer WHERE isinactive = 'F'`;
  for await (const row of deps.netsuite.suiteqlAll(query, { signal })) {
    const id = valueText(row.id);
    if (id !== '') index.push({ id, name: customerDisplayName(row) });
  }
  return index;
}

/** Runs the phase. */
export async function writeInvoicedInvoices(context: RunContext, deps: PhaseDeps): Promise<void> {
  const { store, connectionId, settings, invoiced, netsuite } = deps;
  const signal = context.signal;
  const phaseStart = context.now();
  const cursor = await store.getCursor(connectionId, PHASE);
  const since = cursor === null ? null : Math.floor((Date.parse(cursor) - settings.cursorOverlapMs) / 1000);
  let namesRead: Promise<NameIndex> | undefined;
  const netsuiteNames = (): Promise<NameIndex> => {
    namesRead ??= loadNetSuiteCustomerNames(deps, signal);
    // A failed read is not kept: the next customer reads the list again.
    namesRead.catch(() => (namesRead = undefined));
    return namesRead;
  };
  // Invoices are handled side by side: one customer is resolved once, and customers of one name one at a
  // time, so that two invoices never create one customer twice nor link two customers to one.
  const customerLock = new KeyedLock();

  /** The NetSuite customer of an Invoiced customer: linked, matched by name, or upserted by external ID. */
  const netsuiteCustomerFor = async (customerId: number, invoiceNumber: string): Promise<string> => {
    const link = await store.findLinkByInvoicedId(connectionId, 'customer', String(customerId));
    if (link !== null) return link.netsuiteId;
    return customerLock.run(`id:${customerId}`, async () => {
      const linked = await store.findLinkByInvoicedId(connectionId, 'customer', String(customerId));
      if (linked !== null) return linked.netsuiteId;
      const customer = await invoiced.customers.retrieve(customerId, { signal });
      return customerLock.run(`name:${normalizeName(customer.name)}`, () => resolveCustomer(customer, invoiceNumber));
    });
  };

  const resolveCustomer = async (customer: InvoicedCustomer, invoiceNumber: string): Promise<string> => {
    const customerId = customer.id;
    const names = await netsuiteNames();
    const match = matchCustomerByName(customer.name, names);
    if (match.kind === 'ambiguous') throw ambiguousCustomer(invoiceNumber, customer.name, 'netsuite', match);
    if (match.kind === 'matched') {
      const taken = await store.findLinkByNetSuiteId(connectionId, 'customer', match.id);
      if (taken !== null && taken.invoicedId !== String(customerId)) {
        throw customerAlreadyLinked(invoiceNumber, { side: 'invoiced', id: String(customerId), name: customer.name }, match.id, taken.invoicedId);
      }
      await store.saveLink(connectionId, { kind: 'customer', invoicedId: String(customerId), netsuiteId: match.id, origin: 'netsuite', fingerprint: null });
      await context.succeeded(DIRECTION, 'customer', String(customerId), match.id, 'linked');
      return match.id;
    }
    const body = invoicedCustomerToNetSuite(customer, { subsidiary: settings.subsidiary, currencies: settings.currencies });
    const written = await netsuite.records.upsert('customer', body.externalId, body, { signal });
    const netsuiteId = written.id ?? (await netsuiteIdByExternalId(deps, 'customer', body.externalId, signal));
    names.push({ id: netsuiteId, name: customer.name });
    await store.saveLink(connectionId, { kind: 'customer', invoicedId: String(customerId), netsuiteId, origin: 'invoiced', fingerprint: null });
    await context.succeeded(DIRECTION, 'customer', String(customerId), netsuiteId, 'created');
    return netsuiteId;
  };

  // Dates are days in the NetSuite account's time zone. Read once, before any record: a failure to read
  // NetSuite's clock is the run's, not each record's.
  const clock = await netsuiteClockOf(context, deps);

  const handleInvoice = async (invoice: InvoicedInvoice): Promise<void> => {
    const invoicedId = String(invoice.id);
    const number = invoice.number ?? null;
    let print: string | null = null;
    try {
      const eligibility = invoicedInvoiceEligibility(invoice, { since: null });
      if (!eligibility.eligible && eligibility.reason === 'voided') {
        const link = await store.findLinkByInvoicedId(connectionId, 'invoice', invoicedId);
        await followInvoicedVoid(context, deps, { kind: 'invoice', invoicedId, label: number ?? `#${invoicedId}`, number, link });
        return;
      }
      if (!eligibility.eligible) {
        context.skipped(DIRECTION, 'invoice', invoicedId, eligibility.reason);
        return;
      }
      const link = await store.findLinkByInvoicedId(connectionId, 'invoice', invoicedId);
      if (link?.fingerprint === GONE.deletedInNetSuite) throw deletedInNetSuite('invoice', number ?? `#${invoicedId}`, link.netsuiteId, number);
      // The spec's rule: an invoice imported from NetSuite is not written back, even when edited on Invoiced.
      if (link?.origin === 'netsuite' || (link === null && invoice.metadata.netsuite_id !== undefined)) {
        context.skipped(DIRECTION, 'invoice', invoicedId, 'imported from NetSuite');
        return;
      }
      const customerId = await netsuiteCustomerFor(invoice.customer, number ?? invoicedId);
      const body = invoicedInvoiceToNetSuite(invoice, customerId, {
        items: settings.items,
        currencies: settings.currencies,
        useInvoicedNumber: settings.useInvoicedNumber,
        timeZone: clock.mappingTimeZone,
      });
      print = fingerprint(body);
      if (await skipUnchanged(context, deps, { direction: DIRECTION, entity: 'invoice', sourceId: invoicedId, link, fingerprint: print })) return;
      // An upsert by external ID: repeating it after a crash or a lost response never duplicates.
      // `replace`: on an existing invoice NetSuite would add these lines to the ones already there.
      const written = await netsuite.records.upsert('invoice', body.externalId, body, { signal, replace: ['item'] });
      const netsuiteId = written.id ?? (await netsuiteIdByExternalId(deps, 'invoice', body.externalId, signal));
      await store.saveLink(connectionId, { kind: 'invoice', invoicedId, netsuiteId, origin: 'invoiced', fingerprint: print });
      await context.succeeded(DIRECTION, 'invoice', invoicedId, netsuiteId, link === null ? 'created' : 'updated');
    } catch (error) {
      await context.failed(DIRECTION, 'invoice', invoicedId, number, error, print);
    }
  };

  const read = await changedThenPending(context, {
    changed: invoiced.invoices.listNonDraftUpdatedAfter(since ?? 0, { signal }),
    pending: await pendingRetries(deps, DIRECTION, 'invoice'),
    retrieve: (id) => invoiced.invoices.retrieve(id, { signal }),
    handle: handleInvoice,
    limit: settings.recordConcurrency,
  });
  await context.flushErrors();
  context.count('invoiced_invoices_read', read);
  await store.setCursor(connectionId, PHASE, phaseStart.toISOString());
}

/** The internal ID of a record written by external ID when NetSuite's answer did not carry it. */
async function netsuiteIdByExternalId(deps: PhaseDeps, type: 'customer' | 'invoice', externalId: string, signal: AbortSignal | undefined): Promise<string> {
  const table = type === 'customer' ? sql`customer` : sql`transaction`;
  const page = await deps.netsuite.suiteql(sql`SELECT id FROM ${table} WHERE externalid = ${externalId}`, { limit: 1, signal });
  const id = valueText(page.items[0]?.id);
  if (id === '') {
    throw new MappingError('WRITTEN_RECORD_NOT_FOUND', `NetSuite accepted the ${type} ${externalId} but it cannot be found.`, 'Retry the record; if it persists, check the role can see it.');
  }
  return id;
}

