/**
 * Fingerprints: a SHA-256 of a canonical JSON of a record, so a record read again unchanged is skipped.
 * Fingerprint the **mapped body** rather than the raw record: it changes exactly when what would be
 * written changes (including a changed setting), and not with fields the sync never writes.
 */
import { createHash } from 'node:crypto';
import { MappingError } from './errors';

/** Options of {@link fingerprint}. */
export interface FingerprintOptions {
  /** Keys left out wherever they appear, at any depth (e.g. `['updated_at', 'links']`). */
  ignore?: readonly string[] | undefined;
}

function unsupported(what: string): MappingError {
  return new MappingError('FINGERPRINT_UNSUPPORTED', `A fingerprint cannot include ${what}.`, 'Fingerprint plain JSON data (objects, arrays, strings, finite numbers, booleans, null).');
}

/**
 * An object's keys in the order of `Array.prototype.sort()` (UTF-16 code units). A record's few keys are
 * sorted in place, by insertion: the built-in sort makes a working copy of every array it sorts.
 */
function sortedKeys(value: object): string[] {
  const keys = Object.keys(value);
  if (keys.length > 32) return keys.sort();
  for (let index = 1; index < keys.length; index += 1) {
    const key = keys[index] as string;
    let at = index - 1;
    for (; at >= 0 && (keys[at] as string) > key; at -= 1) keys[at + 1] = keys[at] as string;
    keys[at + 1] = key;
  }
  return keys;
}

function write(value: unknown, ignore: ReadonlySet<string>, seen: Set<object>): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`; // no JSON value is written like this, so it cannot collide
    case 'number':
      if (!Number.isFinite(value)) throw unsupported(String(value));
      return JSON.stringify(value === 0 ? 0 : value);
    case 'object':
      break;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw unsupported('an invalid date');
    return JSON.stringify(value.toISOString());
  }
  if (value instanceof Map || value instanceof Set) throw unsupported('a Map or Set');
  if (seen.has(value)) throw unsupported('a circular reference');
  seen.add(value);
  // Written into one string as it goes: a fingerprint is taken of every record a sync reads, and the
  // arrays of parts that map/filter/flatMap/join would make are most of what it allocates.
  let text: string;
  if (Array.isArray(value)) {
    text = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) text += ',';
      // A hole writes nothing, as Array.prototype.join writes one: the form stored fingerprints have.
      if (index in value) text += write(value[index], ignore, seen) ?? 'null';
    }
    text += ']';
  } else {
    text = '{';
    let first = true;
    for (const key of sortedKeys(value)) {
      if (ignore.has(key)) continue;
      const written = write((value as Record<string, unknown>)[key], ignore, seen);
      if (written === undefined) continue;
      text += `${first ? '' : ','}${JSON.stringify(key)}:${written}`;
      first = false;
    }
    text += '}';
  }
  seen.delete(value);
  return text;
}

/**
 * The canonical JSON of a value: object keys sorted, ignored keys and `undefined` left out, `-0` as `0`,
 * dates as ISO strings, bigints as `123n`. Arrays keep their order (line order is meaningful).
 * @throws {MappingError} `FINGERPRINT_UNSUPPORTED` for NaN, Infinity, Maps, Sets and cycles.
 * @example canonicalJson({ b: 1, a: [true, null] }) === '{"a":[true,null],"b":1}';
 */
export function canonicalJson(value: unknown, options: FingerprintOptions = {}): string {
  return write(value, new Set(options.ignore ?? []), new Set()) ?? 'null';
}

/**
 * A stable fingerprint of a value: the SHA-256 (64 hex digits) of its {@link canonicalJson}. Key order
 * does not change it; any other change does, except to the keys named in `ignore`.
 * @example
 * fingerprint({ a: 1, b: 2 }) === fingerprint({ b: 2, a: 1 });
 * fingerprint({ total: 10, updated_at: 1 }, { ignore: ['updated_at'] }) === fingerprint({ total: 10, updated_at: 2 }, { ignore: ['updated_at'] });
 */
export function fingerprint(value: unknown, options: FingerprintOptions = {}): string {
  return createHash('sha256').update(canonicalJson(value, options)).digest('hex');
}
