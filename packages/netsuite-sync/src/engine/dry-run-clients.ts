/**
 * The clients of a dry run: wrappers of a NetSuite client and an Invoiced client whose reads go to the
 * services and whose writes make no request. A write is reported to the dry run (`onWrite`) and answered
 * with a plausible record: the fields it was given over defaults, with a placeholder ID for a record it
 * would create (Invoiced IDs from {@link INVOICED_PLACEHOLDER_FLOOR} + 1 up, NetSuite IDs `planned-<n>`;
 * neither service gives such IDs).
 *
 * Every method of either client is classified in {@link DRY_RUN_NETSUITE_METHODS} and
 * {@link DRY_RUN_INVOICED_METHODS}. A method the tables do not know (one added to a client later) is not
 * passed through: calling it throws {@link DryRunUnsupportedError}, so a new write can never reach a
 * service from a dry run unnoticed.
 */
import type { z } from 'zod';
import { NetSuiteSyncError } from '../errors';
import type { HttpMethod } from '../internal/transport';
import type { InvoicedClient, InvoicedResponse } from '../invoiced/client';
import { checkId, prepareWriteBody, type InvoicedWriteOptions } from '../invoiced/inputs';
import type { InvoicedList, InvoicedListOptions } from '../invoiced/pagination';
import type { InvoicedRequestOptions, InvoicedResource, InvoicedVoidable } from '../invoiced/resources';
import { InvoicedCreditNoteSchema, InvoicedCustomerSchema, InvoicedInvoiceSchema, InvoicedPaymentSchema } from '../invoiced/schemas';
import type { NetSuiteClient } from '../netsuite/client';
import { parseNetSuiteResponse, type NetSuiteRecords, type NetSuiteRequestOptions, type NetSuiteResponse } from '../netsuite/records';
import { netSuiteRecordSchema, netSuiteRecordSchemas } from '../netsuite/schemas';
import type { SuiteQLRow } from '../netsuite/suiteql';

/** One of the two services. */
export type DryRunService = 'netsuite' | 'invoiced';

/** `read`: passed through to the service. `write`: answered by the dry run, with no request. */
export type DryRunMethodKind = 'read' | 'write';

/**
 * Every method of the NetSuite client, by path. `request` is a write: the dry run answers it unless it is
 * a `GET` or a SuiteQL query (a `POST` to `/services/rest/query/v1/suiteql`, which only reads).
 * @example DRY_RUN_NETSUITE_METHODS['records.upsert']; // 'write'
 */
export const DRY_RUN_NETSUITE_METHODS: Readonly<Record<string, DryRunMethodKind>> = {
  request: 'write',
  suiteql: 'read',
  suiteqlAll: 'read',
  'records.get': 'read',
  'records.list': 'read',
  'records.create': 'write',
  'records.update': 'write',
  'records.upsert': 'write',
  'records.delete': 'write',
};

/**
 * Every method of the Invoiced client, by path. `request` is a write: the dry run answers it unless it is a `GET`.
 * @example DRY_RUN_INVOICED_METHODS['invoices.listNonDraftUpdatedAfter']; // 'read'
 */
export const DRY_RUN_INVOICED_METHODS: Readonly<Record<string, DryRunMethodKind>> = {
  request: 'write',
  'customers.retrieve': 'read',
  'customers.list': 'read',
  'customers.findByNetsuiteId': 'read',
  'customers.create': 'write',
  'customers.update': 'write',
  'invoices.retrieve': 'read',
  'invoices.list': 'read',
  'invoices.listNonDraftUpdatedAfter': 'read',
  'invoices.findByNetsuiteId': 'read',
  'invoices.create': 'write',
  'invoices.update': 'write',
  'invoices.void': 'write',
  'payments.retrieve': 'read',
  'payments.list': 'read',
  'payments.create': 'write',
  'payments.update': 'write',
  'payments.void': 'write',
  'creditNotes.retrieve': 'read',
  'creditNotes.list': 'read',
  'creditNotes.findByNetsuiteId': 'read',
  'creditNotes.create': 'write',
  'creditNotes.update': 'write',
  'creditNotes.void': 'write',
};

