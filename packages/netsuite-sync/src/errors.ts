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

/**
 * What kind of failure an {@link ApiError} is. It decides whether the clients retry a request (rate limits
 * always; server errors, timeouts and lost connections when the request is safe to repeat) and whether a
 * sync run goes on with its other records.
 *
 * - `authentication`: the service refused the credentials (401, or the token endpoint refused them).
 * - `permission`: the credentials are valid but may not do this (403).
 * - `not_found`: no such record (404).
 * - `invalid_request`: the service refused the request as sent (another 4xx).
 * - `rate_limit`: too many requests (429).
 * - `server`: the service failed (5xx).
 * - `timeout`: no answer in time (or a 408).
 * - `connection`: the service could not be reached, or the connection dropped.
 * - `invalid_response`: an answer the SDK cannot use (not JSON, not the expected shape, a list that loops).
 */
export type ApiFailureKind =
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'invalid_request'
  | 'rate_limit'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'invalid_response';

const STATUS_KINDS: ReadonlyMap<number, ApiFailureKind> = new Map([
  [401, 'authentication'],
  [403, 'permission'],
  [404, 'not_found'],
  [408, 'timeout'],
  [429, 'rate_limit'],
]);

/**
 * The failure kind of an HTTP status: 401, 403, 404, 408 and 429 have their own, 5xx is `server` and any
 * other status that is not 2xx is `invalid_request`. A 2xx that still failed is `invalid_response` (the
 * answer could not be used); no status at all is `connection` (no answer was received).
 *
 * @example kindOfStatus(429) // 'rate_limit'
 */
export function kindOfStatus(status: number | undefined): ApiFailureKind {
  if (status === undefined) return 'connection';
  if (status >= 200 && status < 300) return 'invalid_response';
  return STATUS_KINDS.get(status) ?? (status >= 500 ? 'server' : 'invalid_request');
}

/** Every kind, to check a `kind` read from an error of another copy of the package. */
const API_FAILURE_KINDS: Readonly<Record<ApiFailureKind, true>> = {
  authentication: true, permission: true, not_found: true, invalid_request: true, rate_limit: true,
  server: true, timeout: true, connection: true, invalid_response: true,
};

/**
 * The key of the static that names an SDK error class in the brand of its instances (what
 * `isErrorOfClass` reads). A subclass of an SDK error declares `static override readonly [ERROR_CLASS] = 'MyError'`
 * to be recognized by its own name across copies of the package; without it, it is recognized as its parent.
 */
export const ERROR_CLASS: unique symbol = Symbol.for('@invoiced/netsuite-sync/error-class');

/**
 * The key of every SDK error's brand: the class names of its chain, most derived first. A registered
 * symbol, so two copies of the package (its ESM and CommonJS builds loaded side by side) share it.
 */
const ERROR_BRAND: unique symbol = Symbol.for('@invoiced/netsuite-sync/error-classes');

const chains = new WeakMap<object, readonly string[]>();

