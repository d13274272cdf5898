/**
 * The connection check's proof of `settings.netsuiteFields`: for each record type the enabled phases
 * write (or read mapped fields back from), its metadata catalog is read once and the mappings are held
 * against it (`check-settings-fields-analysis.ts`); the account's mandatory custom fields come from
 * SuiteQL's `customfield` (one query), and the classes, departments, locations and sales reps named by
 * static values from one SuiteQL query per table. A read the role is refused (or a NetSuite without the
 * catalog) leaves what it would have proved unproved, never refuted.
 */
import { valueText } from '../engine/netsuite-queries';
import type { SyncSettings } from '../engine/settings';
import { MAPPED_RECORD_TYPES, READ_BACK_RECORD_TYPES, type MappedRecordType, type RecordMapping } from '../mapping/field-mapping-schemas';
import type { NetSuiteClient } from '../netsuite/client';
import { NetSuiteNotFoundError, type NetSuiteApiError } from '../netsuite/errors';
import type { RecordCatalog } from '../netsuite/metadata';
import { sql } from '../netsuite/sql';
import { describeGenericError } from './check-errors';
import { fieldMappingProblems, staticValues, type RecordTypeUse } from './check-settings-fields-analysis';
import { MANAGE_ROLES, permissionProblem, refusedRead } from './check-probes';
import type { ProblemFacts, ProofOutcome } from './check-types';

type Signal = AbortSignal | undefined;

/** What the field mappings proof found; `unproved` when a read failed and nothing it did read refutes the settings. */
export interface FieldMappingsOutcome extends ProofOutcome {
  readonly unproved: boolean;
}

/** The record types each phase writes, and those whose mapped fields each read phase brings back. */
export function recordTypeUses(settings: SyncSettings): Record<MappedRecordType, RecordTypeUse> {
  const { phases } = settings;
  const readsCustomers = phases.readNetSuiteInvoices || phases.readNetSuiteCreditMemos;
  return {
    customer: { writes: phases.writeInvoicedInvoices || phases.writeInvoicedCreditNotes, reads: readsCustomers },
    invoice: { writes: phases.writeInvoicedInvoices, reads: phases.readNetSuiteInvoices },
    creditMemo: { writes: phases.writeInvoicedCreditNotes, reads: phases.readNetSuiteCreditMemos },
    customerPayment: { writes: phases.writeInvoicedPayments, reads: false },
    customerRefund: { writes: phases.writeInvoicedRefunds, reads: false },
  };
}

/** The static-value fields whose values are records of a SuiteQL table, with where NetSuite lists them. */
const REFERENCE_TABLES: ReadonlyMap<string, { table: 'classification' | 'department' | 'location' | 'employee'; noun: string; where: string; permission: string }> = new Map([
  ['class', { table: 'classification', noun: 'class', where: 'Setup > Company > Classifications > Classes', permission: 'Lists > Classes (level View)' }],
  ['department', { table: 'department', noun: 'department', where: 'Setup > Company > Classifications > Departments', permission: 'Lists > Departments (level View)' }],
  ['location', { table: 'location', noun: 'location', where: 'Setup > Company > Classifications > Locations', permission: 'Lists > Locations (level View)' }],
  ['salesrep', { table: 'employee', noun: 'employee', where: 'Lists > Employees > Employees', permission: 'Lists > Employee Record (level View)' }],
] as const);

const hasMappings = (mapping: RecordMapping | undefined) =>
  mapping !== undefined && (Object.keys(mapping.defaults).length > 0 || Object.keys(mapping.lineDefaults).length > 0 || mapping.rules.length > 0 || mapping.fields.length > 0 || mapping.required.length > 0);

/** Custom field script ID prefixes that can apply to a record type. */
const prefixesOf = (type: MappedRecordType) => (type === 'customer' ? ['custentity'] : type === 'invoice' || type === 'creditMemo' ? ['custbody', 'custcol'] : ['custbody']);

const EMPTY: ReadonlySet<string> = new Set();

/** A failed read described: a refusal or a missing endpoint as what to grant, anything else as it is. */
function unreadable(error: unknown, signal: Signal, refused: (error: NetSuiteApiError) => ProblemFacts): ProblemFacts {
  if (signal?.aborted === true) throw signal.reason;
  return refusedRead(error) || error instanceof NetSuiteNotFoundError ? refused(error) : describeGenericError(error);
}

