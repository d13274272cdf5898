/**
 * An account's own shape: what a NetSuite administrator adds to an account and a REST write must respect.
 * Subsidiaries (OneWorld), classifications (classes, departments, locations), employees (sales reps),
 * custom fields (transaction body `custbody_`, transaction line `custcol_`, entity `custentity_`), custom
 * forms, and the accounting preferences that make classifications mandatory. A fresh service has none of
 * it (subsidiary 1 only); `state.setShape(shape)` or the service option `shape` gives it one, and `load()`
 * keeps it (the shape is the account's set-up, not its data).
 */
import { z } from 'zod';
import type { NetSuiteRecordType } from './record-common';

/** A row of a classification-like list (Setup > Company > Classifications, Lists > Employees...). */
export interface ShapeListEntry {
  /** Internal ID (digits). */
  readonly id: string;
  readonly name: string;
  /** @default false */
  readonly inactive?: boolean;
}

/** A subsidiary of a OneWorld account (subsidiary 1, the parent, always exists). */
export interface ShapeSubsidiary extends ShapeListEntry {
  /** Internal ID of its base currency. @default '1' */
  readonly currency?: string;
}

/** The value type of a custom field (Customization > Lists, Records, & Fields: its Type). */
export type CustomFieldType = 'text' | 'textarea' | 'integer' | 'decimal' | 'currency' | 'checkbox' | 'date' | 'select';

/** The lists a `select` custom field can point at in the simulator. */
export type CustomFieldSelectType = 'classification' | 'department' | 'location' | 'subsidiary' | 'employee' | 'customer';

/** A custom field. Where it lives follows its script ID's prefix: `custbody_`, `custcol_` (item lines) or `custentity_`. */
export interface ShapeCustomField {
  /** Script ID in lower case, e.g. `custbody_po_number`, `custcol_project`, `custentity_region`. */
  readonly scriptId: string;
  /** The label people see, used in NetSuite's "Please enter value(s) for" message. */
  readonly label: string;
  readonly type: CustomFieldType;
  /** `select` only: the list its values are internal IDs of. */
  readonly selectRecordType?: CustomFieldSelectType;
  /** The record types it applies to (body and line fields: transactions; entity fields: `customer`). */
  readonly appliesTo: readonly NetSuiteRecordType[];
  /** The field definition's Mandatory box: every create (and update) needs a value. @default false */
  readonly mandatory?: boolean;
}

/** A custom entry form or transaction form. */
export interface ShapeCustomForm {
  /** Internal ID (digits). */
  readonly id: string;
  readonly recordType: NetSuiteRecordType;
  readonly name: string;
  /** The form a record of its type gets when a write names none (its Preferred box). @default false */
  readonly preferred?: boolean;
  /** Fields the form makes mandatory (REST names: `class`, `otherRefNum`, `custbody_...`). */
  readonly mandatory?: readonly string[];
}

/** An account's shape. */
export interface NetSuiteAccountShape {
  /** Subsidiaries besides the parent (1). */
  readonly subsidiaries?: readonly ShapeSubsidiary[];
  /** Classes (SuiteQL table `classification`, REST field `class`). */
  readonly classes?: readonly ShapeListEntry[];
  readonly departments?: readonly ShapeListEntry[];
  readonly locations?: readonly ShapeListEntry[];
  /** Employees (sales reps: the transactions' `salesRep`). */
  readonly employees?: readonly ShapeListEntry[];
  readonly customFields?: readonly ShapeCustomField[];
  readonly customForms?: readonly ShapeCustomForm[];
  /**
   * Setup > Accounting > Accounting Preferences, General: Make Classes / Departments / Locations Mandatory.
   * A transaction written without one is refused.
   */
  readonly mandatory?: { readonly class?: boolean; readonly department?: boolean; readonly location?: boolean };
}

/** A shape that cannot be an account's: the message names every problem with its path. */
export class NetSuiteShapeError extends Error {
  override name = 'NetSuiteShapeError';
}

/** The standard fields a form may make mandatory in the simulator (those of the account shape, per the REST API Browser schemas). */
const FORM_FIELDS: Readonly<Record<NetSuiteRecordType, readonly string[]>> = {
  customer: [],
  invoice: ['class', 'department', 'location', 'otherRefNum', 'salesRep'],
  creditMemo: ['class', 'department', 'location', 'otherRefNum', 'salesRep'],
  customerPayment: ['class', 'department', 'location'],
  customerRefund: ['class', 'department', 'location'],
};

