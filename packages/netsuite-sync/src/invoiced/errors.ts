/**
 * The errors of the Invoiced client. One class per failure, all under {@link InvoicedApiError}, chosen from
 * the transport's failure kind in one factory. Messages are built from redacted parts only.
 */
import type { ApiErrorContext, ApiFailureKind, ValidationIssue } from '../errors';
import { ApiError, ERROR_CLASS, NetSuiteSyncError, ResponseValidationError } from '../errors';
import type { Redactor } from '../internal/redact';
import type { FailureInfo } from '../internal/transport';
import { InvoicedErrorBodySchema } from './schemas';

/** Options of {@link InvoicedApiError}. */
export interface InvoicedApiErrorOptions extends ApiErrorContext {
  /** Invoiced's error `type` (`invalid_request`, `rate_limit_error`, `api_error`), when the body had one. */
  type?: string | undefined;
  /** The request parameter Invoiced blamed, when it named one. */
  param?: string | undefined;
  /** Overrides the class's stable code (used by the base class only). */
  code?: string | undefined;
  /** Overrides the class's resolution hint. */
  resolution?: string | undefined;
  /** The kind of failure (used by the base class only; by default from `status`). */
  kind?: ApiFailureKind | undefined;
  /** The underlying error, already redacted. */
  cause?: unknown;
}

/**
 * Base class of every error of a call to Invoiced. Branch on the subclasses with `instanceof`, or on `code`.
 *
 * @example
 * ```ts
 * try { await invoiced.invoices.retrieve(42); }
 * catch (error) {
 *   if (error instanceof InvoicedNotFoundError) return undefined;
 *   if (error instanceof InvoicedApiError) console.error(error.code, error.requestId, error.resolution);
 *   throw error;
 * }
 * ```
 */
export class InvoicedApiError extends ApiError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedApiError';
  override name = 'InvoicedApiError';
  /** Invoiced's error `type`, when the response said. */
  readonly type: string | undefined;
  /** The request parameter at fault, when Invoiced named one. */
  readonly param: string | undefined;

  constructor(message: string, options: InvoicedApiErrorOptions) {
    super('invoiced', message, {
      ...options,
      code: options.code ?? 'INVOICED_API_ERROR',
      resolution: options.resolution,
    });
    this.type = options.type;
    this.param = options.param;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      ...(this.type === undefined ? {} : { type: this.type }),
      ...(this.param === undefined ? {} : { param: this.param }),
    };
  }
}

type SubclassOptions = Omit<InvoicedApiErrorOptions, 'code' | 'kind'>;

/** 401: Invoiced did not accept the API key. */
export class InvoicedAuthenticationError extends InvoicedApiError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedAuthenticationError';
  override name = 'InvoicedAuthenticationError';
  declare readonly kind: 'authentication';
  constructor(message: string, options: SubclassOptions) {
    super(message, {
      ...options,
      kind: 'authentication',
      code: 'INVOICED_AUTHENTICATION_FAILED',
      resolution:
        options.resolution ??
        'Check the API key (Invoiced: Settings > Developers > API Keys) and that it belongs to the environment you call: sandbox keys only work with `sandbox: true` (https://api.sandbox.invoiced.com), production keys only with https://api.invoiced.com.',
    });
  }
}

/** 403: the API key is valid but may not do this. */
export class InvoicedPermissionError extends InvoicedApiError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedPermissionError';
  override name = 'InvoicedPermissionError';
  declare readonly kind: 'permission';
  constructor(message: string, options: SubclassOptions) {
    super(message, {
      ...options,
      kind: 'permission',
      code: 'INVOICED_PERMISSION_DENIED',
      resolution:
        options.resolution ??
        'The API key was accepted but is not allowed to do this. Check the key and the features enabled on the Invoiced account; retrying will not help.',
    });
  }
}

/** A 4xx other than 401, 403, 404 and 429: Invoiced refused the request as sent. */
export class InvoicedInvalidRequestError extends InvoicedApiError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedInvalidRequestError';
  override name = 'InvoicedInvalidRequestError';
  declare readonly kind: 'invalid_request';
  constructor(message: string, options: SubclassOptions) {
    super(message, {
      ...options,
      kind: 'invalid_request',
      code: 'INVOICED_INVALID_REQUEST',
      resolution:
        options.resolution ??
        'Invoiced refused the request as sent. Fix the field named in `param` (when there is one) and send it again; sending it unchanged fails the same way.',
    });
  }
}

/** 404: no such record in this Invoiced account and environment. */
export class InvoicedNotFoundError extends InvoicedApiError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedNotFoundError';
  override name = 'InvoicedNotFoundError';
  declare readonly kind: 'not_found';
  constructor(message: string, options: SubclassOptions) {
    super(message, {
      ...options,
      kind: 'not_found',
      code: 'INVOICED_NOT_FOUND',
      resolution:
        options.resolution ??
        'The record does not exist in this Invoiced account, or was deleted. Check the ID, and that the key and `sandbox` setting point at the environment that holds it.',
    });
  }
}

