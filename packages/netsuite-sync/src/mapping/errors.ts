/**
 * The one error the mapping layer throws: a {@link NetSuiteSyncError}, like every error of the SDK. Mapping
 * is pure and imports nothing else of the SDK but the error hierarchy (which imports nothing); the engine
 * records its `code`, `message`, `resolution` and `number` as a per-record failure.
 */
import { ERROR_CLASS, isErrorOfClass, NetSuiteSyncError } from '../errors';

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
  | 'CREDITS_EXCEED_APPLIED'
  | 'REFUND_ACCOUNT_REQUIRED'
  | 'NO_PAYMENT_ACCOUNT'
  | 'AMBIGUOUS_PAYMENT_ACCOUNT'
  | 'INVALID_CURSOR'
  | 'FINGERPRINT_UNSUPPORTED'
  | 'FIELD_VALUE_INVALID'
  | 'SUBSIDIARY_RULE_NOT_MATCHED';

/** What the record at fault is, for the run's record error. */
export type MappingEntity = 'customer' | 'invoice' | 'payment' | 'creditNote' | 'refund';

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
 * function describeFailure(error: unknown): string {
 *   if (!(error instanceof MappingError)) return String(error);
 *   return `${error.code} (${error.entity ?? 'record'} ${error.number ?? '?'}): ${error.message} ${error.resolution ?? ''}`;
 * }
 * ```
 */
export class MappingError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'MappingError';
  override name = 'MappingError';
  /** Stable machine-readable code, e.g. `TOTAL_MISMATCH`. */
  declare readonly code: MappingErrorCode | (string & {});
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
    super(message, { code, resolution, cause: options.cause });
    this.number = number ?? undefined;
    this.entity = options.entity;
    this.details = options.details ?? {};
  }

  /**
   * The same error for a known record: fills in `number` and `entity` where they were not known yet (a
   * money error thrown deep inside an invoice's mapping learns the invoice number on its way out).
   * @example
   * ```ts
   * const error = new MappingError('AMOUNT_PRECISION', 'The amount 1.005 has more decimals than USD allows.');
   * throw error.forRecord('invoice', 'INV-0042');
   * ```
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
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      ...(this.number === undefined ? {} : { number: this.number }),
      ...(this.entity === undefined ? {} : { entity: this.entity }),
      ...(Object.keys(this.details).length === 0 ? {} : { details: this.details }),
    };
  }
}

/**
 * Whether `value` is a {@link MappingError}, also one made by another copy of the package (its ESM and
 * CommonJS builds loaded side by side), where `instanceof` is false.
 */
export function isMappingError(value: unknown): value is MappingError {
  return isErrorOfClass(value, 'MappingError');
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
