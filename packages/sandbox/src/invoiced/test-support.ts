/**
 * Fixtures of the simulated Invoiced's tests: a service on a hand-driven clock and a `call()` that sends
 * one request straight to its handler. Not exported by the package.
 */
import type { InvoicedErrorBody } from './errors';
import type { InvoicedState } from './state';
import { createInvoicedService, type InvoicedService } from './service';

export const API_KEY = 'sk_test_sandbox_4Yb8Qn2Lw7';
export const BASE_URL = 'https://api.sandbox.invoiced.com';
/** 2023-11-14T22:13:20Z. */
export const START = 1_700_000_000;
export const DAY = 86_400;

/** `Authorization: Basic base64("<key>:<password>")`. */
export function basic(key: string = API_KEY, password = ''): string {
  return `Basic ${Buffer.from(`${key}:${password}`).toString('base64')}`;
}

/** A response as a test reads it. */
export interface Answer<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface CallOptions {
  body?: unknown;
  /** Extra headers; `authorization` here replaces the valid one. */
  headers?: Record<string, string>;
  /** Send no `Authorization` at all. */
  anonymous?: boolean;
}

/** A service whose clock only moves when the test says so. */
export interface Harness {
  service: InvoicedService;
  state: InvoicedState;
  /** Current time in UNIX seconds. */
  now: () => number;
  /** Moves the clock forward. */
  advance: (seconds: number) => void;
  /** Sends one request to the handler. */
  call: <T = unknown>(method: string, pathAndQuery: string, options?: CallOptions) => Promise<Answer<T>>;
}

export function createHarness(start = START): Harness {
  let nowMs = start * 1000;
  const service = createInvoicedService({ apiKey: API_KEY, clock: () => new Date(nowMs) });
  return {
    service,
    state: service.state,
    now: () => Math.floor(nowMs / 1000),
    advance: (seconds) => {
      nowMs += seconds * 1000;
    },
    call: async <T,>(method: string, pathAndQuery: string, options: CallOptions = {}): Promise<Answer<T>> => {
      const headers = new Headers(options.anonymous === true ? {} : { authorization: basic() });
      for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
      // JSON unless the test names another content type (a form body, or none Invoiced would read).
      if (options.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
      const outcome = await service.handle({
        method,
        url: new URL(pathAndQuery.startsWith('http') ? pathAndQuery : `${BASE_URL}${pathAndQuery}`),
        headers,
        body: options.body === undefined ? '' : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
      });
      if (outcome.kind !== 'response') throw new Error(`Expected a response, got ${outcome.kind}`);
      return { status: outcome.status, headers: { ...outcome.headers }, body: outcome.body as T };
    },
  };
}

/** The `rel` → URL map of a `Link` header. */
export function links(header: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const match of (header ?? '').matchAll(/<([^>]*)>;\s*rel="([^"]*)"/g)) map.set(match[2] ?? '', match[1] ?? '');
  return map;
}

export type ErrorAnswer = Answer<InvoicedErrorBody>;
