/**
 * Metadata as Invoiced's backend keeps it. A write that carries `metadata` replaces the whole map (the
 * storage clears every stored key before it writes the new ones); `metadata: null` or `{}` empties it.
 * Each value is checked as Invoiced's metadata listener checks it: at most 10 keys, keys up to 40 bytes,
 * values strings, numbers, booleans, objects or arrays (a `null` value is refused), up to 255 bytes once
 * objects and arrays are written as JSON. Values are kept as text: objects and arrays as PHP's
 * `json_encode` writes them, numbers as PHP writes a number as a string, booleans as `1` and `0` (payments,
 * whose metadata lives in another storage, keep `false` as an empty string). The answer to the write
 * itself shows the values as sent; later reads show the text.
 */
import { invalidRequest } from './errors';
import type { InvoicedMetadata } from './records';

const MAX_KEYS = 10;
const MAX_KEY_BYTES = 40;
const MAX_VALUE_BYTES = 255;

/**
 * Where a collection's metadata is kept: customers, invoices, credit notes and line items in the legacy
 * table (`false` kept as `0`), payments as attributes (`false` kept as an empty string, PHP's `(string)`).
 */
export type MetadataStorage = 'legacy' | 'attribute';

/** What a body may say about metadata: nothing, `null` (empty it) or a map. */
export type MetadataWrite = Readonly<Record<string, unknown>> | null | undefined;

type Plain = Readonly<Record<string, unknown>>;
const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A value as PHP holds it after decoding a JSON body into arrays: an object without keys is an empty
 * array, an object keyed 0, 1, 2... is a list.
 */
function asPhpValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asPhpValue);
  if (!isPlain(value)) return value;
  const entries = Object.entries(value);
  if (entries.every(([key], index) => key === String(index))) return entries.map(([, item]) => asPhpValue(item));
  return Object.fromEntries(entries.map(([key, item]) => [key, asPhpValue(item)]));
}

/** A string as PHP's `json_encode` writes it by default: `/` escaped, every non-ASCII unit as `\uXXXX`. */
function phpJsonString(text: string): string {
  return JSON.stringify(text)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** PHP's `json_encode` of a value decoded from a JSON body (see {@link asPhpValue}). */
export function phpJson(value: unknown): string {
  const php = asPhpValue(value);
  if (typeof php === 'string') return phpJsonString(php);
  if (Array.isArray(php)) return `[${php.map(phpJson).join(',')}]`;
  if (isPlain(php)) return `{${Object.entries(php).map(([key, item]) => `${phpJsonString(key)}:${phpJson(item)}`).join(',')}}`;
  // Numbers (serialize_precision -1 writes the shortest round trip, as JavaScript does), booleans, null.
  return JSON.stringify(php) ?? 'null';
}

/**
 * A number as PHP's `(string)` writes it: integers in full, other numbers with 14 significant digits
 * (`0.1 + 0.2` is `0.3`), in `1.0E+15` form outside 1e-4 to 1e14.
 */
export function phpNumberText(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return value.toFixed(0);
  const [mantissa = '0', exponentText = '0'] = value.toExponential(13).split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 14) {
    // toExponential(13) always has a fraction: trailing zeros go, one digit stays (1.0E+15).
    const trimmed = mantissa.replace(/0+$/, '').replace(/\.$/, '.0');
    return `${trimmed}E${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
  }
  return String(Number(value.toPrecision(14)));
}

/** The text a value is kept as, or `undefined` for a type Invoiced refuses (`null`). */
function keptText(value: unknown, storage: MetadataStorage): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? phpNumberText(value) : undefined;
  if (typeof value === 'boolean') return value ? '1' : storage === 'legacy' ? '0' : '';
  if (typeof value === 'object' && value !== null) return phpJson(value);
  return undefined;
}

/**
 * A metadata map as written, checked as Invoiced checks it (count first, then each key in order: its
 * length, its value's type, its value's length) and turned into the text kept; refusals name `param`.
 */
export function keptMetadata(input: Plain, storage: MetadataStorage, param = 'metadata'): InvoicedMetadata {
  const entries = Object.entries(input);
  if (entries.length > MAX_KEYS) {
    throw invalidRequest(`There can only be up to ${MAX_KEYS} metadata values. ${entries.length} values were provided.`, param);
  }
  const kept: InvoicedMetadata = {};
  for (const [key, value] of entries) {
    // Lengths are bytes (PHP's strlen); an empty key is not checked by Invoiced, so it is kept.
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
      throw invalidRequest(`The \`${key}\` metadata key exceeds the ${MAX_KEY_BYTES} character limit.`, param);
    }
    const text = keptText(value, storage);
    if (text === undefined) {
      throw invalidRequest(
        `The provided value for metadata.${key} is an invalid type. Valid types are string, boolean, number, object, and array.`,
        param,
      );
    }
    if (Buffer.byteLength(text) > MAX_VALUE_BYTES) {
      throw invalidRequest(`The provided value for metadata.${key} exceeds the ${MAX_VALUE_BYTES} character limit.`, param);
    }
    kept[key] = text;
  }
  return kept;
}

/** A record's metadata after a write: unchanged when the write does not mention it, replaced otherwise. */
export function nextMetadata(current: InvoicedMetadata, input: MetadataWrite, storage: MetadataStorage, param = 'metadata'): InvoicedMetadata {
  if (input === undefined) return current;
  return keptMetadata(input ?? {}, storage, param);
}

/**
 * The record as the answer to a write shows it: with the metadata as the body sent it (Invoiced answers
 * the map it was given, not the text it kept), when the body sent a map or `null`.
 */
export function withSentMetadata(record: unknown, body: unknown): unknown {
  if (!isPlain(body) || !Object.hasOwn(body, 'metadata') || !isPlain(record)) return record;
  const sent = body.metadata;
  if (sent !== null && !isPlain(sent)) return record;
  const php = sent === null ? {} : Object.fromEntries(Object.entries(sent).map(([key, value]) => [key, asPhpValue(value)]));
  return { ...record, metadata: php };
}
