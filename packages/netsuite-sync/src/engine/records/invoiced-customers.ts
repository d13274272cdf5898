/**
 * NetSuite customers into Invoiced: the one implementation behind both the sync's phase
 * `netsuite_invoices` (each invoice's customer, "during a sync, those that have invoices") and the
 * customer import (`engine.importCustomers()`, "the whole A/R list on demand").
 *
 * A NetSuite customer's Invoiced customer is, in this order: the one its link names; the one carrying its
 * internal ID in `metadata.netsuite_id` (recovery after a crash between a create and its link); the one its
 * own external ID names when the sync wrote it from Invoiced (`invd-cust-<id>`); the one whose name
 * matches (normalized; two matches are an error naming both, never a guess; a match linked to another
 * NetSuite customer, or made for one, is an error too: made on Invoiced for another (its
 * `metadata.netsuite_id`), or the source of another's NetSuite copy (`invd-cust-<id>`)); else a new one,
 * created with an idempotency key of the customer and the connection, noted in the retry queue before it
 * is sent (`customer-creates.ts`).
 */
import { invoicedIdOf } from '../../mapping/customers';
import {
  customerDisplayName,
  fingerprint,
  indexCustomersByName,
  mergeMetadata,
  netsuiteCustomerToInvoiced,
  normalizeName,
  type CustomerNameIndex,
  type InvoicedCustomerBody,
} from '../../mapping/index';
import type { SuiteQLRow } from '../../netsuite/suiteql';
import type { PhaseDeps, PhaseRun } from '../contracts';
import { loadInvoicedCustomerCopies, valueText } from '../netsuite-queries';
import { KeyedLock } from '../run/concurrent';
import { noteCustomerCreate } from './customer-creates';
import { customerSubject, invoiceSubject, numberRefused, type CustomerSubject } from './customer-errors';
import { hasFields, mappedFields, type MappedFields } from './invoiced-customer-fields';
import { FieldMapper } from './field-mapper';
import { skipUnchanged } from './outcomes';
import { resolvedOutcome, type Resolution } from './customer-outcomes';

const DIRECTION = 'netsuite_to_invoiced' as const;

/** Invoiced customers by normalized name, by `metadata.netsuite_id` and by ID: read once per run, when first needed. */
interface CustomerIndex {
  byName: CustomerNameIndex;
  byNetSuiteId: Map<string, number>;
  byId: Map<number, MappedFields>;
  /** Customer numbers in use on Invoiced: a create whose number is taken goes without it at once. */
  numbers: Set<string>;
}

const perRun = new WeakMap<PhaseRun, InvoicedCustomers>(); // the one instance of each run (`of`)

/**
 * Finds, links or creates the Invoiced customers of NetSuite customers for one run. Reads Invoiced's
 * customer list once, the first time a customer without a link is seen.
 */
export class InvoicedCustomers {
  /**
   * The run's one instance, shared by its phases: Invoiced's customer list is read once per run, not once
   * per phase, and customers of one name are resolved one at a time across them all.
   */
  static of(context: PhaseRun, deps: PhaseDeps): InvoicedCustomers {
    let customers = perRun.get(context);
    if (customers === undefined) {
      customers = new InvoicedCustomers(context, deps);
      perRun.set(context, customers);
    }
    return customers;
  }

  #index: Promise<CustomerIndex> | undefined;
  /** NetSuite's copies of Invoiced customers (`invd-cust-<id>`) by Invoiced ID: read once, at the first match by name. */
  #copies: Promise<Map<string, string>> | undefined;
  /** Customers of one normalized name are resolved one at a time: matching and creating must not race. */
  readonly #byName = new KeyedLock();
  readonly #mapper: FieldMapper;
  /**
   * NetSuite customers whose create failed earlier in this run: it may have gone through (a lost answer
   * the retries could not settle), after the run's index was read, so the next try looks first.
   */
  readonly #createFailed = new Set<string>();

  constructor(
    private readonly context: PhaseRun,
    private readonly deps: PhaseDeps,
  ) {
    this.#mapper = new FieldMapper(context, deps);
  }

