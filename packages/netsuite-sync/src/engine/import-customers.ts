/**
 * NetSuite customers into Invoiced: the one implementation behind both the sync's phase
 * `netsuite_invoices` (each invoice's customer, "during a sync, those that have invoices") and the
 * customer import (`engine.importCustomers()`, "the whole A/R list on demand").
 *
 * A NetSuite customer's Invoiced customer is, in this order: the one its link names; the one carrying its
 * internal ID in `metadata.netsuite_id` (recovery after a crash between a create and its link); the one
 * whose name matches (normalized; two matches are an error naming both, never a guess; a match already
 * linked to another NetSuite customer is an error too); else a new one, created with an idempotency key
 * of the customer and the connection.
 */
import { InvoicedInvalidRequestError } from '../invoiced/errors';
import type { InvoicedCustomer } from '../invoiced/schemas';
import {
  customerDisplayName,
  fingerprint,
  indexCustomersByName,
  MappingError,
  netsuiteCustomerToInvoiced,
  normalizeName,
  type CustomerNameIndex,
  type InvoicedCustomerBody,
  type NameMatch,
} from '../mapping/index';
import { sql, type SuiteQLQuery } from '../netsuite/sql';
import type { SuiteQLRow } from '../netsuite/suiteql';
import type { SyncLink } from '../store/sync-store';
import { KeyedLock } from './concurrent';
import type { PhaseDeps } from './phases';
import { ambiguousCustomer, customerAlreadyLinked, skipUnchanged, valueText } from './records';
import { retryKey, type RunContext } from './run-context';

const DIRECTION = 'netsuite_to_invoiced' as const;

/**
 * The NetSuite customer columns the sync reads, from `customer c` joined to its currency `cur`: what
 * `netsuiteCustomerToInvoiced` maps, plus `externalid` (to leave alone the customers written from Invoiced).
 */
export const CUSTOMER_SELECT: SuiteQLQuery = sql`SELECT c.id, c.entityid, c.companyname, c.isperson, c.firstname, c.lastname, c.email, c.phone, c.externalid, cur.symbol AS currency
    FROM customer c LEFT JOIN currency cur ON cur.id = c.currency`;

/** NetSuite customers by internal ID, read with one query (ids of one batch). */
export async function loadNetSuiteCustomers(deps: PhaseDeps, ids: readonly string[], signal: AbortSignal | undefined): Promise<Map<string, SuiteQLRow>> {
  const customers = new Map<string, SuiteQLRow>();
  if (ids.length === 0) return customers;
  const query = sql`${CUSTOMER_SELECT} WHERE c.id IN ${ids.map(Number)}`;
  for await (const row of deps.netsuite.suiteqlAll(query, { signal })) customers.set(valueText(row.id), row);
  return customers;
}

/** The fields of an Invoiced customer that a NetSuite customer's mapping writes. */
type MappedFields = Pick<InvoicedCustomer, 'name' | 'number' | 'type' | 'email' | 'phone' | 'currency'> & { netsuiteId: string | undefined };

/** Invoiced customers by normalized name, by `metadata.netsuite_id` and by ID: read once per run, when first needed. */
interface CustomerIndex {
  byName: CustomerNameIndex;
  byNetSuiteId: Map<string, number>;
  byId: Map<number, MappedFields>;
  /** Customer numbers in use on Invoiced: a create whose number is taken goes without it at once. */
  numbers: Set<string>;
}

function mappedFields(customer: InvoicedCustomer): MappedFields {
  const netsuiteId = customer.metadata.netsuite_id;
  return {
    name: customer.name,
    number: customer.number,
    type: customer.type ?? null,
    email: customer.email ?? null,
    phone: customer.phone ?? null,
    currency: customer.currency ?? null,
    netsuiteId: netsuiteId === undefined || netsuiteId === null ? undefined : valueText(netsuiteId),
  };
}

/** Whether an Invoiced customer already has every field a mapped body would write (absent fields are not written). */
function hasFields(existing: MappedFields, body: InvoicedCustomerBody): boolean {
  return (
    existing.name === body.name &&
    existing.type === body.type &&
    (body.number === undefined || existing.number === body.number) &&
    (body.email === undefined || existing.email === body.email) &&
    (body.phone === undefined || existing.phone === body.phone) &&
    (body.currency === undefined || existing.currency?.toLowerCase() === body.currency) &&
    existing.netsuiteId === body.metadata.netsuite_id
  );
}

