/**
 * The settings of field mappings (`settings.netsuiteFields`), by NetSuite record type: static defaults
 * (`class`, `department`, `location`, `customForm`, any body or item line field), rules that set fields
 * by currency, subsidiary, customer or Invoiced metadata, and field-to-field mappings between Invoiced
 * fields (or `metadata` keys) and NetSuite standard or custom fields, with the conversion each needs.
 * Fields the sync itself writes (the external ID, the customer, the lines, the amounts) cannot be mapped:
 * the mapping would fight the sync. The schemas are here; applying them is `field-mappings.ts`.
 */
import { z } from 'zod';
import type { MappingEntity } from './errors';

/** The NetSuite record types the sync writes, as REST names them. */
export const MAPPED_RECORD_TYPES = ['customer', 'invoice', 'creditMemo', 'customerPayment', 'customerRefund'] as const;
/** See {@link MAPPED_RECORD_TYPES}. */
export type MappedRecordType = (typeof MAPPED_RECORD_TYPES)[number];

/** The kind of record (as a record error names it) of each NetSuite record type the sync writes. */
export const MAPPED_ENTITY: Readonly<Record<MappedRecordType, MappingEntity>> = {
  customer: 'customer',
  invoice: 'invoice',
  creditMemo: 'creditNote',
  customerPayment: 'payment',
  customerRefund: 'refund',
};

/** The record types whose NetSuite copy comes back to Invoiced with its mapped fields (Invoiced payments and refunds have no metadata). */
export const READ_BACK_RECORD_TYPES: ReadonlySet<MappedRecordType> = new Set(['customer', 'invoice', 'creditMemo']);

/** The record types with an `item` sublist (line defaults and line mappings). */
export const LINE_RECORD_TYPES: ReadonlySet<MappedRecordType> = new Set(['invoice', 'creditMemo']);

/**
 * Body fields the sync writes itself, by record type: a default, rule or mapping may not set them.
 * The subsidiary of a customer comes from `settings.subsidiary`; a transaction's from its customer.
 */
export const OWNED_FIELDS: Readonly<Record<MappedRecordType, ReadonlySet<string>>> = {
  customer: new Set(['externalId', 'isPerson', 'companyName', 'firstName', 'lastName', 'email', 'phone', 'currency', 'subsidiary', 'id']),
  invoice: new Set(['externalId', 'entity', 'tranId', 'tranDate', 'dueDate', 'currency', 'item', 'subsidiary', 'id']),
  creditMemo: new Set(['externalId', 'entity', 'tranId', 'tranDate', 'currency', 'item', 'apply', 'subsidiary', 'id']),
  customerPayment: new Set(['externalId', 'customer', 'payment', 'tranDate', 'currency', 'apply', 'credit', 'account', 'undepFunds', 'memo', 'subsidiary', 'id']),
  customerRefund: new Set(['externalId', 'customer', 'account', 'tranDate', 'currency', 'apply', 'memo', 'subsidiary', 'id']),
};

/** Item line fields the sync writes itself. */
export const OWNED_LINE_FIELDS: ReadonlySet<string> = new Set(['item', 'quantity', 'rate', 'amount', 'description', 'line']);

/**
 * Invoiced fields a mapping may name besides `metadata.<key>`, by the NetSuite record type it maps to.
 * Payments and refunds have no metadata on Invoiced (the API reference gives them none).
 */
export const INVOICED_FIELDS: Readonly<Record<MappedRecordType, ReadonlySet<string>>> = {
  customer: new Set(['number', 'notes', 'attention_to', 'address1', 'address2', 'city', 'state', 'postal_code', 'country', 'tax_id', 'payment_terms']),
  invoice: new Set(['name', 'purchase_order', 'notes', 'payment_terms', 'number']),
  creditMemo: new Set(['name', 'purchase_order', 'notes', 'number']),
  customerPayment: new Set(['method', 'reference', 'notes', 'source']),
  customerRefund: new Set(['reason', 'number']),
};

/** Invoiced line item fields a line mapping may name besides `metadata.<key>`. */
export const INVOICED_LINE_FIELDS: ReadonlySet<string> = new Set(['name', 'catalog_item', 'type']);

/** Invoiced fields written back from NetSuite may not be these: the sync owns them on Invoiced. */
export const INVOICED_OWNED: ReadonlySet<string> = new Set(['number', 'metadata.netsuite_id', 'reference', 'method', 'source']);

