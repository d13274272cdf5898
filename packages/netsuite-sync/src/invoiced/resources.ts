/**
 * The typed resources of the Invoiced client: `customers`, `invoices`, `payments`, `creditNotes`, each
 * with `retrieve`, `create`, `update`, `list`, `void` where Invoiced has it (`POST /{resource}/{id}/void`
 * for invoices and credit notes, `DELETE /payments/{id}` for payments), and the lookups the sync engine
 * needs (by `metadata.netsuite_id`, non-draft invoices updated after a time). Every payment call asks for
 * the payment's applications (`include=applied_to`): Invoiced leaves them out otherwise.
 */
import type { z } from 'zod';
import { ConfigurationError, toValidationIssues } from '../errors';
import type { TransportResponse } from '../internal/transport';
import type { HttpMethod, Query } from '../options';
import type { InvoicedMatchResource } from './errors';
import { InvoicedDuplicateMatchError, invalidResponseError } from './errors';
import type {
  InvoicedCreditNoteCreate,
  InvoicedCreditNoteInput,
  InvoicedCustomerCreate,
  InvoicedCustomerInput,
  InvoicedInvoiceCreate,
  InvoicedInvoiceInput,
  InvoicedPaymentCreate,
  InvoicedPaymentInput,
  InvoicedPaymentListOptions,
  InvoicedReadOptions,
  InvoicedWriteOptions,
} from './inputs';
import { checkId, prepareWriteBody } from './inputs';
import type { InvoicedListOptions } from './pagination';
import { InvoicedList } from './pagination';
import type { InvoicedCreditNote, InvoicedCustomer, InvoicedInvoice, InvoicedPayment } from './schemas';
import {
  InvoicedCreditNoteSchema,
  InvoicedCustomerSchema,
  InvoicedInvoiceSchema,
  InvoicedPaymentSchema,
} from './schemas';

/** Options of the client's low-level `request`. */
export interface InvoicedRequestOptions {
  /** Query parameters; arrays repeat the key, `undefined` leaves it out. */
  query?: Readonly<Record<string, string | number | boolean | null | undefined | readonly (string | number | boolean)[]>> | undefined;
  /** JSON body. */
  body?: unknown;
  /**
   * `Idempotency-Key` for POST and PATCH (6 to 64 characters); not allowed on other methods.
   * @default crypto.randomUUID() on POST and PATCH
   */
  idempotencyKey?: string | undefined;
  /** Keep the key after a timeout or lost connection (see `InvoicedWriteOptions`). @default false */
  keepKeyAfterLostResponse?: boolean | undefined;
  /** Cancels the request, whether it is queued or in flight. */
  signal?: AbortSignal | undefined;
}

/** What the resources need from the client. */
export interface ResourceTransport {
  readonly baseUrl: string;
  send(method: HttpMethod, path: string, options?: InvoicedRequestOptions): Promise<TransportResponse>;
}

/** The operations every resource has. */
export interface InvoicedResource<T, TCreate, TUpdate, TList = InvoicedListOptions> {
  /** `GET /{resource}/{id}`; an unknown ID throws `InvoicedNotFoundError`. */
  retrieve(id: number, options?: InvoicedReadOptions): Promise<T>;
  /** `POST /{resource}` with an `Idempotency-Key`. */
  create(params: TCreate, options?: InvoicedWriteOptions): Promise<T>;
  /** `PATCH /{resource}/{id}` with an `Idempotency-Key`; only the fields given change. */
  update(id: number, params: TUpdate, options?: InvoicedWriteOptions): Promise<T>;
  /** Every record matching the options, page by page as you iterate. Bad options throw at once. */
  list(options?: TList): InvoicedList<T>;
}

/** A document Invoiced voids through `POST /{resource}/{id}/void` (invoices, credit notes). */
export interface InvoicedVoidable<T> {
  /** `POST /{resource}/{id}/void` with an `Idempotency-Key`. */
  void(id: number, options?: InvoicedWriteOptions): Promise<T>;
}

/** Voiding a payment: Invoiced has no payment deletion, and `DELETE /payments/{id}` voids it. */
export interface InvoicedPaymentVoid {
  /**
   * `DELETE /payments/{id}`: Invoiced voids the payment and answers with it. Invoiced takes no
   * `Idempotency-Key` on DELETE; voiding a payment already voided is refused with a 400
   * (`InvoicedInvalidRequestError`), which is how a repeat after a lost answer shows.
   */
  void(id: number, options?: InvoicedReadOptions): Promise<InvoicedPayment>;
}

/** A resource whose records carry NetSuite's internal ID in `metadata.netsuite_id`. */
export interface InvoicedNetSuiteLookup<T> {
  /**
   * The record whose `metadata.netsuite_id` is `netsuiteId`, or `undefined` when there is none. Two
   * records with the same ID throw `InvoicedDuplicateMatchError` naming both.
   * @example const customer = await invoiced.customers.findByNetsuiteId('4711');
   */
  findByNetsuiteId(netsuiteId: string | number, options?: InvoicedReadOptions): Promise<T | undefined>;
}

