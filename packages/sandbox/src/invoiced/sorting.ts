/**
 * `sort` as Invoiced's list query builder reads it: comma-separated terms `field asc|desc`. A term whose
 * first word is not a field of the object's configuration is dropped; if none is left the sort is
 * `id ASC`; `,id ASC` is appended unless the text already contains `id asc` (in any case); then every
 * term that is not exactly two words with a direction is dropped, so `sort=updated_at` sorts by ID.
 * Nothing is refused, except (in the sandbox's own words) a field Invoiced has that the sandbox does not
 * model, or a sort by the customer's fields (`Customers.name`), rather than answer in a wrong order.
 */
import { invalidRequest } from './errors';

/** One term of a sort. */
export interface SortTerm {
  readonly field: string;
  readonly descending: boolean;
}

/** What a collection can be sorted by. */
export interface SortSpec {
  /** Fields of Invoiced's object configuration that the sandbox models (read from the answered record). */
  readonly sortable: ReadonlySet<string>;
  /** Fields of Invoiced's object configuration that the sandbox does not model. */
  readonly notSimulated: ReadonlySet<string>;
}

/** PHP's `trim`: spaces, tabs, newlines, NUL and vertical tabs only. */
const PHP_SPACE = new Set([' ', '\t', '\n', '\r', '\0', '\u000b']);
function phpTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PHP_SPACE.has(text.charAt(start))) start += 1;
  while (end > start && PHP_SPACE.has(text.charAt(end - 1))) end -= 1;
  return text.slice(start, end);
}

function notSimulated(what: string): never {
  throw invalidRequest(`The sandbox does not simulate sorting by ${what} (Invoiced accepts it).`, 'sort');
}

/** The terms a `sort` parameter comes to, the last tie-break included. */
export function parseSort(value: string | null, spec: SortSpec): SortTerm[] {
  let sort = 'id ASC';
  // PHP's truthiness: an empty sort or '0' keeps the default.
  if (value !== null && value !== '' && value !== '0') {
    const known = value.split(',').filter((candidate) => {
      const first = phpTrim(candidate).split(' ')[0] ?? '';
      return first.includes('Customers.') || spec.sortable.has(first) || spec.notSimulated.has(first);
    });
    if (known.length > 0) sort = known.join(',');
  }
  if (sort.includes('Customers.')) notSimulated("the customer's fields");
  if (!sort.toLowerCase().includes('id asc')) sort += ',id ASC';
  const terms: SortTerm[] = [];
  for (const column of sort.split(',')) {
    const words = phpTrim(column).split(' ');
    const direction = words[1]?.toLowerCase();
    if (words.length !== 2 || (direction !== 'asc' && direction !== 'desc')) continue;
    const field = words[0] ?? '';
    if (spec.notSimulated.has(field)) notSimulated(field);
    terms.push({ field, descending: direction === 'desc' });
  }
  return terms;
}

/**
 * Orders two values of one field as the database would: numbers by value, booleans false first, text
 * without regard to case (assumed: the usual case-insensitive collation), nulls before anything.
 */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  return text(a).localeCompare(text(b), 'en', { sensitivity: 'base' });
}

/** How a record's value of a field is read: a reader for each field (by default the record's property of that name). */
export type FieldReader<T> = (field: string) => (record: T) => unknown;

/** Reads a field as the record's own property. */
export const ownProperty = <T>(field: string) => (record: T) => (record as Readonly<Record<string, unknown>>)[field];

/**
 * A comparator for records under the terms; ties left by the terms are broken by ascending ID (assumed:
 * the order the database gives rows of equal keys, which it does not promise). `value` reads a field of
 * a record (by default its property).
 */
export function compareBy<T extends { readonly id: number }>(terms: readonly SortTerm[], value: FieldReader<T> = ownProperty): (a: T, b: T) => number {
  const readers = terms.map(({ field, descending }) => ({ read: value(field), descending }));
  return (a, b) => {
    for (const { read, descending } of readers) {
      const order = compareValues(read(a), read(b));
      if (order !== 0) return descending ? -order : order;
    }
    return a.id - b.id;
  };
}
