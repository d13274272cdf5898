import { z } from 'zod';
import { ApiError, ERROR_CLASS, ResponseValidationError, type ApiErrorOptions } from '../errors';
import type { FailureInfo } from '../internal/transport';
import type { Redactor } from '../internal/redact';

/** One entry of NetSuite's `o:errorDetails`. */
export interface NetSuiteErrorDetail {
  /** Human text, e.g. `Invalid login attempt.` */
  detail: string;
  /** NetSuite's code, e.g. `INVALID_LOGIN`, `NONEXISTENT_FIELD`, `USER_ERROR`. */
  code: string | undefined;
  /** The field the detail is about, when NetSuite names one. */
  path: string | undefined;
  /** The query parameter the detail is about, when NetSuite names one. */
  queryParam: string | undefined;
}

/** NetSuite's error body (RFC 7807 with `o:errorDetails`). */
export const netSuiteErrorBodySchema = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  'o:errorDetails': z
    .array(
      z.looseObject({
        detail: z.string().optional(),
        'o:errorCode': z.string().optional(),
        'o:errorPath': z.string().optional(),
        'o:errorQueryParam': z.string().optional(),
      }),
    )
    .optional(),
});
export type NetSuiteErrorBody = z.infer<typeof netSuiteErrorBodySchema>;

/** Options of {@link NetSuiteApiError}. */
export interface NetSuiteApiErrorOptions extends ApiErrorOptions {
  details?: readonly NetSuiteErrorDetail[];
}

/**
 * An error answered by (or on the way to) NetSuite. `code` is NetSuite's `o:errorCode` when it sent
 * one; `detail`, `errorPath` and `details` carry the rest of its body.
 *
 * @example
 * ```ts
 * try { await netsuite.records.get('invoice', '42'); }
 * catch (error) {
 *   if (error instanceof NetSuiteApiError && error.code === 'NONEXISTENT_FIELD') console.error(error.errorPath);
 *   throw error;
 * }
 * ```
 */
export class NetSuiteApiError extends ApiError {
  static override readonly [ERROR_CLASS]: string = 'NetSuiteApiError';
  override name = 'NetSuiteApiError';
  /** Every entry of `o:errorDetails`. */
  readonly details: readonly NetSuiteErrorDetail[];

  constructor(message: string, options: NetSuiteApiErrorOptions) {
    super('netsuite', message, options);
    this.details = options.details ?? [];
  }

  /** The first detail's text. */
  get detail(): string | undefined {
    return this.details[0]?.detail;
  }

  /** The field the first detail is about. */
  get errorPath(): string | undefined {
    return this.details[0]?.path;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), details: this.details };
  }
}

/** Options of the classes of one failure: the class fixes the failure `kind`. */
export type NetSuiteFailureOptions = Omit<NetSuiteApiErrorOptions, 'kind'>;

/** 401: NetSuite refused the credentials (`INVALID_LOGIN`). The resolution lists what to check. */
export class NetSuiteAuthenticationError extends NetSuiteApiError {
  static override readonly [ERROR_CLASS]: string = 'NetSuiteAuthenticationError';
  override name = 'NetSuiteAuthenticationError';
  declare readonly kind: 'authentication';
  constructor(message: string, options: NetSuiteFailureOptions) {
    super(message, { ...options, kind: 'authentication' });
  }
}
/** 403: the role behind the credentials lacks a permission. */
export class NetSuitePermissionError extends NetSuiteApiError {
  static override readonly [ERROR_CLASS]: string = 'NetSuitePermissionError';
  override name = 'NetSuitePermissionError';
  declare readonly kind: 'permission';
  constructor(message: string, options: NetSuiteFailureOptions) {
    super(message, { ...options, kind: 'permission' });
  }
}
/** 404: no such record, or the role cannot see it. */
export class NetSuiteNotFoundError extends NetSuiteApiError {
  static override readonly [ERROR_CLASS]: string = 'NetSuiteNotFoundError';
  override name = 'NetSuiteNotFoundError';
  declare readonly kind: 'not_found';
  constructor(message: string, options: NetSuiteFailureOptions) {
    super(message, { ...options, kind: 'not_found' });
  }
}
/** 4xx other than the above: NetSuite refused the request's content (`USER_ERROR`, `NONEXISTENT_FIELD`...). */
export class NetSuiteInvalidRequestError extends NetSuiteApiError {
  static override readonly [ERROR_CLASS]: string = 'NetSuiteInvalidRequestError';
  override name = 'NetSuiteInvalidRequestError';
  declare readonly kind: 'invalid_request';
  constructor(message: string, options: NetSuiteFailureOptions) {
    super(message, { ...options, kind: 'invalid_request' });
  }
}
/** 429: the account's concurrency limit was exceeded (`CONCURRENCY_LIMIT_EXCEEDED`), after every retry. */
export class NetSuiteRateLimitError extends NetSuiteApiError {
  static override readonly [ERROR_CLASS]: string = 'NetSuiteRateLimitError';
  override name = 'NetSuiteRateLimitError';
  declare readonly kind: 'rate_limit';
  constructor(message: string, options: NetSuiteFailureOptions) {
    super(message, { ...options, kind: 'rate_limit' });
  }
}
/** 5xx: NetSuite failed, after every retry that was safe. */
export class NetSuiteServerError extends NetSuiteApiError {
  static override readonly [ERROR_CLASS]: string = 'NetSuiteServerError';
  override name = 'NetSuiteServerError';
  declare readonly kind: 'server';
  constructor(message: string, options: NetSuiteFailureOptions) {
    super(message, { ...options, kind: 'server' });
  }
}
/** NetSuite did not answer within `timeoutMs` (after every safe retry), or the request ran out of its `deadlineMs`. */
export class NetSuiteTimeoutError extends NetSuiteApiError {
  static override readonly [ERROR_CLASS]: string = 'NetSuiteTimeoutError';
  override name = 'NetSuiteTimeoutError';
  declare readonly kind: 'timeout';
  constructor(message: string, options: NetSuiteFailureOptions) {
    super(message, { ...options, kind: 'timeout' });
  }
}
/** NetSuite could not be reached, or the connection dropped before the answer was read. */
export class NetSuiteConnectionError extends NetSuiteApiError {
  static override readonly [ERROR_CLASS]: string = 'NetSuiteConnectionError';
  override name = 'NetSuiteConnectionError';
  declare readonly kind: 'connection';
  constructor(message: string, options: NetSuiteFailureOptions) {
    super(message, { ...options, kind: 'connection' });
  }
}

