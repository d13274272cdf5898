import type { z } from 'zod';
import { ConfigurationError, ResponseValidationError, toValidationIssues } from '../errors';
import type { HttpMethod, Query } from '../options';
import {
  netSuiteCollectionPageSchema,
  netSuiteRecordSchema,
  netSuiteRecordSchemas,
  type NetSuiteRecordOf,
  type NetSuiteRecordType,
  type NetSuiteSublistOf,
} from './schemas';

/** Options of the low-level `request`. */
export interface NetSuiteRequestOptions {
  /** Query parameters; all of them are signed. */
  query?: Query;
  /** JSON body. */
  body?: unknown;
  /** Extra headers, e.g. `{ Prefer: 'transient' }`. */
  headers?: Readonly<Record<string, string>>;
  /** Cancels the request, waiting or in flight. */
  signal?: AbortSignal;
  /**
   * Whether the request may be repeated after a server error, timeout or lost connection.
   * @default true for GET, PUT, PATCH and DELETE; false for POST
   */
  idempotent?: boolean;
}

/** A successful NetSuite response. */
export interface NetSuiteResponse<T = unknown> {
  readonly status: number;
  /** Parsed JSON body; `undefined` for 204 answers. */
  readonly data: T;
  /** The `Location` header (a created or upserted record's URL), if any. */
  readonly location: string | undefined;
  /** The record ID at the end of `Location`, if any. */
  readonly id: string | undefined;
  /** NetSuite's request ID, when it sent one. */
  readonly requestId: string | undefined;
  readonly headers: Headers;
}

/** The one low-level entry every higher-level call goes through. */
export type NetSuiteRequester = <T = unknown>(method: HttpMethod, path: string, options?: NetSuiteRequestOptions) => Promise<NetSuiteResponse<T>>;

/** Options of `records.get`. */
export interface GetRecordOptions {
  /** Expand sublists (lines, applications) inline instead of returning links. @default false */
  expandSubResources?: boolean;
  /** Only these fields (NetSuite's `fields` parameter). */
  fields?: readonly string[];
  signal?: AbortSignal;
}

/** Options of `records.list`. */
export interface ListRecordsOptions {
  /** A NetSuite record filter, e.g. `lastModifiedDate ON_OR_AFTER "2026-01-01"`. */
  q?: string;
  /** Records per request (NetSuite's `limit`, at most 1000). @default 1000 */
  pageSize?: number;
  signal?: AbortSignal;
}

/** One entry of a record collection: only the ID (NetSuite does not send the fields; use SuiteQL for bulk reads). */
export interface NetSuiteRecordRef {
  readonly id: string;
}

/** Options of write calls. */
export interface WriteRecordOptions {
  signal?: AbortSignal;
  /**
   * What NetSuite does with a body field the record type does not have (`X-NetSuite-PropertyNameValidation`).
   * NetSuite's own default is `Warning`: the field is dropped and the write succeeds. The SDK asks for
   * `Error` (a `NONEXISTENT_FIELD` refusal), so a misspelled or unavailable field is never lost silently.
   * @default 'Error'
   */
  propertyNameValidation?: 'Error' | 'Warning' | 'Ignore';
}

/**
 * Options of `records.update` and `records.upsert`.
 * @typeParam T the record type, which gives the sublist names `replace` accepts.
 */
export interface UpdateRecordOptions<T extends string = NetSuiteRecordType> extends WriteRecordOptions {
  /**
   * Sublists whose lines the body replaces (NetSuite's `replace` query parameter). Without it an update
   * ADDS the body's lines to a sublist without a key (an invoice's `item` lines given without `line`), and
   * merges keyed ones line by line (a payment's `apply`, keyed by `doc`): a repeated upsert of an invoice
   * would then double its lines. Name every sublist the body carries in full.
   * @example
   * ```ts
   * const items = [{ item: { id: '12' }, quantity: 3, rate: 50 }];
   * await netsuite.records.upsert('invoice', 'invd-inv-42', { item: { items } }, { replace: ['item'] });
   * ```
   */
  replace?: readonly NetSuiteSublistOf<T>[];
}

