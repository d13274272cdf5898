/**
 * NetSuite's REST metadata catalog, for the record types the simulator keeps (Oracle's "Getting Metadata"
 * and "Working with JSON Schema Metadata"):
 *
 * - `GET /services/rest/record/v1/metadata-catalog` lists the types, each with a `canonical` link and
 *   `alternate` links per media type (`select=customer,invoice` narrows the list);
 * - `GET /services/rest/record/v1/metadata-catalog/<type>` with `Accept: application/schema+json` gives the
 *   type's JSON Schema: the properties of `record-schemas.ts` and the account shape's custom fields
 *   (`x-ns-custom-field: true`), each `nullable: true`, with no `required` list (*reported*: a field report
 *   on real accounts says the catalog carries no requiredness; Oracle does not document it). OpenAPI
 *   (`application/swagger+json`, the default media type) is not simulated: 406.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { SandboxOutcome, SandboxRequest } from '../http';
import { errorOutcome, NetSuiteSimulatorError, responseHeaders } from './errors';
import { RECORD_PATH, RECORD_TYPES, recordTypeOf, type NetSuiteRecordType } from './record-common';
import { RECORD_SCHEMAS, type FieldSpec, type FieldSpecs } from './record-schemas';
import { customFieldsOf, type ExtraField } from './shape-fields';
import { shapeOf } from './shape-store';

/** The catalog's path. */
export const CATALOG_PATH = `${RECORD_PATH}/metadata-catalog`;

const SCHEMA_JSON = 'application/schema+json';
const MEDIA_TYPES = ['application/json', 'application/swagger+json', SCHEMA_JSON] as const;

/**
 * Titles: the REST API Browser's labels (2026.1); the Browser gives none for references and selects, whose
 * titles here are the NetSuite UI's field names (*assumed*).
 */
const TITLES: Readonly<Record<string, string>> = {
  id: 'Internal ID',
  refName: 'Reference Name',
  links: 'Links',
  tranDate: 'Date',
  memo: 'Memo',
  externalId: 'External ID',
  total: 'Total',
  createdDate: 'Date Created',
  lastModifiedDate: 'Date Last Modified',
  dueDate: 'Due Date',
  subtotal: 'Subtotal',
  taxTotal: 'Tax Total',
  amountRemaining: 'Amount Remaining',
  amountPaid: 'Amount Paid',
  payment: 'Payment Amount',
  applied: 'Applied',
  unapplied: 'Unapplied',
  entityId: 'Entity ID',
  companyName: 'Company Name',
  isPerson: 'Is Individual',
  firstName: 'First Name',
  lastName: 'Last Name',
  email: 'Email',
  phone: 'Phone',
  isInactive: 'Inactive',
  altName: 'Customer',
  dateCreated: 'Date Created',
  otherRefNum: 'PO/Check Number',
  entity: 'Customer',
  customer: 'Customer',
  currency: 'Currency',
  subsidiary: 'Subsidiary',
  account: 'Account',
  class: 'Class',
  department: 'Department',
  location: 'Location',
  customForm: 'Custom Form',
  salesRep: 'Sales Rep',
  status: 'Status',
  undepFunds: 'Undep. Funds',
  item: 'Items',
  apply: 'Apply',
  credit: 'Credits',
  line: 'Line',
  quantity: 'Quantity',
  rate: 'Rate',
  amount: 'Amount',
  description: 'Description',
  doc: 'Document',
  due: 'Amt. Due',
  refNum: 'Ref No.',
  applyDate: 'Date',
  creditDate: 'Date',
  type: 'Type',
};

const TRAN_ID_TITLES: Readonly<Record<NetSuiteRecordType, string>> = {
  customer: 'Transaction Number',
  invoice: 'Invoice #',
  customerPayment: 'Payment #',
  creditMemo: 'Credit #',
  customerRefund: 'Check #',
};

type JsonSchema = Record<string, unknown>;

const REFERENCE_PROPERTIES: JsonSchema = {
  id: { title: 'Internal identifier', type: 'string' },
  refName: { title: 'Reference Name', type: 'string' },
  externalId: { title: 'External identifier', type: 'string' },
  links: { title: 'Links', type: 'array', readOnly: true, items: { type: 'object', properties: { rel: { type: 'string' }, href: { type: 'string' } } } },
};