type NetSuiteErrorClass = new (message: string, options: NetSuiteFailureOptions) => NetSuiteApiError;

const RESOLUTIONS = {
  authentication: (realm: string) =>
    `NetSuite refused the credentials. Check, in this order: the account ID (realm ${realm}) is the account the ` +
    'access token was created in; the consumer key and secret belong to the integration record and the token ID ' +
    'and secret to an access token of that same integration; the token is not revoked and its user still has the ' +
    "role; the role has the 'REST Web Services' and 'Log in using Access Tokens' permissions; this machine's clock " +
    'is right (signatures carry a timestamp). The Login Audit Trail in NetSuite (Setup > Users/Roles > User ' +
    'Management > View Login Audit Trail) shows the exact reason.',
  permission:
    'The role used by the access token lacks a permission for this record or action. Add it to the role ' +
    '(for example Transactions > Invoice, Lists > Customers, Setup > REST Web Services) and try again.',
  not_found: 'The record does not exist in this account, or the role cannot see it. Check the internal ID and the role.',
  invalid_request: 'NetSuite refused the request as the detail says; correct the data or the settings it names.',
  rate_limit:
    "NetSuite's account-wide concurrency limit was reached (it is shared by every integration of the account). " +
    'The SDK retried with back-off; lower `concurrency` or run when other integrations are quiet.',
  server: 'NetSuite had an internal error. Retry later; if it persists, give the request ID to NetSuite support.',
  timeout: 'NetSuite did not answer in time. Raise `timeoutMs` for heavy queries, or retry later.',
  deadline:
    'NetSuite gave no usable answer before the deadline: the attempts, their retries and the waits between them took longer ' +
    'than `deadlineMs` together, and were stopped. Retry later; for queries that are slow on purpose raise `timeoutMs` and `deadlineMs` together.',
  redirect:
    'The SDK never follows redirects, so nothing (credentials included) was sent to that address. Check `baseUrl`: it must be the ' +
    "account's REST host (https://<account>.suitetalk.api.netsuite.com) or a proxy that passes requests through instead of redirecting them.",
  connection: 'NetSuite could not be reached. Check the network, any proxy, and the base URL.',
} as const;

const CODE_RESOLUTIONS: Readonly<Record<string, string>> = {
  NONEXISTENT_FIELD:
    'A field in the request does not exist on this record type in this account (a feature may be off, or a ' +
    'custom field is missing). Remove the field or enable it in NetSuite.',
  INVALID_CONTENT: 'The request body is not valid for this record type; check the field named in the error path.',
  RCRD_HAS_BEEN_CHANGED:
    'The record changed in NetSuite while it was being written. Run the sync again: writes are upserts by ' +
    'external ID, so a repeat does not duplicate.',
};

const oauthErrorBodySchema = z.looseObject({ error: z.string(), error_description: z.string().optional() });