/**
 * A client method a dry run does not know was called. It made no request; the dry run stops, since it
 * cannot tell what the method would have done.
 * @example
 * const plan = await engine.sync({ dryRun: true });
 * if (plan.error?.code === 'DRY_RUN_UNSUPPORTED') console.error(plan.error.message);
 */
export class DryRunUnsupportedError extends NetSuiteSyncError {
  override name = 'DryRunUnsupportedError';
  readonly service: DryRunService;
  /** The method's path on the client, e.g. `invoices.merge`. */
  readonly method: string;

  constructor(service: DryRunService, method: string) {
    super(`A dry run does not know the ${service === 'netsuite' ? 'NetSuite' : 'Invoiced'} client method ${method}, so it did not call it: the plan is incomplete.`, {
      code: 'DRY_RUN_UNSUPPORTED',
      resolution: `Classify ${method} as a read or a write in src/engine/dry-run-clients.ts (a write with the answer it plans), then plan again. Real syncs are not affected.`,
    });
    this.service = service;
    this.method = method;
  }
}

/** A write a dry run made instead of a request. */
export interface PlannedWrite {
  readonly service: DryRunService;
  /** The client method, e.g. `invoices.create`, `records.upsert`, `request`. */
  readonly method: string;
  /** What it does to the record: an upsert of a record that does not exist yet is a `create`. */
  readonly operation: 'create' | 'update' | 'void' | 'delete';
  /** The Invoiced resource (`invoices`), the NetSuite record type (`customerPayment`), or the path of a `request`. */
  readonly resource: string;
  /** The record written: a placeholder for a record that would be created. */
  readonly id: string;
  /** Whether `id` is a placeholder (of a record this dry run would create). */
  readonly placeholder: boolean;
  /** The body it would send, if any. */
  readonly body: unknown;
}

/** What a record read through the dry-run clients is: an Invoiced record of a resource, or a SuiteQL row. */
export type DryRunRead =
  | { readonly service: 'invoiced'; readonly resource: InvoicedResourceName; readonly record: Readonly<Record<string, unknown>> & { readonly id: number } }
  | { readonly service: 'netsuite'; readonly row: SuiteQLRow };

/** How the dry-run clients report to the dry run. */
export interface DryRunClientHooks {
  /** Each write made instead of a request, in order. */
  onWrite(write: PlannedWrite): void;
  /** Each record read from a service (list and retrieve results, SuiteQL rows). */
  onRead?(read: DryRunRead): void;
  /** A method the tables do not know was called; it throws `error` next. */
  onUnsupported?(error: DryRunUnsupportedError): void;
  /**
   * The internal ID of the NetSuite record an upsert by external ID would write, when it is known to exist
   * (e.g. from a link); `undefined` plans a new record with a placeholder ID.
   */
  existingNetSuiteId?(type: string, externalId: string): Promise<string | undefined>;
  /** Stamps planned Invoiced records. @default () => new Date() */
  now?: () => Date;
}

/** The Invoiced resources of the client. */
export type InvoicedResourceName = 'customers' | 'invoices' | 'payments' | 'creditNotes';

const SUITEQL_PATH = '/services/rest/query/v1/suiteql';
const RECORD_PATH = '/services/rest/record/v1';
const INVOICED_WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const NETSUITE_PLACEHOLDER = /^planned-\d+$/;

/**
 * Invoiced placeholder IDs are above this: 9000000000000001, 9000000000000002... Invoiced numbers its
 * records from 1 up and never gets near; the IDs stay positive safe integers, as the mappings require.
 */
export const INVOICED_PLACEHOLDER_FLOOR = 9_000_000_000_000_000;

/**
 * Whether an ID is a placeholder a dry run gave a record it would create.
 * @example isDryRunPlaceholder('netsuite', 'planned-3'); // true
 */
export function isDryRunPlaceholder(service: DryRunService, id: string | number): boolean {
  return service === 'netsuite' ? NETSUITE_PLACEHOLDER.test(String(id)) : Number(id) > INVOICED_PLACEHOLDER_FLOOR && Number.isSafeInteger(Number(id));
}

