/**
 * The field mappings of one record type held against its NetSuite metadata catalog, without a request:
 * each field a default, rule or mapping names exists (body, or item line), is writable, and takes the
 * value or conversion given; each field the account requires (a custom field with the Mandatory box, or
 * one the settings' `required` list declares) is filled by a default or a rule without conditions. What
 * the catalog cannot tell (a property of kind `other`, item lines it does not describe) is not concluded.
 * `check-settings-fields.ts` makes the reads and the reference lookups.
 */
import type { FieldMapping, MappedRecordType, RecordMapping } from '../mapping/field-mapping-schemas';
import type { CatalogField, CatalogFieldKind, RecordCatalog } from '../netsuite/metadata';
import type { ProblemFacts } from './check-types';

/** What the sync does with a record type: writes it to NetSuite, reads its mapped fields back to Invoiced. */
export interface RecordTypeUse {
  readonly writes: boolean;
  readonly reads: boolean;
}

/** A static value of the settings: a default or a rule's field, body or item line. */
export interface StaticValue {
  /** Its setting path: `settings.netsuiteFields.invoice.rules[0].lines.class`. */
  readonly setting: string;
  readonly name: string;
  readonly value: unknown;
  readonly line: boolean;
}

const RECORD_NAMES: Readonly<Record<MappedRecordType, string>> = {
  customer: 'customer',
  invoice: 'invoice',
  creditMemo: 'credit memo',
  customerPayment: 'customer payment',
  customerRefund: 'customer refund',
};

const KIND_TEXT: Readonly<Record<CatalogFieldKind, string>> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'a checkbox (true or false)',
  date: 'a day ("YYYY-MM-DD")',
  datetime: 'a date and time (text)',
  reference: "a reference to a record ({ id: '<internal ID>' })",
  select: "a list value ({ id: '<internal ID>' })",
  sublist: 'a sublist, which no single value sets',
  other: 'a subrecord',
};

/** Where NetSuite's administrator finds a field's definition. */
function definedAt(name: string): string {
  const lower = name.toLowerCase();
  if (lower.startsWith('custbody')) return 'Customization > Lists, Records, & Fields > Transaction Body Fields';
  if (lower.startsWith('custcol')) return 'Customization > Lists, Records, & Fields > Transaction Line Fields';
  if (lower.startsWith('custentity')) return 'Customization > Lists, Records, & Fields > Entity Fields';
  return 'the record type in the REST API Browser';
}

/** The path of a record type's mappings in the settings. */
export const mappingPath = (type: MappedRecordType) => `settings.netsuiteFields.${type}`;

/** Every static value of a record type's mappings, defaults first, then the rules in order. */
export function staticValues(type: MappedRecordType, mapping: RecordMapping): StaticValue[] {
  const base = mappingPath(type);
  const entries = (values: Record<string, unknown>, setting: string, line: boolean) => Object.entries(values).map(([name, value]) => ({ setting: `${setting}.${name}`, name, value, line }));
  return [
    ...entries(mapping.defaults, `${base}.defaults`, false),
    ...entries(mapping.lineDefaults, `${base}.lineDefaults`, true),
    ...mapping.rules.flatMap((rule, index) => [...entries(rule.set, `${base}.rules[${index}].set`, false), ...entries(rule.lines, `${base}.rules[${index}].lines`, true)]),
  ];
}

/** Whether a value fits a field of this kind (`null` clears any field; of `other` nothing is concluded). */
function valueFits(kind: CatalogFieldKind, value: unknown): boolean {
  if (value === null || kind === 'other') return true;
  switch (kind) {
    case 'reference':
    case 'select':
      return typeof value === 'object' && 'id' in value;
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
    case 'string':
    case 'datetime':
      return typeof value === 'string';
    case 'sublist':
      return false;
  }
}

/** The catalog kinds each mapping type converts to. */
const MAPPING_KINDS: Readonly<Record<FieldMapping['type'], readonly CatalogFieldKind[]>> = {
  text: ['string'],
  number: ['number', 'integer'],
  money: ['number', 'integer'],
  boolean: ['boolean'],
  date: ['date'],
  ref: ['reference', 'select'],
};

const shown = (value: unknown) => (typeof value === 'object' && value !== null && 'id' in value ? `{ id: '${String(value.id)}' }` : JSON.stringify(value));

const isUnconditional = (when: Record<string, unknown>) => Object.values(when).every((condition) => condition === undefined || (typeof condition === 'object' && condition !== null && Object.keys(condition).length === 0));

