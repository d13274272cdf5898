/**
 * The error hierarchy shared by every part of the SDK.
 *
 * Every error a user can meet is a subclass of {@link NetSuiteSyncError} with a stable `code`, a
 * human `message` and, where there is one, a `resolution` that says what to do. Errors never carry a
 * secret: messages are built from safe parts only, and causes from the network layer are copied through
 * the client's redactor before they are attached.
 */

/** The external service an error came from. */
export type ApiName = 'netsuite' | 'invoiced';

/** Options common to every error of the SDK. */
export interface NetSuiteSyncErrorOptions {
  /** Stable machine-readable code, e.g. `INVALID_LOGIN`. */
  code: string;
  /** What the user can do about it. */
  resolution?: string | undefined;
  /** The underlying error, already redacted. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by `@invoiced/netsuite-sync`.
 *
 * @example
 * ```ts
 * try { await netsuite.records.get('invoice', '42'); }
 * catch (error) {
 *   if (error instanceof NetSuiteSyncError) console.error(error.code, error.resolution);
 * }
 * ```
 */
export class NetSuiteSyncError extends Error {
  override name = 'NetSuiteSyncError';
  /** Stable machine-readable code. */
  readonly code: string;
  /** What the user can do about it, when known. */
  readonly resolution: string | undefined;

  constructor(message: string, options: NetSuiteSyncErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.resolution = options.resolution;
  }

  /** A plain, secret-free object for logs and stored runs. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.resolution === undefined ? {} : { resolution: this.resolution }),
    };
  }
}

/** One problem found while validating input, in a form safe to show (never the offending value). */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `items.0.total`; empty for the whole value. */
  path: string;
  /** What is wrong with it. */
  message: string;
}

/**
 * Options or arguments given to the SDK are not valid (a malformed account ID, a negative concurrency,
 * a SuiteQL value that cannot be written as a literal...). Thrown synchronously at the call that got them.
 */
export class ConfigurationError extends NetSuiteSyncError {
  override name = 'ConfigurationError';
  /** Each problem, by field. */
  readonly issues: readonly ValidationIssue[];

  constructor(
    message: string,
    options: { issues?: readonly ValidationIssue[]; resolution?: string; code?: string } = {},
  ) {
    super(message, { code: options.code ?? 'INVALID_CONFIGURATION', resolution: options.resolution });
    this.issues = options.issues ?? [];
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** Where an API error happened: the request it answered. */
export interface ApiErrorContext {
  /** HTTP method, upper case. */
  method: string;
  /** Path and query of the request, relative to the API's base URL (no credentials are ever in it). */
  path: string;
  /** HTTP status, when a response was received. */
  status?: number | undefined;
  /** The service's request or correlation ID, when it sent one. Quote it to the service's support. */
  requestId?: string | undefined;
  /** Suggested wait before retrying, from a `Retry-After` header. */
  retryAfterMs?: number | undefined;
}

/** Options of {@link ApiError}. */
export interface ApiErrorOptions extends NetSuiteSyncErrorOptions, ApiErrorContext {}

/**
 * Base class of the errors of a call to NetSuite or Invoiced. Subclasses per service and per failure
 * (authentication, not found, rate limit, server, timeout, connection) let callers branch with
 * `instanceof`; the fields say which request failed.
 */
export class ApiError extends NetSuiteSyncError {
  override name = 'ApiError';
  /** The service that answered (or did not). */
  readonly api: ApiName;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(api: ApiName, message: string, options: ApiErrorOptions) {
    super(message, options);
    this.api = api;
    this.method = options.method;
    this.path = options.path;
    this.status = options.status;
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      api: this.api,
      method: this.method,
      path: this.path,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
    };
  }
}

/**
 * A response did not have the shape the SDK expects (a missing required field, a wrong type, a body
 * that is not JSON). Nothing was written on the SDK's side because of it.
 */
export class ResponseValidationError extends ApiError {
  override name = 'ResponseValidationError';
  /** Each mismatch, by field path. */
  readonly issues: readonly ValidationIssue[];

  constructor(api: ApiName, message: string, options: ApiErrorOptions & { issues: readonly ValidationIssue[] }) {
    super(api, message, {
      ...options,
      resolution:
        options.resolution ??
        'The service answered with data this SDK does not understand. Check the issues listed on the error; if the record is valid in the service, report it with the request ID.',
    });
    this.issues = options.issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** Turns zod-style issues into {@link ValidationIssue}s that never include the offending value. */
export function toValidationIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): ValidationIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map((part) => String(part)).join('.'),
    message: issue.message,
  }));
}