/**
 * Wraps a NetSuite client for a dry run: reads (SuiteQL, `records.get`, `records.list`, `GET` requests)
 * reach NetSuite; writes (`records.create`/`update`/`upsert`/`delete`, other requests) are reported to
 * `hooks.onWrite` and answered without a request.
 *
 * @example
 * ```ts
 * const planned: PlannedWrite[] = [];
 * const netsuite = dryRunNetSuite(realNetSuite, { onWrite: (write) => planned.push(write) });
 * const { id } = await netsuite.records.create('customer', { companyName: 'Acme' }); // 'planned-1', no request
 * ```
 */
export function dryRunNetSuite(client: NetSuiteClient, hooks: DryRunClientHooks): NetSuiteClient {
  /** Planned records by `type/id` (placeholders only): what `records.get` answers for them. */
  const planned = new Map<string, Record<string, unknown>>();
  /** IDs of records upserted by this dry run, by `type/externalId`. */
  const upserted = new Map<string, string>();
  let count = 0;
  const placeholder = () => `planned-${(count += 1)}`;
  const isPlaceholder = (id: string) => isDryRunPlaceholder('netsuite', id);
  const report = (method: string, operation: PlannedWrite['operation'], resource: string, id: string, body: unknown) =>
    hooks.onWrite({ service: 'netsuite', method, operation, resource, id, placeholder: isPlaceholder(id), body: structuredClone(body) });
  const observe = (row: SuiteQLRow) => hooks.onRead?.({ service: 'netsuite', row });
  const locationOf = (type: string, id: string) => `${client.baseUrl}${RECORD_PATH}/${type}/${id}`;

  const records: Omit<NetSuiteRecords, 'list'> = {
    async get(type, id, options) {
      const body = planned.get(`${type}/${id}`);
      if (body === undefined) return client.records.get(type, id, options);
      const schema = (netSuiteRecordSchemas as Record<string, z.ZodType>)[type] ?? netSuiteRecordSchema;
      return parseNetSuiteResponse(schema, { ...body, id }, { method: 'GET', path: `${RECORD_PATH}/${type}/${id}` }, `planned ${type} ${id}`) as never;
    },
    create: (type, body) =>
      settle(() => {
        const id = placeholder();
        planned.set(`${type}/${id}`, structuredClone(body));
        report('records.create', 'create', type, id, body);
        return { id, location: locationOf(type, id) };
      }),
    update: (type, id, body) =>
      settle(() => {
        const existing = planned.get(`${type}/${id}`);
        if (existing !== undefined) planned.set(`${type}/${id}`, { ...existing, ...structuredClone(body) });
        report('records.update', 'update', type, id, body);
      }),
    async upsert(type, externalId, body) {
      const key = `${type}/${externalId}`;
      const known = upserted.get(key) ?? (await hooks.existingNetSuiteId?.(type, externalId));
      const id = known ?? placeholder();
      upserted.set(key, id);
      if (isPlaceholder(id)) planned.set(`${type}/${id}`, { ...(planned.get(`${type}/${id}`) ?? {}), ...structuredClone(body), externalId });
      report('records.upsert', known === undefined ? 'create' : 'update', type, id, body);
      return { id, location: locationOf(type, id) };
    },
    delete: (type, id) =>
      settle(() => {
        planned.delete(`${type}/${id}`);
        report('records.delete', 'delete', type, id, undefined);
      }),
  };

  const request = async <T>(method: HttpMethod, path: string, options: NetSuiteRequestOptions = {}): Promise<NetSuiteResponse<T>> => {
    if (method === 'GET' || (method === 'POST' && path === SUITEQL_PATH)) return client.request<T>(method, path, options);
    const created = method === 'POST';
    const id = created ? placeholder() : (path.split('/').at(-1) ?? path);
    report('request', created ? 'create' : method === 'DELETE' ? 'delete' : 'update', path, id, options.body);
    // NetSuite answers its writes with 204 and no body (the type says `data` is `undefined` for 204 answers).
    return { status: 204, data: undefined as T, location: created ? `${client.baseUrl}${path}/${id}` : undefined, id: created ? id : undefined, requestId: undefined, headers: new Headers() };
  };

  const overrides = new Map<string, unknown>([
    ['request', request],
    ['suiteql', async (...args: Parameters<NetSuiteClient['suiteql']>) => {
      const page = await client.suiteql(...args);
      page.items.forEach(observe);
      return page;
    }],
    ['suiteqlAll', (...args: Parameters<NetSuiteClient['suiteqlAll']>) => observedRows(client.suiteqlAll(...args), observe)],
    ...Object.entries(records).map(([name, method]) => [`records.${name}`, method] as const),
  ]);
  return guard('netsuite', client, DRY_RUN_NETSUITE_METHODS, overrides, hooks);
}