/** The problems of one record type's mappings against its catalog. */
export function fieldMappingProblems(type: MappedRecordType, mapping: RecordMapping, catalog: RecordCatalog, mandatory: ReadonlySet<string>, use: RecordTypeUse): ProblemFacts[] {
  const problems: ProblemFacts[] = [];
  const record = RECORD_NAMES[type];
  const base = mappingPath(type);
  const lookup = (name: string, line: boolean): CatalogField | undefined | null => {
    const map = line ? catalog.lineFields : catalog.fields;
    return map === undefined ? null : map.get(name.toLowerCase());
  };
  const where = (line: boolean) => (line ? `the item lines of NetSuite's ${record}` : `NetSuite's ${record}`);
  const notFound = (setting: string, name: string, line: boolean, what: string) =>
    problems.push({
      code: 'MAPPED_FIELD_NOT_FOUND',
      message: `${setting} ${what} ${name}, but ${where(line)} has no such field in this account's metadata catalog: every ${record} written would be refused (NONEXISTENT_FIELD).`,
      resolution: `Correct the field name (the REST API Browser, or ${definedAt(name)}, gives its ID), check that the custom field applies to ${record}s and that the role sees it, or remove it from ${setting.replace(/\.[^.[\]]+$/, '')}.`,
    });
  const readOnly = (setting: string, field: CatalogField, line: boolean) =>
    problems.push({
      code: 'MAPPED_FIELD_READ_ONLY',
      message: `${setting} sets ${field.name}, which ${where(line)} marks read-only: NetSuite computes it, and a write cannot set it.`,
      resolution: `Remove it from ${setting.replace(/\.[^.[\]]+$/, '')}, or map a field that can be written (the REST API Browser marks read-only ones).`,
    });

  if (use.writes) {
    for (const entry of staticValues(type, mapping)) {
      const field = lookup(entry.name, entry.line);
      if (field === null) continue;
      if (field === undefined) {
        notFound(entry.setting, entry.name, entry.line, 'sets');
        continue;
      }
      if (field.readOnly) readOnly(entry.setting, field, entry.line);
      else if (!valueFits(field.kind, entry.value)) {
        problems.push({
          code: 'MAPPED_VALUE_WRONG_TYPE',
          message: `${entry.setting} is ${shown(entry.value)}, but ${field.name} of ${where(entry.line)} takes ${KIND_TEXT[field.kind]}.`,
          resolution: `Write ${entry.setting} as ${KIND_TEXT[field.kind]}${field.kind === 'reference' || field.kind === 'select' ? ' (the internal ID is in the ID column of its list, or the id= of its URL)' : ''}.`,
        });
      } else if (field.kind === 'select' && field.enum !== undefined && typeof entry.value === 'object' && entry.value !== null && 'id' in entry.value && !field.enum.includes(String(entry.value.id))) {
        problems.push({
          code: 'MAPPED_REFERENCE_NOT_FOUND',
          message: `${entry.setting} is ${shown(entry.value)}, which is not one of the values ${field.name} of ${where(entry.line)} allows (${field.enum.slice(0, 10).join(', ')}${field.enum.length > 10 ? '...' : ''}).`,
          resolution: `Set ${entry.setting} to the internal ID of one of its values (the REST API Browser lists them).`,
        });
      }
    }
  }

  mapping.fields.forEach((mapped, index) => {
    const setting = `${base}.fields[${index}]`;
    const written = use.writes && mapped.direction !== 'to_invoiced';
    const read = use.reads && !mapped.line && mapped.direction !== 'to_netsuite';
    if (!written && !read) return;
    const field = lookup(mapped.netsuite, mapped.line);
    if (field === null) return;
    if (field === undefined) return notFound(setting, mapped.netsuite, mapped.line, `maps ${mapped.invoiced} to`);
    if (written && field.readOnly) readOnly(setting, field, mapped.line);
    if (field.kind !== 'other' && !MAPPING_KINDS[mapped.type].includes(field.kind)) {
      const fitting = (Object.keys(MAPPING_KINDS) as FieldMapping['type'][]).find((candidate) => MAPPING_KINDS[candidate].includes(field.kind));
      problems.push({
        code: 'MAPPED_VALUE_WRONG_TYPE',
        message: `${setting} maps ${mapped.invoiced} to ${field.name} as type ${mapped.type}, but ${field.name} of ${where(mapped.line)} is ${KIND_TEXT[field.kind]}.`,
        resolution: fitting === undefined ? `Map ${mapped.invoiced} to another field: no mapping type converts to ${KIND_TEXT[field.kind]}.` : `Set ${setting}.type to '${fitting}', or map ${mapped.invoiced} to a field of type ${mapped.type}.`,
      });
    }
  });

  if (use.writes) problems.push(...requiredProblems(type, mapping, catalog, mandatory, notFound));
  return problems;
}

