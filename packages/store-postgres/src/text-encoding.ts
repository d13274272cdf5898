/**
 * The reversible text encoding of the Postgres store. Postgres `text` (and the text `->>` takes out of
 * `json`) holds neither NUL characters nor unpaired UTF-16 surrogates, yet a NetSuite `tranId`, a customer
 * name or an error message can contain either. So every string the store writes, in a column or inside a
 * JSON value (keys too), is encoded first, and every string it reads is decoded:
 *
 * - `\0`, an unpaired surrogate, and the escape character U+FDD0 itself become U+FDD0 followed by the four
 *   upper-case hex digits of the UTF-16 code unit (`\0` is `\uFDD00000`, U+FDD0 is `\uFDD0FDD0`);
 * - every other character is stored as it is.
 *
 * U+FDD0 is a Unicode noncharacter: reserved for a program's own use and never part of text people or
 * services exchange. So text without NUL, unpaired surrogates or U+FDD0 (which is all the text the store
 * could hold before) is stored unchanged, rows written before stay readable without a migration, and a
 * value that merely looks escaped (`\u0000`, `\x00`, `%00`) is plain text. The encoding is injective, so
 * equal values have equal encodings and the queries comparing IDs compare the encoded parameters.
 * Collation order is not kept (U+FDD0 sorts after most characters): the store orders such values itself.
 */

/** The escape character: U+FDD0, a noncharacter. */
export const ESCAPE = '\uFDD0';

/** What the encoding escapes: NUL, unpaired surrogates, and the escape character. */
const NEEDS_ESCAPE = /[\0\uFDD0]|\p{Cs}/gu;
/** An escape the encoding writes: of NUL, of U+FDD0, or of a surrogate code unit. */
const ESCAPED = /\uFDD0(0000|FDD0|D[89A-F][0-9A-F]{2})/g;

/**
 * The stored form of a string: `value` itself unless it holds NUL, an unpaired surrogate or U+FDD0.
 *
 * @example
 * ```ts
 * encodeText('INV 1001'); // 'INV 1001'
 * encodeText('INV\0 1001'); // 'INV\uFDD00000 1001'
 * ```
 */
export function encodeText(value: string): string {
  return value.replace(NEEDS_ESCAPE, (character) => ESCAPE + character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0'));
}

/**
 * The string whose stored form is `stored`: the inverse of {@link encodeText}. Text without U+FDD0 is
 * returned as it is, and a U+FDD0 not followed by one of the escapes `encodeText` writes is kept.
 *
 * @example
 * ```ts
 * decodeText('INV\uFDD00000 1001'); // 'INV\0 1001'
 * decodeText('INV \\u0000'); // 'INV \\u0000' (plain text)
 * ```
 */
export function decodeText(stored: string): string {
  if (!stored.includes(ESCAPE)) return stored;
  return stored.replace(ESCAPED, (_escape, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * `value` with every string in it, and every key of its objects, passed through `map`: arrays and plain
 * objects are copied, other values (numbers, booleans, `null`, bigints) returned as they are.
 */
function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === 'string') return map(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => mapStrings(item, map)) as T;
  if (typeof value === 'object' && value !== null && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [map(key), mapStrings(item, map)])) as T;
  }
  return value;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A copy of a contract value (arguments, a JSON value) with every string and object key encoded with
 * {@link encodeText}: what the store sends as parameters and inside JSON parameters.
 *
 * @example
 * ```ts
 * JSON.stringify(encodeDeep({ counts: { 'a\0b': 1 } })); // '{"counts":{"a\uFDD00000b":1}}'
 * ```
 */
export function encodeDeep<T>(value: T): T {
  return mapStrings(value, encodeText);
}

/**
 * A copy of a value read back (a row mapped to the contract) with every string and object key decoded
 * with {@link decodeText}: the inverse of {@link encodeDeep}.
 *
 * @example
 * ```ts
 * decodeDeep({ number: 'INV\uFDD00000' }); // { number: 'INV\0' }
 * ```
 */
export function decodeDeep<T>(value: T): T {
  return mapStrings(value, decodeText);
}
