/**
 * zod schemas of the contract's values (the core's `storeValueSchemas`), used twice: to validate what
 * callers pass to the store before any statement runs, and to parse what the store reads back. Text is any
 * text: NUL characters and unpaired surrogates, which Postgres `text` cannot hold, are taken too: the store
 * encodes every string it writes (see `text-encoding.ts`).
 */
import { parseStoreArguments, storeValueSchemas } from '@invoiced/netsuite-sync';
import type { z } from 'zod';

/** The core's schemas, with the attempts of a `RetryItem` limited to what the `integer` column holds. */
export const values = {
  ...storeValueSchemas,
  retryItem: storeValueSchemas.retryItem.extend({ attempts: storeValueSchemas.count.max(2_147_483_647) }),
};

/**
 * Validates the arguments of a store method (as an object of named arguments), or throws
 * `ConfigurationError` (`INVALID_ARGUMENT`) listing the fields that are wrong, never their values.
 */
export function parseArguments<T extends z.ZodType>(operation: string, schema: T, value: unknown): z.output<T> {
  return parseStoreArguments('Postgres store', operation, schema, value);
}
