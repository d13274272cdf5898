/**
 * Safe building of SuiteQL queries.
 *
 * SuiteQL (NetSuite's Oracle-flavoured SQL, sent over REST as `{"q": "..."}`) has no bind parameters:
 * every value must be written into the query text as a literal. This module is the one place that does
 * it. Queries are built with the {@link sql} tagged template, whose static parts are trusted and whose
 * interpolated values all go through {@link suiteqlLiteral}; the result is a branded {@link SuiteQLQuery}
 * that only this module can create, so a plain string can never be mistaken for a checked query.
 *
 * The module is pure: no I/O, no global state beyond the registry of the queries it built.
 */

import { ConfigurationError } from '../errors';

declare const suiteqlQueryBrand: unique symbol;

/**
 * A trusted SuiteQL query (or fragment of one), built by {@link sql}, {@link sql.raw},
 * {@link sql.identifier} or {@link sql.join}. Its `text` is ready to be sent as the `q` of a SuiteQL
 * request. Objects of the same shape built elsewhere are not accepted as queries: see
 * {@link isSuiteQLQuery}.
 *
 * @example
 * ```ts
 * const query: SuiteQLQuery = sql`SELECT id FROM customer WHERE companyname = ${name}`;
 * await fetch(url, { method: 'POST', body: JSON.stringify({ q: query.text }) });
 * ```
 */
export interface SuiteQLQuery {
  /** The SuiteQL text, with every value already written as an escaped literal. */
  readonly text: string;
  /** Type-level brand: only this module creates queries. Not present at runtime. */
  readonly [suiteqlQueryBrand]: true;
}

/**
 * A value that can be written as a single SuiteQL literal (an element of an `IN (...)` list).
 *
 * @example
 * ```ts
 * const values: SuiteQLScalar[] = ['Acme', 42, 10n, true, new Date(), null];
 * ```
 */
export type SuiteQLScalar = string | number | bigint | boolean | Date | null;

/**
 * A value accepted by {@link sql} and {@link suiteqlLiteral}: a scalar, a nested query fragment
 * (inserted as-is) or a flat array of scalars (written as a parenthesised list, for `IN`).
 *
 * `undefined` is deliberately not part of the type, and is refused at runtime for JavaScript callers:
 * an `undefined` in a query is almost always a bug (a missing field), not a wish for `NULL`.
 *
 * @example
 * ```ts
 * const ids: SuiteQLValue = [1, 2, 3];
 * const query = sql`SELECT id FROM transaction WHERE entity IN ${ids}`;
 * ```
 */
export type SuiteQLValue = SuiteQLScalar | SuiteQLQuery | readonly SuiteQLScalar[];

/** Every query built by this module. A WeakSet cannot be forged the way a prototype or a symbol can. */
const trustedQueries = new WeakSet<object>();

function makeQuery(text: string): SuiteQLQuery {
  const query = Object.freeze({ text }) as SuiteQLQuery;
  trustedQueries.add(query);
  return query;
}

/**
 * Tells whether `value` is a query built by this module (by {@link sql} or one of its helpers). An object
 * that merely has a `text` property is not one, so untrusted input can never pass as a query fragment.
 *
 * @example
 * ```ts
 * isSuiteQLQuery(sql`SELECT 1 FROM dual`); // true
 * isSuiteQLQuery({ text: 'SELECT 1 FROM dual' }); // false
 * ```
 */
export function isSuiteQLQuery(value: unknown): value is SuiteQLQuery {
  return typeof value === 'object' && value !== null && trustedQueries.has(value);
}

const VALUE_CODE = 'INVALID_SUITEQL_VALUE';
const IDENTIFIER_CODE = 'INVALID_SUITEQL_IDENTIFIER';
const TEMPLATE_CODE = 'INVALID_SUITEQL_TEMPLATE';

/** Where a value sits, for error messages (never the value itself: it may be private data). */
interface Position {
  /** Human label, e.g. `SuiteQL value #2`. */
  readonly label: string;
  /** Dotted path for {@link ConfigurationError.issues}, e.g. `values.1`; empty for a lone value. */
  readonly path: string;
}

const LONE_VALUE: Position = { label: 'SuiteQL value', path: '' };

