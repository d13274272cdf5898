/**
 * Reading the fields of a REST body that `checkBody` has checked (types, names, read-only fields): `null`
 * clears a field, references are resolved to existing rows.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Body } from './body-check';
import { parseRestDate, type Stamp } from './dates';
import { badRequest, invalidContent, invalidReference } from './errors';
import { parseDecimal, type Decimal } from './money';
import { prepared } from './statements';

export { objectAt, type Body } from './body-check';

/** A reference as a client writes it: `{ id: '12' }` (or a number), or `{ externalId: 'x' }`. */
export type RefInput = { readonly id: number } | { readonly externalId: string };

/** External IDs: letters, digits, `_` and `-`. */
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
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

/** A reference field (`{ id }` or `{ externalId }`; `refName` is not used). */
export function refAt(body: Body, key: string, prefix = ''): RefInput | null | undefined {
  const path = join(prefix, key);
  const value = body[key];
  if (value === undefined) return undefined;
  if (value === null) return null;
  const ref = value as Body;
  if (ref.id !== undefined && ref.id !== null) {
    const id = typeof ref.id === 'number' ? ref.id : typeof ref.id === 'string' && /^\d+$/.test(ref.id) ? Number(ref.id) : NaN;
    if (!Number.isSafeInteger(id)) throw invalidReference(path, JSON.stringify(ref.id));
    return { id };
  }
  if (typeof ref.externalId === 'string' && ref.externalId !== '') return { externalId: ref.externalId };
  throw invalidContent(path, 'a reference needs an id or an externalId');
}

/** Resolves a reference to the ID of an existing row of `table`, or `INVALID_CONTENT` naming the field. */
export function resolveRef(db: DatabaseSync, table: string, ref: RefInput, path: string, where = '1 = 1'): number {
  const row =
    'id' in ref
      ? prepared(db, `SELECT id FROM ${table} WHERE id = ? AND ${where}`).get(ref.id)
      : table === 'customer' || table === 'ns_transaction'
        ? prepared(db, `SELECT id FROM ${table} WHERE externalid = ? AND ${where}`).get(ref.externalId)
        : undefined;
  if (row === undefined) throw invalidReference(path, 'id' in ref ? ref.id : ref.externalId);
  return Number(row.id);
}

/**
 * The lines of a sublist (`{ items: [...] }`): `undefined` when the body leaves it out, `null` when it
 * sets the sublist (or its `items`) to `null`, which deletes its lines when the sublist is replaced
 * (Oracle: "Deleting a Sublist").
 */
export function sublistAt(body: Body, key: string): Body[] | null | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (value === null) return null;
  const items = (value as Body).items;
  if (items === null) return null;
  return Array.isArray(items) ? (items as Body[]) : undefined;
}
