/**
 * The fields an account's shape brings to REST writes and reads: the standard classification fields
 * (`class`, `department`, `location`), `customForm`, `otherRefNum`, `salesRep` on the record types whose
 * 2026.1 REST API Browser schema has them, and the shape's custom fields (`custbody_`, `custcol_` on item
 * lines, `custentity_`). Each is stored in a column of the record's table (its lower-case name, or script ID).
 * Here: their definitions, reading them from a checked body (references must exist and be active),
 * rendering them, and the mandatory rules of a create or update.
 */
import type { DatabaseSync, SQLInputValue, SQLOutputValue } from 'node:sqlite';
import type { NetSuiteAccountShape, ShapeCustomField } from './account-shape';
import type { Body } from './body-check';
import { parseRestDate, restDate } from './dates';
import { badRequest, invalidReference, missingField } from './errors';
import { refAt } from './fields';
import type { NetSuiteRecordType } from './record-common';
import type { FieldSpec, FieldSpecs } from './record-schemas';
import { shapeOf } from './shape-store';
import { prepared } from './statements';

/** How a field's value is stored and shown. */
export type ExtraValue = 'text' | 'integer' | 'number' | 'checkbox' | 'date' | 'ref';

/** One field of this module. */
export interface ExtraField {
  /** REST name. */
  readonly name: string;
  /** Column of the record's table. */
  readonly column: string;
  /** Label, as NetSuite names the field in "Please enter value(s) for". */
  readonly label: string;
  readonly value: ExtraValue;
  /** `ref`: the table of the rows it refers to. */
  readonly table?: string;
  /** The custom field definition, for custom fields. */
  readonly custom?: ShapeCustomField;
}

const ref = (name: string, table: string, label: string): ExtraField => ({ name, column: name.toLowerCase(), label, value: 'ref', table });
const CLASSIFICATIONS = [ref('class', 'classification', 'Class'), ref('department', 'department', 'Department'), ref('location', 'location', 'Location')];
const CUSTOM_FORM = ref('customForm', 'ns_customform', 'Custom Form');
const SALES = [{ name: 'otherRefNum', column: 'otherrefnum', label: 'PO/Check Number', value: 'text' } as const, ref('salesRep', 'employee', 'Sales Rep')];

/** The standard fields of this module on each record type's body (from the REST API Browser schemas). */
export const STANDARD_BODY_FIELDS: Readonly<Record<NetSuiteRecordType, readonly ExtraField[]>> = {
  customer: [CUSTOM_FORM],
  invoice: [...CLASSIFICATIONS, CUSTOM_FORM, ...SALES],
  creditMemo: [...CLASSIFICATIONS, CUSTOM_FORM, ...SALES],
  customerPayment: [...CLASSIFICATIONS, CUSTOM_FORM],
  customerRefund: [...CLASSIFICATIONS, CUSTOM_FORM],
};

/** The standard fields of this module on `item` lines (invoice and credit memo). */
export const STANDARD_LINE_FIELDS: readonly ExtraField[] = CLASSIFICATIONS;

const SELECT_TABLES: Readonly<Record<string, string>> = {
  classification: 'classification',
  department: 'department',
  location: 'location',
  subsidiary: 'subsidiary',
  employee: 'employee',
  customer: 'customer',
};

function customField(field: ShapeCustomField): ExtraField {
  const value: ExtraValue = field.type === 'select' ? 'ref' : field.type === 'text' || field.type === 'textarea' ? 'text' : field.type === 'integer' ? 'integer' : field.type === 'checkbox' ? 'checkbox' : field.type === 'date' ? 'date' : 'number';
  const table = field.selectRecordType === undefined ? undefined : SELECT_TABLES[field.selectRecordType];
  return { name: field.scriptId, column: field.scriptId, label: field.label, value, ...(table === undefined ? {} : { table }), custom: field };
}

/** The custom fields of a shape on a record type's body (`line`: on its `item` lines). */
export function customFieldsOf(shape: NetSuiteAccountShape, type: NetSuiteRecordType, line: boolean): ExtraField[] {
  return (shape.customFields ?? [])
    .filter((field) => field.appliesTo.includes(type) && field.scriptId.startsWith('custcol_') === line)
    .map(customField);
}