const fieldName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, 'must be a NetSuite field name as REST spells it (class, otherRefNum, custbody_po_number...)');
const metadataKey = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be an Invoiced metadata key (letters, digits, - and _, at most 40)');

/** A value written to a NetSuite field as given: text, a number, a checkbox, a reference `{ id }` (class, department, a list), or `null` to leave it empty. */
export const netsuiteValueSchema = z.union([
  z.string().max(4000),
  z.number().finite(),
  z.boolean(),
  z.strictObject({ id: z.string().regex(/^-?\d{1,18}$/, 'must be an internal ID') }),
  z.null(),
]);
/** See {@link netsuiteValueSchema}. */
export type NetSuiteFieldValue = z.infer<typeof netsuiteValueSchema>;

const fieldValues = z.record(fieldName, netsuiteValueSchema);

/** When a rule applies: every condition given must hold (none given: always). */
export const ruleConditionSchema = z.strictObject({
  /** The record's currency, an ISO code (any case). */
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code').optional(),
  /** The NetSuite subsidiary (internal ID) of the record's customer: the one it is created in, or is in. */
  subsidiary: z.string().regex(/^\d{1,18}$/, 'must be a subsidiary internal ID').optional(),
  /** The Invoiced customer (ID) of the record. */
  customer: z.union([z.number().int().positive(), z.string().regex(/^\d{1,18}$/)]).transform(String).optional(),
  /** Invoiced metadata of the record (of the customer, for a customer): each key must hold this value. */
  metadata: z.record(metadataKey, z.string().max(255)).optional(),
});
/** See {@link ruleConditionSchema}. */
export type RuleCondition = z.output<typeof ruleConditionSchema>;

/** A rule: fields (and item line fields) set on the records its condition holds for. */
export const fieldRuleSchema = z.strictObject({
  when: ruleConditionSchema.prefault({}),
  set: fieldValues.default({}),
  lines: fieldValues.default({}),
});

/** How a value is converted between Invoiced and NetSuite. */
export const FIELD_TYPES = ['text', 'number', 'money', 'boolean', 'date', 'ref'] as const;

/** One field-to-field mapping. */
export const fieldMappingSchema = z.strictObject({
  /** The Invoiced side: a field (`purchase_order`, `notes`...) or `metadata.<key>`. */
  invoiced: z.string().min(1),
  /** The NetSuite side: a standard field as REST names it (`otherRefNum`, `salesRep`) or a custom one (`custbody_...`). */
  netsuite: fieldName,
  /**
   * `text` (as is), `number`, `money` (a decimal amount), `boolean` (a checkbox), `date` (a day; Invoiced
   * dates are converted in the account's time zone), `ref` (a reference or list value by internal ID).
   * @default 'text'
   */
  type: z.enum(FIELD_TYPES).default('text'),
  /** @default 'both' */
  direction: z.enum(['both', 'to_netsuite', 'to_invoiced']).default('both'),
  /** A mapping of item lines (`custcol_...` ← an Invoiced line item field or its metadata) rather than of the body. @default false */
  line: z.boolean().default(false),
});
/** See {@link fieldMappingSchema}. */
export type FieldMapping = z.output<typeof fieldMappingSchema>;

/** The mappings of one record type. */
export const recordMappingSchema = z.strictObject({
  /** Body fields set on every record written. */
  defaults: fieldValues.default({}),
  /** Fields set on every item line written (invoices and credit memos). */
  lineDefaults: fieldValues.default({}),
  /** Rules, in order: each that applies sets its fields, a later one over an earlier one and over the defaults. */
  rules: z.array(fieldRuleSchema).default([]),
  /** Field-to-field mappings, applied after the rules (a mapped value wins when it has one). */
  fields: z.array(fieldMappingSchema).default([]),
  /**
   * Fields the account requires that NetSuite's metadata does not tell: a custom form's mandatory fields,
   * or Accounting Preferences' "Make Classes Mandatory". The connection check reports each that the
   * defaults do not fill.
   */
  required: z.array(fieldName).default([]),
});
/** See {@link recordMappingSchema}. */
export type RecordMapping = z.output<typeof recordMappingSchema>;