/** 429: more than 20 requests were in flight for the API key, after every retry. */
export class InvoicedRateLimitError extends InvoicedApiError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedRateLimitError';
  override name = 'InvoicedRateLimitError';
  declare readonly kind: 'rate_limit';
  constructor(message: string, options: SubclassOptions) {
    super(message, {
      ...options,
      kind: 'rate_limit',
      code: 'INVOICED_RATE_LIMITED',
      resolution:
        options.resolution ??
        'Invoiced allows 20 requests in flight per API key, shared by every process using the key. Lower `concurrency`, stop other jobs using the same key, or allow more `retries`.',
    });
  }
}

/** 5xx: Invoiced failed on its side, after every retry that was safe. */
export class InvoicedServerError extends InvoicedApiError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedServerError';
  override name = 'InvoicedServerError';
  declare readonly kind: 'server';
  constructor(message: string, options: SubclassOptions) {
    super(message, {
      ...options,
      kind: 'server',
      code: 'INVOICED_SERVER_ERROR',
      resolution:
        options.resolution ??
        'Invoiced failed on its side. Try again later; if it persists, quote the request ID to Invoiced support.',
    });
  }
}

/**
 * No answer within `timeoutMs` (or a 408), after every retry that was safe (`INVOICED_TIMEOUT`); or the
 * request ran out of its `deadlineMs`, retries and waits included (`INVOICED_DEADLINE_EXCEEDED`).
 */
export class InvoicedTimeoutError extends InvoicedApiError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedTimeoutError';
  override name = 'InvoicedTimeoutError';
  declare readonly kind: 'timeout';
  constructor(message: string, options: SubclassOptions & { code?: 'INVOICED_TIMEOUT' | 'INVOICED_DEADLINE_EXCEEDED' | undefined }) {
    super(message, {
      ...options,
      kind: 'timeout',
      code: options.code ?? 'INVOICED_TIMEOUT',
      resolution:
        options.resolution ??
        'Invoiced did not answer in time. Raise `timeoutMs` or try later. A write that timed out may still have been applied: look the record up (e.g. by metadata.netsuite_id) before creating it again.',
    });
  }
}

/** The connection failed (DNS, TLS, reset, offline), after every retry that was safe. */
export class InvoicedConnectionError extends InvoicedApiError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedConnectionError';
  override name = 'InvoicedConnectionError';
  declare readonly kind: 'connection';
  constructor(message: string, options: SubclassOptions) {
    super(message, {
      ...options,
      kind: 'connection',
      code: 'INVOICED_CONNECTION_FAILED',
      resolution:
        options.resolution ??
        'Could not reach Invoiced. Check the network, DNS, proxy and `baseUrl`. A write cut off mid-way may still have been applied: look the record up before creating it again.',
    });
  }
}

/**
 * A list could not be followed safely: the `Link: rel="next"` URL points at another origin (the API key
 * would be sent there), or the pages repeat. Invoiced answered, with pages the SDK cannot use: its kind is
 * `invalid_response`, so it is not retried and fails one record of a sync, not the run.
 */
export class InvoicedPaginationError extends InvoicedApiError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedPaginationError';
  override name = 'InvoicedPaginationError';
  declare readonly kind: 'invalid_response';
  constructor(message: string, options: SubclassOptions & { code: 'INVOICED_FOREIGN_NEXT_LINK' | 'INVOICED_PAGINATION_LOOP' }) {
    super(message, {
      ...options,
      kind: 'invalid_response',
      resolution:
        options.resolution ??
        'The list was stopped rather than sending the API key elsewhere or looping. Check `baseUrl` (a proxy must rewrite Link headers to its own origin) and report the request ID to Invoiced support.',
    });
  }
}

/** Which records can be found by their NetSuite ID. */
export type InvoicedMatchResource = 'customer' | 'invoice' | 'credit_note';

/**
 * More than one Invoiced record carries the same `metadata.netsuite_id`: the SDK refuses to guess which
 * one is the NetSuite record's counterpart. Every call succeeded and the data is at fault, so this is not
 * an {@link ApiError} and has no failure kind: a sync fails the one record.
 */
export class InvoicedDuplicateMatchError extends NetSuiteSyncError {
  static override readonly [ERROR_CLASS]: string = 'InvoicedDuplicateMatchError';
  override name = 'InvoicedDuplicateMatchError';
  /** The kind of record searched. */
  readonly resource: InvoicedMatchResource;
  /** The NetSuite internal ID searched for. */
  readonly netsuiteId: string;
  /** The Invoiced IDs of the first two records found. */
  readonly ids: readonly [number, number];

  constructor(resource: InvoicedMatchResource, netsuiteId: string, ids: readonly [number, number]) {
    super(
      `Two Invoiced ${resource}s have metadata.netsuite_id "${netsuiteId}": ${ids[0]} and ${ids[1]}. Refusing to guess which one matches.`,
      {
        code: 'INVOICED_DUPLICATE_MATCH',
        resolution: `Keep metadata.netsuite_id on one ${resource} only (remove or correct it on the other in Invoiced), then sync again.`,
      },
    );
    this.resource = resource;
    this.netsuiteId = netsuiteId;
    this.ids = ids;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), resource: this.resource, netsuiteId: this.netsuiteId, ids: [...this.ids] };
  }
}

