/**
 * Field mappings applied: the fields a record written to NetSuite gets from `settings.netsuiteFields`
 * (defaults, then each rule that holds, in order, then field-to-field mappings), and the Invoiced fields
 * and metadata an imported record gets from its NetSuite copy. Pure: the engine gives what a rule needs
 * (the currency, the customer's subsidiary...) and runs the user's `transform` hook afterwards.
 *
 * A mapped field whose Invoiced value is empty, and that no default or rule sets, is written as `null`, so
 * that clearing it on Invoiced clears it in NetSuite (no stale value is left behind).
 */
import { unixSecondsToDate } from './dates';
import { MappingError } from './errors';
import type { FieldMapping, MappedRecordType, NetSuiteFieldValue, NetSuiteFieldsSettings, RecordMapping, RuleCondition, SubsidiaryRule } from './field-mapping-schemas';
import { READ_BACK_RECORD_TYPES } from './field-mapping-schemas';

/** What the rules of a record are tested against. */
export interface FieldRuleContext {
  /** The record's currency (ISO code, any case). */
  readonly currency?: string | undefined;
  /** The NetSuite subsidiary (internal ID) of the record's customer, when known. */
  readonly subsidiary?: string | undefined;
  /** The Invoiced customer ID of the record. */
  readonly customer?: string | number | undefined;
  /** The Invoiced metadata of the record (of the customer, for a customer). */
  readonly metadata?: Readonly<Record<string, unknown>> | null | undefined;
}

/** Options of {@link applyNetSuiteFields}. */
export interface ApplyNetSuiteFieldsOptions extends FieldRuleContext {
  /** IANA time zone in which Invoiced dates are days. @default 'UTC' */
  readonly timeZone?: string | undefined;
  /** What the record is, for errors: `Invoice INV-0012`. */
  readonly label: string;
}

type Source = Readonly<Record<string, unknown>>;
type Body = Record<string, unknown>;

/** Whether a rule's condition holds. */
export function ruleHolds(when: Omit<RuleCondition, 'subsidiary'> & { subsidiary?: string | undefined }, context: FieldRuleContext): boolean {
  if (when.currency !== undefined && when.currency.toUpperCase() !== (context.currency ?? '').toUpperCase()) return false;
  if (when.subsidiary !== undefined && when.subsidiary !== context.subsidiary) return false;
  if (when.customer !== undefined && when.customer !== (context.customer === undefined ? undefined : String(context.customer))) return false;
  for (const [key, value] of Object.entries(when.metadata ?? {})) {
    const actual = context.metadata?.[key];
    const shown = typeof actual === 'string' ? actual : typeof actual === 'number' || typeof actual === 'boolean' ? String(actual) : undefined;
    if (shown !== value) return false;
  }
  return true;
}

/** Whether any rule of the mappings tests the customer's subsidiary (the engine reads it only then). */
export function rulesNeedSubsidiary(mapping: RecordMapping | undefined): boolean {
  return mapping?.rules.some((rule) => rule.when.subsidiary !== undefined) ?? false;
}

/** The value at `path` (`purchase_order`, `metadata.po`) of an Invoiced record. */
export function invoicedValue(source: Source, path: string): unknown {
  if (path.startsWith('metadata.')) {
    const metadata = source.metadata;
    return typeof metadata === 'object' && metadata !== null ? (metadata as Source)[path.slice('metadata.'.length)] : undefined;
  }
  return source[path];
}

const isEmpty = (value: unknown): boolean => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function invalid(label: string, field: FieldMapping, value: unknown, expected: string): MappingError {
  const shown = typeof value === 'string' ? `"${value.slice(0, 60)}"` : JSON.stringify(value)?.slice(0, 60) ?? String(value);
  return new MappingError(
    'FIELD_VALUE_INVALID',
    `${label}: ${field.invoiced} is ${shown}, which cannot be written to NetSuite field ${field.netsuite} (${expected}).`,
    `Correct ${field.invoiced} on Invoiced, or the mapping's type in settings.netsuiteFields, then retry the record.`,
    undefined,
    { details: { invoiced: field.invoiced, netsuite: field.netsuite, type: field.type } },
  );
}