/** The REST record service (`/services/rest/record/v1`). */
export interface NetSuiteRecords {
  /**
   * Reads one record, validated by its schema when the type is known.
   * @example const invoice = await netsuite.records.get('invoice', '1234', { expandSubResources: true });
   */
  get<T extends NetSuiteRecordType>(type: T, id: string, options?: GetRecordOptions): Promise<NetSuiteRecordOf<T>>;
  /**
   * Iterates the IDs of every record of a type matching `q`, page by page. Each entry is only an ID:
   * reading each record with `get` costs one request per record, so prefer `suiteqlAll` for bulk reads.
   * @example for await (const { id } of netsuite.records.list('customer', { q: 'isInactive IS false' })) ids.push(id);
   */
  list(type: NetSuiteRecordType, options?: ListRecordsOptions): AsyncIterableIterator<NetSuiteRecordRef>;
  /**
   * Creates a record and returns its new ID (from `Location`). Not repeated after a server error or
   * timeout, since NetSuite may have created it: use {@link NetSuiteRecords.upsert} for writes that must be idempotent.
   */
  create(type: NetSuiteRecordType, body: Record<string, unknown>, options?: WriteRecordOptions): Promise<{ id: string; location: string }>;
  /**
   * Changes the given fields of a record (`PATCH`); sublists are merged unless named in `options.replace`.
   * @example
   * ```ts
   * const items = [{ doc: { id: '901' }, apply: true, amount: 150 }];
   * await netsuite.records.update('customerPayment', '501', { apply: { items } }, { replace: ['apply'] });
   * ```
   */
  update<T extends NetSuiteRecordType>(type: T, id: string, body: Record<string, unknown>, options?: UpdateRecordOptions<T>): Promise<void>;
  /**
   * Creates the record whose external ID is `externalId`, or updates it when it exists
   * (`PUT /{type}/eid:{externalId}`): repeating it never creates a duplicate. An update adds or merges
   * sublist lines like `update` does, so a body that carries a whole sublist must name it in
   * `options.replace` for the upsert to be safe to repeat.
   * @example
   * ```ts
   * const items = [{ item: { id: '12' }, quantity: 3, rate: 50 }];
   * await netsuite.records.upsert('invoice', 'invd-inv-42', { entity: { id: '7' }, item: { items } }, { replace: ['item'] });
   * ```
   */
  upsert<T extends NetSuiteRecordType>(
    type: T,
    externalId: string,
    body: Record<string, unknown>,
    options?: UpdateRecordOptions<T>,
  ): Promise<{ id: string | undefined; location: string | undefined }>;
  /** Deletes a record. */
  delete(type: NetSuiteRecordType, id: string, options?: WriteRecordOptions): Promise<void>;
}

const RECORD_PATH = '/services/rest/record/v1';
const TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const ID_PATTERN = /^(?:\d+|eid:[A-Za-z0-9_-]+)$/;
const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

function check(value: unknown, pattern: RegExp, field: string, expectation: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new ConfigurationError(`Invalid ${field}: ${expectation}.`, {
      code: 'INVALID_ARGUMENT',
      issues: [{ path: field, message: expectation }],
    });
  }
  return value;
}

const SUBLIST_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The `replace` query parameter: sublist names joined by commas, or nothing for none. */
function replaceParam(replace: readonly string[] | undefined): string | undefined {
  if (replace === undefined || replace.length === 0) return undefined;
  return replace.map((name) => check(name, SUBLIST_PATTERN, 'replace', 'sublist names such as item or apply, one per entry')).join(',');
}

/** Headers of every write: unknown field names are refused rather than dropped. */
function writeHeaders(options: WriteRecordOptions): Record<string, string> {
  const mode = options.propertyNameValidation ?? 'Error';
  if (mode !== 'Error' && mode !== 'Warning' && mode !== 'Ignore') {
    throw new ConfigurationError('Invalid propertyNameValidation: Error, Warning or Ignore.', {
      code: 'INVALID_ARGUMENT',
      issues: [{ path: 'propertyNameValidation', message: 'must be Error, Warning or Ignore' }],
    });
  }
  return { 'X-NetSuite-PropertyNameValidation': mode };
}