function refuseValue(position: Position, problem: string, resolution: string): never {
  const message = `${position.label} ${problem}`;
  throw new ConfigurationError(message, {
    code: VALUE_CODE,
    issues: [{ path: position.path, message }],
    resolution,
  });
}

/** A short, value-free description of what was given, e.g. `an object ([object Map])`. */
function describeKind(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) {
    return `an object (${Object.prototype.toString.call(value)})`;
  }
  return `a ${typeof value}`;
}

const ACCEPTED_TYPES = 'strings, finite numbers, bigints, booleans, valid Dates, null, flat arrays of those, or query fragments built by sql`...`';

function stringLiteral(value: string, position: Position): string {
  if (value.includes('\u0000')) {
    refuseValue(
      position,
      'is a string containing a NUL character (\\u0000), which cannot be written in a SuiteQL literal.',
      'Remove NUL characters from the value before querying with it.',
    );
  }
  // Oracle SQL has a single escape rule inside '...': a quote is written as two quotes. Backslashes and
  // double quotes are ordinary characters here; JSON serialization of the request body escapes them.
  return `'${value.replaceAll("'", "''")}'`;
}

/** Rewrites a `String(n)` exponential form (`1.5e-7`, `-2e+30`) as plain fixed-point digits. */
function expandExponential(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  const sign = match?.[1];
  const integerPart = match?.[2];
  const exponent = match?.[4];
  if (sign === undefined || integerPart === undefined || exponent === undefined) {
    // Unreachable for finite numbers: String(n) only ever produces the shape above.
    throw new ConfigurationError('A number could not be written as a SuiteQL literal.', { code: VALUE_CODE });
  }
  const digits = integerPart + (match?.[3] ?? '');
  const point = integerPart.length + Number(exponent);
  let body: string;
  if (point <= 0) body = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) body = digits + '0'.repeat(point - digits.length);
  else body = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + body;
}

function negativeSafe(text: string): string {
  // `x - ${-5}` must not become `x --5`, which starts a comment.
  return text.startsWith('-') ? `(${text})` : text;
}

function numberLiteral(value: number, position: Position): string {
  if (!Number.isFinite(value)) {
    refuseValue(
      position,
      `is ${String(value)}, which SuiteQL cannot represent.`,
      'Check the computation that produced the number, or pass null for a missing value.',
    );
  }
  if (Number.isInteger(value)) return negativeSafe(BigInt(value).toString());
  const text = String(value);
  return negativeSafe(/e/i.test(text) ? expandExponential(text) : text);
}

function pad(value: number, length: number): string {
  return String(value).padStart(length, '0');
}

const TIMESTAMP_FORMAT = 'YYYY-MM-DD HH24:MI:SS';

function dateLiteral(value: Date, position: Position): string {
  const time = value.getTime();
  if (Number.isNaN(time)) {
    refuseValue(position, 'is an invalid Date.', 'Check how the Date was built (e.g. the string it was parsed from).');
  }
  const year = value.getUTCFullYear();
  if (year < 1 || year > 9999) {
    refuseValue(
      position,
      'is a Date outside the years 0001-9999, which SuiteQL timestamps cannot hold.',
      'Use a date between the years 1 and 9999.',
    );
  }
  const text =
    `${pad(year, 4)}-${pad(value.getUTCMonth() + 1, 2)}-${pad(value.getUTCDate(), 2)} ` +
    `${pad(value.getUTCHours(), 2)}:${pad(value.getUTCMinutes(), 2)}:${pad(value.getUTCSeconds(), 2)}`;
  return `TO_TIMESTAMP('${text}', '${TIMESTAMP_FORMAT}')`;
}

function scalarLiteral(value: unknown, position: Position): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'string':
      return stringLiteral(value, position);
    case 'number':
      return numberLiteral(value, position);
    case 'bigint':
      return negativeSafe(value.toString());
    case 'boolean':
      return value ? "'T'" : "'F'";
    case 'undefined':
      return refuseValue(
        position,
        'is undefined, which is almost always a bug (a missing field or variable).',
        'Pass null to compare with NULL, or leave the condition out of the query.',
      );
    default:
      break;
  }
  if (value instanceof Date) return dateLiteral(value, position);
  return refuseValue(
    position,
    `is ${describeKind(value)}, which cannot be written as a SuiteQL literal.`,
    `Pass ${ACCEPTED_TYPES}.`,
  );
}