/** How a failure to match a customer is worded: about the invoice being imported, or about the customer itself. */
export interface CustomerSubject {
  ambiguous(name: string, match: Extract<NameMatch, { kind: 'ambiguous' }>): MappingError;
  alreadyLinked(customer: { id: string; name: string }, matchedInvoicedId: string, linkedNetSuiteId: string): MappingError;
}

/** Failures worded about the invoice whose customer is resolved (phase `netsuite_invoices`, the invoice import). */
export function invoiceSubject(invoiceNumber: string): CustomerSubject {
  return {
    ambiguous: (name, match) => ambiguousCustomer(invoiceNumber, name, 'invoiced', match),
    alreadyLinked: (customer, matched, linkedTo) => customerAlreadyLinked(invoiceNumber, { side: 'netsuite', ...customer }, matched, linkedTo),
  };
}

/** Failures worded about a NetSuite customer of the A/R list (the customer import). */
export function customerSubject(): CustomerSubject {
  return {
    ambiguous: (name, match) =>
      new MappingError(
        'AMBIGUOUS_CUSTOMER',
        `Customer "${name}": matches ${match.ids.length} Invoiced customers (${match.ids.map((id, index) => `#${id} "${match.names[index] ?? ''}"`).join(', ')}).`,
        'Customers are matched by name. Rename or merge the duplicates on Invoiced (or set metadata.netsuite_id on the right one), then import the customers again.',
        name,
      ),
    alreadyLinked: (customer, matched, linkedTo) =>
      new MappingError(
        'CUSTOMER_ALREADY_LINKED',
        `Customer "${customer.name}": NetSuite customer ${customer.id} matches Invoiced customer #${matched} by name, which is already linked to NetSuite customer ${linkedTo}.`,
        'Two NetSuite customers have the same name. Rename or merge one of them in NetSuite, then import the customers again.',
        customer.name,
      ),
  };
}

/**
 * How an unlinked NetSuite customer found its Invoiced customer; `existing` when another record of the
 * run linked it meanwhile (two invoices of one new customer handled at once).
 */
type Resolution = { id: number; link: SyncLink; how: 'existing' | 'metadata' | 'name' | 'created' };

/**
 * Finds, links or creates the Invoiced customers of NetSuite customers for one run. Reads Invoiced's
 * customer list once, the first time a customer without a link is seen.
 */
export class InvoicedCustomers {
  #index: Promise<CustomerIndex> | undefined;
  /** Customers of one normalized name are resolved one at a time: matching and creating must not race. */
  readonly #byName = new KeyedLock();
  /**
   * NetSuite customers whose create failed earlier in this run: it may have gone through (a lost answer
   * the retries could not settle), after the run's index was read, so the next try looks first.
   */
  readonly #createFailed = new Set<string>();

  constructor(
    private readonly context: RunContext,
    private readonly deps: PhaseDeps,
  ) {}

