/**
 * How the store keeps strings exactly. `node:sqlite` passes NUL characters through both ways, but writes
 * text as UTF-8, which has no form for an unpaired surrogate (it would come back as U+FFFD). So a string
 * that is well-formed UTF-16 is stored as TEXT, as it is, and any other string as a BLOB of its UTF-16LE
 * code units. The choice depends only on the string, so equal strings are stored equal and unique
 * constraints and lookups stay exact; a TEXT value never equals a BLOB value in SQLite.
 */

/** A lone surrogate: in `u` mode, a surrogate pair reads as one code point and does not match. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/** What a string is stored as. */
export type StoredText = string | Uint8Array;

/** The value to store for `value`. */
export function encodeText(value: string): StoredText {
  return UNPAIRED_SURROGATE.test(value) ? Buffer.from(value, 'utf16le') : value;
}

/** `encodeText`, passing `null` through. */
export function encodeNullable(value: string | null): StoredText | null {
  return value === null ? null : encodeText(value);
}

/** The string a stored value stands for. */
export function decodeText(value: StoredText): string {
  return typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf16le');
}
