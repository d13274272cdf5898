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

/** A 404 for a record that does not exist, worded like Invoiced (`Invoice was not found: 12`). */
export function notFound(singular: string, id: number | string): InvoicedRequestError {
  const label = singular.charAt(0).toUpperCase() + singular.slice(1).replace(/_/g, ' ');
  return new InvoicedRequestError(404, `${label} was not found: ${id}`, 'id');
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
    message: `There was an error processing your request. Please contact support. Correlation ID: ${randomUUID()}`,
    sandbox_error: error instanceof Error ? error.message : String(error),
  });
}
