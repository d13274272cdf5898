/**
 * The NetSuite customer of an Invoiced customer, for the phases that write Invoiced documents to NetSuite
 * (invoices, credit notes): its link; else its own copy (external ID `invd-cust-<id>`, written by a run
 * whose link was lost); else the NetSuite customer its `metadata.netsuite_id` names (it came from
 * NetSuite); else the one whose name matches (never one the sync wrote for another Invoiced customer);
 * else a new one, upserted by external ID and noted in the retry queue before it is sent.
 */
import type { InvoicedCustomer } from '../../invoiced/schemas';
import { externalIdFor, invoicedIdOf } from '../../mapping/customers';
import { invoicedCustomerToNetSuite, matchCustomerByName, normalizeName } from '../../mapping/index';
import type { Direction } from '../../store/sync-store';
import type { PhaseDeps, PhaseRun } from '../contracts';
import { currencyMapFor } from '../currencies';
import { loadNetSuiteCustomerNames, netsuiteIdByExternalId, valueText, type NetSuiteCustomerName } from '../netsuite-queries';
import { KeyedLock } from '../run/concurrent';
import { RecordDeferred } from '../run/deferred';
import { FieldMapper } from './field-mapper';
import { requiredFieldRefusal } from './required-fields';
import { noteCustomerCreate } from './customer-creates';
import { ambiguousCustomer, customerAlreadyLinked } from './customer-errors';

/**
 * NetSuite's customers, loaded once per run when first needed: the active ones indexed by external ID, by ID
 * and by normalized name, so that a customer is resolved in constant time however many the account has; and
 * every one's (inactive too) external ID, ID and name, for what the NetSuite-to-Invoiced phases could link.
 */
interface NameIndex {
  readonly byExternalId: Map<string, NetSuiteCustomerName>;
  readonly byId: Map<string, NetSuiteCustomerName>;
  readonly byName: Map<string, NetSuiteCustomerName[]>;
  readonly any: Set<string>;
}

/** Adds a customer to the index (one read from NetSuite, or one just created). */
function addName(index: NameIndex, entry: NetSuiteCustomerName): void {
  const key = normalizeName(entry.name);
  index.any.add(`id:${entry.id}`).add(`name:${key}`);
  if (entry.externalId !== undefined) index.any.add(`external:${entry.externalId}`);
  if (entry.inactive === true) return;
  if (entry.externalId !== undefined && !index.byExternalId.has(entry.externalId)) index.byExternalId.set(entry.externalId, entry);
  if (!index.byId.has(entry.id)) index.byId.set(entry.id, entry);
  const group = index.byName.get(key);
  if (group === undefined) index.byName.set(key, [entry]);
  else group.push(entry);
}

function indexNames(entries: readonly NetSuiteCustomerName[]): NameIndex {
  const index: NameIndex = { byExternalId: new Map(), byId: new Map(), byName: new Map(), any: new Set() };
  for (const entry of entries) addName(index, entry);
  return index;
}

/**
 * The phases that link NetSuite customers to Invoiced customers (those of the NetSuite invoices and credit
 * memos they write to Invoiced, and of the credit memos NetSuite payments apply, which the payment phase
 * imports). An Invoiced customer they could link (NetSuite has its copy, its source or
 * a customer of its name, active or not) is resolved once they are done (its records are deferred: {@link RecordDeferred}),
 * so that it is linked as when they ran first; one they cannot link is created at once.
 */
const CUSTOMER_LINKING_PHASES = ['netsuite_invoices', 'netsuite_credit_memos', 'netsuite_payments'];

/**
 * A resolver for one run of a phase: `(customerId, documentNumber) => NetSuite internal ID`. Documents
 * are handled side by side: one customer is resolved once, and customers of one name one at a time, so
 * that two documents never create one customer twice nor link two customers to one.
 */