/** `client.customers`. */
export type InvoicedCustomers = InvoicedResource<InvoicedCustomer, InvoicedCustomerCreate, InvoicedCustomerInput> &
  InvoicedNetSuiteLookup<InvoicedCustomer>;

/** Options of {@link InvoicedInvoices.listNonDraftUpdatedAfter}. */
export type InvoicedChangedInvoicesOptions = Omit<InvoicedListOptions, 'updatedAfter' | 'sort'>;

/** `client.invoices`. */
export type InvoicedInvoices = InvoicedResource<InvoicedInvoice, InvoicedInvoiceCreate, InvoicedInvoiceInput> &
  InvoicedVoidable<InvoicedInvoice> &
  InvoicedNetSuiteLookup<InvoicedInvoice> & {
    /**
     * Non-draft invoices updated **strictly after** `since` (a `Date` or UNIX seconds), oldest change
     * first (`sort=updated_at ASC`, `filter[draft]=0`). An invoice updated in the same second as `since`
     * is not returned: overlap your cursor by a few seconds and de-duplicate by `id`.
     * @example
     * ```ts
     * const cursor = lastSeenUpdatedAt - 60; // overlap: updated_after is strict
     * for await (const invoice of invoiced.invoices.listNonDraftUpdatedAfter(cursor)) console.log(invoice.number, invoice.updated_at);
     * ```
     */
    listNonDraftUpdatedAfter(since: Date | number, options?: InvoicedChangedInvoicesOptions): InvoicedList<InvoicedInvoice>;
  };

/**
 * `client.payments`. Invoiced's API reference gives payments no metadata (its service takes some), so the
 * client offers no metadata filter. Every call sends `include=applied_to`, so each payment comes with its
 * applications.
 */
export type InvoicedPayments = InvoicedResource<
  InvoicedPayment,
  InvoicedPaymentCreate,
  InvoicedPaymentInput,
  InvoicedPaymentListOptions
> &
  InvoicedPaymentVoid;

/** `client.creditNotes`. */
export type InvoicedCreditNotes = InvoicedResource<InvoicedCreditNote, InvoicedCreditNoteCreate, InvoicedCreditNoteInput> &
  InvoicedVoidable<InvoicedCreditNote> &
  InvoicedNetSuiteLookup<InvoicedCreditNote> & {
    /**
     * Non-draft credit notes updated **strictly after** `since` (a `Date` or UNIX seconds), oldest change
     * first (`sort=updated_at ASC`, `filter[draft]=0`), as {@link InvoicedInvoices.listNonDraftUpdatedAfter}.
     * @example
     * ```ts
     * const cursor = lastSeenUpdatedAt - 60; // overlap: updated_after is strict
     * for await (const note of invoiced.creditNotes.listNonDraftUpdatedAfter(cursor)) console.log(note.number, note.balance);
     * ```
     */
    listNonDraftUpdatedAfter(since: Date | number, options?: InvoicedChangedInvoicesOptions): InvoicedList<InvoicedCreditNote>;
  };

interface Definition<T> {
  readonly path: string;
  /** Singular, as in messages: `invoice`. */
  readonly singular: string;
  readonly plural: string;
  readonly schema: z.ZodType<T>;
  /** Query parameters of every call, e.g. `include=applied_to`. */
  readonly query?: Query | undefined;
}

function parseRecord<T>(definition: Definition<T>, method: HttpMethod, path: string, response: TransportResponse): T {
  const parsed = definition.schema.safeParse(response.body);
  if (parsed.success) return parsed.data;
  throw invalidResponseError(
    { method, path, status: response.status, requestId: response.requestId },
    `a ${definition.singular}`,
    toValidationIssues(parsed.error.issues),
  );
}

function caller<T>(transport: ResourceTransport, definition: Definition<T>) {
  return async (method: HttpMethod, path: string, options: InvoicedRequestOptions): Promise<T> =>
    parseRecord(definition, method, path, await transport.send(method, path, options));
}

function createResource<T, TCreate, TUpdate, TList extends InvoicedListOptions>(
  transport: ResourceTransport,
  definition: Definition<T>,
): InvoicedResource<T, TCreate, TUpdate, TList> {
  const call = caller(transport, definition);
  const { query } = definition;
  return {
    retrieve: async (id, options = {}) => call('GET', `${definition.path}/${checkId(id)}`, { query, signal: options.signal }),
    create: async (params, options = {}) =>
      call('POST', definition.path, { ...options, query, body: prepareWriteBody(params as Record<string, unknown>) }),
    update: async (id, params, options = {}) =>
      call('PATCH', `${definition.path}/${checkId(id)}`, { ...options, query, body: prepareWriteBody(params as Record<string, unknown>) }),
    list: (options) =>
      new InvoicedList<T>(
        {
          baseUrl: transport.baseUrl,
          get: (path, signal) => transport.send('GET', path, { signal }),
          schema: definition.schema,
          path: definition.path,
          what: definition.plural,
          query,
        },
        options ?? {},
      ),
  };
}

