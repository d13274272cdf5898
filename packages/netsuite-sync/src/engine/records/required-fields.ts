/**
 * NetSuite's refusal of a write for a field the account requires ("Please enter value(s) for: Class"), as
 * the record's error `NETSUITE_REQUIRED_FIELD`: it names the record, the field, and the setting that fills
 * it. A custom form's mandatory fields and "Make Classes Mandatory" are not in NetSuite's metadata, so a
 * write is where they show first, unless the settings declare them (`netsuiteFields.<type>.required`) and
 * the connection check proves them.
 */
import { NetSuiteApiError } from '../../netsuite/errors';
import { MAPPED_ENTITY, OWNED_FIELDS } from '../../mapping/field-mapping-schemas';
import { MappingError, type MappedRecordType } from '../../mapping/index';

const REQUIRED = /please enter value\(s\) for:?\s*(.+?)\.?\s*$/i;

/**
 * The record error of a write NetSuite refused for a missing required field, or `undefined` for any other error.
 * @example
 * declare const failure: unknown;
 * const refusal = requiredFieldRefusal(failure, 'invoice', 'Invoice INV-1', 'INV-1'); // a MappingError, or undefined
 */
export function requiredFieldRefusal(error: unknown, type: MappedRecordType, label: string, number: string | null): MappingError | undefined {
  if (!(error instanceof NetSuiteApiError) || error.status !== 400 || error.code !== 'USER_ERROR') return undefined;
  const match = REQUIRED.exec(error.detail ?? '');
  if (match === null) return undefined;
  const labels = (match[1] ?? '').trim();
  const field = error.errorPath;
  const named = field !== undefined && /^[A-Za-z]\w*$/.test(field) ? field : undefined;
  const resolution =
    named === 'subsidiary' && type === 'customer'
      ? 'Set settings.subsidiary to the subsidiary customers are created in (an internal ID, or rules by currency or metadata), then retry the record.'
      : named !== undefined && OWNED_FIELDS[type].has(named)
        ? `The sync writes ${named} itself and left it empty for this record: check the record on Invoiced, then retry it.`
        : `Give it a value in the integration settings: settings.netsuiteFields.${type}.defaults.${named ?? '<field>'} (or a rule or a field mapping that fills it for every record), and list it in settings.netsuiteFields.${type}.required so that the connection check proves it; then retry the record.`;
  return new MappingError(
    'NETSUITE_REQUIRED_FIELD',
    `${label}: NetSuite requires ${labels}${field === undefined ? '' : ` (${field})`}, which the sync did not fill.`,
    resolution,
    number ?? undefined,
    { entity: MAPPED_ENTITY[type], details: { fields: labels, ...(field === undefined ? {} : { field }) }, cause: error },
  );
}
