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
  let text: string;
  if (Array.isArray(value)) {
    text = `[${value.map((item: unknown) => write(item, ignore, seen) ?? 'null').join(',')}]`;
  } else {
    const entries = Object.keys(value)
      .filter((key) => !ignore.has(key))
      .sort()
      .flatMap((key) => {
        const written = write((value as Record<string, unknown>)[key], ignore, seen);
        return written === undefined ? [] : [`${JSON.stringify(key)}:${written}`];
      });
    text = `{${entries.join(',')}}`;
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