export function netsuiteCustomerResolver(context: PhaseRun, deps: PhaseDeps, direction: Direction): (customerId: number, documentNumber: string) => Promise<string> {
  const { store, connectionId, settings, invoiced, netsuite, writer } = deps;
  const signal = context.signal;
  const DIRECTION = direction;
  let namesRead: Promise<NameIndex> | undefined;
  const netsuiteNames = (): Promise<NameIndex> => {
    namesRead ??= loadNetSuiteCustomerNames(netsuite, signal, settings.matchCustomersWithinSubsidiary).then(indexNames);
    // A failed read is not kept: the next customer reads the list again.
    namesRead.catch(() => (namesRead = undefined));
    return namesRead;
  };
  const customerLock = new KeyedLock();
  /** Customers whose resolution waits for the phases that may link them (see {@link CUSTOMER_LINKING_PHASES}). */
  const deferred = new Set<number>();
  const mapper = new FieldMapper(context, deps);

  /** The NetSuite customer of an Invoiced customer: linked, matched by name, or upserted by external ID. */
  const netsuiteCustomerFor = async (customerId: number, invoiceNumber: string): Promise<string> => {
    const link = await store.findLinkByInvoicedId(connectionId, 'customer', String(customerId));
    if (link !== null) return link.netsuiteId;
    if (deferred.has(customerId)) {
      const running = context.phasesRunning(CUSTOMER_LINKING_PHASES);
      if (running.length > 0) throw new RecordDeferred(running, { kind: 'customer', invoicedIds: [String(customerId)] });
    }
    return customerLock.run(`id:${customerId}`, async () => {
      const linked = await store.findLinkByInvoicedId(connectionId, 'customer', String(customerId));
      if (linked !== null) return linked.netsuiteId;
      const customer = await invoiced.customers.retrieve(customerId, { signal });
      return customerLock.run(`name:${normalizeName(customer.name)}`, () => resolveCustomer(customer, invoiceNumber));
    });
  };

  /** Links an Invoiced customer to the NetSuite customer found for it, unless that one is linked to another. */
  const linkFound = async (customer: InvoicedCustomer, invoiceNumber: string, netsuiteId: string, origin: 'netsuite' | 'invoiced', reason: string): Promise<string> => {
    const taken = await store.findLinkByNetSuiteId(connectionId, 'customer', netsuiteId);
    if (taken !== null && taken.invoicedId !== String(customer.id)) {
      throw customerAlreadyLinked(invoiceNumber, { side: 'invoiced', id: String(customer.id), name: customer.name }, netsuiteId, taken.invoicedId);
    }
    await store.saveLink(connectionId, { kind: 'customer', invoicedId: String(customer.id), netsuiteId, origin, fingerprint: null });
    await context.succeeded({ direction: DIRECTION, entity: 'customer', sourceId: String(customer.id), number: customer.name, targetId: netsuiteId, action: 'linked', change: 'link', reason });
    return netsuiteId;
  };

  /**
   * The NetSuite customer of an unlinked Invoiced customer, in this order: its own copy (external ID
   * `invd-cust-<id>`, written by a run whose link was lost); the one its `metadata.netsuite_id` names (it
   * came from NetSuite); the one whose name matches (never one the sync wrote for another Invoiced
   * customer); else a new one, upserted by external ID and noted in the retry queue before it is sent.
   */
  const resolveCustomer = async (customer: InvoicedCustomer, invoiceNumber: string): Promise<string> => {
    const customerId = customer.id;
    const names = await netsuiteNames();
    const externalId = externalIdFor('cust', customerId);
    const own = names.byExternalId.get(externalId);
    const source = valueText(customer.metadata.netsuite_id);
    const named = names.byName.get(normalizeName(customer.name)) ?? [];
    const linkable = names.any.has(`external:${externalId}`) || names.any.has(`id:${source}`) || names.any.has(`name:${normalizeName(customer.name)}`);
    if (linkable) {
      // The phases that write NetSuite records to Invoiced, running beside this one, may link this customer
      // (its own copy, its source, or one of its name): their links come first, as when they ran before it.
      // The record waits (its phase goes on with others), and finds the link when it is handed again.
      const running = context.phasesRunning(CUSTOMER_LINKING_PHASES);
      if (running.length > 0) {
        deferred.add(customerId);
        // Handed again as soon as one of them links it (or once they are done).
        throw new RecordDeferred(running, { kind: 'customer', invoicedIds: [String(customerId)] });
      }
    }
    if (own !== undefined) return linkFound(customer, invoiceNumber, own.id, 'invoiced', `written to NetSuite from it earlier: customer ${own.id} (external ID ${externalId})`);
    if (source !== '' && names.byId.has(source)) return linkFound(customer, invoiceNumber, source, 'netsuite', `the NetSuite customer its metadata.netsuite_id names: ${source}`);
    const label = `Customer "${customer.name}"`;
    const rules = { currency: customer.currency ?? undefined, customer: customerId, metadata: customer.metadata, label };
    // OneWorld accounts with one company as a customer of several subsidiaries: only its subsidiary's customers
    // are candidates. Otherwise the subsidiary matters only to a create (a customer no rule covers may still match).
    const within = settings.matchCustomersWithinSubsidiary ? mapper.subsidiaryOf(rules) : undefined;
    const candidates = within === undefined ? named : named.filter((entry) => entry.subsidiary === within);
    const match = matchCustomerByName(customer.name, candidates);
    if (match.kind === 'ambiguous') throw ambiguousCustomer(invoiceNumber, customer.name, 'netsuite', match);
    if (match.kind === 'matched') {
      // Written to NetSuite for another Invoiced customer (whose link a crash may have lost): that one's.
      const copyOf = invoicedIdOf('cust', names.byId.get(match.id)?.externalId);
      if (copyOf !== undefined && copyOf !== customerId) {
        throw customerAlreadyLinked(invoiceNumber, { side: 'invoiced', id: String(customerId), name: customer.name }, match.id, String(copyOf));
      }
      return linkFound(customer, invoiceNumber, match.id, 'netsuite', `matched by name to NetSuite customer ${match.id}`);
    }
    const currencies = await currencyMapFor(context, deps, [customer.currency]);
    const subsidiary = mapper.subsidiaryOf(rules);
    const base = invoicedCustomerToNetSuite(customer, { subsidiary, currencies });
    const body = await mapper.toNetSuite('customer', base, customer, { ...rules, subsidiary });
    await noteCustomerCreate(context, { direction: DIRECTION, sourceId: String(customerId), name: customer.name });
    const written = await writer.netsuite.upsert('customer', body.externalId, body, { signal }).catch((error: unknown) => {
      throw requiredFieldRefusal(error, 'customer', `${label} (for ${invoiceNumber})`, null) ?? error;
    });
    const netsuiteId = written.id ?? (await netsuiteIdByExternalId(netsuite, 'customer', body.externalId, signal));
    addName(names, { id: netsuiteId, name: customer.name, externalId: body.externalId, subsidiary });
    await store.saveLink(connectionId, { kind: 'customer', invoicedId: String(customerId), netsuiteId, origin: 'invoiced', fingerprint: null });
    const ref = { direction: DIRECTION, entity: 'customer' as const, sourceId: String(customerId), number: customer.name };
    await context.succeeded({ ...ref, targetId: netsuiteId, action: 'created', change: 'create', reason: 'not in NetSuite yet: no active customer there has its name' });
    return netsuiteId;
  };

  return netsuiteCustomerFor;
}