function literalAt(value: unknown, position: Position): string {
  if (isSuiteQLQuery(value)) return value.text;
  if (!Array.isArray(value)) return scalarLiteral(value, position);
  if (value.length === 0) return '(NULL)';
  const items: string[] = [];
  // An index loop, not for...of/map, so holes of a sparse array are seen (and refused as undefined).
  for (let index = 0; index < value.length; index += 1) {
    const item: unknown = value[index];
    const itemPosition: Position = {
      label: `${position.label}, element #${index + 1},`,
      path: position.path === '' ? String(index) : `${position.path}.${index}`,
    };
    if (Array.isArray(item) || isSuiteQLQuery(item)) {
      refuseValue(
        itemPosition,
        `is ${Array.isArray(item) ? 'a nested array' : 'a query fragment'}; lists may only hold scalar values.`,
        'Flatten the list, or build a list of fragments with sql.join(...).',
      );
    }
    items.push(scalarLiteral(item, itemPosition));
  }
  return `(${items.join(', ')})`;
}

/**
 * Writes one value as a SuiteQL literal. This is the only escaping function of the SDK.
 *
 * - string: single-quoted, each `'` doubled (`O'Brien` → `'O''Brien'`); backslashes, double quotes,
 *   newlines and any Unicode are kept verbatim (they have no special meaning inside an Oracle literal).
 *   A string containing NUL (`\u0000`) is refused.
 * - number: must be finite; plain digits, never exponent notation (`1e21` → `1000000000000000000000`,
 *   `1e-7` → `0.0000001`); negatives in parentheses (`(-5)`) so `x - ${-5}` cannot become the comment
 *   `x --5`. bigint: digits, negatives in parentheses too.
 * - boolean: `'T'` / `'F'`, as NetSuite checkbox fields are stored.
 * - Date: `TO_TIMESTAMP('YYYY-MM-DD HH24:MI:SS', 'YYYY-MM-DD HH24:MI:SS')` from the date's **UTC**
 *   fields, milliseconds dropped (truncated); an invalid Date is refused. NetSuite compares datetimes in
 *   the account's (or the integration user's) time zone, not necessarily UTC, so incremental syncs
 *   should overlap their windows (e.g. re-read the last few hours or a full day) and de-duplicate,
 *   rather than rely on an exact boundary.
 * - null: `NULL`. undefined: refused (almost always a bug).
 * - flat array: `(a, b, c)` with each element escaped; an empty array is `(NULL)`, so `IN ${[]}`
 *   matches nothing instead of being a syntax error. Nested arrays are refused.
 * - a query fragment built by {@link sql}: its text, as-is.
 * - anything else (objects, functions, symbols): refused.
 *
 * Every refusal is a {@link ConfigurationError} with code `INVALID_SUITEQL_VALUE`; its message says
 * where the value was, never what it was.
 *
 * @example
 * ```ts
 * suiteqlLiteral("O'Brien");                           // "'O''Brien'"
 * suiteqlLiteral(-5);                                  // '(-5)'
 * suiteqlLiteral(true);                                // "'T'"
 * suiteqlLiteral(new Date('2026-01-02T03:04:05Z'));    // "TO_TIMESTAMP('2026-01-02 03:04:05', 'YYYY-MM-DD HH24:MI:SS')"
 * suiteqlLiteral([1, 'a', null]);                      // "(1, 'a', NULL)"
 * ```
 */
export function suiteqlLiteral(value: SuiteQLValue): string {
  return literalAt(value, LONE_VALUE);
}

/**
 * Lexical state of SuiteQL text written so far: whether the next character would be code, or inside a
 * quoted string, a quoted identifier or a comment. `previous` is the last character seen in code, to
 * recognise `--` and `/*` across the boundary between a static part and a value.
 */
interface LexState {
  readonly mode: 'code' | 'string' | 'identifier' | 'line-comment' | 'block-comment';
  readonly previous: string;
}

const CODE: LexState = { mode: 'code', previous: '' };