/** An Invoiced value as the NetSuite value of a mapping's type. */
export function toNetSuiteValue(field: FieldMapping, value: unknown, label: string, timeZone = 'UTC'): NetSuiteFieldValue {
  if (isEmpty(value)) return null;
  switch (field.type) {
    case 'text':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw invalid(label, field, value, 'text');
    case 'number':
    case 'money': {
      const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isFinite(number)) throw invalid(label, field, value, field.type === 'money' ? 'an amount' : 'a number');
      return number;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      const word = String(value).trim().toLowerCase();
      if (['true', 't', 'yes', '1'].includes(word)) return true;
      if (['false', 'f', 'no', '0'].includes(word)) return false;
      throw invalid(label, field, value, 'true or false');
    }
    case 'date':
      if (typeof value === 'number') return unixSecondsToDate(value, timeZone);
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return value.trim();
      throw invalid(label, field, value, 'a day, YYYY-MM-DD');
    case 'ref': {
      const id = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
      if (!/^-?\d{1,18}$/.test(id)) throw invalid(label, field, value, 'an internal ID');
      return { id };
    }
  }
}

function fieldsOfRules(mapping: RecordMapping, context: FieldRuleContext): { body: Body; lines: Body } {
  const body: Body = { ...mapping.defaults };
  const lines: Body = { ...mapping.lineDefaults };
  for (const rule of mapping.rules) {
    if (!ruleHolds(rule.when, context)) continue;
    Object.assign(body, rule.set);
    Object.assign(lines, rule.lines);
  }
  return { body, lines };
}

/**
 * A NetSuite body with the mapped fields of its record type: the defaults, each rule that holds (in
 * order), then the field-to-field mappings from `source` (the Invoiced record). Item lines (`item.items`)
 * get the line defaults and rules' line fields; the first lines (one per Invoiced line item, in order) get
 * the line mappings from `source.items`. Without mappings for the type, the body is returned as it is.
 * @throws {MappingError} `FIELD_VALUE_INVALID` when a mapped value cannot be converted.
 * @example
 * const mapping = { defaults: { class: { id: '3' } }, lineDefaults: {}, rules: [], fields: [{ invoiced: 'metadata.po', netsuite: 'otherRefNum', type: 'text' as const, direction: 'both' as const, line: false }], required: [] };
 * applyNetSuiteFields('invoice', { externalId: 'invd-inv-1' }, mapping, { metadata: { po: 'PO-77' } }, { label: 'Invoice INV-1', currency: 'usd' });
 * // { externalId: 'invd-inv-1', class: { id: '3' }, otherRefNum: 'PO-77' }
 */
export function applyNetSuiteFields<T extends object>(type: MappedRecordType, body: T, mapping: RecordMapping | undefined, source: Source, options: ApplyNetSuiteFieldsOptions): T {
  if (mapping === undefined) return body;
  const fields = fieldsOfRules(mapping, options);
  const result: Body = { ...(body as Body) };
  const label = options.label;
  for (const field of mapping.fields) {
    if (field.line || field.direction === 'to_invoiced') continue;
    const value = toNetSuiteValue(field, invoicedValue(source, field.invoiced), label, options.timeZone);
    if (value !== null || !(field.netsuite in fields.body)) fields.body[field.netsuite] = value;
  }
  Object.assign(result, fields.body);
  const lineMappings = mapping.fields.filter((field) => field.line && field.direction !== 'to_invoiced');
  const sublist = result.item as { items?: Body[] } | undefined;
  if (type !== 'customer' && sublist?.items !== undefined && (Object.keys(fields.lines).length > 0 || lineMappings.length > 0)) {
    const sourceLines = Array.isArray(source.items) ? (source.items as Source[]) : [];
    const items = sublist.items.map((line, index) => {
      const mapped: Body = { ...line, ...fields.lines };
      const sourceLine = sourceLines[index];
      for (const field of lineMappings) {
        const value = sourceLine === undefined ? null : toNetSuiteValue(field, invoicedValue(sourceLine, field.invoiced), `${label}, line ${index + 1}`, options.timeZone);
        if (value !== null || !(field.netsuite in fields.lines)) mapped[field.netsuite] = value;
      }
      return mapped;
    });
    result.item = { ...sublist, items };
  }
  return result as T;
}