/**
 * Parses NetSuite's `o:errorDetails` (or an OAuth token endpoint's `{ error, error_description }`),
 * tolerating bodies of any other shape.
 */
export function parseNetSuiteErrorDetails(body: unknown): NetSuiteErrorDetail[] {
  const oauth = oauthErrorBodySchema.safeParse(body);
  if (oauth.success) {
    return [{ detail: oauth.data.error_description ?? '', code: oauth.data.error, path: undefined, queryParam: undefined }];
  }
  const parsed = netSuiteErrorBodySchema.safeParse(body);
  if (!parsed.success) return [];
  return (parsed.data['o:errorDetails'] ?? []).map((item) => ({
    detail: item.detail ?? '',
    code: item['o:errorCode'],
    path: item['o:errorPath'],
    queryParam: item['o:errorQueryParam'],
  }));
}

/**
 * Masks credentials in every text field of error details: a server may repeat what it was sent (an
 * Authorization header, a client assertion) in the error path or query parameter as well as the detail.
 */
export function redactNetSuiteErrorDetails(redactor: Redactor, details: readonly NetSuiteErrorDetail[]): NetSuiteErrorDetail[] {
  const redact = (text: string | undefined) => (text === undefined ? undefined : redactor.redact(text));
  return details.map((detail) => ({
    detail: redactor.redact(detail.detail),
    code: redact(detail.code),
    path: redact(detail.path),
    queryParam: redact(detail.queryParam),
  }));
}

/** Builds the NetSuite client's errors from the transport's failures. */
export function createNetSuiteErrorFactory(redactor: Redactor, realm: string) {
  return (info: FailureInfo): ApiError => {
    const { kind, context } = info;
    if (info.redirect !== undefined) {
      const to = info.redirect.locationOrigin === undefined ? 'an address it did not name' : info.redirect.locationOrigin;
      return new NetSuiteApiError(
        redactor.redact(`NetSuite ${context.method} ${context.path} answered with a redirect (${context.status ?? ''}) to ${to}; redirects are not followed.`),
        { ...context, kind: 'invalid_response', code: 'REDIRECT_NOT_FOLLOWED', resolution: RESOLUTIONS.redirect },
      );
    }
    if (info.deadline !== undefined) {
      const { deadlineMs, attempts } = info.deadline;
      return new NetSuiteTimeoutError(
        redactor.redact(
          `NetSuite ${context.method} ${context.path} did not complete within its deadline of ${deadlineMs} ms (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}).`,
        ),
        { ...context, code: 'DEADLINE_EXCEEDED', resolution: RESOLUTIONS.deadline, cause: info.cause },
      );
    }
    if (kind === 'invalid_response') {
      return new ResponseValidationError('netsuite', `NetSuite answered ${context.method} ${context.path} with a body that is not JSON.`, {
        ...context,
        code: 'INVALID_RESPONSE',
        issues: [{ path: '', message: 'body is not valid JSON' }],
        cause: info.cause,
      });
    }
    const details = redactNetSuiteErrorDetails(redactor, parseNetSuiteErrorDetails(info.body));
    const first = details[0];
    const classes: Record<typeof kind, NetSuiteErrorClass> = {
      authentication: NetSuiteAuthenticationError,
      permission: NetSuitePermissionError,
      not_found: NetSuiteNotFoundError,
      invalid_request: NetSuiteInvalidRequestError,
      rate_limit: NetSuiteRateLimitError,
      server: NetSuiteServerError,
      timeout: NetSuiteTimeoutError,
      connection: NetSuiteConnectionError,
    };
    const defaultCodes: Record<typeof kind, string> = {
      authentication: 'INVALID_LOGIN',
      permission: 'INSUFFICIENT_PERMISSION',
      not_found: 'NOT_FOUND',
      invalid_request: 'INVALID_REQUEST',
      rate_limit: 'CONCURRENCY_LIMIT_EXCEEDED',
      server: 'SERVER_ERROR',
      timeout: 'TIMEOUT',
      connection: 'CONNECTION_FAILED',
    };
    const code = first?.code ?? defaultCodes[kind];
    const resolution =
      CODE_RESOLUTIONS[code] ?? (kind === 'authentication' ? RESOLUTIONS.authentication(realm) : RESOLUTIONS[kind]);
    const what =
      kind === 'timeout'
        ? 'timed out'
        : kind === 'connection'
          ? `failed: ${info.cause?.message ?? 'connection error'}`
          : `failed with ${context.status ?? ''} ${code}`;
    const detailText = first?.detail ? `: ${first.detail}` : '';
    const message = redactor.redact(`NetSuite ${context.method} ${context.path} ${what}${detailText}`);
    return new classes[kind](message, { ...context, code, resolution, details, cause: info.cause });
  };
}
