/**
 * The NetSuite columns field mappings read back to Invoiced: the extra select items of the engine's
 * queries, and a clear error when SuiteQL cannot read one. A leaf of the engine (it imports no other engine file).
 */
import { ConfigurationError } from '../errors';
import { mappedColumns, type MappedRecordType, type NetSuiteFieldsSettings } from '../mapping/index';
import { NetSuiteApiError } from '../netsuite/errors';
import { sql, type SuiteQLQuery } from '../netsuite/sql';

/**
 * The columns field mappings read back to Invoiced, as extra select items of `alias` (`, t.custbody_po,
 * TO_CHAR(t.custbody_due, 'YYYY-MM-DD') AS custbody_due`), or nothing. A column is the REST field name in
 * lower case (checked by the settings schema: letters, digits and `_`).
 */
export function mappedSelect(settings: NetSuiteFieldsSettings, type: MappedRecordType, alias: 't' | 'c'): SuiteQLQuery {
  const items = mappedColumns(settings, type).map(({ column, date }) => (date ? `TO_CHAR(${alias}.${column}, 'YYYY-MM-DD') AS ${column}` : `${alias}.${column}`));
  return sql.raw(items.map((item) => `, ${item}`).join(''));
}

/** No extra columns. */
export const NO_COLUMNS: SuiteQLQuery = sql.raw('');

/**
 * Rows of a query that reads the mapped columns of `type`: a refusal of the query as invalid while the
 * mappings name columns becomes a `ConfigurationError` (`MAPPED_FIELD_UNREADABLE`) that names the setting,
 * rather than NetSuite's bare "Invalid search query".
 */
export async function* withMappedColumns<T>(rows: AsyncIterable<T>, settings: NetSuiteFieldsSettings, type: MappedRecordType): AsyncGenerator<T> {
  try {
    yield* rows;
  } catch (error) {
    const columns = mappedColumns(settings, type).map((entry) => entry.column);
    if (columns.length === 0 || !(error instanceof NetSuiteApiError) || error.code !== 'INVALID_PARAMETER' || (error.details[0]?.queryParam ?? 'q') !== 'q') throw error;
    throw new ConfigurationError(`SuiteQL cannot read the ${type} fields settings.netsuiteFields.${type}.fields reads back (${columns.join(', ')}): ${error.detail ?? error.message}`, {
      code: 'MAPPED_FIELD_UNREADABLE',
      issues: [{ path: `netsuiteFields.${type}.fields`, message: 'names a field SuiteQL cannot read' }],
      resolution: `Correct the NetSuite field names in settings.netsuiteFields.${type}.fields (checkConnection names each field the account does not have), or map them with direction to_netsuite only.`,
    });
  }
}
