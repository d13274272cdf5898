/**
 * Checks a write body against its record type's description (`record-schemas.ts`) before anything is
 * stored, as NetSuite does:
 *
 * - a field the record type does not have is refused with `NONEXISTENT_FIELD` when the request says
 *   `X-NetSuite-PropertyNameValidation: Error`, and dropped under `Warning` (NetSuite's default for
 *   record writes in the REST API Browser) or `Ignore`;
 * - a value of the wrong type (a string for a number, a date not `YYYY-MM-DD`, a select id NetSuite does
 *   not list) is refused with `INVALID_CONTENT` (value validation `Error`, the default), naming the path;
 * - a field NetSuite computes is refused with `INSUFFICIENT_PERMISSION` over REST; the `state` API drops
 *   it, so a test can insert a record it read back.
 *
 * The `state` API checks names as `Error` does (a misspelled field in a test is a mistake), takes the
 * fields of `STATE_ONLY_FIELDS`, and numbers given as decimal text (books carry amounts as text).
 */
import { parseRestDate, parseRestDateTime } from './dates';
import { invalidContent, nonexistentField, readOnlyField } from './errors';
import { parseDecimal } from './money';
import type { NetSuiteRecordType } from './record-common';
import { COLLECTION_FIELDS, RECORD_SCHEMAS, REF_FIELDS, SELECT_FIELDS, STATE_ONLY_FIELDS, type FieldSpec, type FieldSpecs } from './record-schemas';

/** A JSON object from a request body. */
export type Body = Record<string, unknown>;

/** `X-NetSuite-PropertyNameValidation`. */
export type NameValidation = 'Error' | 'Warning' | 'Ignore';

/** Who writes: a REST request (with its name validation), or the `state` API. */
export type WriteOrigin = { readonly rest: true; readonly names: NameValidation } | { readonly rest: false };

/** The `state` API's origin. */
export const STATE_ORIGIN: WriteOrigin = { rest: false };

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** A plain JSON object, or `INVALID_CONTENT`. */
export function objectAt(value: unknown, path: string): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidContent(path || 'body', 'expected a JSON object');
  return value as Body;
}

function checkFields(body: Body, fields: FieldSpecs, origin: WriteOrigin, prefix: string): Body {
  const kept: Body = {};
  for (const [key, value] of Object.entries(body)) {
    // JSON has no undefined; a state API caller's `{ memo: undefined }` leaves the field out.
    if (value === undefined) continue;
    const path = join(prefix, key);
    const spec = fields[key];
    if (spec === undefined) {
      if (!origin.rest || origin.names === 'Error') throw nonexistentField(path);
      continue;
    }
    if (spec.readOnly) {
      if (origin.rest) throw readOnlyField(path);
      continue;
    }
    kept[key] = checkValue(spec, value, origin, path);
  }
  return kept;
}

function checkValue(spec: FieldSpec, value: unknown, origin: WriteOrigin, path: string): unknown {
  // `null` clears a field (and, for a sublist, leaves it as it is unless it is replaced).
  if (value === null) return null;
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') throw invalidContent(path, 'expected a string');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalidContent(path, 'expected true or false');
      return value;
    case 'number':
      if (typeof value === 'number' ? !Number.isFinite(value) : origin.rest || parseDecimal(value) === undefined) throw invalidContent(path, 'expected a number');
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalidContent(path, 'expected an integer');
      return value;
    case 'date':
      if (parseRestDate(value) === undefined) throw invalidContent(path, 'expected a date as YYYY-MM-DD');
      return value;
    case 'datetime':
      if (parseRestDateTime(value) === undefined) throw invalidContent(path, 'expected a date and time in ISO 8601');
      return value;
    case 'ref':
      return checkRef(value, origin, path);
    case 'select':
      return checkSelect(spec, value, origin, path);
    case 'sublist':
      return checkSublist(spec, value, origin, path);
    default:
      return value;
  }
}

function checkRef(value: unknown, origin: WriteOrigin, path: string): Body {
  const ref = checkFields(objectAt(value, path), { ...REF_FIELDS, id: { kind: 'other' } }, origin, path);
  const id = ref.id;
  // `nsResource.id` is a string; NetSuite's own examples send numbers too (`"entity": { "id": 107 }`).
  if (id !== undefined && id !== null && typeof id !== 'string' && !(typeof id === 'number' && Number.isSafeInteger(id))) {
    throw invalidContent(`${path}.id`, 'expected an internal ID');
  }
  return ref;
}

function checkSelect(spec: FieldSpec, value: unknown, origin: WriteOrigin, path: string): unknown {
  if (typeof value === 'boolean' && spec.alsoBoolean === true && !origin.rest) return value;
  const select = checkFields(objectAt(value, path), SELECT_FIELDS, origin, path);
  if (typeof select.id !== 'string') throw invalidContent(`${path}.id`, 'expected the id of one of the options');
  if (spec.values !== undefined && !spec.values.includes(select.id)) throw invalidContent(`${path}.id`, `expected one of ${spec.values.join(', ')}`);
  return select;
}

function checkSublist(spec: FieldSpec, value: unknown, origin: WriteOrigin, path: string): Body {
  const sublist = checkFields(objectAt(value, path), { ...COLLECTION_FIELDS, items: { kind: 'other' } }, origin, path);
  const items = sublist.items;
  if (items === undefined || items === null) return sublist;
  if (!Array.isArray(items)) throw invalidContent(`${path}.items`, 'expected an array');
  const line = spec.line ?? {};
  return { ...sublist, items: items.map((entry, index) => checkFields(objectAt(entry, `${path}.items[${index}]`), line, origin, `${path}.items[${index}]`)) };
}

/** Fields an account's shape adds: custom body fields, and custom `item` line fields. */
export interface AddedFields {
  readonly body: FieldSpecs;
  readonly line: FieldSpecs;
}

/**
 * The body of a write to a record type, checked; fields dropped by the rules above are left out. `added`
 * holds the custom fields of the account's shape that apply to the type: any other `cust...` name is
 * unknown like any other field.
 */
export function checkBody(type: NetSuiteRecordType, input: unknown, origin: WriteOrigin, added: AddedFields = { body: {}, line: {} }): Body {
  const fields: Record<string, FieldSpec> = { ...RECORD_SCHEMAS[type], ...(origin.rest ? {} : STATE_ONLY_FIELDS[type]), ...added.body };
  const item = fields.item;
  if (item?.line !== undefined && Object.keys(added.line).length > 0) fields.item = { ...item, line: { ...item.line, ...added.line } };
  return checkFields(objectAt(input, ''), fields, origin, '');
}
