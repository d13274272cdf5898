/**
 * The one error the mapping layer throws. Mapping is pure and imports nothing else of the SDK, so this is
 * a plain `Error` subclass; the engine records its `code`, `message`, `resolution` and `number` as a
 * per-record failure (or wraps it in the SDK's own hierarchy).
 */

/** Codes the mapping layer itself uses. Other parts of the SDK may throw a `MappingError` with their own code. */
export type MappingErrorCode =
  | 'INVALID_AMOUNT'
  | 'AMOUNT_PRECISION'
  | 'AMOUNT_NOT_REPRESENTABLE'
  | 'INVALID_CURRENCY'
  | 'UNKNOWN_CURRENCY'
  | 'CURRENCY_MISMATCH'
  | 'INVALID_DATE'
  | 'INVALID_TIME_ZONE'
  | 'INVALID_RECORD'
  | 'MISSING_NAME'
  | 'DEFAULT_ITEM_REQUIRED'
  | 'DISCOUNT_ITEM_REQUIRED'
  | 'TAX_ITEM_REQUIRED'
  | 'TOTAL_MISMATCH'
  | 'APPLIED_EXCEEDS_PAYMENT'
  | 'NO_PAYMENT_ACCOUNT'
  | 'AMBIGUOUS_PAYMENT_ACCOUNT'
  | 'INVALID_CURSOR'
  | 'FINGERPRINT_UNSUPPORTED';

/** What the record at fault is, for the run's record error. */
export type MappingEntity = 'customer' | 'invoice' | 'payment';

/** Extra facts of a {@link MappingError}. */
export interface MappingErrorOptions {
  /** Which kind of record could not be mapped. */
  entity?: MappingEntity | undefined;
  /** Facts a user can act on, as strings (e.g. both totals of a `TOTAL_MISMATCH`). Never secrets. */
  details?: Readonly<Record<string, string>> | undefined;
  /** The error this one explains. */
  cause?: unknown;
}

/**
 * A record cannot be mapped: a setting is missing, an amount is not exact, the lines do not add up...
 * The message says what is wrong with which record; `resolution` says what the user can do about it.
 *
 * @example
 * ```ts
 * try { invoicedInvoiceToNetSuite(invoice, { customer: '7', ...settings }); }
 * catch (error) {
 *   if (error instanceof MappingError) record(error.code, error.number, error.message, error.resolution);
 * }
 * ```
 */
export class MappingError extends Error {
  override name = 'MappingError';
  /** Stable machine-readable code, e.g. `TOTAL_MISMATCH`. */
  readonly code: MappingErrorCode | (string & {});
  /** What the user can do about it. */
  readonly resolution: string | undefined;
  /** The record's human number when known (an invoice's `INV-0042`), else `undefined`. */
  readonly number: string | undefined;
  /** Which kind of record, when known. */
  readonly entity: MappingEntity | undefined;
  /** Facts of the failure, e.g. `{ invoicedTotal: '100.00', netsuiteTotal: '99.99', currency: 'USD' }`. */
  readonly details: Readonly<Record<string, string>>;

  constructor(
    code: MappingErrorCode | (string & {}),
    message: string,
    resolution?: string,
    number?: string | null,
    options: MappingErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.resolution = resolution;
    this.number = number ?? undefined;
    this.entity = options.entity;
    this.details = options.details ?? {};
  }

  /**
   * The same error for a known record: fills in `number` and `entity` where they were not known yet (a
   * money error thrown deep inside an invoice's mapping learns the invoice number on its way out).
   * @example throw error.forRecord('invoice', 'INV-0042');
   */
  forRecord(entity: MappingEntity, number: string | null | undefined): MappingError {
    const copy = new MappingError(this.code, this.message, this.resolution, this.number ?? number, {
      entity: this.entity ?? entity,
      details: this.details,
      cause: this.cause,
    });
    copy.stack = this.stack;
    return copy;
  }

  /** A plain object for logs and stored runs. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.resolution === undefined ? {} : { resolution: this.resolution }),
      ...(this.number === undefined ? {} : { number: this.number }),
      ...(this.entity === undefined ? {} : { entity: this.entity }),
      ...(Object.keys(this.details).length === 0 ? {} : { details: this.details }),
    };
  }
}

/**
 * Runs `map` and labels any {@link MappingError} it throws with the record it was mapping.
 * @internal
 */
export function withRecord<T>(entity: MappingEntity, number: string | null | undefined, map: () => T): T {
  try {
    return map();
  } catch (error) {
    if (error instanceof MappingError) throw error.forRecord(entity, number);
    throw error;
  }
}