/** One field the account requires, and where the requirement comes from. */
interface Requirement {
  readonly name: string;
  readonly line: boolean;
  readonly title: string | undefined;
  /** `undefined`: a mandatory custom field; else the path of its `required` entry. */
  readonly declared: string | undefined;
}

function requirements(type: MappedRecordType, mapping: RecordMapping, catalog: RecordCatalog, mandatory: ReadonlySet<string>, notFound: (setting: string, name: string, line: boolean, what: string) => void): Requirement[] {
  const found: Requirement[] = [];
  const seen = new Set<string>();
  const add = (requirement: Requirement) => {
    const key = `${requirement.line ? 'line:' : ''}${requirement.name.toLowerCase()}`;
    if (!seen.has(key)) found.push(requirement);
    seen.add(key);
  };
  for (const [line, fields] of [[false, catalog.fields], [true, catalog.lineFields]] as const) {
    for (const [key, field] of fields ?? []) if (field.custom && mandatory.has(key)) add({ name: field.name, line, title: field.title, declared: undefined });
  }
  mapping.required.forEach((name, index) => {
    const setting = `${mappingPath(type)}.required[${index}]`;
    const body = catalog.fields.get(name.toLowerCase());
    const line = body === undefined ? catalog.lineFields?.get(name.toLowerCase()) : undefined;
    if (body === undefined && line === undefined) notFound(setting, name, false, 'declares required');
    else add({ name: (body ?? line)?.name ?? name, line: body === undefined, title: (body ?? line)?.title, declared: setting });
  });
  return found;
}

function requiredProblems(type: MappedRecordType, mapping: RecordMapping, catalog: RecordCatalog, mandatory: ReadonlySet<string>, notFound: (setting: string, name: string, line: boolean, what: string) => void): ProblemFacts[] {
  const record = RECORD_NAMES[type];
  const base = mappingPath(type);
  const problems: ProblemFacts[] = [];
  for (const requirement of requirements(type, mapping, catalog, mandatory, notFound)) {
    const key = requirement.name.toLowerCase();
    const valueIn = (values: Record<string, unknown>) => Object.entries(values).find(([name]) => name.toLowerCase() === key)?.[1];
    let always = valueIn(requirement.line ? mapping.lineDefaults : mapping.defaults);
    const partly: string[] = [];
    mapping.rules.forEach((rule, index) => {
      const value = valueIn(requirement.line ? rule.lines : rule.set);
      if (value === undefined) return;
      if (isUnconditional(rule.when)) always = value;
      else if (value !== null) partly.push(`${base}.rules[${index}]`);
    });
    if (always !== undefined && always !== null) continue;
    mapping.fields.forEach((mapped, index) => {
      if (mapped.line === requirement.line && mapped.direction !== 'to_invoiced' && mapped.netsuite.toLowerCase() === key) partly.push(`${base}.fields[${index}] (${mapped.invoiced})`);
    });
    const label = `${requirement.name}${requirement.title === undefined ? '' : ` (${requirement.title})`}${requirement.line ? ' of item lines' : ''}`;
    const why = requirement.declared === undefined ? `is a mandatory custom field of NetSuite's ${record}` : `is required by ${requirement.declared}`;
    const target = `${base}.${requirement.line ? 'lineDefaults' : 'defaults'}.${requirement.name}`;
    const consequence =
      partly.length === 0
        ? `neither the defaults nor a rule without conditions fills it: every ${record} written would be refused`
        : `only ${partly.join(' and ')} fill${partly.length === 1 ? 's' : ''} it: ${record}s without that value, or outside that rule, would be refused`;
    const otherwise =
      requirement.declared === undefined
        ? `, or clear the field's Mandatory box in NetSuite (${definedAt(requirement.name)})`
        : `, or remove it from ${requirement.declared} if the account does not require it (Setup > Accounting > Accounting Preferences, Make Classes/Departments/Locations Mandatory; or the custom form's Mandatory boxes)`;
    problems.push({
      code: 'REQUIRED_FIELD_NOT_FILLED',
      message: `${target}: ${label} ${why}, but ${consequence}.`,
      resolution: `Add a default: set ${target} (a rule without \`when\` works too; a mapping may still override it when it has a value)${otherwise}.`,
    });
  }
  return problems;
}