/** Every field of this module on a record type's body, in a database's account. */
export function bodyFieldsOf(db: DatabaseSync, type: NetSuiteRecordType): ExtraField[] {
  return [...STANDARD_BODY_FIELDS[type], ...customFieldsOf(shapeOf(db), type, false)];
}

/** Every field of this module on a record type's `item` lines (none where it has no `item` sublist). */
export function lineFieldsOf(db: DatabaseSync, type: NetSuiteRecordType): ExtraField[] {
  return type === 'invoice' || type === 'creditMemo' ? [...STANDARD_LINE_FIELDS, ...customFieldsOf(shapeOf(db), type, true)] : [];
}

/** The write spec of a custom field (`record-schemas.ts` kinds). */
function specOf(field: ExtraField): FieldSpec {
  const kinds: Readonly<Record<ExtraValue, FieldSpec['kind']>> = { text: 'string', integer: 'integer', number: 'number', checkbox: 'boolean', date: 'date', ref: 'ref' };
  return { kind: kinds[field.value] };
}

/** The body and `item` line specs the shape's custom fields add to a record type (for `checkBody`). */
export function customSpecsOf(db: DatabaseSync, type: NetSuiteRecordType): { body: FieldSpecs; line: FieldSpecs } {
  const shape = shapeOf(db);
  const specs = (line: boolean) => Object.fromEntries(customFieldsOf(shape, type, line).map((field) => [field.name, specOf(field)]));
  return { body: specs(false), line: specs(true) };
}

/** Column values of a record (or line) for a set of fields. */
export type ExtraValues = Record<string, SQLInputValue>;

function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/** A reference to an existing, active row (forms: of the record's type); `INVALID_CONTENT` or `USER_ERROR` otherwise. */
function resolveListRef(db: DatabaseSync, field: ExtraField, body: Body, prefix: string, type: NetSuiteRecordType): number | null {
  const path = join(prefix, field.name);
  const given = refAt(body, field.name, prefix);
  if (given === undefined || given === null) return null;
  if (!('id' in given)) throw invalidReference(path, given.externalId);
  const table = field.table ?? '';
  const row = table === 'ns_customform'
    ? prepared(db, 'SELECT id, \'F\' AS isinactive FROM ns_customform WHERE id = ? AND recordtype = ?').get(given.id, type)
    : prepared(db, `SELECT id, isinactive FROM ${table} WHERE id = ?`).get(given.id);
  if (row === undefined) throw invalidReference(path, given.id);
  // *Assumed* (stricter): NetSuite hides inactive entries from its lists; a write naming one is refused.
  if (row.isinactive === 'T') throw badRequest('USER_ERROR', `${field.label} ${given.id} is inactive: choose an active one.`, { path });
  return given.id;
}

/**
 * The values a checked body gives the fields (only those it names; `null` or `''` clears one), as stored:
 * text, numbers, `'T'`/`'F'`, dates as stamps, internal IDs.
 */
export function readExtras(db: DatabaseSync, type: NetSuiteRecordType, fields: readonly ExtraField[], body: Body, prefix = ''): ExtraValues {
  const values: ExtraValues = {};
  for (const field of fields) {
    const value = body[field.name];
    if (value === undefined) continue;
    if (value === null || value === '') {
      values[field.column] = null;
    } else if (field.value === 'ref') {
      values[field.column] = resolveListRef(db, field, body, prefix, type);
    } else if (field.value === 'checkbox') {
      values[field.column] = value === true ? 'T' : 'F';
    } else if (field.value === 'date') {
      values[field.column] = parseRestDate(value) ?? null;
    } else if (field.value === 'text') {
      // `checkBody` has made sure it is a string.
      values[field.column] = typeof value === 'string' ? value : null;
    } else {
      values[field.column] = Number(value);
    }
  }
  return values;
}

/** The stored values of the fields from a row. */
export function extrasOfRow(fields: readonly ExtraField[], row: Record<string, SQLOutputValue> | undefined): ExtraValues {
  const values: ExtraValues = {};
  for (const field of fields) {
    const value = row?.[field.column];
    if (value !== undefined && value !== null) values[field.column] = value;
  }
  return values;
}

