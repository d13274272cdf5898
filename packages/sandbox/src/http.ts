/**
 * The contract between a simulated service and the transports that carry it (msw handlers and
 * `node:http` servers): a service is a function from a request to an outcome. An outcome is an HTTP
 * response, a dropped connection, or no answer at all (a request that hangs until the client gives up).
 */

/** A request as a service sees it. `url` is the URL the client sent (host and port included). */
export interface SandboxRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  /** The raw body text ('' when none). */
  readonly body: string;
}

/** What a service answers. */
export type SandboxOutcome =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** A string is sent as is; anything else is sent as JSON. `undefined` sends no body. */
      readonly body?: unknown;
    }
  /** The connection is closed without an answer. */
  | { readonly kind: 'drop' }
  /** No answer until the client gives up (a timeout on the client's side). */
  | { readonly kind: 'hang' };

/** A simulated service. */
export type ServiceHandler = (request: SandboxRequest) => Promise<SandboxOutcome>;

/** A JSON response. */
export function json(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): SandboxOutcome {
  return { kind: 'response', status, headers: { 'content-type': 'application/json', ...headers }, body };
}

/** A response without a body (e.g. 204). */
export function empty(status: number, headers: Readonly<Record<string, string>> = {}): SandboxOutcome {
  return { kind: 'response', status, headers };
}
