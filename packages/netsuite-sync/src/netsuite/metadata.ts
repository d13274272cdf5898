/**
 * NetSuite's REST metadata catalog, read as JSON Schema (`GET /services/rest/record/v1/metadata-catalog/<type>`
 * with `Accept: application/schema+json`): the fields a record type has in this account, custom ones
 * included, their types, and the item sublist's line fields. The catalog says nothing of requiredness (no
 * `required` array; `nullable` is not one): the only readable mandatory flag is a custom field's
 * `ismandatory` in SuiteQL's `customfield` table, read by {@link NetSuiteMetadata.mandatoryCustomFields}.
 * Parsing is liberal (unknown keywords are kept out of the way, odd annotations ignored) so that what is
 * concluded from it stays strict: a property whose type cannot be told is `other`, of which nothing is said.
 */
import { z } from 'zod';
import { ConfigurationError, ResponseValidationError, toValidationIssues } from '../errors';
import type { NetSuiteRequester } from './records';
import { sql } from './sql';
import { streamSuiteQL } from './suiteql';

/** What a catalog field holds, as far as a write is concerned. */
export type CatalogFieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime' | 'reference' | 'select' | 'sublist' | 'other';

/** One field of a record type's catalog. */
export interface CatalogField {
  /** The name as the catalog spells it (`otherRefNum`, `custbody_region`). */
  readonly name: string;
  /** The label people see, when the catalog gives one. */
  readonly title?: string;
  /**
   * `reference`: a record (`{ id, refName, externalId, links }`); `select`: a list value (`{ id, refName }`,
   * its IDs in `enum` when the catalog lists them); `sublist`: lines (`{ items: [...] }`); `other`: a subrecord,
   * or a type the catalog does not make plain.
   */
  readonly kind: CatalogFieldKind;
  /** A custom field (`x-ns-custom-field`). */
  readonly custom: boolean;
  /** Marked `readOnly`: a write cannot set it. */
  readonly readOnly: boolean;
  /** The values allowed (a select's IDs), when the catalog lists them. */
  readonly enum?: readonly string[];
}

/** A record type's catalog. Map keys are field names in lower case (custom field keys may come in either case). */
export interface RecordCatalog {
  /** The record type asked for (`invoice`). */
  readonly type: string;
  /** Body fields, by lower-case name. */
  readonly fields: ReadonlyMap<string, CatalogField>;
  /** The `item` sublist's line fields, by lower-case name; `undefined` when the catalog gives the type no item lines. */
  readonly lineFields: ReadonlyMap<string, CatalogField> | undefined;
}

/** Options of {@link NetSuiteMetadata.recordCatalog}. */
export interface RecordCatalogOptions {
  signal?: AbortSignal;
  /** Read the catalog again even when this client holds a fresh copy. @default false */
  refresh?: boolean;
}

/** The metadata service of a client. */
export interface NetSuiteMetadata {
  /**
   * The catalog of a record type, kept by the client for `metadataCacheTtlMs` (a failed read is not kept).
   * @example const invoice = await netsuite.metadata.recordCatalog('invoice'); invoice.fields.get('custbody_region')?.kind;
   * @throws {ResponseValidationError} `INVALID_METADATA_CATALOG` when the answer is not a JSON Schema of an object.
   * @throws {NetSuiteApiError} when NetSuite refuses the read (a role without the record's permission, a NetSuite without the endpoint: 404).
   */
  recordCatalog(type: string, options?: RecordCatalogOptions): Promise<RecordCatalog>;
  /**
   * The script IDs (lower case) of the account's custom fields whose definition has the Mandatory box,
   * from SuiteQL's `customfield` table (`ismandatory = 'T'`). Not cached.
   * @example const mandatory = await netsuite.metadata.mandatoryCustomFields(); mandatory.has('custbody_region');
   * @throws {NetSuiteApiError} when the role cannot read `customfield` (403, or 400 "Record 'customfield' was not found").
   */
  mandatoryCustomFields(options?: { signal?: AbortSignal }): Promise<ReadonlySet<string>>;
}

/** How long a client keeps a record type's catalog by default: 15 minutes. */
export const DEFAULT_METADATA_CACHE_TTL_MS = 15 * 60_000;

const CATALOG_PATH = '/services/rest/record/v1/metadata-catalog';
const TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A JSON Schema property, read loosely: an annotation of the wrong type counts as absent. */
interface RawProperty {
  title?: string | undefined;
  type?: string | string[] | undefined;
  format?: string | undefined;
  readOnly?: boolean | undefined;
  'x-ns-custom-field'?: boolean | undefined;
  enum?: unknown[] | undefined;
  $ref?: string | undefined;
  properties?: Record<string, RawProperty> | undefined;
  items?: RawProperty | undefined;
}

const propertySchema: z.ZodType<RawProperty> = z.looseObject({
  title: z.string().optional().catch(undefined),
  type: z.union([z.string(), z.array(z.string())]).optional().catch(undefined),
  format: z.string().optional().catch(undefined),
  readOnly: z.boolean().optional().catch(undefined),
  'x-ns-custom-field': z.boolean().optional().catch(undefined),
  enum: z.array(z.unknown()).optional().catch(undefined),
  $ref: z.string().optional().catch(undefined),
  get properties() {
    return z.record(z.string(), propertySchema).optional();
  },
  get items() {
    return propertySchema.optional();
  },
});