/**
 * Wraps an Invoiced client for a dry run: reads (`retrieve`, `list`, lookups, `GET` requests) reach
 * Invoiced; writes (`create`, `update`, `void`, other requests) are reported to `hooks.onWrite` and
 * answered without a request. Bodies are checked as the client checks them, so a body the client would
 * refuse fails the same way. A record created by the dry run has a placeholder ID, and `retrieve`,
 * `update` and `void` of it answer from the plan.
 *
 * @example
 * ```ts
 * const invoiced = dryRunInvoiced(realInvoiced, { onWrite: (write) => console.log(write.method, write.id) });
 * const customer = await invoiced.customers.create({ name: 'Acme' }); // customer.id === 9000000000000001, no request
 * ```
 */
export function dryRunInvoiced(client: InvoicedClient, hooks: DryRunClientHooks): InvoicedClient {
  const now = () => Math.floor((hooks.now?.() ?? new Date()).getTime() / 1000);
  /** Records this dry run would create, by `resource/id`. */
  const planned = new Map<string, unknown>();
  let count = 0;
  const placeholder = () => INVOICED_PLACEHOLDER_FLOOR + (count += 1);
  const report = (method: string, operation: PlannedWrite['operation'], resource: string, id: number | string, body: unknown) =>
    hooks.onWrite({ service: 'invoiced', method, operation, resource, id: String(id), placeholder: isDryRunPlaceholder('invoiced', id), body: structuredClone(body) });

  function resource<T extends { id: number }, TCreate, TUpdate, TList extends InvoicedListOptions>(
    name: InvoicedResourceName,
    real: InvoicedResource<T, TCreate, TUpdate, TList>,
    schema: z.ZodType<T>,
  ): InvoicedResource<T, TCreate, TUpdate, TList> {
    const observe = (record: T) => hooks.onRead?.({ service: 'invoiced', resource: name, record });
    return {
      async retrieve(id, options) {
        const own = planned.get(`${name}/${id}`) as T | undefined;
        if (own !== undefined) return own;
        const record = await real.retrieve(id, options);
        observe(record);
        return record;
      },
      list: (options) => observedList(real.list(options), observe),
      create: (params) =>
        settle(() => {
          const fields = recordFields(name, prepareWriteBody(params as Record<string, unknown>));
          const id = placeholder();
          const record = synthesize(schema, recordDefaults(name, id, now()), fields);
          planned.set(`${name}/${id}`, record);
          report(`${name}.create`, 'create', name, id, params);
          return record;
        }),
      update: (id, params) =>
        settle(() => {
          const fields = recordFields(name, prepareWriteBody(params as Record<string, unknown>));
          const record = synthesize(schema, currentOrDefaults(name, id), fields);
          if (isDryRunPlaceholder('invoiced', id)) planned.set(`${name}/${id}`, record);
          report(`${name}.update`, 'update', name, id, params);
          return record;
        }),
    };
  }

  function voidable<T extends { id: number }>(name: InvoicedResourceName, schema: z.ZodType<T>): InvoicedVoidable<T> {
    return {
      void: (id: number, _options?: InvoicedWriteOptions) =>
        settle(() => {
          const record = synthesize(schema, currentOrDefaults(name, id), name === 'payments' ? { voided: true } : { status: 'voided', closed: true });
          if (isDryRunPlaceholder('invoiced', id)) planned.set(`${name}/${id}`, record);
          report(`${name}.void`, 'void', name, id, undefined);
          return record;
        }),
    };
  }

  /** A planned record of the dry run, or (for a real ID, checked as the client checks it) defaults with that ID. */
  function currentOrDefaults(name: InvoicedResourceName, id: number): Record<string, unknown> {
    const own = planned.get(`${name}/${id}`);
    if (own !== undefined) return own as Record<string, unknown>;
    return recordDefaults(name, checkId(id), now());
  }

  const customers = resource('customers', client.customers, InvoicedCustomerSchema);
  const invoices = resource('invoices', client.invoices, InvoicedInvoiceSchema);
  const payments = resource('payments', client.payments, InvoicedPaymentSchema);
  const creditNotes = resource('creditNotes', client.creditNotes, InvoicedCreditNoteSchema);
  const observeInvoice = (record: Readonly<Record<string, unknown>> & { id: number }) => hooks.onRead?.({ service: 'invoiced', resource: 'invoices', record });

  const request = async (method: HttpMethod, path: string, options: InvoicedRequestOptions = {}): Promise<InvoicedResponse> => {
    // GET is a read; a method the client does not know is refused by the client itself, before any request.
    if (!INVOICED_WRITE_METHODS.has(method) || typeof path !== 'string' || !path.startsWith('/')) return client.request(method, path, options);
    const created = method === 'POST' && !path.endsWith('/void');
    const id = created ? String(placeholder()) : (path.split('/').filter((part) => part !== '' && part !== 'void').at(-1) ?? path);
    // Invoiced has no payment deletion: DELETE /payments/{id} voids the payment and answers with it.
    const voidsPayment = method === 'DELETE' && /^\/payments\/[^/?]+(?:\?.*)?$/.test(path);
    const deletes = method === 'DELETE' && !voidsPayment;
    report('request', created ? 'create' : deletes ? 'delete' : voidsPayment || path.endsWith('/void') ? 'void' : 'update', path, id, options.body);
    const body = typeof options.body === 'object' && options.body !== null ? { ...options.body, id: Number(id) } : { id: Number(id) };
    if (voidsPayment) return { status: 200, headers: new Headers(), body: { ...body, voided: true }, requestId: undefined };
    return { status: deletes ? 204 : 200, headers: new Headers(), body: deletes ? undefined : body, requestId: undefined };
  };

  const overrides = new Map<string, unknown>([['request', request]]);
  const add = (name: string, methods: object) => {
    for (const [method, implementation] of Object.entries(methods)) overrides.set(`${name}.${method}`, implementation);
  };
  add('customers', customers);
  add('invoices', { ...invoices, ...voidable('invoices', InvoicedInvoiceSchema), listNonDraftUpdatedAfter: (...args: Parameters<InvoicedClient['invoices']['listNonDraftUpdatedAfter']>) => observedList(client.invoices.listNonDraftUpdatedAfter(...args), observeInvoice) });
  add('payments', { ...payments, ...voidable('payments', InvoicedPaymentSchema) });
  add('creditNotes', { ...creditNotes, ...voidable('creditNotes', InvoicedCreditNoteSchema) });
  return guard('invoiced', client, DRY_RUN_INVOICED_METHODS, overrides, hooks);
}