  #customerIndex(): Promise<CustomerIndex> {
    this.#index ??= this.context.readAhead(async (signal) => {
      const index: CustomerIndex = { byName: indexCustomersByName([]), byNetSuiteId: new Map(), byId: new Map(), numbers: new Set() };
      for await (const customer of this.deps.invoiced.customers.list({ signal })) {
        index.byName.add({ id: String(customer.id), name: customer.name });
        const fields = mappedFields(customer);
        index.byId.set(customer.id, fields);
        if (customer.number !== null && customer.number !== undefined) index.numbers.add(customer.number);
        if (fields.netsuiteId !== undefined) index.byNetSuiteId.set(fields.netsuiteId, customer.id);
      }
      return index;
    });
    // A failed read is not kept: the next customer reads the list again.
    this.#index.catch(() => (this.#index = undefined));
    return this.#index;
  }

  /**
   * Starts reading Invoiced's customer list now (its pages follow one another), for a phase that will
   * resolve many customers (a first run): its first records do not wait for every page of it. A failed
   * read is read again by the first customer that needs it.
   */
  warm(): void {
    this.#customerIndex().catch(() => undefined);
  }

  #invoicedCopies(): Promise<Map<string, string>> {
    this.#copies ??= loadInvoicedCustomerCopies(this.deps.netsuite, this.context.signal);
    this.#copies.catch(() => (this.#copies = undefined));
    return this.#copies;
  }

  /**
   * The Invoiced customer of an invoice's NetSuite customer (phase `netsuite_invoices` and the invoice
   * import): linked, recovered by metadata, matched by name, or created. A linked customer is not updated.
   */
  async forInvoice(customer: SuiteQLRow, invoiceNumber: string): Promise<number> {
    const netsuiteId = valueText(customer.id);
    const link = await this.deps.store.findLinkByNetSuiteId(this.deps.connectionId, 'customer', netsuiteId);
    if (link !== null) return Number(link.invoicedId);
    const body = (await this.#mapper.toInvoiced('customer', netsuiteCustomerToInvoiced(customer), customer, `Customer "${customerDisplayName(customer)}"`)).body;
    const resolved = await this.#resolveUnlinked(customer, customerDisplayName(customer), () => body, invoiceSubject(invoiceNumber));
    if (resolved.how === 'existing') return resolved.id;
    await this.context.succeeded(resolvedOutcome(netsuiteId, customerDisplayName(customer), resolved));
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
    const ref = { direction: DIRECTION, entity: 'customer' as const, sourceId: netsuiteId, number: name === '' ? null : name };
    let print: string | null = null;
    try {
      if (valueText(customer.externalid).startsWith('invd-cust-')) {
        await this.context.skipped(ref, 'written to NetSuite from Invoiced');
        return;
      }
      const mapped = await this.#mapper.toInvoiced('customer', netsuiteCustomerToInvoiced(customer), customer, `Customer "${name}"`);
      const body = mapped.body;
      print = fingerprint(body);
      let link = await store.findLinkByNetSuiteId(connectionId, 'customer', netsuiteId);
      if (link?.origin === 'invoiced') {
        await this.context.skipped(ref, 'came from Invoiced');
        return;
      }
      if (await skipUnchanged(this.context, { ...ref, link, fingerprint: print })) return;
      let linkedNow = false;
      if (link === null) {
        const resolved = await this.#resolveUnlinked(customer, body.name, () => body, customerSubject());
        if (resolved.how !== 'metadata' && resolved.how !== 'existing') {
          await this.context.succeeded(resolvedOutcome(netsuiteId, ref.number, resolved));
          return;
        }
        if (resolved.link.origin === 'invoiced') {
          await this.context.skipped(ref, 'came from Invoiced');
          return;
        }
        link = resolved.link;
        linkedNow = resolved.how === 'metadata';
      }
      const invoicedId = Number(link.invoicedId);
      // A link without a fingerprint (made by a sync, or recovered by metadata): the fields on Invoiced tell.
      const current = link.fingerprint === null ? (await this.#customerIndex()).byId.get(invoicedId) : undefined;
      const write = current === undefined || !hasFields(current, body) || this.#mapper.readsBack('customer');
      // An update on Invoiced replaces the whole metadata map: the customer has its netsuite_id already (it
      // was created with it, or found by it), and whatever else a person put there stays.
      // When mappings (or the transform hook) set metadata keys, the update carries the whole map: the customer's own, with those keys set or removed.
      const update = async ({ metadata: _metadata, ...fields }: Partial<InvoicedCustomerBody>) => {
        const signal = this.context.signal;
        const metadata = Object.keys(mapped.metadata).length > 0 ? mergeMetadata((await this.deps.invoiced.customers.retrieve(invoicedId, { signal })).metadata, mapped.metadata) : undefined;
        await this.deps.writer.invoiced.updateCustomer(invoicedId, metadata === undefined ? fields : { ...fields, metadata }, { signal });
      };
      if (write) await this.#write(body, update);
      await store.saveLink(connectionId, { ...link, fingerprint: print });
      const found = `found on Invoiced by metadata.netsuite_id: customer #${link.invoicedId}`;
      if (write) {
        const reason = linkedNow ? 'found on Invoiced by metadata.netsuite_id, not linked yet' : 'changed in NetSuite';
        await this.context.succeeded({ ...ref, targetId: link.invoicedId, action: 'updated', change: 'update', reason });
      } else if (linkedNow) await this.context.succeeded({ ...ref, targetId: link.invoicedId, action: 'linked', change: 'link', reason: found });
      else {
        await this.context.skipped(ref, 'unchanged');
      }
    } catch (error) {
      await this.context.failed(ref, error, print);
    }
  }

  /**
   * Writes a customer body; when Invoiced refuses the number (NetSuite's entity ID) as taken, the write is
   * made again without it (or, when the run's index already shows it taken, made without it at once).
   * The number is not taken by this very customer: a create comes only after the
   * run's customer index (read from Invoiced in this run) found no customer with its NetSuite ID, and a
   * lost answer is retried with the same idempotency key, which Invoiced answers with the first write.
   */
  async #write<T>(
    body: InvoicedCustomerBody,
    write: (fields: InvoicedCustomerBody | Omit<InvoicedCustomerBody, 'number'>, withoutNumber: boolean) => Promise<T>,
    numberTaken = false,
  ): Promise<T> {
    const { number: _number, ...withoutNumber } = body;
    if (numberTaken && body.number !== undefined) return write(withoutNumber, true);
    return write(body, false).catch(async (error: unknown) => {
      if (!(numberRefused(error) && body.number !== undefined)) throw error;
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
    const { store, connectionId, invoiced, writer } = this.deps;
    const netsuiteId = valueText(customer.id);
    const index = await this.#customerIndex();
    const byMetadata = index.byNetSuiteId.get(netsuiteId);
    if (byMetadata !== undefined) {
      const link = await store.saveLink(connectionId, { kind: 'customer', invoicedId: String(byMetadata), netsuiteId, origin: 'netsuite', fingerprint: null });
      return { id: byMetadata, link, how: 'metadata' };
    }
    // Written to NetSuite from an Invoiced customer (whose link a crash may have lost): that one, whatever the names.
    const sourceId = invoicedIdOf('cust', customer.externalid);
    const source = sourceId === undefined ? undefined : String(sourceId);
    if (source !== undefined && index.byId.has(Number(source))) {
      const taken = await store.findLinkByInvoicedId(connectionId, 'customer', source);
      if (taken !== null && taken.netsuiteId !== netsuiteId) throw subject.alreadyLinked({ id: netsuiteId, name }, source, taken.netsuiteId);
      const link = await store.saveLink(connectionId, { kind: 'customer', invoicedId: source, netsuiteId, origin: 'invoiced', fingerprint: null });
      return { id: Number(source), link, how: 'external-id' };
    }
    const match = index.byName.match(name);
    if (match.kind === 'ambiguous') throw subject.ambiguous(name, match);
    if (match.kind === 'matched') {
      const taken = await store.findLinkByInvoicedId(connectionId, 'customer', match.id);
      if (taken !== null && taken.netsuiteId !== netsuiteId) throw subject.alreadyLinked({ id: netsuiteId, name }, match.id, taken.netsuiteId);
      // Created for another NetSuite customer (whose link a crash may have lost): that one's, not this one's.
      const createdFor = index.byId.get(Number(match.id))?.netsuiteId;
      if (createdFor !== undefined && createdFor !== netsuiteId) throw subject.alreadyLinked({ id: netsuiteId, name }, match.id, createdFor);
      // The source of another NetSuite customer the sync wrote from it (whose link a crash may have lost).
      const copy = (await this.#invoicedCopies()).get(match.id);
      if (copy !== undefined && copy !== netsuiteId) throw subject.alreadyLinked({ id: netsuiteId, name }, match.id, copy);
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
    await noteCustomerCreate(this.context, { direction: DIRECTION, sourceId: netsuiteId, name });
    const created = await this.#write(
      body,
      // Keyed by what is sent too: Invoiced replays a refusal to its key for 24 h, so a customer fixed in NetSuite must not reuse it.
      (fields, withoutNumber) =>
        writer.invoiced.createCustomer(fields, {
          idempotencyKey: `ns-cust-${withoutNumber ? 'nonum-' : ''}${netsuiteId}-${fingerprint(fields).slice(0, 16)}-${connectionId}`.slice(0, 64),
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
