/**
 * Reading REST request bodies the way NetSuite does: unknown fields are refused with
 * `NONEXISTENT_FIELD`, values of the wrong type with `INVALID_CONTENT`, read-only fields are ignored,
 * and `null` clears a field.
 */
import type { DatabaseSync } from 'node:sqlite';
import { parseRestDate, type Stamp } from './dates';
import { badRequest, invalidContent, invalidReference } from './errors';
import { parseDecimal, type Decimal } from './money';

/** A JSON object from a request body. */
export type Body = Record<string, unknown>;

/** A reference as a client writes it: `{ id: '12' }` (or a number), or `{ externalId: 'x' }`. */
export type RefInput = { readonly id: number } | { readonly externalId: string };

/** External IDs: letters, digits, `_` and `-`. */
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** A plain JSON object, or `INVALID_CONTENT`. */
export function objectAt(value: unknown, path: string): Body {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidContent(path || 'body', 'expected a JSON object');
  return value as Body;
}

/**
 * Refuses fields that are neither writable nor read-only (`NONEXISTENT_FIELD`, `o:errorPath` = the
 * field), and returns the body without the read-only ones.
 */
export function knownFields(body: Body, writable: ReadonlySet<string>, readOnly: ReadonlySet<string>, prefix = ''): Body {
  const kept: Body = {};
  for (const [key, value] of Object.entries(body)) {
    if (writable.has(key)) kept[key] = value;
    else if (!readOnly.has(key) && key !== 'links') {
      throw badRequest('NONEXISTENT_FIELD', `Invalid field name ${key}. Provide a valid field name.`, { path: join(prefix, key) });
    }
  }
  return kept;
}

/** A string field: `undefined` when absent, `null` when cleared (or empty). */
export function stringAt(body: Body, key: string, prefix = ''): string | null | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (typeof value !== 'string') throw invalidContent(join(prefix, key), 'expected a string');
  return value;
}

/** A checkbox field. */
export function booleanAt(body: Body, key: string, prefix = ''): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidContent(join(prefix, key), 'expected true or false');
  return value;
}

/** A number field (JSON number, or numeric text). */
export function decimalAt(body: Body, key: string, prefix = ''): Decimal | null | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (value === null) return null;
  const parsed = parseDecimal(value);
  if (parsed === undefined) throw invalidContent(join(prefix, key), 'expected a number');
  return parsed;
}

/** A date field (`YYYY-MM-DD`). */
export function dateAt(body: Body, key: string, prefix = ''): Stamp | null | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (value === null) return null;
  const stamp = parseRestDate(value);
  if (stamp === undefined) throw invalidContent(join(prefix, key), 'expected a date as YYYY-MM-DD');
  return stamp;
}

/** The `externalId` field, checked against NetSuite's allowed characters. */
export function externalIdAt(body: Body, key = 'externalId'): string | null | undefined {
  const value = stringAt(body, key);
  if (typeof value === 'string' && !EXTERNAL_ID_PATTERN.test(value)) {
    throw badRequest('USER_ERROR', `Invalid external ID ${JSON.stringify(value)}: use letters, digits, _ and - only.`, { path: key });
  }
  return value;
}

/** A reference field (`{ id }` or `{ externalId }`; `refName` and `links` are ignored). */
export function refAt(body: Body, key: string, prefix = ''): RefInput | null | undefined {
  const path = join(prefix, key);
  const value = body[key];
  if (value === undefined) return undefined;
  if (value === null) return null;
  const ref = knownFields(objectAt(value, path), new Set(['id', 'externalId']), new Set(['refName']), path);
  if (ref.id !== undefined && ref.id !== null) {
    const id = typeof ref.id === 'number' ? ref.id : typeof ref.id === 'string' && /^\d+$/.test(ref.id) ? Number(ref.id) : NaN;
    if (!Number.isSafeInteger(id)) throw invalidReference(path, JSON.stringify(ref.id));
    return { id };
  }
  if (typeof ref.externalId === 'string' && ref.externalId !== '') return { externalId: ref.externalId };
  throw invalidContent(path, 'a reference needs an id or an externalId');
}

/** Resolves a reference to the ID of an existing row of `table`, or `INVALID_KEY_OR_REF`. */
export function resolveRef(db: DatabaseSync, table: string, ref: RefInput, path: string, where = '1 = 1'): number {
  const row =
    'id' in ref
      ? db.prepare(`SELECT id FROM ${table} WHERE id = ? AND ${where}`).get(ref.id)
      : table === 'customer' || table === 'ns_transaction'
        ? db.prepare(`SELECT id FROM ${table} WHERE externalid = ? AND ${where}`).get(ref.externalId)
        : undefined;
  if (row === undefined) throw invalidReference(path, 'id' in ref ? ref.id : ref.externalId);
  return Number(row.id);
}

/** A sublist (`{ items: [...] }`); `undefined` when absent. */
export function sublistAt(body: Body, key: string): Body[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  const sublist = knownFields(objectAt(value, key), new Set(['items']), new Set(['totalResults', 'count', 'hasMore', 'offset']), key);
  if (sublist.items === undefined) return undefined;
  if (!Array.isArray(sublist.items)) throw invalidContent(`${key}.items`, 'expected an array');
  return sublist.items.map((item, index) => objectAt(item, `${key}.items[${index}]`));
}