/** The catalog answer: a JSON Schema whose `properties` are the record's fields. */
const catalogSchema = z.looseObject({
  type: z.string().optional(),
  properties: z.record(z.string(), propertySchema),
});

function primaryType(type: RawProperty['type']): string | undefined {
  return Array.isArray(type) ? type.find((entry) => entry !== 'null') : type;
}

/** The line properties of a sublist property (`{ items: { type: 'array', items: { properties } } }`), if it is one. */
function sublistLines(property: RawProperty): Record<string, RawProperty> | undefined {
  const items = property.properties?.items;
  return items !== undefined && primaryType(items.type) === 'array' ? items.items?.properties ?? {} : undefined;
}

function kindOf(property: RawProperty): CatalogFieldKind {
  const type = primaryType(property.type);
  if (sublistLines(property) !== undefined) return 'sublist';
  const properties = property.properties;
  if (type === 'object' || (type === undefined && properties !== undefined)) {
    if (properties?.id === undefined) return 'other';
    if (properties.id.enum !== undefined) return 'select';
    return properties.links !== undefined || properties.externalId !== undefined ? 'reference' : 'select';
  }
  if (type === undefined) return property.$ref === undefined ? 'other' : 'reference';
  if (type === 'string') return property.format === 'date' ? 'date' : property.format === 'date-time' ? 'datetime' : 'string';
  return type === 'number' || type === 'integer' || type === 'boolean' ? type : 'other';
}

function toField(name: string, property: RawProperty): CatalogField {
  const kind = kindOf(property);
  const values = kind === 'select' ? property.properties?.id?.enum : property.enum;
  const allowed = values?.filter((value): value is string | number => typeof value === 'string' || typeof value === 'number').map(String);
  return {
    name,
    ...(property.title === undefined ? {} : { title: property.title }),
    kind,
    custom: property['x-ns-custom-field'] === true,
    readOnly: property.readOnly === true,
    ...(allowed === undefined || allowed.length === 0 ? {} : { enum: allowed }),
  };
}

function fieldMap(properties: Record<string, RawProperty>): Map<string, CatalogField> {
  const fields = new Map<string, CatalogField>();
  for (const [name, property] of Object.entries(properties)) {
    const key = name.toLowerCase();
    if (!fields.has(key)) fields.set(key, toField(name, property));
  }
  return fields;
}

/**
 * A record type's catalog from the JSON Schema NetSuite answered.
 * @throws {ResponseValidationError} `INVALID_METADATA_CATALOG` when it is not a schema with `properties`.
 */
export function parseRecordCatalog(type: string, body: unknown, context: { path: string; status?: number | undefined; requestId?: string | undefined } = { path: `${CATALOG_PATH}/${type}` }): RecordCatalog {
  const parsed = catalogSchema.safeParse(body);
  if (!parsed.success || (parsed.data.type !== undefined && parsed.data.type !== 'object')) {
    throw new ResponseValidationError('netsuite', `NetSuite's metadata catalog of ${type} is not the JSON Schema of a record.`, {
      method: 'GET',
      ...context,
      code: 'INVALID_METADATA_CATALOG',
      issues: parsed.success ? [{ path: 'type', message: 'must be object' }] : toValidationIssues(parsed.error.issues),
      resolution: `The SDK asked for ${CATALOG_PATH}/${type} with Accept: application/schema+json. Check that baseUrl reaches NetSuite's REST host itself; if it does, report the answer with the request ID.`,
    });
  }
  const item = parsed.data.properties.item;
  const lines = item === undefined ? undefined : sublistLines(item);
  return { type, fields: fieldMap(parsed.data.properties), lineFields: lines === undefined ? undefined : fieldMap(lines) };
}

/** The metadata service over a requester; `now` is the clock the cache ages by. */
export function createMetadata(request: NetSuiteRequester, options: { ttlMs?: number | undefined; now?: (() => number) | undefined } = {}): NetSuiteMetadata {
  const ttlMs = options.ttlMs ?? DEFAULT_METADATA_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; catalog: RecordCatalog }>();
  return {
    async recordCatalog(type, readOptions = {}) {
      if (typeof type !== 'string' || !TYPE_PATTERN.test(type)) {
        throw new ConfigurationError('Invalid type: a record type name such as invoice or customrecord_x.', {
          code: 'INVALID_ARGUMENT',
          issues: [{ path: 'type', message: 'a record type name such as invoice or customrecord_x' }],
        });
      }
      const key = type.toLowerCase();
      const kept = cache.get(key);
      if (kept !== undefined && readOptions.refresh !== true && now() - kept.at < ttlMs) return kept.catalog;
      const path = `${CATALOG_PATH}/${type}`;
      const response = await request('GET', path, { headers: { accept: 'application/schema+json' }, signal: readOptions.signal });
      const catalog = parseRecordCatalog(type, response.data, { path, status: response.status, requestId: response.requestId });
      cache.set(key, { at: now(), catalog });
      return catalog;
    },

    async mandatoryCustomFields(readOptions = {}) {
      const query = sql`SELECT scriptid FROM customfield WHERE ismandatory = 'T' ORDER BY scriptid`;
      const found = new Set<string>();
      for await (const row of streamSuiteQL(request, query, { anchor: false, ...(readOptions.signal === undefined ? {} : { signal: readOptions.signal }) })) {
        if (typeof row.scriptid === 'string' && row.scriptid !== '') found.add(row.scriptid.toLowerCase());
      }
      return found;
    },
  };
}
