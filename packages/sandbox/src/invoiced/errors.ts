/**
 * Failures of the simulated Invoiced, shaped like Invoiced's error body `{ type, message, param? }`:
 * `invalid_request` for 4xx, `api_error` for 5xx.
 */
import { randomUUID } from 'node:crypto';
import { json, type SandboxOutcome } from '../http';

/** Invoiced's error types. */
export type InvoicedErrorType = 'invalid_request' | 'rate_limit_error' | 'api_error';

/** Invoiced's error body. */
export interface InvoicedErrorBody {
  type: InvoicedErrorType;
  message: string;
  param?: string;
}

/**
 * A request the simulated Invoiced refuses. Thrown by the model (and by `state.insert` / `state.update`
 * for input it would refuse over HTTP); the service turns it into the HTTP answer.
 */
export class InvoicedRequestError extends Error {
  override readonly name = 'InvoicedRequestError';
  readonly status: number;
  readonly type: InvoicedErrorType;
  /** The request parameter at fault, when there is one (`metadata`, `applied_to.0.amount`). */
  readonly param: string | undefined;
  /** The body Invoiced would send. */
  readonly body: InvoicedErrorBody;

  constructor(status: number, message: string, param?: string) {
    super(param === undefined ? message : `${message} (param: ${param})`);
    this.status = status;
    this.type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'api_error' : 'invalid_request';
    this.param = param;
    this.body = { type: this.type, message, ...(param === undefined ? {} : { param }) };
  }
}

/** A 400 `invalid_request`, optionally naming the parameter at fault. */
export function invalidRequest(message: string, param?: string): InvoicedRequestError {
  return new InvoicedRequestError(400, message, param);
}

/**
 * A 404 for a record that does not exist, worded like Invoiced: the model name titleized
 * (`Invoice was not found: 12`, `Credit Note was not found: 5`), with no `param`.
 */
export function notFound(singular: string, id: number | string): InvoicedRequestError {
  const label = singular
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
  return new InvoicedRequestError(404, `${label} was not found: ${id}`);
}

/** Invoiced's 404 for a path no route matches (`Request was not recognized: POST /payments/1/void`). */
export function routeNotFound(method: string, path: string): InvoicedRequestError {
  return new InvoicedRequestError(404, `Request was not recognized: ${method} ${path}`);
}

/** Invoiced's 405 for a known path asked with another method (`Method not allowed: PUT /payments/1`). */
export function methodNotAllowed(method: string, path: string): InvoicedRequestError {
  return new InvoicedRequestError(405, `Method not allowed: ${method} ${path}`);
}

/** The HTTP answer of a refused request. */
export function errorOutcome(error: InvoicedRequestError): SandboxOutcome {
  return json(error.status, error.body);
}

/**
 * The answer to a bug in the model: a 500 `api_error` with a correlation ID, as Invoiced words it, and
 * the bug itself in `sandbox_error` so the test that met it can say what went wrong.
 */
export function internalErrorOutcome(error: unknown): SandboxOutcome {
  return json(500, {
    type: 'api_error',
    message: `There was an error processing your request. Our engineers have been notified and will be looking into it soon. If you would like help then you can reach us at support@invoiced.com.\n\nCorrelation ID: ${randomUUID()}`,
    sandbox_error: error instanceof Error ? error.message : String(error),
  });
}