/** The subsidiary a customer created in NetSuite goes to: the setting, or the first rule that holds; `undefined` without a setting. */
export function subsidiaryFor(setting: string | readonly SubsidiaryRule[] | undefined, context: FieldRuleContext, label: string): string | undefined {
  if (setting === undefined || typeof setting === 'string') return setting;
  const rule = setting.find((candidate) => ruleHolds(candidate.when, context));
  if (rule !== undefined) return rule.subsidiary;
  throw new MappingError(
    'SUBSIDIARY_RULE_NOT_MATCHED',
    `${label}: no subsidiary rule holds for it (currency ${(context.currency ?? '?').toUpperCase()}), so the subsidiary to create it in is unknown.`,
    'Add a rule for it to settings.subsidiary (a last rule without `when` catches every other customer), then retry the record.',
    undefined,
    { entity: 'customer' },
  );
}

/** A column of a NetSuite record read back to Invoiced: its SuiteQL name, and whether it is a day. */
export interface MappedColumn {
  readonly column: string;
  readonly date: boolean;
}

/** The mappings of a type that come back to Invoiced. */
export function readBackMappings(settings: NetSuiteFieldsSettings, type: MappedRecordType): FieldMapping[] {
  if (!READ_BACK_RECORD_TYPES.has(type)) return [];
  return (settings[type]?.fields ?? []).filter((field) => !field.line && field.direction !== 'to_netsuite');
}

/** The SuiteQL columns (lower-case REST names, de-duplicated) the read-back mappings of a type need. */
export function mappedColumns(settings: NetSuiteFieldsSettings, type: MappedRecordType): MappedColumn[] {
  const columns = new Map<string, MappedColumn>();
  for (const field of readBackMappings(settings, type)) {
    const column = field.netsuite.toLowerCase();
    columns.set(column, { column, date: field.type === 'date' || columns.get(column)?.date === true });
  }
  return [...columns.values()];
}

/** What an imported record gets on Invoiced from its NetSuite copy: fields, and metadata keys (`null`: removed). */
export interface InvoicedMappedFields {
  readonly fields: Record<string, string | null>;
  readonly metadata: Record<string, string | null>;
}

/** A SuiteQL value as the Invoiced value of a mapping's type (Invoiced metadata and these fields hold text). */
function toInvoicedValue(field: FieldMapping, raw: unknown, label: string): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const text = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'bigint' ? String(raw) : typeof raw === 'boolean' ? String(raw) : undefined;
  if (text === undefined) return null;
  if (field.type === 'boolean') {
    const upper = text.toUpperCase();
    return upper === 'T' || upper === 'TRUE' ? 'true' : upper === 'F' || upper === 'FALSE' ? 'false' : text;
  }
  if (field.invoiced.startsWith('metadata.') && text.length > 255) {
    throw new MappingError(
      'FIELD_VALUE_INVALID',
      `${label}: NetSuite field ${field.netsuite} holds ${text.length} characters; Invoiced metadata values hold at most 255.`,
      `Shorten ${field.netsuite} in NetSuite, or map it to an Invoiced field instead of ${field.invoiced}, then retry the record.`,
      undefined,
      { details: { invoiced: field.invoiced, netsuite: field.netsuite } },
    );
  }
  return text;
}

/**
 * The Invoiced fields and metadata an imported record gets from its SuiteQL row (read with
 * {@link mappedColumns}). Empty NetSuite values are `null`: the field is cleared, the metadata key removed.
 * @throws {MappingError} `FIELD_VALUE_INVALID` for a value Invoiced cannot hold.
 */
export function invoicedFieldsFromNetSuite(settings: NetSuiteFieldsSettings, type: MappedRecordType, row: Source, label: string): InvoicedMappedFields {
  const fields: Record<string, string | null> = {};
  const metadata: Record<string, string | null> = {};
  for (const field of readBackMappings(settings, type)) {
    const value = toInvoicedValue(field, row[field.netsuite.toLowerCase()] ?? row[field.netsuite], label);
    if (field.invoiced.startsWith('metadata.')) metadata[field.invoiced.slice('metadata.'.length)] = value;
    else fields[field.invoiced] = value;
  }
  return { fields, metadata };
}

/** Invoiced metadata with the mapped keys set (or removed), keeping every other key and `netsuite_id`. */
export function mergeMetadata(existing: Readonly<Record<string, unknown>> | null | undefined, mapped: Readonly<Record<string, string | null>>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries(existing ?? {})) {
    if (typeof value === 'string') merged[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') merged[key] = String(value);
  }
  for (const [key, value] of Object.entries(mapped)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