const recordType = (type: unknown) => check(type, TYPE_PATTERN, 'type', 'a record type name such as invoice or customrecord_x');
const recordId = (id: unknown) => check(id, ID_PATTERN, 'id', 'an internal ID (digits) or eid:<externalId>');
const externalIdOf = (id: unknown) => check(id, EXTERNAL_ID_PATTERN, 'externalId', 'letters, digits, _ and - only');

/** Validates a NetSuite response body; failures name the request, never the values. */
export function parseNetSuiteResponse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  context: { method: string; path: string; status?: number | undefined; requestId?: string | undefined },
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ResponseValidationError('netsuite', `NetSuite's ${what} does not have the expected shape.`, {
    ...context,
    code: 'INVALID_RESPONSE',
    issues: toValidationIssues(parsed.error.issues),
  });
}

/** The records API over a requester. */
export function createRecords(request: NetSuiteRequester): NetSuiteRecords {
  return {
    async get(type, id, options = {}) {
      const path = `${RECORD_PATH}/${recordType(type)}/${recordId(id)}`;
      const query: Query = {
        expandSubResources: options.expandSubResources ? 'true' : undefined,
        fields: options.fields === undefined ? undefined : options.fields.join(','),
      };
      const response = await request('GET', path, { query, signal: options.signal });
      const schema = (netSuiteRecordSchemas as Record<string, z.ZodType>)[type] ?? netSuiteRecordSchema;
      return parseNetSuiteResponse(schema, response.data, { method: 'GET', path, status: response.status, requestId: response.requestId }, `${type} ${id}`) as never;
    },

    async *list(type, options = {}) {
      const path = `${RECORD_PATH}/${recordType(type)}`;
      const pageSize = options.pageSize ?? 1000;
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
        throw new ConfigurationError('pageSize must be an integer from 1 to 1000.', { code: 'INVALID_ARGUMENT', issues: [{ path: 'pageSize', message: 'must be 1..1000' }] });
      }
      for (let offset = 0; ; offset += pageSize) {
        const response = await request('GET', path, { query: { q: options.q, limit: pageSize, offset }, signal: options.signal });
        const page = parseNetSuiteResponse(netSuiteCollectionPageSchema, response.data, { method: 'GET', path, status: response.status, requestId: response.requestId }, `${type} list`);
        for (const item of page.items) yield { id: item.id };
        if (!page.hasMore || page.items.length === 0) return;
      }
    },

    async create(type, body, options = {}) {
      const path = `${RECORD_PATH}/${recordType(type)}`;
      const response = await request('POST', path, { body, headers: writeHeaders(options), signal: options.signal, idempotent: false });
      if (response.id === undefined || response.location === undefined) {
        throw new ResponseValidationError('netsuite', `NetSuite created a ${type} but did not say its ID (no Location header).`, {
          method: 'POST',
          path,
          status: response.status,
          requestId: response.requestId,
          code: 'MISSING_LOCATION',
          issues: [{ path: 'Location', message: 'header is missing' }],
        });
      }
      return { id: response.id, location: response.location };
    },

    async update(type, id, body, options = {}) {
      const path = `${RECORD_PATH}/${recordType(type)}/${recordId(id)}`;
      const query: Query = { replace: replaceParam(options.replace) };
      await request('PATCH', path, { body, query, headers: writeHeaders(options), signal: options.signal });
    },

    async upsert(type, externalId, body, options = {}) {
      const path = `${RECORD_PATH}/${recordType(type)}/eid:${externalIdOf(externalId)}`;
      const query: Query = { replace: replaceParam(options.replace) };
      const response = await request('PUT', path, { body, query, headers: writeHeaders(options), signal: options.signal, idempotent: true });
      return { id: response.id, location: response.location };
    },

    async delete(type, id, options = {}) {
      await request('DELETE', `${RECORD_PATH}/${recordType(type)}/${recordId(id)}`, { signal: options.signal });
    },
  };
}
