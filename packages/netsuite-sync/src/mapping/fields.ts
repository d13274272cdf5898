/**
 * Reading NetSuite records whichever way they came: REST records (camelCase keys, references as
 * `{ id, refName }`, booleans as `true`) or SuiteQL rows (lower-case keys, references as bare IDs,
 * booleans as `'T'`/`'F'`, numbers often as strings). Internal to the mapping layer.
 */

/** A NetSuite record or SuiteQL row, read field by field. */
export type RecordLike = Readonly<Record<string, unknown>>;

/** The first of `names` present on the record (not `undefined` or `null`), also tried in lower case. */
export function field(record: RecordLike, ...names: string[]): unknown {
  for (const name of names) {
    const value = record[name] ?? record[name.toLowerCase()];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

/** A non-empty trimmed string from a string or number; otherwise `undefined`. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A boolean from `true`/`false` or NetSuite's `'T'`/`'F'`; otherwise `undefined`. */
export function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const upper = value.trim().toUpperCase();
    if (upper === 'T' || upper === 'TRUE') return true;
    if (upper === 'F' || upper === 'FALSE') return false;
  }
  return undefined;
}

/** The ID of a reference (`{ id: '7' }`) or of a bare ID (`7`, `'7'`). */
export function refId(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null) return text((value as { id?: unknown }).id);
  return text(value);
}

/** The display name of a reference (`{ refName: 'Acme' }`). */
export function refName(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null) return text((value as { refName?: unknown }).refName);
  return undefined;
}