/**
 * A proxy of `target` (a client, or an object of one such as `records`) whose functions are the
 * overrides, the read methods of the table, or (any other) a function that throws
 * {@link DryRunUnsupportedError} without calling the original. Objects are wrapped the same way, so a
 * method is classified by its whole path (`invoices.void`).
 */
function guard<T extends object>(
  service: DryRunService,
  target: T,
  table: Readonly<Record<string, DryRunMethodKind>>,
  overrides: ReadonlyMap<string, unknown>,
  hooks: DryRunClientHooks,
  path = '',
): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof property === 'symbol') return value;
      const at = path === '' ? property : `${path}.${property}`;
      if (typeof value === 'function') {
        const override = overrides.get(at);
        if (override !== undefined) return override;
        if (table[at] === 'read') return (value as (...args: unknown[]) => unknown).bind(object);
        return () => {
          const error = new DryRunUnsupportedError(service, at);
          hooks.onUnsupported?.(error);
          throw error;
        };
      }
      if (typeof value === 'object' && value !== null) return guard(service, value, table, overrides, hooks, at);
      return value;
    },
  });
}

/** Runs `work` at once and settles a promise with its result, or rejects with what it threw (as the client's async methods do). */
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => {
    resolve(work());
  });
}

/** The rows of a SuiteQL stream, each reported to `observe` as it passes. */
async function* observedRows(rows: AsyncIterableIterator<SuiteQLRow>, observe: (row: SuiteQLRow) => void): AsyncGenerator<SuiteQLRow, void, undefined> {
  for await (const row of rows) {
    observe(row);
    yield row;
  }
}