/** The names the classes from `target` up declare under {@link ERROR_CLASS}. */
function classChain(target: object): readonly string[] {
  const known = chains.get(target);
  if (known !== undefined) return known;
  const names: string[] = [];
  let current: object | null = target;
  while (current !== null && current !== Function.prototype) {
    const name: unknown = Object.hasOwn(current, ERROR_CLASS) ? (current as Record<symbol, unknown>)[ERROR_CLASS] : undefined;
    if (typeof name === 'string') names.push(name);
    current = Object.getPrototypeOf(current) as object | null;
  }
  const chain = Object.freeze(names);
  chains.set(target, chain);
  return chain;
}

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
  static readonly [ERROR_CLASS]: string = 'NetSuiteSyncError';
  override name = 'NetSuiteSyncError';
  /** Stable machine-readable code. */
  readonly code: string;
  /** What the user can do about it, when known. */
  readonly resolution: string | undefined;

  constructor(message: string, options: NetSuiteSyncErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.resolution = options.resolution;
    Object.defineProperty(this, ERROR_BRAND, { value: classChain(new.target) });
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
  static override readonly [ERROR_CLASS]: string = 'ConfigurationError';
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
export interface ApiErrorOptions extends NetSuiteSyncErrorOptions, ApiErrorContext {
  /** The kind of failure; by default {@link kindOfStatus} of `status`. Subclasses of one failure fix their own. */
  kind?: ApiFailureKind | undefined;
}

/**
 * Base class of the errors of a call to NetSuite or Invoiced. Subclasses per service and per failure
 * (authentication, not found, rate limit, server, timeout, connection) let callers branch with
 * `instanceof`; `kind` says the same for every service (and across copies of the package, with
 * {@link isApiError}); the fields say which request failed.
 */
export class ApiError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'ApiError';
  override name = 'ApiError';
  /** The service that answered (or did not). */
  readonly api: ApiName;
  /** What kind of failure this is; fixed by the class where the class says it (e.g. `rate_limit`). */
  readonly kind: ApiFailureKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(api: ApiName, message: string, options: ApiErrorOptions) {
    super(message, options);
    this.api = api;
    this.kind = options.kind ?? kindOfStatus(options.status);
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
      kind: this.kind,
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
  static override readonly [ERROR_CLASS]: string = 'ResponseValidationError';
  override name = 'ResponseValidationError';
  declare readonly kind: 'invalid_response';
  /** Each mismatch, by field path. */
  readonly issues: readonly ValidationIssue[];

  constructor(api: ApiName, message: string, options: Omit<ApiErrorOptions, 'kind'> & { issues: readonly ValidationIssue[] }) {
    super(api, message, {
      ...options,
      kind: 'invalid_response',
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

/** The class names in the brand of an SDK error (from any copy of the package), or `undefined`. */
function brandOf(value: unknown): readonly unknown[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const brand: unknown = (value as Record<symbol, unknown>)[ERROR_BRAND];
  return Array.isArray(brand) ? brand : undefined;
}

/**
 * Whether `value` is an error of the SDK class named `className` or of a subclass of it, like
 * `instanceof`, but also for an error made by another copy of the package (its ESM and CommonJS builds
 * loaded side by side, or two installed versions), where `instanceof` is false.
 *
 * @example
 * ```ts
 * try { await invoiced.invoices.retrieve(42); }
 * catch (error) {
 *   if (isErrorOfClass(error, 'InvoicedNotFoundError')) console.warn('no invoice 42');
 *   else throw error;
 * }
 * ```
 */
export function isErrorOfClass(value: unknown, className: string): value is NetSuiteSyncError {
  return brandOf(value)?.includes(className) ?? false;
}

/** Whether `value` is a {@link NetSuiteSyncError} of any copy of the package (see {@link isErrorOfClass}). */
export function isNetSuiteSyncError(value: unknown): value is NetSuiteSyncError {
  return isErrorOfClass(value, 'NetSuiteSyncError');
}

/**
 * Whether `value` is an {@link ApiError} of any copy of the package (see {@link isErrorOfClass}).
 *
 * @example
 * ```ts
 * try { await netsuite.records.get('invoice', '42'); }
 * catch (error) {
 *   // Both services, and errors of another copy of the package (where `instanceof` is false).
 *   if (isApiError(error) && error.kind === 'rate_limit') console.warn('busy; retry in', error.retryAfterMs, 'ms');
 *   else throw error;
 * }
 * ```
 */
export function isApiError(value: unknown): value is ApiError {
  return isErrorOfClass(value, 'ApiError');
}

/** Whether `value` is a {@link ConfigurationError} of any copy of the package (see {@link isErrorOfClass}). */
export function isConfigurationError(value: unknown): value is ConfigurationError {
  return isErrorOfClass(value, 'ConfigurationError');
}

/**
 * The failure kind of an {@link ApiError} of any copy of the package; `undefined` for anything else
 * (another error, or an SDK error that is not about a call to a service).
 */
export function apiFailureKindOf(value: unknown): ApiFailureKind | undefined {
  if (!isApiError(value)) return undefined;
  const kind: unknown = (value as { kind?: unknown }).kind;
  return typeof kind === 'string' && Object.hasOwn(API_FAILURE_KINDS, kind) ? (kind as ApiFailureKind) : undefined;
}
