/**
 * Every row the store reads is parsed with zod before it becomes a value of the contract, because drivers
 * disagree on types: `int8` and `count(*)` come back as a string from `pg` and as a number or a bigint from
 * PGlite, and a driver configured with other type parsers may hand back `json` as text.
 */
import { parseStoreRows } from '@invoiced/netsuite-sync';
import { z } from 'zod';
import { PostgresRowError } from './errors';

/** An integer column of any width, as a JavaScript number; more than 2^53 - 1 is refused, never rounded. */
export const integer = z.union([z.number(), z.bigint(), z.string().regex(/^-?[0-9]+$/)]).transform((value, context) => {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) {
    context.addIssue({ code: 'custom', message: 'must be an integer between -(2^53 - 1) and 2^53 - 1' });
    return z.NEVER;
  }
  return number;
});

/** A `json` column: an already-parsed value, or its text when the driver does not parse json. */
export function jsonColumn<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }, schema);
}

/**
 * Parses every row with `schema`, or throws {@link PostgresRowError} naming the table and the columns
 * that did not match (never their values).
 */
export function parseRows<T extends z.ZodType>(schema: T, rows: readonly unknown[], table: string, operation: string): z.output<T>[] {
  return parseStoreRows(schema, rows, (issues) => new PostgresRowError(operation, table, issues));
}