const TRANSACTION_TYPES: readonly NetSuiteRecordType[] = ['invoice', 'customerPayment', 'creditMemo', 'customerRefund'];
const LINE_TYPES: readonly NetSuiteRecordType[] = ['invoice', 'creditMemo'];
const internalId = z.string().regex(/^\d+$/, 'an internal ID is digits');
const recordType = z.enum(['customer', 'invoice', 'customerPayment', 'creditMemo', 'customerRefund']);
const listEntry = z.strictObject({ id: internalId, name: z.string().min(1), inactive: z.boolean().optional() });
const customField = z.strictObject({
  scriptId: z.string().regex(/^(custbody|custcol|custentity)_[a-z0-9_]+$/, 'a script ID is custbody_, custcol_ or custentity_ then lower-case letters, digits and _'),
  label: z.string().min(1),
  type: z.enum(['text', 'textarea', 'integer', 'decimal', 'currency', 'checkbox', 'date', 'select']),
  selectRecordType: z.enum(['classification', 'department', 'location', 'subsidiary', 'employee', 'customer']).optional(),
  appliesTo: z.array(recordType).min(1),
  mandatory: z.boolean().optional(),
});
const shapeSchema = z.strictObject({
  subsidiaries: z.array(listEntry.extend({ currency: internalId.optional() })).optional(),
  classes: z.array(listEntry).optional(),
  departments: z.array(listEntry).optional(),
  locations: z.array(listEntry).optional(),
  employees: z.array(listEntry).optional(),
  customFields: z.array(customField).optional(),
  customForms: z
    .array(z.strictObject({ id: internalId, recordType, name: z.string().min(1), preferred: z.boolean().optional(), mandatory: z.array(z.string().min(1)).optional() }))
    .optional(),
  mandatory: z.strictObject({ class: z.boolean().optional(), department: z.boolean().optional(), location: z.boolean().optional() }).optional(),
});

/** The record types a custom field of this script ID may apply to. */
export function allowedTypesOf(scriptId: string): readonly NetSuiteRecordType[] {
  if (scriptId.startsWith('custentity_')) return ['customer'];
  return scriptId.startsWith('custcol_') ? LINE_TYPES : TRANSACTION_TYPES;
}

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

/** What zod cannot say: where each custom field may live, unique IDs, one preferred form per type. */
function crossChecks(shape: NetSuiteAccountShape): string[] {
  const problems: string[] = [];
  for (const [name, list] of [['subsidiaries', shape.subsidiaries], ['classes', shape.classes], ['departments', shape.departments], ['locations', shape.locations], ['employees', shape.employees], ['customForms', shape.customForms]] as const) {
    for (const id of duplicates((list ?? []).map((entry) => entry.id))) problems.push(`${name}: internal ID ${id} is used twice`);
  }
  if ((shape.subsidiaries ?? []).some((subsidiary) => subsidiary.id === '1')) problems.push('subsidiaries: subsidiary 1 is the parent, which every account has');
  const fields = shape.customFields ?? [];
  for (const id of duplicates(fields.map((field) => field.scriptId))) problems.push(`customFields: script ID ${id} is used twice`);
  fields.forEach((field, index) => {
    const allowed = allowedTypesOf(field.scriptId);
    const wrong = field.appliesTo.filter((type) => !allowed.includes(type));
    if (wrong.length > 0) problems.push(`customFields[${index}].appliesTo: ${field.scriptId} cannot apply to ${wrong.join(', ')} (only ${allowed.join(', ')})`);
    if (field.type === 'select' && field.selectRecordType === undefined) problems.push(`customFields[${index}].selectRecordType: a select field needs the list it selects from`);
    if (field.type !== 'select' && field.selectRecordType !== undefined) problems.push(`customFields[${index}].selectRecordType: only a select field has one`);
  });
  const forms = shape.customForms ?? [];
  for (const type of duplicates(forms.filter((form) => form.preferred === true).map((form) => form.recordType))) problems.push(`customForms: ${type} has more than one preferred form`);
  forms.forEach((form, index) => {
    const known = [...FORM_FIELDS[form.recordType], ...fields.filter((field) => field.appliesTo.includes(form.recordType)).map((field) => field.scriptId)];
    const unknown = (form.mandatory ?? []).filter((name) => !known.includes(name));
    if (unknown.length > 0) problems.push(`customForms[${index}].mandatory: the simulator cannot make ${unknown.join(', ')} mandatory on a ${form.recordType} (it can: ${known.join(', ')})`);
  });
  return problems;
}

/**
 * Checks a shape (zod for its form, then the rules NetSuite's set-up pages enforce) and returns it;
 * throws {@link NetSuiteShapeError} naming every problem.
 */
export function parseShape(input: unknown): NetSuiteAccountShape {
  const parsed = shapeSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'shape'}: ${issue.message}`);
    throw new NetSuiteShapeError(`Invalid NetSuite account shape: ${problems.join('; ')}.`);
  }
  const problems = crossChecks(parsed.data);
  if (problems.length > 0) throw new NetSuiteShapeError(`Invalid NetSuite account shape: ${problems.join('; ')}.`);
  return parsed.data;
}