function voidable<T>(transport: ResourceTransport, definition: Definition<T>): InvoicedVoidable<T> {
  const call = caller(transport, definition);
  return { void: async (id, options = {}) => call('POST', `${definition.path}/${checkId(id)}/void`, { ...options }) };
}

function paymentVoid(transport: ResourceTransport, definition: Definition<InvoicedPayment>): InvoicedPaymentVoid {
  const call = caller(transport, definition);
  return {
    void: async (id, options = {}) => call('DELETE', `${definition.path}/${checkId(id)}`, { query: definition.query, signal: options.signal }),
  };
}

function netsuiteLookup<T extends { id: number; metadata: Record<string, string> }>(
  resource: InvoicedMatchResource,
  list: (options: InvoicedListOptions) => InvoicedList<T>,
): InvoicedNetSuiteLookup<T> {
  return {
    async findByNetsuiteId(netsuiteId, options = {}) {
      const wanted = typeof netsuiteId === 'number' ? String(netsuiteId) : netsuiteId;
      if (typeof wanted !== 'string' || wanted.trim() === '') {
        throw new ConfigurationError('netsuiteId must be a non-empty string or a number.', {
          issues: [{ path: 'netsuiteId', message: 'must be a non-empty string or a number' }],
        });
      }
      let found: T | undefined;
      for await (const record of list({ metadata: { netsuite_id: wanted }, signal: options.signal })) {
        // Invoiced matches metadata exactly; checking again keeps a server-side change from matching wrongly.
        if (record.metadata.netsuite_id !== wanted) continue;
        if (found !== undefined) throw new InvoicedDuplicateMatchError(resource, wanted, [found.id, record.id]);
        found = record;
      }
      return found;
    },
  };
}

const definitions = {
  customers: { path: '/customers', singular: 'customer', plural: 'customers', schema: InvoicedCustomerSchema },
  invoices: { path: '/invoices', singular: 'invoice', plural: 'invoices', schema: InvoicedInvoiceSchema },
  // Invoiced answers a payment's applications only when asked (API reference, "Retrieve a payment").
  payments: { path: '/payments', singular: 'payment', plural: 'payments', schema: InvoicedPaymentSchema, query: { include: 'applied_to' } },
  creditNotes: { path: '/credit_notes', singular: 'credit note', plural: 'credit notes', schema: InvoicedCreditNoteSchema },
} satisfies Record<string, Definition<unknown>>;

/** Builds the four resources on top of the client's `send`. */
export function createResources(transport: ResourceTransport): {
  customers: InvoicedCustomers;
  invoices: InvoicedInvoices;
  payments: InvoicedPayments;
  creditNotes: InvoicedCreditNotes;
} {
  const customers = createResource<InvoicedCustomer, InvoicedCustomerCreate, InvoicedCustomerInput, InvoicedListOptions>(
    transport,
    definitions.customers,
  );
  const invoices = createResource<InvoicedInvoice, InvoicedInvoiceCreate, InvoicedInvoiceInput, InvoicedListOptions>(
    transport,
    definitions.invoices,
  );
  const payments = createResource<InvoicedPayment, InvoicedPaymentCreate, InvoicedPaymentInput, InvoicedPaymentListOptions>(
    transport,
    definitions.payments,
  );
  const creditNotes = createResource<
    InvoicedCreditNote,
    InvoicedCreditNoteCreate,
    InvoicedCreditNoteInput,
    InvoicedListOptions
  >(transport, definitions.creditNotes);

  return {
    customers: { ...customers, ...netsuiteLookup('customer', (options) => customers.list(options)) },
    invoices: {
      ...invoices,
      ...voidable(transport, definitions.invoices),
      ...netsuiteLookup('invoice', (options) => invoices.list(options)),
      listNonDraftUpdatedAfter: (since, options = {}) =>
        invoices.list({ ...options, filter: { ...options.filter, draft: false }, updatedAfter: since, sort: 'updated_at ASC' }),
    },
    payments: { ...payments, ...paymentVoid(transport, definitions.payments) },
    creditNotes: {
      ...creditNotes,
      ...voidable(transport, definitions.creditNotes),
      ...netsuiteLookup('credit_note', (options) => creditNotes.list(options)),
      listNonDraftUpdatedAfter: (since, options = {}) =>
        creditNotes.list({ ...options, filter: { ...options.filter, draft: false }, updatedAfter: since, sort: 'updated_at ASC' }),
    },
  };
}