function lex(state: LexState, text: string): LexState {
  let { mode, previous } = state;
  for (const char of text) {
    switch (mode) {
      case 'code':
        if (char === "'") [mode, previous] = ['string', ''];
        else if (char === '"') [mode, previous] = ['identifier', ''];
        else if (char === '-' && previous === '-') [mode, previous] = ['line-comment', ''];
        else if (char === '*' && previous === '/') [mode, previous] = ['block-comment', ''];
        else previous = char;
        break;
      case 'string':
        // A doubled quote closes and at once reopens the string: the net effect is the same.
        if (char === "'") mode = 'code';
        break;
      case 'identifier':
        if (char === '"') mode = 'code';
        break;
      case 'line-comment':
        // Only LF is counted as an end, so a value after a lone CR is refused rather than risked.
        if (char === '\n') mode = 'code';
        break;
      case 'block-comment':
        if (char === '/' && previous === '*') [mode, previous] = ['code', ''];
        else previous = char;
        break;
    }
  }
  return { mode, previous };
}

const LEX_PLACES: Record<Exclude<LexState['mode'], 'code'>, string> = {
  string: "inside a quoted string ('...')",
  identifier: 'inside a quoted identifier ("...")',
  'line-comment': 'inside a -- comment',
  'block-comment': 'inside a /* */ comment',
};

function isTemplateStringsArray(value: unknown): value is TemplateStringsArray {
  return Array.isArray(value) && Array.isArray((value as { raw?: unknown }).raw);
}

function sqlTemplate(strings: TemplateStringsArray, ...values: SuiteQLValue[]): SuiteQLQuery {
  if (!isTemplateStringsArray(strings) || strings.length !== values.length + 1) {
    throw new ConfigurationError('sql must be used as a tagged template: sql`SELECT ... WHERE x = ${value}`.', {
      code: TEMPLATE_CODE,
      resolution: 'Write sql`...` with a template literal; for trusted text built elsewhere use sql.raw(text).',
    });
  }
  let text = '';
  let state = CODE;
  const append = (part: string): void => {
    text += part;
    state = lex(state, part);
  };
  for (let index = 0; index <= values.length; index += 1) {
    const part: string | undefined = strings[index];
    if (typeof part !== 'string') {
      throw new ConfigurationError(`The sql template has an invalid escape sequence in static part #${index + 1}.`, {
        code: TEMPLATE_CODE,
        resolution: 'Fix the escape sequence (e.g. write \\\\ for a backslash) in the sql`...` template.',
      });
    }
    append(part);
    if (index === values.length) break;
    const position: Position = { label: `SuiteQL value #${index + 1}`, path: `values.${index}` };
    if (state.mode !== 'code') {
      const message = `${position.label} is placed ${LEX_PLACES[state.mode]} of the sql template, where a literal would break the query.`;
      throw new ConfigurationError(message, {
        code: TEMPLATE_CODE,
        issues: [{ path: position.path, message }],
        resolution:
          "Write ${value} on its own, not in quotes or a comment: sql`... = ${value}` quotes strings itself. For LIKE patterns, build the pattern in JavaScript: sql`... LIKE ${'%' + term + '%'}`.",
      });
    }
    append(literalAt(values[index], position));
  }
  return makeQuery(text);
}

/**
 * Inserts trusted text verbatim, without any escaping or checking. Only for text the program itself
 * controls (a constant, a choice among constants); never for user or API data.
 *
 * @example
 * ```ts
 * const order = sql.raw(descending ? 'DESC' : 'ASC');
 * const query = sql`SELECT id FROM customer ORDER BY id ${order}`;
 * ```
 */
