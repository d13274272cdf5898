import { randomUUID } from 'node:crypto';
import type { SandboxOutcome } from '../http';

/** Content type of NetSuite's REST error bodies. */
export const ERROR_CONTENT_TYPE = 'application/vnd.oracle.resource+json; type=error';

const TITLES: Readonly<Record<number, readonly [string, string]>> = {
  400: ['Bad Request', '15.5.1'],
  401: ['Unauthorized', '15.5.2'],
  403: ['Forbidden', '15.5.4'],
  404: ['Not Found', '15.5.5'],
  405: ['Method Not Allowed', '15.5.6'],
  406: ['Not Acceptable', '15.5.7'],
  500: ['Internal Server Error', '15.6.1'],
};

/**
 * Where an error points: a body field (`o:errorPath`), a query parameter (`o:errorQueryParam`) or a
 * request header (`o:errorHeader`), the three locations of the REST API Browser's `nsError`.
 */
export interface NetSuiteErrorLocation {
  /** Body field, e.g. `entity` or `item.items[0].item`. */
  readonly path?: string;
  /** Query parameter, e.g. `offset` or `q`. */
  readonly queryParam?: string;
  /** Request header, e.g. `X-NetSuite-PropertyNameValidation`. */
  readonly header?: string;
}

/**
 * A refusal the simulator answers the way NetSuite does: an HTTP status and one `o:errorDetails` entry.
 * Thrown by the `state` API too, so tests can assert the same `code` whether they went through HTTP or not.
 *
 * @example
 * expect(() => service.state.insert('invoice', { item: { items: [] } })).toThrow(expect.objectContaining({ code: 'USER_ERROR', path: 'entity' }));
 */
export class NetSuiteSimulatorError extends Error {
  override name = 'NetSuiteSimulatorError';
  /** HTTP status NetSuite would answer. */
  readonly status: number;
  /** NetSuite's `o:errorCode`, e.g. `USER_ERROR`, `NONEXISTENT_FIELD`, `INVALID_CONTENT`. */
  readonly code: string;
  /** `o:errorPath`, when the error concerns a body field. */
  readonly path: string | undefined;
  /** `o:errorQueryParam`, when the error concerns a query parameter. */
  readonly queryParam: string | undefined;
  /** `o:errorHeader`, when the error concerns a request header. */
  readonly header: string | undefined;

  constructor(status: number, code: string, detail: string, location: NetSuiteErrorLocation = {}) {
    super(detail);
    this.status = status;
    this.code = code;
    this.path = location.path;
    this.queryParam = location.queryParam;
    this.header = location.header;
  }
}

/** A 400 with the given code. */
export function badRequest(code: string, detail: string, location: NetSuiteErrorLocation = {}): NetSuiteSimulatorError {
  return new NetSuiteSimulatorError(400, code, detail, location);
}

/**
 * 400 `USER_ERROR` naming a missing field, worded as NetSuite's live answers are (a peer's live test,
 * `julbrs/netsuite-api-client` `test/request.test.ts`; no Oracle page shows it).
 */
export function missingField(path: string, label: string): NetSuiteSimulatorError {
  return badRequest('USER_ERROR', `Error while accessing a resource. Please enter value(s) for: ${label}`, { path });
}

/**
 * 400 `INVALID_CONTENT` naming the field: a reference to a record that does not exist (Oracle's "Error
 * Handling in REST Web Services" shows this code for an unknown item on a line).
 */
export function invalidReference(path: string, key: string | number): NetSuiteSimulatorError {
  return badRequest('INVALID_CONTENT', `Error while accessing the resource: ${key} is not a valid value for the field ${path}.`, { path });
}

/** 400 `INVALID_CONTENT`: a value of the wrong JSON type or format. */
export function invalidContent(path: string, expectation: string): NetSuiteSimulatorError {
  return badRequest('INVALID_CONTENT', `Invalid value for field ${path}: ${expectation}.`, { path });
}

/** 400 `NONEXISTENT_FIELD`: a body field the record type does not have (under `X-NetSuite-PropertyNameValidation: Error`). */
export function nonexistentField(path: string): NetSuiteSimulatorError {
  return badRequest('NONEXISTENT_FIELD', `Invalid field name ${path}. Provide a valid field name.`, { path });
}

/** 400 `INSUFFICIENT_PERMISSION`: a field NetSuite computes, which a write cannot set. */
export function readOnlyField(path: string): NetSuiteSimulatorError {
  return badRequest('INSUFFICIENT_PERMISSION', `The field ${path} is read-only: NetSuite sets it, a request cannot.`, { path });
}

/** 404 `NONEXISTENT_ID`. */
export function notFound(type: string, id: string): NetSuiteSimulatorError {
  return new NetSuiteSimulatorError(404, 'NONEXISTENT_ID', `The record instance does not exist. Provide a valid record instance ID. (${type} ${id})`);
}

/** NetSuite's error body. */
export function errorBody(status: number, details: readonly Record<string, string>[]): Record<string, unknown> {
  const [title, section] = TITLES[status] ?? ['Error', status >= 500 ? '15.6.1' : '15.5.1'];
  return { type: `https://www.rfc-editor.org/rfc/rfc9110.html#section-${section}`, title, status, 'o:errorDetails': details };
}

/** Headers every NetSuite answer carries. */
export function responseHeaders(contentType?: string): Record<string, string> {
  return { ...(contentType === undefined ? {} : { 'content-type': contentType }), 'x-n-operationid': randomUUID() };
}

/** The response for a refusal. */
export function errorOutcome(error: NetSuiteSimulatorError): SandboxOutcome {
  const detail: Record<string, string> = { detail: error.message, 'o:errorCode': error.code };
  if (error.path !== undefined) detail['o:errorPath'] = error.path;
  if (error.queryParam !== undefined) detail['o:errorQueryParam'] = error.queryParam;
  if (error.header !== undefined) detail['o:errorHeader'] = error.header;
  return { kind: 'response', status: error.status, headers: responseHeaders(ERROR_CONTENT_TYPE), body: errorBody(error.status, [detail]) };
}

/** Detail of NetSuite's 401 answer, word for word. */
export const INVALID_LOGIN_DETAIL =
  'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.';

/**
 * The 401 `INVALID_LOGIN` answer (the same body whatever the reason, as NetSuite gives none), with the
 * `WWW-Authenticate` challenge of the scheme the request tried, when given.
 */
export function unauthorizedOutcome(challenge?: string): SandboxOutcome {
  return {
    kind: 'response',
    status: 401,
    headers: { ...responseHeaders(ERROR_CONTENT_TYPE), ...(challenge === undefined ? {} : { 'www-authenticate': challenge }) },
    body: errorBody(401, [{ detail: INVALID_LOGIN_DETAIL, 'o:errorCode': 'INVALID_LOGIN' }]),
  };
}