/** The classes, departments, locations and sales reps static values name that do not exist or are inactive. */
async function referenceProblems(netsuite: NetSuiteClient, settings: SyncSettings, types: readonly MappedRecordType[], signal: Signal, failures: ProblemFacts[]): Promise<ProblemFacts[]> {
  const uses = types.flatMap((type) => {
    const mapping = settings.netsuiteFields[type];
    return (mapping === undefined ? [] : staticValues(type, mapping)).flatMap((entry) => {
      const target = REFERENCE_TABLES.get(entry.name.toLowerCase());
      const id = typeof entry.value === 'object' && entry.value !== null && 'id' in entry.value ? String(entry.value.id) : undefined;
      return target === undefined || id === undefined || !/^\d{1,18}$/.test(id) ? [] : [{ ...entry, target, id }];
    });
  });
  const problems: ProblemFacts[] = [];
  for (const table of new Set(uses.map((use) => use.target.table))) {
    const wanted = uses.filter((use) => use.target.table === table);
    const ids = [...new Set(wanted.map((use) => use.id))];
    const rows = new Map<string, Record<string, unknown>>();
    try {
      const query = table === 'employee' ? sql`SELECT id, entityid, isinactive FROM employee WHERE id IN ${ids}` : sql`SELECT id, name, isinactive FROM ${sql.identifier(table)} WHERE id IN ${ids}`;
      for await (const row of netsuite.suiteqlAll(query, signal === undefined ? {} : { signal })) rows.set(valueText(row.id), row);
    } catch (error) {
      const target = wanted[0]?.target;
      failures.push(unreadable(error, signal, (refusal) => permissionProblem(refusal, `read ${table} with SuiteQL`, target?.permission ?? 'the list')));
      continue;
    }
    for (const use of wanted) {
      const row = rows.get(use.id);
      const { noun, where } = use.target;
      if (row === undefined) {
        problems.push({
          code: 'MAPPED_REFERENCE_NOT_FOUND',
          message: `${use.setting} is { id: '${use.id}' }, but NetSuite has no ${noun} with that internal ID.`,
          resolution: `Set ${use.setting} to the internal ID of an existing ${noun} (${where}; the ID column, or the id= of its URL).`,
        });
      } else if (valueText(row.isinactive) === 'T') {
        problems.push({
          code: 'MAPPED_REFERENCE_INACTIVE',
          message: `${use.setting} is ${noun} ${use.id} (${valueText(row.name ?? row.entityid)}), which is inactive: NetSuite refuses it on the records written.`,
          resolution: `Make the ${noun} active again (${where}: clear its Inactive box), or set ${use.setting} to an active one.`,
        });
      }
    }
  }
  return problems;
}

/** Proves the field mappings against the account: catalogs, mandatory custom fields, referenced records. */
export async function proveFieldMappings(netsuite: NetSuiteClient, settings: SyncSettings, signal: Signal): Promise<FieldMappingsOutcome> {
  const uses = recordTypeUses(settings);
  const written = MAPPED_RECORD_TYPES.filter((type) => uses[type].writes);
  const readBack = (type: MappedRecordType) => uses[type].reads && READ_BACK_RECORD_TYPES.has(type) && (settings.netsuiteFields[type]?.fields ?? []).some((field) => !field.line && field.direction !== 'to_netsuite');
  const failures: ProblemFacts[] = [];
  let mandatory: ReadonlySet<string> = EMPTY;
  if (written.length > 0) {
    try {
      mandatory = await netsuite.metadata.mandatoryCustomFields(signal === undefined ? {} : { signal });
    } catch (error) {
      failures.push(
        unreadable(error, signal, (refusal) => ({
          code: 'CUSTOM_FIELDS_UNREADABLE',
          message: `NetSuite did not let the role read custom field definitions (customfield) with SuiteQL: ${refusal.message} Mandatory custom fields are not proved.`,
          resolution: `${MANAGE_ROLES} the permissions to view custom fields (Setup subtab: Custom Body Fields, Custom Column Fields, Custom Entity Fields; level View). Save the role and run the check again.`,
        })),
      );
    }
  }
  const mandatoryFor = (type: MappedRecordType) => [...mandatory].some((id) => prefixesOf(type).some((prefix) => id.startsWith(prefix)));
  const checked = MAPPED_RECORD_TYPES.filter((type) => (uses[type].writes && (hasMappings(settings.netsuiteFields[type]) || mandatoryFor(type))) || readBack(type));
  const refusedTypes: { type: MappedRecordType; error: NetSuiteApiError }[] = [];
  const catalogs = await Promise.all(
    checked.map(async (type): Promise<RecordCatalog | undefined> => {
      try {
        return await netsuite.metadata.recordCatalog(type, signal === undefined ? {} : { signal });
      } catch (error) {
        if (signal?.aborted === true) throw signal.reason;
        if (refusedRead(error) || error instanceof NetSuiteNotFoundError) refusedTypes.push({ type, error });
        else failures.push(describeGenericError(error));
        return undefined;
      }
    }),
  );
  const [firstRefusal] = refusedTypes;
  if (firstRefusal !== undefined) {
    const types = refusedTypes.map(({ type }) => type).join(', ');
    failures.push({
      code: 'METADATA_CATALOG_UNREADABLE',
      message: `NetSuite did not let the role read the metadata catalog of ${types}: ${firstRefusal.error.message} Their field mappings, and mandatory custom fields, are not proved.`,
      resolution: `${MANAGE_ROLES} Setup > REST Web Services (level Full) and each record's own permission (level View at least). A NetSuite whose REST API has no metadata catalog cannot prove them: try them on a test record instead.`,
    });
  }
  const problems: ProblemFacts[] = [];
  checked.forEach((type, index) => {
    const catalog = catalogs[index];
    const mapping = settings.netsuiteFields[type] ?? { defaults: {}, lineDefaults: {}, rules: [], fields: [], required: [] };
    if (catalog !== undefined) problems.push(...fieldMappingProblems(type, mapping, catalog, mandatory, uses[type]));
  });
  problems.push(...(await referenceProblems(netsuite, settings, written, signal, failures)));
  const detail =
    checked.length === 0
      ? written.length === 0
        ? 'Not checked: nothing is written to NetSuite, and no mapped field is read back.'
        : 'No field mappings, and no mandatory custom field on the records written.'
      : `Checked against NetSuite's metadata catalog of ${checked.join(', ')}: every mapped field exists and takes its value, and every mandatory field is filled.`;
  return { detail, problems: [...problems, ...failures], unproved: failures.length > 0 && problems.length === 0 };
}