  #customerIndex(): Promise<CustomerIndex> {
    this.#index ??= (async () => {
      const index: CustomerIndex = { byName: indexCustomersByName([]), byNetSuiteId: new Map(), byId: new Map(), numbers: new Set() };
      for await (const customer of this.deps.invoiced.customers.list({ signal: this.context.signal })) {
        index.byName.add({ id: String(customer.id), name: customer.name });
        const fields = mappedFields(customer);
        index.byId.set(customer.id, fields);
        if (customer.number !== null && customer.number !== undefined) index.numbers.add(customer.number);
        if (fields.netsuiteId !== undefined) index.byNetSuiteId.set(fields.netsuiteId, customer.id);
      }
      return index;
    })();
    // A failed read is not kept: the next customer reads the list again.
    this.#index.catch(() => (this.#index = undefined));
    return this.#index;
  }

  /**
   * The Invoiced customer of an invoice's NetSuite customer (phase `netsuite_invoices` and the invoice
   * import): linked, recovered by metadata, matched by name, or created. A linked customer is not updated.
   */
  async forInvoice(customer: SuiteQLRow, invoiceNumber: string): Promise<number> {
    const netsuiteId = valueText(customer.id);
    const link = await this.deps.store.findLinkByNetSuiteId(this.deps.connectionId, 'customer', netsuiteId);
    if (link !== null) return Number(link.invoicedId);
    const resolved = await this.#resolveUnlinked(customer, customerDisplayName(customer), () => netsuiteCustomerToInvoiced(customer), invoiceSubject(invoiceNumber));
    if (resolved.how === 'existing') return resolved.id;
    await this.context.succeeded(DIRECTION, 'customer', netsuiteId, String(resolved.id), resolved.how === 'created' ? 'created' : 'linked');
    return resolved.id;
  }

  /**
   * One customer of the A/R list (the customer import), counted once as created, linked, updated,
   * skipped or failed. A customer written to NetSuite from Invoiced, or linked to a customer that was on
   * Invoiced first, is never written over (no echo). One whose link is from NetSuite is updated when its
   * mapped fields changed (the link keeps their fingerprint).
   */
  async importCustomer(customer: SuiteQLRow): Promise<void> {
    const { store, connectionId } = this.deps;
    const netsuiteId = valueText(customer.id);
    const name = customerDisplayName(customer);
    let print: string | null = null;
    try {
      if (valueText(customer.externalid).startsWith('invd-cust-')) {
        this.context.skipped(DIRECTION, 'customer', netsuiteId, 'written to NetSuite from Invoiced');
        return;
      }
      const body = netsuiteCustomerToInvoiced(customer);
      print = fingerprint(body);
      let link = await store.findLinkByNetSuiteId(connectionId, 'customer', netsuiteId);
      if (link?.origin === 'invoiced') {
        this.context.skipped(DIRECTION, 'customer', netsuiteId, 'came from Invoiced');
        return;
      }
      if (await skipUnchanged(this.context, this.deps, { direction: DIRECTION, entity: 'customer', sourceId: netsuiteId, link, fingerprint: print })) return;
      let linkedNow = false;
      if (link === null) {
        const resolved = await this.#resolveUnlinked(customer, body.name, () => body, customerSubject());
        if (resolved.how !== 'metadata' && resolved.how !== 'existing') {
          await this.context.succeeded(DIRECTION, 'customer', netsuiteId, String(resolved.id), resolved.how === 'created' ? 'created' : 'linked');
          return;
        }
        if (resolved.link.origin === 'invoiced') {
          this.context.skipped(DIRECTION, 'customer', netsuiteId, 'came from Invoiced');
          return;
        }
        link = resolved.link;
        linkedNow = resolved.how === 'metadata';
      }
      const invoicedId = Number(link.invoicedId);
      // A link without a fingerprint (made by a sync, or recovered by metadata): the fields on Invoiced tell.
      const current = link.fingerprint === null ? (await this.#customerIndex()).byId.get(invoicedId) : undefined;
      const write = current === undefined || !hasFields(current, body);
      // An update on Invoiced replaces the whole metadata map: the customer has its netsuite_id already (it
      // was created with it, or found by it), and whatever else a person put there stays.
      const update = ({ metadata: _metadata, ...fields }: Partial<InvoicedCustomerBody>) => this.deps.invoiced.customers.update(invoicedId, fields, { signal: this.context.signal });
      if (write) await this.#write(body, update);
      await store.saveLink(connectionId, { ...link, fingerprint: print });
      if (write || linkedNow) await this.context.succeeded(DIRECTION, 'customer', netsuiteId, link.invoicedId, write ? 'updated' : 'linked');
      else {
        await store.deleteRetry(connectionId, retryKey(DIRECTION, 'customer', netsuiteId));
        this.context.skipped(DIRECTION, 'customer', netsuiteId, 'unchanged');
      }
    } catch (error) {
      await this.context.failed(DIRECTION, 'customer', netsuiteId, name === '' ? null : name, error, print);
    }
  }

  /**
   * Writes a customer body; when Invoiced refuses the number (NetSuite's entity ID) as taken, the write is
   * made again without it (or, when the run's index already shows it taken, made without it at once).
   * The number is not taken by this very customer: a create comes only after the
   * run's customer index (read from Invoiced in this run) found no customer with its NetSuite ID, and a
   * lost answer is retried with the same idempotency key, which Invoiced answers with the first write.
   */
  async #write(
    body: InvoicedCustomerBody,
    write: (fields: InvoicedCustomerBody | Omit<InvoicedCustomerBody, 'number'>, withoutNumber: boolean) => Promise<InvoicedCustomer>,
    numberTaken = false,
  ): Promise<InvoicedCustomer> {
    const { number: _number, ...withoutNumber } = body;
    if (numberTaken && body.number !== undefined) return write(withoutNumber, true);
    return write(body, false).catch(async (error: unknown) => {
      if (!(error instanceof InvoicedInvalidRequestError && error.param === 'number' && body.number !== undefined)) throw error;
      return write(withoutNumber, true);
    });
  }

  /**
   * The Invoiced customer of a NetSuite customer without a link: recovered by metadata, matched by name, or
   * created; linked. Runs under the lock of the customer's normalized name, and looks at the link again
   * under it.
   */
  #resolveUnlinked(customer: SuiteQLRow, name: string, mapped: () => InvoicedCustomerBody, subject: CustomerSubject): Promise<Resolution> {
    return this.#byName.run(normalizeName(name), async () => {
      const linked = await this.deps.store.findLinkByNetSuiteId(this.deps.connectionId, 'customer', valueText(customer.id));
      if (linked !== null) return { id: Number(linked.invoicedId), link: linked, how: 'existing' };
      return this.#resolveLocked(customer, name, mapped, subject);
    });
  }

  async #resolveLocked(customer: SuiteQLRow, name: string, mapped: () => InvoicedCustomerBody, subject: CustomerSubject): Promise<Resolution> {
    const { store, connectionId, invoiced } = this.deps;
    const netsuiteId = valueText(customer.id);
    const index = await this.#customerIndex();
    const byMetadata = index.byNetSuiteId.get(netsuiteId);
    if (byMetadata !== undefined) {
      const link = await store.saveLink(connectionId, { kind: 'customer', invoicedId: String(byMetadata), netsuiteId, origin: 'netsuite', fingerprint: null });
      return { id: byMetadata, link, how: 'metadata' };
    }
    const match = index.byName.match(name);
    if (match.kind === 'ambiguous') throw subject.ambiguous(name, match);
    if (match.kind === 'matched') {
      const taken = await store.findLinkByInvoicedId(connectionId, 'customer', match.id);
      if (taken !== null && taken.netsuiteId !== netsuiteId) throw subject.alreadyLinked({ id: netsuiteId, name }, match.id, taken.netsuiteId);
      // Created for another NetSuite customer (whose link a crash may have lost): that one's, not this one's.
      const createdFor = index.byId.get(Number(match.id))?.netsuiteId;
      if (createdFor !== undefined && createdFor !== netsuiteId) throw subject.alreadyLinked({ id: netsuiteId, name }, match.id, createdFor);
      const link = await store.saveLink(connectionId, { kind: 'customer', invoicedId: match.id, netsuiteId, origin: 'invoiced', fingerprint: null });
      return { id: Number(match.id), link, how: 'name' };
    }
    if (this.#createFailed.has(netsuiteId)) {
      const earlier = await invoiced.customers.findByNetsuiteId(netsuiteId, { signal: this.context.signal });
      if (earlier !== undefined) {
        index.byNetSuiteId.set(netsuiteId, earlier.id);
        const link = await store.saveLink(connectionId, { kind: 'customer', invoicedId: String(earlier.id), netsuiteId, origin: 'netsuite', fingerprint: null });
        return { id: earlier.id, link, how: 'metadata' };
      }
    }
    const body = mapped();
    this.#createFailed.add(netsuiteId);
    const created = await this.#write(
      body,
      (fields, withoutNumber) =>
        invoiced.customers.create(fields, {
          idempotencyKey: `ns-cust-${withoutNumber ? 'nonum-' : ''}${netsuiteId}-${connectionId}`.slice(0, 64),
          keepKeyAfterLostResponse: true,
          signal: this.context.signal,
        }),
      body.number !== undefined && index.numbers.has(body.number),
    );
    this.#createFailed.delete(netsuiteId);
    index.byName.add({ id: String(created.id), name: created.name });
    index.byNetSuiteId.set(netsuiteId, created.id);
    index.byId.set(created.id, mappedFields(created));
    if (created.number !== null && created.number !== undefined) index.numbers.add(created.number);
    // The fingerprint of the whole mapped body, even when the number had to be left out: the number is
    // not tried again until the customer changes in NetSuite.
    const link = await store.saveLink(connectionId, { kind: 'customer', invoicedId: String(created.id), netsuiteId, origin: 'netsuite', fingerprint: fingerprint(body) });
    return { id: created.id, link, how: 'created' };
  }
}