function raw(text: string): SuiteQLQuery {
  if (typeof text !== 'string') {
    throw new ConfigurationError(`sql.raw expects a string, got ${describeKind(text)}.`, { code: TEMPLATE_CODE });
  }
  return makeQuery(text);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Inserts a table or column name, e.g. `customer`, `transaction.trandate`, `custentity_score`, after
 * checking that it is a plain (optionally dotted) identifier: letters, digits and `_`, not starting
 * with a digit. Anything else is refused with a {@link ConfigurationError} of code
 * `INVALID_SUITEQL_IDENTIFIER`. Validating does not make an identifier safe to take from end users:
 * restrict it to an allow-list of fields you expect.
 *
 * @example
 * ```ts
 * const column = sql.identifier('customer.lastmodifieddate');
 * const query = sql`SELECT id FROM customer WHERE ${column} >= ${since}`;
 * ```
 */
function identifier(name: string): SuiteQLQuery {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    const message =
      typeof name === 'string'
        ? `A SuiteQL identifier (${name.length} characters) is not a plain name such as customer or transaction.trandate.`
        : `A SuiteQL identifier must be a string, got ${describeKind(name)}.`;
    throw new ConfigurationError(message, {
      code: IDENTIFIER_CODE,
      issues: [{ path: '', message }],
      resolution: 'Use letters, digits and underscores (not starting with a digit), with dots between table and column.',
    });
  }
  return makeQuery(name);
}

/**
 * Joins values and fragments with a separator (`', '` by default): values are escaped like template
 * values, fragments are kept as they are. The separator is inserted verbatim, like the static text of a
 * template, so it must be a constant. An empty list gives empty text; for `IN` lists pass the array
 * itself as a value instead (an empty array becomes `(NULL)`).
 *
 * @example
 * ```ts
 * const conditions = [sql`isinactive = ${false}`, sql`companyname = ${name}`];
 * const query = sql`SELECT id FROM customer WHERE ${sql.join(conditions, ' AND ')}`;
 * const columns = sql.join(['id', 'companyname'].map(sql.identifier));
 * ```
 */
function join(parts: readonly SuiteQLValue[], separator: string | SuiteQLQuery = ', '): SuiteQLQuery {
  if (!Array.isArray(parts)) {
    throw new ConfigurationError(`sql.join expects an array of parts, got ${describeKind(parts)}.`, {
      code: TEMPLATE_CODE,
    });
  }
  const glue = isSuiteQLQuery(separator) ? separator.text : separator;
  if (typeof glue !== 'string') {
    throw new ConfigurationError(`sql.join expects a string separator, got ${describeKind(separator)}.`, {
      code: TEMPLATE_CODE,
    });
  }
  const pieces: string[] = [];
  for (let index = 0; index < parts.length; index += 1) {
    pieces.push(literalAt(parts[index], { label: `SuiteQL part #${index + 1}`, path: `parts.${index}` }));
  }
  return makeQuery(pieces.join(glue));
}

/** The type of {@link sql}: a tagged template with helpers attached. */
export interface SuiteQLTag {
  /**
   * Builds a query from a template: static parts are trusted, each `${value}` is escaped by
   * {@link suiteqlLiteral}, and nested queries are inserted as-is.
   */
  (strings: TemplateStringsArray, ...values: SuiteQLValue[]): SuiteQLQuery;
  /** Trusted text inserted verbatim; see {@link raw}. */
  readonly raw: (text: string) => SuiteQLQuery;
  /** A checked table or column name; see {@link identifier}. */
  readonly identifier: (name: string) => SuiteQLQuery;
  /** Values and fragments joined by a separator; see {@link join}. */
  readonly join: (parts: readonly SuiteQLValue[], separator?: string | SuiteQLQuery) => SuiteQLQuery;
}

/**
 * Builds a SuiteQL query. The static parts of the template are trusted; every `${value}` is written as a
 * literal by {@link suiteqlLiteral} (so it can neither end its literal nor change the query), except
 * fragments built by `sql` itself, which are inserted as-is so queries compose. A value placed inside
 * quotes or a comment of the template is refused (code `INVALID_SUITEQL_TEMPLATE`): `sql` quotes values
 * itself.
 *
 * Helpers: `sql.raw(text)` (trusted text), `sql.identifier(name)` (checked table/column name) and
 * `sql.join(parts, separator)`.
 *
 * @example
 * ```ts
 * const since = new Date('2026-01-01T00:00:00Z');
 * const query = sql`
 *   SELECT id, companyname FROM customer
 *   WHERE companyname = ${"O'Brien"} AND isinactive = ${false}
 *     AND lastmodifieddate >= ${since} AND subsidiary IN ${[1, 2]}`;
 * JSON.stringify({ q: query.text });
 * ```
 */
export const sql: SuiteQLTag = Object.assign(sqlTemplate, { raw, identifier, join });