/** The same list, each record reported to `observe` as it is iterated. */
function observedList<T>(list: InvoicedList<T>, observe: (record: T) => void): InvoicedList<T> {
  const next = list.next.bind(list);
  list.next = async () => {
    const result = await next();
    if (result.done !== true) observe(result.value);
    return result;
  };
  return list;
}

/** A record of `schema`: `fields` over `defaults`; a field whose value does not fit keeps its default (or is left out). */
function synthesize<T>(schema: z.ZodType<T>, defaults: Readonly<Record<string, unknown>>, fields: Readonly<Record<string, unknown>>): T {
  const candidate: Record<string, unknown> = { ...defaults, ...fields };
  const parsed = schema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const repaired = new Map(Object.entries(candidate));
  for (const issue of parsed.error.issues) {
    const key = issue.path[0];
    if (typeof key !== 'string') continue;
    if (key in defaults) repaired.set(key, defaults[key]);
    else repaired.delete(key);
  }
  const second = schema.safeParse(Object.fromEntries(repaired));
  return second.success ? second.data : schema.parse(defaults);
}

/** The fields of a write body as a record of the resource holds them (lines with amounts, a total for documents). */
function recordFields(name: InvoicedResourceName, body: Record<string, unknown>): Record<string, unknown> {
  if (name === 'payments') {
    const amount = typeof body.amount === 'number' ? body.amount : 0;
    const applied = Array.isArray(body.applied_to) ? (body.applied_to as { amount?: unknown }[]) : [];
    const used = applied.reduce((sum, application) => sum + (typeof application.amount === 'number' ? application.amount : 0), 0);
    return { ...body, balance: Math.round((amount - used) * 100) / 100 };
  }
  if ((name === 'invoices' || name === 'creditNotes') && Array.isArray(body.items)) {
    const items = (body.items as Record<string, unknown>[]).map((item, index) => {
      const quantity = typeof item.quantity === 'number' ? item.quantity : 1;
      const unitCost = typeof item.unit_cost === 'number' ? item.unit_cost : 0;
      return { id: INVOICED_PLACEHOLDER_FLOOR + index + 1, metadata: {}, ...item, quantity, unit_cost: unitCost, amount: Math.round(quantity * unitCost * 100) / 100 };
    });
    const total = Math.round(items.reduce((sum, item) => sum + item.amount, 0) * 100) / 100;
    return { ...body, items, total, balance: total };
  }
  return body;
}

/** The defaults of a planned record of a resource: valid for its schema on their own. */
function recordDefaults(name: InvoicedResourceName, id: number, now: number): Record<string, unknown> {
  const common = { id, created_at: now, updated_at: now };
  switch (name) {
    case 'customers':
      return { ...common, object: 'customer', name: '', number: '', metadata: {} };
    case 'invoices':
      return { ...common, object: 'invoice', customer: 0, currency: 'usd', draft: false, closed: false, paid: false, status: 'not_sent', date: now, items: [], total: 0, balance: 0, metadata: {} };
    case 'creditNotes':
      return { ...common, object: 'credit_note', customer: 0, currency: 'usd', draft: false, closed: false, paid: false, status: 'open', date: now, items: [], total: 0, balance: 0, metadata: {} };
    case 'payments':
      return { ...common, object: 'payment', customer: null, date: now, currency: 'usd', amount: 0, balance: 0, voided: false, applied_to: [] };
  }
}