const CORRELATION_ID = /correlation[\s_-]*id\W{0,3}([A-Za-z0-9][A-Za-z0-9._-]{3,127})/i;

/** The correlation ID Invoiced writes into the text of some 500 messages, if any. */
export function correlationIdFromMessage(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  return CORRELATION_ID.exec(message)?.[1];
}

function describe(context: ApiErrorContext): string {
  return `Invoiced ${context.method} ${context.path}`;
}

/**
 * Builds the transport's error factory: maps each failure kind to its class, reads Invoiced's
 * `{type, message, param}` body and redacts every string taken from the response.
 */
export function createInvoicedErrorFactory(redactor: Redactor, timeoutMs: number): (info: FailureInfo) => ApiError {
  return (info) => {
    const { context } = info;
    if (info.redirect !== undefined) {
      const to = info.redirect.locationOrigin ?? 'an address it did not name';
      return new InvoicedApiError(
        redactor.redact(`${describe(context)} answered with a redirect (${context.status ?? ''}) to ${to}; redirects are not followed.`),
        {
          ...context,
          kind: 'invalid_response',
          code: 'INVOICED_REDIRECT_NOT_FOLLOWED',
          resolution:
            'The SDK never follows redirects, so nothing (the API key included) was sent to that address and its answer was not used. Check `baseUrl`: it must be https://api.invoiced.com, https://api.sandbox.invoiced.com, or a proxy that passes requests through instead of redirecting them.',
        },
      );
    }
    if (info.deadline !== undefined) {
      const { deadlineMs, attempts } = info.deadline;
      return new InvoicedTimeoutError(
        `${describe(context)} did not complete within its deadline of ${deadlineMs} ms (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}).`,
        {
          ...context,
          code: 'INVOICED_DEADLINE_EXCEEDED',
          cause: info.cause,
          resolution:
            'Invoiced gave no usable answer before the deadline: the attempts, their retries and the waits between them took longer than `deadlineMs` together, and were stopped. Try later, or raise `deadlineMs` (and `timeoutMs`). A write that timed out may still have been applied: look the record up (e.g. by metadata.netsuite_id) before creating it again.',
        },
      );
    }
    if (info.kind === 'invalid_response') {
      return new ResponseValidationError('invoiced', `${describe(context)} answered with a body that is not JSON.`, {
        ...context,
        code: 'INVOICED_INVALID_RESPONSE',
        issues: [{ path: '', message: 'Response body is not valid JSON.' }],
        cause: info.cause,
      });
    }

    const parsed = InvoicedErrorBodySchema.safeParse(info.body);
    const body = parsed.success ? parsed.data : undefined;
    const serverMessage = body === undefined ? undefined : redactor.redact(body.message);
    const type = body === undefined ? undefined : redactor.redact(body.type);
    const param = body?.param == null ? undefined : redactor.redact(body.param);
    const requestId =
      context.requestId ?? (info.kind === 'server' ? correlationIdFromMessage(serverMessage) : undefined);
    const options: SubclassOptions = { ...context, requestId, type, param, cause: info.cause };
    const status = context.status === undefined ? '' : ` with ${context.status}`;
    const detail = serverMessage === undefined ? '' : `: ${serverMessage}`;
    const failed = `${describe(context)} failed${status}${detail}${param === undefined ? '' : ` (param: ${param})`}`;

    switch (info.kind) {
      case 'authentication':
        return new InvoicedAuthenticationError(failed, options);
      case 'permission':
        return new InvoicedPermissionError(failed, options);
      case 'not_found':
        return new InvoicedNotFoundError(failed, options);
      case 'rate_limit':
        return new InvoicedRateLimitError(failed, options);
      case 'server':
        return new InvoicedServerError(failed, options);
      case 'invalid_request':
        return new InvoicedInvalidRequestError(failed, options);
      case 'timeout':
        return new InvoicedTimeoutError(
          context.status === undefined ? `${describe(context)} timed out after ${timeoutMs} ms.` : failed,
          options,
        );
      case 'connection':
        return new InvoicedConnectionError(
          `${describe(context)} could not connect${info.cause === undefined ? '' : `: ${redactor.redact(info.cause.message)}`}`,
          options,
        );
    }
  };
}

/** A `ResponseValidationError` for a body that does not match the expected schema. */
export function invalidResponseError(
  context: ApiErrorContext,
  what: string,
  issues: readonly ValidationIssue[],
): ResponseValidationError {
  const count = issues.length === 1 ? '1 issue' : `${issues.length} issues`;
  return new ResponseValidationError(
    'invoiced',
    `${describe(context)} answered with ${what} this SDK does not understand (${count}: ${issues
      .slice(0, 3)
      .map((issue) => `${issue.path === '' ? '(body)' : issue.path} ${issue.message}`)
      .join('; ')}).`,
    { ...context, code: 'INVOICED_INVALID_RESPONSE', issues },
  );
}
