/**
 * An account's shape (`account-shape.ts`) laid into the database: the rows of `classification`,
 * `department`, `location`, `employee`, the extra `subsidiary` rows, `customfield` (one row per custom
 * field, *assumed* columns) and the forms (`ns_customform`, not a SuiteQL table); and one column per custom
 * field, named by its script ID: `custbody_` columns on `ns_transaction` (and the `transaction` view),
 * `custcol_` on `ns_transactionline` (`transactionline`), `custentity_` on `customer`. Columns of fields a
 * new shape no longer has are dropped, with their values.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { CustomFieldType, NetSuiteAccountShape, ShapeCustomField } from './account-shape';
import { rebuildViews } from './database';

/** The empty shape: a fresh account's. */
export const EMPTY_SHAPE: NetSuiteAccountShape = {};

const SHAPES = new WeakMap<DatabaseSync, NetSuiteAccountShape>();

/** The shape last laid into a database (the empty shape when none was). */
export function shapeOf(db: DatabaseSync): NetSuiteAccountShape {
  return SHAPES.get(db) ?? EMPTY_SHAPE;
}

/** NetSuite's names of the field types (`customfield.fieldvaluetype`). */
const VALUE_TYPES: Readonly<Record<CustomFieldType, string>> = {
  text: 'Free-Form Text',
  textarea: 'Text Area',
  integer: 'Integer Number',
  decimal: 'Decimal Number',
  currency: 'Currency',
  checkbox: 'Check Box',
  date: 'Date',
  select: 'List/Record',
};

/** `customfield.fieldtype` by script ID prefix. */
function fieldTypeOf(field: ShapeCustomField): 'BODY' | 'COLUMN' | 'ENTITY' {
  if (field.scriptId.startsWith('custcol_')) return 'COLUMN';
  return field.scriptId.startsWith('custentity_') ? 'ENTITY' : 'BODY';
}

/** The table holding each kind of custom field's column. */
const COLUMN_TABLES = [
  ['ns_transaction', 'custbody_'],
  ['ns_transactionline', 'custcol_'],
  ['customer', 'custentity_'],
] as const;

function customColumns(db: DatabaseSync, table: string, prefix: string): string[] {
  return db
    .prepare(`SELECT name FROM pragma_table_info('${table}')`)
    .all()
    .map((row) => String(row.name))
    .filter((name) => name.startsWith(prefix));
}

/** Adds the custom field columns of a shape, drops the others, and rebuilds the views over them. */
function syncColumns(db: DatabaseSync, fields: readonly ShapeCustomField[]): void {
  db.exec('DROP VIEW IF EXISTS "transaction"; DROP VIEW IF EXISTS transactionline;');
  for (const [table, prefix] of COLUMN_TABLES) {
    const wanted = fields.map((field) => field.scriptId).filter((id) => id.startsWith(prefix));
    const present = customColumns(db, table, prefix);
    for (const column of present.filter((name) => !wanted.includes(name))) db.exec(`ALTER TABLE ${table} DROP COLUMN ${column}`);
    for (const column of wanted.filter((name) => !present.includes(name))) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column}`);
  }
  rebuildViews(db, customColumns(db, 'ns_transaction', 'custbody_'), customColumns(db, 'ns_transactionline', 'custcol_'));
}

/**
 * Lays a (checked) shape into the database: its lists replace the previous ones (subsidiaries are added
 * beside the books' own, which win on an ID both have), its custom fields get their columns.
 */
export function applyShape(db: DatabaseSync, shape: NetSuiteAccountShape): void {
  for (const table of ['classification', 'department', 'location', 'employee', 'customfield', 'ns_customform', 'ns_customselect']) db.exec(`DELETE FROM ${table}`);
  const flag = (value: boolean | undefined) => (value === true ? 'T' : 'F');
  for (const [table, list] of [['classification', shape.classes], ['department', shape.departments], ['location', shape.locations]] as const) {
    const insert = db.prepare(`INSERT INTO ${table} (id, name, isinactive) VALUES (?, ?, ?)`);
    for (const entry of list ?? []) insert.run(Number(entry.id), entry.name, flag(entry.inactive));
  }
  const employee = db.prepare('INSERT INTO employee (id, entityid, firstname, lastname, isinactive) VALUES (?, ?, ?, ?, ?)');
  for (const entry of shape.employees ?? []) {
    const space = entry.name.indexOf(' ');
    employee.run(Number(entry.id), entry.name, space < 0 ? entry.name : entry.name.slice(0, space), space < 0 ? null : entry.name.slice(space + 1), flag(entry.inactive));
  }
  const subsidiary = db.prepare('INSERT OR IGNORE INTO subsidiary (id, name, currency, isinactive) VALUES (?, ?, ?, ?)');
  for (const entry of shape.subsidiaries ?? []) subsidiary.run(Number(entry.id), entry.name, Number(entry.currency ?? '1'), flag(entry.inactive));
  const field = db.prepare('INSERT INTO customfield (scriptid, name, fieldtype, fieldvaluetype, ismandatory) VALUES (?, ?, ?, ?, ?)');
  const select = db.prepare('INSERT INTO ns_customselect (scriptid, list) VALUES (?, ?)');
  for (const entry of shape.customFields ?? []) {
    field.run(entry.scriptId.toUpperCase(), entry.label, fieldTypeOf(entry), VALUE_TYPES[entry.type], flag(entry.mandatory));
    if (entry.selectRecordType !== undefined) select.run(entry.scriptId, entry.selectRecordType);
  }
  const form = db.prepare('INSERT INTO ns_customform (id, recordtype, name, preferred) VALUES (?, ?, ?, ?)');
  for (const entry of shape.customForms ?? []) form.run(Number(entry.id), entry.recordType, entry.name, flag(entry.preferred));
  syncColumns(db, shape.customFields ?? []);
  SHAPES.set(db, shape);
}