function checkRecordMapping(type: MappedRecordType, mapping: RecordMapping, context: z.RefinementCtx): void {
  const owned = OWNED_FIELDS[type];
  const issue = (path: (string | number)[], message: string) => context.addIssue({ code: 'custom', path: [type, ...path], message });
  const checkBody = (values: Record<string, unknown>, path: (string | number)[]) => {
    for (const name of Object.keys(values)) if (owned.has(name)) issue([...path, name], `${name} is written by the sync itself and cannot be set by a mapping`);
  };
  const checkLines = (values: Record<string, unknown>, path: (string | number)[]) => {
    if (Object.keys(values).length > 0 && !LINE_RECORD_TYPES.has(type)) issue(path, `a ${type} has no item lines`);
    for (const name of Object.keys(values)) if (OWNED_LINE_FIELDS.has(name)) issue([...path, name], `${name} of an item line is written by the sync itself`);
  };
  checkBody(mapping.defaults, ['defaults']);
  checkLines(mapping.lineDefaults, ['lineDefaults']);
  mapping.rules.forEach((rule, index) => {
    checkBody(rule.set, ['rules', index, 'set']);
    checkLines(rule.lines, ['rules', index, 'lines']);
    if (rule.when.metadata !== undefined && (type === 'customerPayment' || type === 'customerRefund')) {
      issue(['rules', index, 'when', 'metadata'], `Invoiced ${type === 'customerPayment' ? 'payments' : 'refunds'} have no metadata`);
    }
  });
  mapping.fields.forEach((field, index) => {
    const path = ['fields', index];
    if (field.line ? OWNED_LINE_FIELDS.has(field.netsuite) : owned.has(field.netsuite)) issue([...path, 'netsuite'], `${field.netsuite} is written by the sync itself and cannot be mapped`);
    if (field.line && !LINE_RECORD_TYPES.has(type)) issue([...path, 'line'], `a ${type} has no item lines`);
    if (field.line && field.direction !== 'to_netsuite') issue([...path, 'direction'], 'item line mappings go to NetSuite only (direction: to_netsuite): lines read from NetSuite are matched by position, not by a key a value could follow');
    const hasMetadata = field.line || (type !== 'customerPayment' && type !== 'customerRefund');
    const metadata = hasMetadata && /^metadata\.[A-Za-z0-9_-]{1,40}$/.test(field.invoiced);
    const allowed = field.line ? INVOICED_LINE_FIELDS : INVOICED_FIELDS[type];
    if (!metadata && !allowed.has(field.invoiced)) issue([...path, 'invoiced'], `must be ${hasMetadata ? 'metadata.<key> or ' : ''}one of ${[...allowed].join(', ')}`);
    if (field.direction !== 'to_netsuite') {
      if (!READ_BACK_RECORD_TYPES.has(type)) issue([...path, 'direction'], `a ${type} is not written back to Invoiced with mapped fields: use direction to_netsuite`);
      else if (INVOICED_OWNED.has(field.invoiced)) issue([...path, 'invoiced'], `${field.invoiced} is written by the sync itself on Invoiced: use direction to_netsuite`);
    }
  });
}

/** `settings.netsuiteFields`: the mappings of each record type the sync writes. */
export const netsuiteFieldsSchema = z
  .strictObject({
    customer: recordMappingSchema.optional(),
    invoice: recordMappingSchema.optional(),
    creditMemo: recordMappingSchema.optional(),
    customerPayment: recordMappingSchema.optional(),
    customerRefund: recordMappingSchema.optional(),
  })
  .superRefine((mappings, context) => {
    for (const type of MAPPED_RECORD_TYPES) {
      const mapping = mappings[type];
      if (mapping !== undefined) checkRecordMapping(type, mapping, context);
    }
  });
/** See {@link netsuiteFieldsSchema}. */
export type NetSuiteFieldsSettings = z.output<typeof netsuiteFieldsSchema>;

/** A subsidiary rule: customers created in NetSuite whose condition holds go to this subsidiary. */
export const subsidiaryRuleSchema = z.strictObject({
  when: ruleConditionSchema.omit({ subsidiary: true }).prefault({}),
  subsidiary: z.string().regex(/^\d{1,18}$/, 'must be a subsidiary internal ID'),
});
/** See {@link subsidiaryRuleSchema}. */
export type SubsidiaryRule = z.output<typeof subsidiaryRuleSchema>;

/** `settings.subsidiary`: one subsidiary for every customer created in NetSuite, or rules, the first that holds winning. */
export const subsidiarySettingSchema = z.union([z.string().min(1), z.array(subsidiaryRuleSchema).min(1)]);