/** The JSON Schema of one property. */
function propertySchema(spec: FieldSpec, title: string, custom: boolean, line: FieldSpecs | undefined, lineCustom: readonly ExtraField[]): JsonSchema {
  const base = (schema: JsonSchema): JsonSchema => ({
    title,
    ...schema,
    nullable: true,
    ...(spec.readOnly ? { readOnly: true } : {}),
    ...(custom ? { 'x-ns-custom-field': true } : {}),
  });
  switch (spec.kind) {
    case 'string':
      return base({ type: 'string' });
    case 'boolean':
      return base({ type: 'boolean' });
    case 'number':
      return base({ type: 'number', format: 'double' });
    case 'integer':
      return base({ type: 'integer', format: 'int64' });
    case 'date':
      return base({ type: 'string', format: 'date' });
    case 'datetime':
      return base({ type: 'string', format: 'date-time' });
    case 'ref':
      return base({ type: 'object', properties: REFERENCE_PROPERTIES });
    case 'select':
      return base({
        type: 'object',
        properties: { id: { title: 'Internal identifier', type: 'string', ...(spec.values === undefined ? {} : { enum: [...spec.values] }) }, refName: { title: 'Reference Name', type: 'string' } },
      });
    case 'sublist':
      return base({
        type: 'object',
        properties: {
          links: REFERENCE_PROPERTIES.links,
          items: { title: 'Items', type: 'array', items: { type: 'object', properties: propertiesOf(line ?? {}, lineCustom, [], undefined) } },
          totalResults: { title: 'Total Results', type: 'integer', format: 'int64', readOnly: true },
          count: { title: 'Count', type: 'integer', format: 'int64', readOnly: true },
          hasMore: { title: 'Has More Results', type: 'boolean', readOnly: true },
          offset: { title: 'Query Offset', type: 'integer', format: 'int64', readOnly: true },
        },
      });
    default:
      return base({ type: 'array', items: { type: 'object', properties: { rel: { type: 'string' }, href: { type: 'string' } } } });
  }
}

const CUSTOM_KINDS: Readonly<Record<ExtraField['value'], FieldSpec['kind']>> = { text: 'string', integer: 'integer', number: 'number', checkbox: 'boolean', date: 'date', ref: 'select' };

function propertiesOf(specs: FieldSpecs, custom: readonly ExtraField[], lineCustom: readonly ExtraField[], type: NetSuiteRecordType | undefined): JsonSchema {
  const properties: JsonSchema = {};
  for (const [name, spec] of Object.entries(specs)) {
    const title = name === 'tranId' && type !== undefined ? TRAN_ID_TITLES[type] : (TITLES[name] ?? name);
    properties[name] = propertySchema(spec, title, false, spec.line, lineCustom);
  }
  for (const field of custom) properties[field.name] = propertySchema({ kind: CUSTOM_KINDS[field.value] }, field.label, true, undefined, []);
  return properties;
}

/** The JSON Schema of a record type in an account (its shape's custom fields included). */
export function recordSchema(db: DatabaseSync, type: NetSuiteRecordType): JsonSchema {
  const shape = shapeOf(db);
  return { type: 'object', properties: propertiesOf(RECORD_SCHEMAS[type], customFieldsOf(shape, type, false), customFieldsOf(shape, type, true), type) };
}

function catalog(request: SandboxRequest, base: string): SandboxOutcome {
  const select = request.url.searchParams.get('select');
  const wanted = select === null ? undefined : select.split(',').map((name) => name.trim().toLowerCase());
  const items = RECORD_TYPES.filter((type) => wanted === undefined || wanted.includes(type.toLowerCase())).map((name) => {
    const href = `${base}${CATALOG_PATH}/${name}`;
    return { name, links: MEDIA_TYPES.map((mediaType, index) => ({ rel: index === 0 ? 'canonical' : 'alternate', href, mediaType })) };
  });
  return { kind: 'response', status: 200, headers: responseHeaders('application/json'), body: { items } };
}

function handle(db: DatabaseSync, request: SandboxRequest, rest: string, base: string): SandboxOutcome {
  const method = request.method.toUpperCase();
  if (method !== 'GET') throw new NetSuiteSimulatorError(405, 'METHOD_NOT_ALLOWED', `${method} is not supported on ${request.url.pathname}.`);
  const segments = rest.split('/').filter((segment) => segment !== '');
  if (segments.length === 0) return catalog(request, base);
  const [segment = ''] = segments;
  const type = recordTypeOf(segment);
  if (type === undefined || segments.length > 1) throw new NetSuiteSimulatorError(404, 'INVALID_RCRD_TYPE', `Record type '${segment}' does not exist or is not supported by the simulator.`);
  const accept = request.headers.get('accept') ?? '';
  if (!accept.toLowerCase().includes(SCHEMA_JSON)) {
    throw new NetSuiteSimulatorError(406, 'NOT_ACCEPTABLE', `The simulator gives record metadata as JSON Schema only: send Accept: ${SCHEMA_JSON} (OpenAPI, application/swagger+json, is not simulated).`, { header: 'Accept' });
  }
  return { kind: 'response', status: 200, headers: responseHeaders(SCHEMA_JSON), body: recordSchema(db, type) };
}

/** Answers a request to the metadata catalog (`rest`: the path below {@link CATALOG_PATH}; `base`: the account's origin). */
export function handleCatalogRequest(db: DatabaseSync, request: SandboxRequest, rest: string, base: string): SandboxOutcome {
  try {
    return handle(db, request, rest, base);
  } catch (error) {
    if (error instanceof NetSuiteSimulatorError) return errorOutcome(error);
    throw error;
  }
}