/** Writes the fields' values into a row of a table (`where` selects it). */
export function storeExtras(db: DatabaseSync, table: string, where: string, params: readonly SQLInputValue[], values: ExtraValues): void {
  const columns = Object.keys(values);
  if (columns.length === 0) return;
  prepared(db, `UPDATE ${table} SET ${columns.map((column) => `${column} = ?`).join(', ')} WHERE ${where}`).run(...columns.map((column) => values[column] ?? null), ...params);
}

const DISPLAY: Readonly<Record<string, string>> = {
  classification: 'SELECT name AS display FROM classification WHERE id = ?',
  department: 'SELECT name AS display FROM department WHERE id = ?',
  location: 'SELECT name AS display FROM location WHERE id = ?',
  subsidiary: 'SELECT name AS display FROM subsidiary WHERE id = ?',
  employee: 'SELECT entityid AS display FROM employee WHERE id = ?',
  customer: 'SELECT entitytitle AS display FROM customer WHERE id = ?',
  ns_customform: 'SELECT name AS display FROM ns_customform WHERE id = ?',
};

/** The REST values of the fields of a row (empty ones left out). */
export function renderExtras(db: DatabaseSync, fields: readonly ExtraField[], row: Record<string, SQLOutputValue>): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const field of fields) {
    const value = row[field.column];
    if (value === undefined || value === null) continue;
    if (field.value === 'ref') {
      const display = prepared(db, DISPLAY[field.table ?? ''] ?? 'SELECT NULL AS display').get(value)?.display;
      shown[field.name] = typeof display === 'string' ? { id: String(value), refName: display } : { id: String(value) };
    } else if (field.value === 'checkbox') {
      shown[field.name] = value === 'T';
    } else if (field.value === 'date') {
      shown[field.name] = typeof value === 'string' ? restDate(value) : value;
    } else if (field.value === 'text') {
      shown[field.name] = String(value);
    } else {
      shown[field.name] = Number(value);
    }
  }
  return shown;
}

/** The form a new record of a type gets when its write names none: the type's preferred form. */
export function preferredForm(db: DatabaseSync, type: NetSuiteRecordType): number | null {
  const row = prepared(db, "SELECT id FROM ns_customform WHERE recordtype = ? AND preferred = 'T'").get(type);
  return row === undefined ? null : Number(row.id);
}

/**
 * The fields a record (`line`: an item line) must have a value in: mandatory custom fields, the fields its
 * form makes mandatory (on lines, its `custcol_` fields only), and on a transaction's body `class` /
 * `department` / `location` when the accounting preferences make them mandatory.
 */
export function mandatoryFields(db: DatabaseSync, type: NetSuiteRecordType, fields: readonly ExtraField[], form: SQLInputValue | undefined, line = false): ExtraField[] {
  const shape = shapeOf(db);
  const formMandatory = (shape.customForms ?? []).find((entry) => form !== undefined && form !== null && Number(entry.id) === Number(form))?.mandatory ?? [];
  const preferences = type === 'customer' || line ? {} : (shape.mandatory ?? {});
  return fields.filter(
    (field) =>
      field.custom?.mandatory === true ||
      (formMandatory.includes(field.name) && (!line || field.custom !== undefined)) ||
      ((field.name === 'class' || field.name === 'department' || field.name === 'location') && preferences[field.name] === true),
  );
}

/**
 * The mandatory rule of a REST write (the `state` API skips it): on create every mandatory field has a
 * value in `values` (the record as it will be); on update none is cleared by `given` (this write's values).
 * Throws 400 `USER_ERROR` "Please enter value(s) for: <label>" with the field's path.
 */
export function requireMandatory(mandatory: readonly ExtraField[], values: ExtraValues, given: ExtraValues, creating: boolean, prefix = ''): void {
  for (const field of mandatory) {
    const missing = creating ? values[field.column] === undefined || values[field.column] === null : field.column in given && given[field.column] === null;
    if (missing) throw missingField(join(prefix, field.name), field.label);
  }
}
